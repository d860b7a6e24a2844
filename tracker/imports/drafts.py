"""What the reader makes of a file, before anything touches the database: a draft plan of
draft actions, the problems that stop it being imported, and the warnings a person should
read before confirming it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tracker.imports.names import Lead
from tracker.models import ActionStatus, Rag


@dataclass(frozen=True)
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class DraftAction:
    area: str
    text: str
    where: str
    agencies: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    months: list[date] = field(default_factory=list)
    timetable: str = ""  # as written: "Q3 2021/22", "Ongoing"
    plan_year: int | None = None  # a calendar year, as "2018/19" → 2018
    plan_year_number: int | None = None  # "Year 2 action: …" → 2
    status: ActionStatus | None = None
    rag: Rag | None = None
    progress: str | None = None

    @property
    def lead_names(self) -> list[str]:
        return [lead.name for lead in self.leads]

    def merge(self, other: DraftAction) -> None:
        """The same action written twice (a merged cell): one action with both rows' lists."""
        for name in ("agencies", "measures", "months"):
            mine = getattr(self, name)
            mine += [v for v in getattr(other, name) if v not in mine]
        self.leads += [lead for lead in other.leads if lead.name not in self.lead_names]
        self.months.sort()
        self.timetable = self.timetable or other.timetable
        self.status = self.status or other.status
        self.rag = self.rag or other.rag
        self.progress = self.progress or other.progress


@dataclass
class DraftPlan:
    actions: list[DraftAction] = field(default_factory=list)
    # Area name → priority focus (None when the file names none), in the file's order.
    areas: dict[str, str | None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # any one stops the import
    warnings: list[Problem] = field(default_factory=list)  # read, then confirm

    @property
    def has_progress(self) -> bool:
        return any(a.progress for a in self.actions)

    @property
    def without_month(self) -> list[DraftAction]:
        return [a for a in self.actions if not a.months]

    @property
    def timetables(self) -> dict[str, list[date]]:
        """Each timetable as written, and the months it was read as: "Q3 2021/22" → Dec 21."""
        return {a.timetable: a.months for a in self.actions if a.timetable}

    def warn(self, where: str, what: str) -> None:
        """A warning, once: a value carried down or merged over many rows is one thing."""
        if all(w.what != what for w in self.warnings):
            self.warnings.append(Problem(where, what))
