"""What a received e-mail says: who sent it, whether a machine did, and the new text of the
reply with the quoted history, the signature and the disclaimer taken off.

The reply itself is found by mail-parser-reply (quoted lines, "On … wrote:", Outlook's
"From: … Sent: …" block, "Sent from my iPhone", the usual sign-offs); this module adds what
the board's own mail needs on top: HTML-only replies turned into text (their quoted part
dropped first), British sign-offs and the council disclaimers that have no heading.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from mailparser_reply.parser import EmailMessage as ParsedReply

from tracker.models import ActionStatus, Rag
from tracker.text import clean

_PARSER = BytesParser(policy=policy.default)


def parse(raw: bytes, *, headers_only: bool = False) -> EmailMessage:
    return _PARSER.parsebytes(raw, headersonly=headers_only)


def headers_only(raw: bytes) -> bytes:
    """The header block of a raw message (all of it when it has no body)."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        end = raw.find(separator)
        if end >= 0:
            return raw[: end + len(separator)]
    return raw


def message_id_of(message: EmailMessage, raw: bytes) -> str:
    """The Message-ID, or one made from the message's bytes when it has none (or an absurd
    one), so that the same message received twice is still recognised."""
    given = " ".join(str(message.get("Message-ID", "")).split())
    if given and len(given) <= 500:
        return given
    return f"<{hashlib.sha256(raw).hexdigest()}@inbound.invalid>"


def sender_of(message: EmailMessage) -> str | None:
    """The From address, in lower case, or None when there is none to read."""
    address = parseaddr(str(message.get("From", "")))[1].strip().lower()
    return address if "@" in address else None


def addressed_to(message: EmailMessage) -> list[str]:
    """The addresses a fetched message was delivered or sent to, most telling first."""
    headers = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")
    values = [str(v) for name in headers for v in message.get_all(name, [])]
    return [address for _, address in getaddresses(values) if address]


# Subjects that an out-of-office or other automatic answer puts first, in the languages the
# big mail programs use in England.
_AUTOMATIC_SUBJECT = re.compile(
    r"^\s*(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response|antwort)|out of (?:the )?office"
    r"|away from (?:the |my )?office|abwesenheitsnotiz|r[ée]ponse automatique"
    r"|delivery status notification|undeliverable|undelivered mail|mail delivery failed)\b",
    re.IGNORECASE,
)
_OUT_OF_OFFICE_SUBJECT = re.compile(
    r"automatic reply|auto(?:matic)?[- ]?reply|out of (?:the )?office|away from", re.IGNORECASE
)
_BULK = {"bulk", "auto_reply", "junk", "list"}


def automatic(message: EmailMessage, mail_from: str | None) -> str | None:
    """Why the message was sent by a machine rather than written by a person: "out_of_office",
    "delivery_report" or "automatic"; None for a person's own reply.

    RFC 3834's Auto-Submitted, the X-Autoreply and Precedence headers older programs add,
    the subjects of out-of-office answers, and delivery-status reports (RFC 3464), which
    also come from an empty envelope sender.
    """
    subject = str(message.get("Subject", ""))
    if message.get_content_type() == "multipart/report" or any(
        part.get_content_type() == "message/delivery-status" for part in message.walk()
    ):
        return "delivery_report"
    if mail_from == "" or (sender_of(message) or "").startswith(("mailer-daemon@", "postmaster@")):
        return "delivery_report"
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    flagged = (
        auto_submitted not in ("", "no")
        or message.get("X-Autoreply") is not None
        or message.get("X-Autorespond") is not None
        or precedence in _BULK
    )
    if _OUT_OF_OFFICE_SUBJECT.search(subject) and (flagged or _AUTOMATIC_SUBJECT.match(subject)):
        return "out_of_office"
    if flagged or _AUTOMATIC_SUBJECT.match(subject):
        return "automatic"
    return None


_COMMENT = re.compile(r"\([^()]*\)")


def dmarc_failed(message: EmailMessage, authserv_id: str | None) -> bool:
    """True when the organisation's own mail server (``authserv_id``) says in its
    Authentication-Results header (RFC 8601) that the message fails DMARC. Headers from
    any other server are not believed: a sender can write one into their own message."""
    if not authserv_id:
        return False
    for header in message.get_all("Authentication-Results", []):
        value = _COMMENT.sub("", " ".join(str(header).split()))
        served_by, _, results = value.partition(";")
        if served_by.split()[:1] != [authserv_id]:
            continue
        for result in results.split(";"):
            method, _, outcome = result.strip().partition("=")
            if method.strip().lower() == "dmarc" and outcome.split()[:1] == ["fail"]:
                return True
    return False


@dataclass(frozen=True)
class Body:
    """The reply's text as written (quoted history and all), or None when the message has
    no text part, and how many attachments it carried."""

    text: str | None
    attachments: int


def body_of(message: EmailMessage) -> Body:
    attachments = sum(1 for part in message.walk() if _is_attachment(part))
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None or _is_attachment(part):
        return Body(None, attachments)
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):
        # An unknown or lying charset: read it as Latin-1, the widest guess.
        content = (part.get_payload(decode=True) or b"").decode("latin-1")
    if part.get_content_subtype() == "html":
        content = html_to_text(content)
    return Body(clean(content), attachments)


