"""Text as people type it, made safe for where it goes next.

A pasted vertical tab or NUL breaks a Word file (XML 1.0 has no place for it) and PostgreSQL
refuses NUL in a text column; a cell that begins with "=" runs as a formula in Excel. So text
is cleaned where it comes in (forms, imports, the CLI) and again on the way out (exports,
reports, e-mails), where rows written before the cleaning may still hold such characters.
"""

from __future__ import annotations

import re

# Control characters (Unicode category Cc) but tab and new line, the surrogates (never text
# on their own) and the two non-characters XML 1.0 refuses.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_ENDS = re.compile("\r\n?")

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def clean(text: str) -> str:
    """``text`` with Windows and old Mac line ends as new lines and without the characters
    no document can hold."""
    return _UNWANTED.sub("", _LINE_ENDS.sub("\n", text))


def one_line(text: str) -> str:
    """``text`` cleaned, on one line, each run of white space one space: for an e-mail's
    subject, where a line break (a vertical tab or U+2028 among them) would end the header."""
    return " ".join(clean(text).split())


def clean_or_none(text: str | None) -> str | None:
    return None if text is None else clean(text)


def could_run(text: str) -> bool:
    """Would a spreadsheet program take this cell for a formula?"""
    return text.startswith(FORMULA_STARTS)


def _quoted(text: str) -> bool:
    # Quotes before a formula's start are quoted once more, so reading back is exact.
    return could_run(text.lstrip(_QUOTE))


def for_csv(text: str) -> str:
    """A CSV cell that opens as the text written, not as a formula: OWASP's advice is to
    begin such a cell with a single quote, which spreadsheet programs do not show."""
    text = clean(text)
    return _QUOTE + text if _quoted(text) else text


def from_csv(text: str) -> str:
    """The cell ``for_csv`` wrote, as it was: so the tracker reads its own exports back."""
    if text.startswith(_QUOTE) and _quoted(text):
        return text[1:]
    return text
