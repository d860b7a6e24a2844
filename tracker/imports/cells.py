"""What people write in a plan's cells besides lists and names: statuses, RAG ratings, area
headings ("BE SAFE – Focus on domestic abuse") and "Year 2 action:" prefixes."""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.models import ActionStatus, Rag

# "BE SUCCESSFUL – Focus on …", "Be Safe: Focus on …", or the focus on its own line.
_AREA_HEADING = re.compile(r"\s+[–—-]\s+|:\s+|\n+")
# "Be safe FOCUS ON DOMESTIC ABUSE": the focus in capitals after the area on one line.
_CAPITAL_FOCUS = re.compile(r"^(.*[a-z].*?)\s+([A-Z][A-Z0-9 ,'&\-]{5,})$")
# "Priority 1:", "Area of focus 2 –", "3." before an area's name.
_AREA_NUMBER = re.compile(
    r"^(?:(?:priority|area(?: of focus)?|theme|outcome)\s*\d{1,2}[a-z]?|\d{1,2})\s*[:.)–—-]\s*",
    re.IGNORECASE,
)
_NAMED_AREA = re.compile(r"^(?:priority|area(?: of focus)?|theme)\s*\d", re.IGNORECASE)
_YEAR_PREFIX = re.compile(r"^year\s+(\d)\s+actions?\s*[:\-–]\s*", re.IGNORECASE)
_FOCUS = re.compile(r"(?:priority\s+)?focus\b", re.IGNORECASE)
_HEADING_WORDS = 6
# Status as boards also write it.
_STATUS_WORDS = {
    **dict.fromkeys(["completed", "done", "achieved", "closed"], ActionStatus.COMPLETE),
    **dict.fromkeys(
        ["in progress", "ongoing", "started", "underway", "under way", "on target"],
        ActionStatus.ON_TRACK,
    ),
    **dict.fromkeys(["delayed", "behind", "behind schedule", "slipped"], ActionStatus.OFF_TRACK),
    **dict.fromkeys(["not yet started", "planned", "not due"], ActionStatus.NOT_STARTED),
}


def tidy_caps(text: str) -> str:
    """Headings typed in capitals read as a sentence: "FOCUS ON DOMESTIC ABUSE" → "Focus on
    domestic abuse"; "BE SAFE" → "Be Safe" for an area's name."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return text[:1].upper() + text[1:].lower()
    return text


@lru_cache(maxsize=1024)  # every row of an area names it again
def area_heading(text: str) -> tuple[str, str | None]:
    """An area's heading as (area name, priority focus): "BE SUCCESSFUL – Focus on
    Children who are not engaged in Education" → ("Be Successful", "Focus on Children …"),
    and "Priority 1: Be Successful" or "1. Be Successful" → ("Be Successful", None)."""
    text = _AREA_NUMBER.sub("", text.strip())
    capitals = _CAPITAL_FOCUS.match(text)
    if capitals:
        parts = [capitals.group(1), capitals.group(2)]
    else:
        parts = [p.strip() for p in _AREA_HEADING.split(text, maxsplit=1) if p.strip()]
    if not parts:
        return "", None
    name = " ".join(parts[0].split())
    if name.isupper() or name.islower():
        name = re.sub(r"\bAnd\b", "and", name.title())
    focus = " ".join(tidy_caps(parts[1]).split()) if len(parts) > 1 else None
    return name, focus


def looks_like_area_heading(text: str) -> bool:
    """ "BE SAFE – Focus on domestic abuse" alone in a row is a heading, not an action: a short
    name in capitals, or a short name followed by its focus."""
    first = _AREA_HEADING.split(text.strip(), maxsplit=1)[0]
    if not 0 < len(first.split()) <= _HEADING_WORDS or _YEAR_PREFIX.match(text):
        return False
    _name, focus = area_heading(text)
    capitals = first.isupper() and sum(c.isalpha() for c in first) >= 4
    return capitals or bool(focus and _FOCUS.match(focus)) or bool(_NAMED_AREA.match(text))


def year_prefix(text: str) -> tuple[int | None, str]:
    """ "Year 2 action: Focus on …" → (2, "Focus on …")."""
    match = _YEAR_PREFIX.match(text)
    if not match:
        return None, text
    return int(match.group(1)), text[match.end() :].strip()


class NotAChoice(ValueError):
    pass


def _by_name(members, text: str, what: str, synonyms: dict | None = None):
    wanted = " ".join(text.lower().replace("_", " ").split())
    if synonyms and wanted in synonyms:
        return synonyms[wanted]
    for member in members:
        if wanted in {member.value.replace("_", " "), member.label.lower()}:
            return member
    allowed = ", ".join(m.label for m in members)
    raise NotAChoice(f"'{text}' is not a {what} (use one of: {allowed})")


def parse_status(text: str) -> ActionStatus:
    return _by_name(list(ActionStatus), text, "status", _STATUS_WORDS)


def parse_rag(text: str) -> Rag:
    short = {"r": "red", "a": "amber", "g": "green"}
    return _by_name(list(Rag), short.get(text.strip().lower(), text), "RAG rating")
