"""Leads and agencies as plans name them, read the way a person reads them.

- "Emma Leaver, Maria Godfrey and Donna Husband": three people.
- "SEND (OCC)", "Education and Learning (OCC)": one team each.
- "Early Help (OCC) Youth Justice (OCC)": two teams written side by side.
- "Domestic abuse operational group – led by Sarah Breton and Sarah Carter": the group is the
  lead, a team whose contacts (who hear about its actions) are the two people. In a
  Responsible agencies cell the same words are the agency "Domestic abuse operational group";
  the people are not kept there (an agency has no contacts), and the reader says so.
- "TBC", "N/A", "-": no lead yet, which the reader says too.
Whether a lead that is one name is a person or a team is decided against the board's own
people and teams (``plan_import``); with neither, by whether it looks like a person's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tracker.imports.lists import Holds, list_items

# A person's name: two to four capitalised words, with an optional title.
_PERSON = re.compile(
    r"^(?:(?i:dr|cllr|councillor|mr|mrs|ms|miss|prof)\.?\s+)?"
    r"[A-Z][a-zA-Z'’\-]+(?:\s+[A-Z][a-zA-Z'’\-]+){1,3}$"
)
_NOT_A_PERSON = re.compile(
    r"\b(team|service|services|group|board|partnership|council|officer|unit|network|forum|"
    r"nhs|police|health|trust|school|schools|commissioning|lead|leads|help|justice|care)\b",
    re.IGNORECASE,
)
_BETWEEN_PEOPLE = re.compile(r"\s*(?:,|&|\band\b)\s*")
# "Name (ORG) Other name (ORG)": two or more names each closed by its bracket.
_SIDE_BY_SIDE = re.compile(r"[^()]+\([^()]+\)")
_LED_BY = re.compile(
    r"^(?P<group>.+?)[\s,:–—(-]+(?:led|chaired|co-?ordinated)\s+by\s+(?P<people>[^()]+?)\)?\.?$",
    re.IGNORECASE,
)
_NO_ONE = re.compile(r"^(?:tbc|tba|tbd|to be (?:confirmed|agreed|decided)|n/?a|none|-+|–|—)$", re.I)


@dataclass(frozen=True)
class Lead:
    """A lead as the file names it: a person's or team's name, and a team's contacts."""

    name: str
    contacts: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


def looks_like_person(name: str) -> bool:
    """ "David Clarke" is a person; "SEND (OCC)" or "Domestic abuse group" is a team."""
    return bool(_PERSON.match(name)) and not _NOT_A_PERSON.search(name)


def _side_by_side(name: str) -> list[str]:
    """ "Early Help (OCC) Youth Justice (OCC)" → both; any other name stays whole."""
    parts = [p.strip() for p in _SIDE_BY_SIDE.findall(name)]
    covers = "".join("".join(parts).split()) == "".join(name.split())
    return parts if len(parts) > 1 and covers else [name]


def _people(text: str) -> list[str] | None:
    """ "Sarah Breton and Sarah Carter" → both, when every part is a person's name."""
    parts = [p.strip(" .") for p in _BETWEEN_PEOPLE.split(text) if p.strip(" .")]
    return parts if all(looks_like_person(p) for p in parts) else None


def _names(text: str) -> list[str]:
    # A cell naming a group "led by" people is split at lines only: its commas are its own.
    return list_items(text, Holds.SENTENCES if _LED_BY.search(text) else Holds.NAMES)


def read_leads(text: str) -> tuple[list[Lead], list[str]]:
    """The leads a cell names, and what a person should check about the reading."""
    leads, notes = _leads(text)
    return list(leads), list(notes)


@lru_cache(maxsize=4096)  # a value carried down or merged is read once
def _leads(text: str) -> tuple[tuple[Lead, ...], tuple[str, ...]]:
    leads, notes = [], []
    for item in _names(text):
        led = _LED_BY.match(item)
        if _NO_ONE.match(item):
            notes.append(f"'{item}' names no lead: the action comes in without it")
        elif led and _people(led["people"]):
            leads.append(Lead(led["group"].strip(), tuple(_people(led["people"]))))
        elif led:
            leads.append(Lead(led["group"].strip()))
            notes.append(f"'{led['people']}' (who leads {led['group'].strip()}) is not read")
        else:
            names = _people(item) or _split_teams_and_people(item)
            leads += [Lead(name) for name in names]
    return tuple(dict.fromkeys(leads)), tuple(notes)


def _split_teams_and_people(item: str) -> list[str]:
    """ "SEND (OCC) & David Clarke" → both; "Education and Learning (OCC)" stays one."""
    pieces = [p.strip(" .") for p in _BETWEEN_PEOPLE.split(item) if p.strip(" .")]
    if len(pieces) > 1 and all(looks_like_person(p) or p.endswith(")") for p in pieces):
        return [name for piece in pieces for name in _side_by_side(piece)]
    return _side_by_side(item)


def read_agencies(text: str) -> tuple[list[str], list[str]]:
    """The agencies a cell names, and what a person should check about the reading."""
    agencies, notes = _agencies(text)
    return list(agencies), list(notes)


@lru_cache(maxsize=4096)
def _agencies(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    agencies, notes = [], []
    for item in _names(text):
        led = _LED_BY.match(item)
        if led:
            agencies.append(led["group"].strip())
            notes.append(
                f"'{item}': the agency is {led['group'].strip()}; who leads it is not kept "
                "with an agency (name them in the leads column)"
            )
        else:
            agencies += _side_by_side(item)
    return tuple(dict.fromkeys(agencies)), tuple(notes)
