"""What people write in a plan's cells: lists, leads, statuses and area headings.

Lists come as bullets, "a. … b. …", "1. … 2. …", one per line or separated by semicolons;
leads as "Emma Leaver, Maria Godfrey and Donna Husband" or "SEND (OCC)".
"""

from __future__ import annotations

import re

from tracker.models import ActionStatus, Rag

_BULLETS = "•◦▪▫●○■□‣⁃∙·"
_BULLET = re.compile(rf"\s*[{_BULLETS}]\s*")
# A list marker at the start of a line or after white space: "1.", "2)", "a.", "b)".
_NUMBERED = re.compile(r"(?:^|(?<=\s))(?:\d{1,2}|[a-z])[.)]\s+")
_DASH_ITEM = re.compile(r"^[-*–]\s+")
_LEAD_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b)\s*")
# A person's name: two to four capitalised words, with an optional title.
_PERSON = re.compile(
    r"^(?:(?:dr|cllr|councillor|mr|mrs|ms|miss|prof)\.?\s+)?"
    r"[A-Z][a-zA-Z'’\-]+(?:\s+[A-Z][a-zA-Z'’\-]+){1,3}$",
    re.IGNORECASE,
)
_NOT_A_PERSON = re.compile(
    r"\b(team|service|services|group|board|partnership|council|officer|unit|network|forum|"
    r"nhs|police|health|trust|school|schools|commissioning|lead|leads)\b",
    re.IGNORECASE,
)
# "BE SUCCESSFUL – Focus on …", "Be Safe: Focus on …", or the focus on its own line.
_AREA_HEADING = re.compile(r"\s+[–—-]\s+|:\s+|\n+")
# "Be safe FOCUS ON DOMESTIC ABUSE": the focus in capitals after the area on one line.
_CAPITAL_FOCUS = re.compile(r"^(.*[a-z].*?)\s+([A-Z][A-Z0-9 ,'&\-]{5,})$")
_YEAR_PREFIX = re.compile(r"^year\s+(\d)\s+actions?\s*[:\-–]\s*", re.IGNORECASE)


def _numbered_items(line: str) -> list[str]:
    """Split "1. a 2. b" — only where the markers count up, so "e.g. x" stays whole."""
    markers = list(_NUMBERED.finditer(line))
    if not markers:
        return [line]
    expected = None
    cuts = []
    for marker in markers:
        token = marker.group().strip()[:-1].lower()
        value = int(token) if token.isdigit() else ord(token) - ord("a") + 1
        if expected is None or value == expected:
            cuts.append(marker)
            expected = value + 1
    if markers[0].start() != 0 and len(cuts) < 2:
        return [line]
    pieces = [line[: cuts[0].start()]] if cuts[0].start() else []
    for here, following in zip(cuts, [*cuts[1:], None], strict=True):
        pieces.append(line[here.end() : following.start() if following else len(line)])
    return pieces


def split_list(text: str, *, semicolons: bool = True) -> list[str]:
    """The items of a list written in one cell, without their bullets or numbers. Semicolons
    separate items only in a cell of one line: where there are lines, each line is an item."""
    lines = text.split("\n")
    semicolons = semicolons and len([line for line in lines if line.strip()]) == 1
    items = []
    for line in lines:
        for bulleted in _BULLET.split(line):
            parts = bulleted.split(";") if semicolons else [bulleted]
            for part in parts:
                for item in _numbered_items(part.strip()):
                    item = _DASH_ITEM.sub("", item.strip()).strip().rstrip(";").strip()
                    if item:
                        items.append(" ".join(item.split()))
    return list(dict.fromkeys(items))


def split_leads(text: str) -> list[str]:
    """ "Emma Leaver, Maria Godfrey and Donna Husband" is three leads; "Education and Learning
    (OCC)" is one: a line is split at commas and "and" only into people's names or teams
    written with their organisation in brackets."""
    names = []
    for item in split_list(text):
        pieces = [n.strip(" .") for n in _LEAD_SEPARATORS.split(item) if n.strip(" .")]
        if all(looks_like_person(p) or p.endswith(")") for p in pieces):
            names += pieces
        else:
            names.append(item)
    return list(dict.fromkeys(names))


def looks_like_person(name: str) -> bool:
    """ "David Clarke" is a person; "SEND (OCC)" or "Domestic abuse group" is a team."""
    return bool(_PERSON.match(name)) and not _NOT_A_PERSON.search(name)


def tidy_caps(text: str) -> str:
    """Headings typed in capitals read as a sentence: "FOCUS ON DOMESTIC ABUSE" → "Focus on
    domestic abuse"; "BE SAFE" → "Be Safe" for an area's name."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return text[:1].upper() + text[1:].lower()
    return text


def area_heading(text: str) -> tuple[str, str | None]:
    """An area's heading as (area name, priority focus): "BE SUCCESSFUL – Focus on
    Children who are not engaged in Education" → ("Be Successful", "Focus on Children …")."""
    text = text.strip()
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


def year_prefix(text: str) -> tuple[int | None, str]:
    """ "Year 2 action: Focus on …" → (2, "Focus on …")."""
    match = _YEAR_PREFIX.match(text)
    if not match:
        return None, text
    return int(match.group(1)), text[match.end() :].strip()


class NotAChoice(ValueError):
    pass


def _by_name(members, text: str, what: str):
    wanted = " ".join(text.lower().replace("_", " ").split())
    for member in members:
        if wanted in {member.value.replace("_", " "), member.label.lower()}:
            return member
    allowed = ", ".join(m.label for m in members)
    raise NotAChoice(f"'{text}' is not a {what} (use one of: {allowed})")


def parse_status(text: str) -> ActionStatus:
    return _by_name(list(ActionStatus), text, "status")


def parse_rag(text: str) -> Rag:
    short = {"r": "red", "a": "amber", "g": "green"}
    return _by_name(list(Rag), short.get(text.strip().lower(), text), "RAG rating")