def _is_attachment(part: EmailMessage) -> bool:
    """A file sent with the message; not a signature's logo shown in the HTML (inline, with a
    Content-ID), nor the parts of the message itself."""
    if part.is_multipart():
        return False
    if part.get_content_disposition() == "attachment":
        return True
    if part.get_content_maintype() == "text" and part.get_content_subtype() in ("plain", "html"):
        return False
    return part.get("Content-ID") is None


class _HtmlText(HTMLParser):
    """HTML as the text a reader sees: blocks on lines of their own, quoted blocks marked "> "
    as a plain-text reply would have them, nothing of head, style or script."""

    _BLOCKS = frozenset(
        "address article aside blockquote dd div dl dt figure footer form h1 h2 h3 h4 h5 h6 "
        "header hr li main nav ol p pre section table tr ul".split()
    )
    _HIDDEN = frozenset({"head", "style", "script", "title", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quoted = 0
        self.hidden = 0

    def _break(self) -> None:
        if self.lines[-1].strip("> "):
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.lines.append("")
        elif tag in self._BLOCKS:
            self._break()
            if tag == "blockquote":
                self.quoted += 1
            if tag == "li":
                self.lines[-1] = "- "

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self._BLOCKS:
            if tag == "blockquote":
                self.quoted = max(self.quoted - 1, 0)
            self._break()

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        text = " ".join(data.split())
        if not text and "\xa0" in data:
            # Outlook writes a blank line as a paragraph of one no-break space.
            self._break()
            self.lines.append("")
            return
        if not text:
            if data and self.lines[-1] and not self.lines[-1].endswith(" "):
                self.lines[-1] += " "
            return
        if not self.lines[-1] and self.quoted:
            self.lines[-1] = "> " * self.quoted
        leading = " " if data[:1].isspace() and self.lines[-1].strip("> -") else ""
        self.lines[-1] += leading + text + (" " if data[-1:].isspace() else "")


def html_to_text(html: str) -> str:
    reader = _HtmlText()
    reader.feed(html)
    reader.close()
    text = "\n".join(line.rstrip() for line in reader.lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# Sign-offs that end what a person wrote: the signature block follows.
_SIGN_OFF = re.compile(
    r"^(?:many thanks|thanks(?: again| very much)?|thank you|kind regards|best regards|"
    r"warm regards|regards|best wishes|all the best|best|cheers|yours sincerely|"
    r"yours faithfully|with thanks)\s*[,.!]?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# The disclaimers councils, trusts and the NHS add, which have no heading: "This e-mail and
# any attachments are confidential…", "The information in this message is intended only…"
_DISCLAIMER = re.compile(
    r"^[\W_]*(?:this (?:e-?mail|message|communication|transmission)|the (?:information|"
    r"contents?) (?:in|of|contained in) this (?:e-?mail|message))\b[^\n]*?"
    r"(?:confidential|privileged|intended (?:solely |only )?for|may contain|monitored)",
    re.IGNORECASE | re.MULTILINE,
)


def new_text(body: str) -> str:
    """The new part of a reply: above the quoted history, without signature or disclaimer."""
    reply = ParsedReply(text=body, languages=["en"], keep_hyphen_lists=True).read()
    text = reply.replies[0].body if reply.replies else ""
    for pattern in (_DISCLAIMER, _SIGN_OFF):
        found = pattern.search(text)
        if found:
            text = text[: found.start()]
    # Lines still marked as quoted are someone else's words.
    lines = [line for line in text.split("\n") if not line.startswith(">")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_STATUS_WORDS = {s.label.lower(): s for s in ActionStatus}
_RAG_WORDS = {r.label.lower(): r for r in Rag}
_WORD = "|".join(re.escape(w) for w in sorted({*_STATUS_WORDS, *_RAG_WORDS}, key=len, reverse=True))
# A status or RAG word, optionally labelled ("Status: At risk", "RAG - Amber"), ending at a
# colon, full stop, comma, semicolon or dash, or at the end of the line: so "Green light
# from the council" is text, not a rating.
_LEADING_WORD = re.compile(
    rf"^[ \t]*(?:(?:status|rag(?: rating)?)[ \t]*[:\-–][ \t]*)?({_WORD})"
    rf"[ \t]*(?:[:.,;\-–][ \t]*|(?=\n)|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Update:
    text: str
    status: ActionStatus | None
    rag: Rag | None


def read_update(text: str) -> Update:
    """The status and RAG named at the start of the reply, if any, and the text after them.
    A reply of the words alone ("Complete.") keeps them as its text."""
    status = rag = None
    rest = text
    while True:
        found = _LEADING_WORD.match(rest)
        if not found:
            break
        word = found.group(1).lower()
        if word in _STATUS_WORDS and status is None:
            status = _STATUS_WORDS[word]
        elif word in _RAG_WORDS and rag is None:
            rag = _RAG_WORDS[word]
        else:
            break
        rest = rest[found.end() :].lstrip(" \t")
    rest = rest.strip()
    if not rest:
        rest = text.strip()
    elif rest != text.strip() and rest[0].islower():
        rest = rest[0].upper() + rest[1:]
    return Update(rest, status, rag)
