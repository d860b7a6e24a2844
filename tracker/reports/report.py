"""The report to the Health and Wellbeing Board as text and dates, the same for every format.

Its structure is the board's own (see the reports of May 2019 and March 2021): a header
(who reports, the report date, the meetings held since the last report, the HWB priorities
it addresses, a link to published notes, and the year's priorities with their numbered
outcomes); 1. progress on each priority; 2. what is being done in areas rated Red or Amber
in the performance framework; 3. a summary of other items discussed; 4. the forward plan
for the next meeting. A final report is kept whole as JSON (``Report.to_json``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from datetime import date, datetime

from tracker.text import clean

# Bumped when the shape of a kept report changes; ``Report.from_json`` reads every version.
CONTENT_VERSION = 1

# The report's words, in the board's own order (see the reports of May 2019 and March 2021).
HEADER_LABELS = (
    "Report from",
    "Report Date",
    "Dates of meetings held since the last report",
    "HWB Priorities addressed in this report",
    "Link to any published notes or reports",
)
SECTIONS = (
    "1. Progress reports on priority work to deliver the Joint HWB Strategy",
    "2. Note on what is being done in areas rated Red or Amber in the Performance Framework",
    "3. Summary of other items discussed by the board",
    "4. Forward plan for next meeting",
)
PRIORITY_LABELS = ("Priority", "Focus", "Deliverable", "Progress report")
INDICATOR_HEADINGS = ("Indicator Number", "RAG", "What is being done to improve performance?")
FORWARD_PLAN_LEAD = "The following items are due to be considered in the forthcoming meeting:"
DRAFT_NOTE = "DRAFT – not yet marked final by the secretariat"
# A table row with less text than this moves whole to the next page rather than leave its
# heading cell behind; a longer one splits where the page ends.
KEEP_TOGETHER_BELOW = 600


@dataclass(frozen=True)
class Block:
    """A paragraph, or a run of bulleted lines, of text the secretariat or a lead typed."""

    bulleted: bool
    lines: list[str]


_BULLETS = ("- ", "* ", "• ", "– ")


def blocks(text: str | None) -> list[Block]:
    """Each line a paragraph; lines that start with "- ", "* ", "• " or "– " a bulleted list."""
    result: list[Block] = []
    for line in (text or "").split("\n"):
        line = line.strip()
        if not line:
            continue
        bulleted = line.startswith(_BULLETS)
        if bulleted:
            line = line[2:].strip()
        if bulleted and result and result[-1].bulleted:
            result[-1].lines.append(line)
        else:
            result.append(Block(bulleted, [line]))
    return result


@dataclass
class MeetingHeld:
    held_on: date
    note: str | None = None


@dataclass
class Link:
    url: str
    text: str | None = None


@dataclass
class AreaPriorities:
    """An area as the header's "Priorities for 2020-21" lists it."""

    name: str
    outcomes: list[str]  # "1. Have the best start in life."
    priority_focus: str | None  # "Priority focus for 2020/21: Focus on domestic abuse"


@dataclass
class PriorityProgress:
    """One priority's table in section 1."""

    area: str
    focus: str  # "Children missing out on education (September 2018 CTB meeting focus)"
    deliverables: list[str]
    progress: str


@dataclass
class AreaNote:
    area: str
    text: str


@dataclass
class IndicatorRow:
    indicator: str  # "2.5 Reduce the persistent absence of children …"
    rag: str  # "R", "A" or "N/A"
    what_is_being_done: str

    @property
    def rag_label(self) -> str:
        return {"R": "Red", "A": "Amber"}.get(self.rag, "no reading")


@dataclass
class Report:
    """The report as text and dates, the same for every format, kept whole once final."""

    board_name: str
    chair: str | None
    report_date: date
    meetings: list[MeetingHeld]
    hwb_priorities: list[str]
    published_notes: Link | None
    plan_year: int
    areas: list[AreaPriorities]
    priorities: list[PriorityProgress]
    performance_summary: str
    performance_notes: list[AreaNote]
    indicators: list[IndicatorRow]
    other_items: str
    next_meeting: date | None
    forward_plan: list[str]
    final_at: datetime | None = None

    @property
    def title(self) -> str:
        return f"Report to the Health and Wellbeing Board – {self.board_name}"

    @property
    def report_from(self) -> str:
        return f"{self.board_name} (Chair – {self.chair})" if self.chair else self.board_name

    @property
    def priorities_label(self) -> str:
        # The board writes the year so here ("Priorities for 2020-21") and "2020/21" elsewhere.
        return f"Priorities for {self.plan_year}-{(self.plan_year + 1) % 100:02d}"

    @property
    def section_1_intro(self) -> str:
        return (
            f"The {self.board_name} undertakes a detailed review of one priority focus area "
            "per meeting. Performance information is also received to give an overview of all "
            "other areas."
        )

    @property
    def is_final(self) -> bool:
        return self.final_at is not None

    def to_json(self) -> dict:
        data = asdict(self)
        data["version"] = CONTENT_VERSION
        data["report_date"] = self.report_date.isoformat()
        data["next_meeting"] = self.next_meeting.isoformat() if self.next_meeting else None
        data["final_at"] = self.final_at.isoformat() if self.final_at else None
        for held in data["meetings"]:
            held["held_on"] = held["held_on"].isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> Report:
        if data.get("version") != CONTENT_VERSION:
            raise ValueError(f"a kept report of version {data.get('version')!r} is unknown")
        fields = {k: v for k, v in data.items() if k != "version"}
        link = fields["published_notes"]
        return cls(
            **{
                **fields,
                "report_date": date.fromisoformat(fields["report_date"]),
                "meetings": [
                    MeetingHeld(date.fromisoformat(m["held_on"]), m["note"])
                    for m in fields["meetings"]
                ],
                "published_notes": Link(**link) if link else None,
                "areas": [AreaPriorities(**a) for a in fields["areas"]],
                "priorities": [PriorityProgress(**p) for p in fields["priorities"]],
                "performance_notes": [AreaNote(**n) for n in fields["performance_notes"]],
                "indicators": [IndicatorRow(**i) for i in fields["indicators"]],
                "next_meeting": (
                    date.fromisoformat(fields["next_meeting"]) if fields["next_meeting"] else None
                ),
                "final_at": (
                    datetime.fromisoformat(fields["final_at"]) if fields["final_at"] else None
                ),
            }
        )


def cleaned(value):
    """``value`` (a Report, or anything in one) with every string cleaned: old updates and
    notes may hold characters that no document can."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [cleaned(v) for v in value]
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(
            value, **{f.name: cleaned(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    return value
