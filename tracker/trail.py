"""How the audit trail reads: each change in the board's words, with the names of people and
things ("Lead: added David Clarke", "Status: Not started → On track").

Every audited model's fields are described once, here (``THINGS``: a label for the field and,
where its type does not say enough, how its value reads). Values are shown as the model
says they are: an enum by its label, a foreign key by the name of the row it points to, a
date as a date. The action, indicator and meeting pages all read their trails through
``describe_events``, and tests/test_trail.py checks that every audited field of every
audited model is described here, so a new column cannot reach a page under its database
name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Text, TypeDecorator, inspect, select
from sqlalchemy import Enum as EnumType
from sqlalchemy.orm import RelationshipProperty, Session

from tracker.audit import _plain, audited_attributes
from tracker.formatting import london_datetime, long_date, month_label, shorten
from tracker.inbound.process import REASONS
from tracker.indicators.framework import format_difference, format_value, plain_number
from tracker.models import (
    Action,
    ActionLead,
    Agency,
    AreaOfFocus,
    AreaPriority,
    AuditEvent,
    Board,
    ForwardPlanItem,
    HwbNarrative,
    HwbReport,
    InboundMessage,
    Indicator,
    IndicatorReading,
    IndicatorUnit,
    Invitation,
    Measure,
    Meeting,
    Membership,
    Outcome,
    Person,
    Plan,
    ReportingMonth,
    Team,
)
from tracker.models.publishing import (
    ApiToken,
    PublicName,
    PublicPages,
    PublishedIndicator,
    PublishedPaper,
    PublishedReading,
    PublishedUpdate,
)
from tracker.rules import periods
from tracker.rules.due import plan_year_label

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# How long a name may be in the first line of an entry ("Action: changed “Embed the…”").
NAME_WIDTH = 100


class Values:
    """One audited row's fields as stored in its events (plain JSON values), and the names
    of the rows its foreign keys point to."""

    def __init__(self, names: Names, model: type, values: Mapping[str, Any]) -> None:
        self.names, self.model, self.values = names, model, values

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def row(self, model: type, key: str) -> Any:
        """The row of ``model`` this one's ``key`` points to, or None."""
        return self.names.row(model, self[key])


Show = Callable[[Any, Values], str]


@dataclass(frozen=True)
class Field:
    label: str
    # How a stored value reads; by default as the column's type says.
    show: Show | None = None
    # Listed when the thing is added. False for what the page says already (the board, the
    # action) and for bookkeeping (its place in a list).
    when_added: bool = True
    # How no value reads, where "none" does not say it ("No RAG").
    empty: str = "none"


@dataclass(frozen=True)
class Moment(Field):
    """A time that marks a change of state; the change is the entry's verb ("archived")."""

    set_verb: str = ""
    cleared_verb: str = ""
    # Fields that go with it and are cleared with it (the reason for removing an item).
    companions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Secret(Field):
    """Kept out of the trail (tracker.audit records only that it changed)."""


@dataclass(frozen=True)
class Thing:
    label: str  # "Lead"
    name: tuple[str, ...]  # the fields that name one, joined by a space
    fields: dict[str, Field]
    removed: str = "removed"  # the verb when its row is deleted


def _quoted(value: Any, values: Values) -> str:
    return f"“{value}”"


def _plain_text(value: Any, values: Values) -> str:
    return str(value)


def _position(value: Any, values: Values) -> str:
    """Lists are kept in order from 0; people count from 1."""
    return str(int(value) + 1)


def _plan_year(value: Any, values: Values) -> str:
    return plan_year_label(int(value))


def _month(value: Any, values: Values) -> str:
    return month_label(date.fromisoformat(value))


def _weekday(value: Any, values: Values) -> str:
    return WEEKDAYS[int(value)]


def _team(value: Any, values: Values) -> str:
    return f"{values.names.name(Team, value)} (team)"


def _period(value: Any, values: Values) -> str:
    indicator = values.row(Indicator, "indicator_id")
    start = date.fromisoformat(value)
    return periods.label(start, indicator.frequency) if indicator else long_date(start)


def _unit_of(values: Values) -> IndicatorUnit:
    if values.model is Indicator:
        return IndicatorUnit(values["unit"]) if values["unit"] else IndicatorUnit.NUMBER
    indicator = values.row(Indicator, "indicator_id")
    return indicator.unit if indicator else IndicatorUnit.NUMBER


def _measured(value: Any, values: Values) -> str:
    return format_value(value, _unit_of(values))


def _difference(value: Any, values: Values) -> str:
    return format_difference(value, _unit_of(values))


def _kept(value: Any, values: Values) -> str:
    return "kept, to be produced again unchanged"


def _refusal(value: Any, values: Values) -> str:
    return REASONS.get(value, str(value))


def _archived(label: str = "Archived") -> Moment:
    return Moment(label, set_verb="archived", cleared_verb="restored")


def _board() -> Field:
    return Field("Board", when_added=False)


def _update(value: Any, values: Values) -> str:
    return f"progress update {value}"


def _withdrawn() -> Moment:
    return Moment(
        "Withdrawn from the public pages",
        set_verb="withdrawn from the public pages",
        cleared_verb="made public again",
    )


def _approved_by() -> Field:
    return Field("Approved for the public pages by")


THINGS: dict[type, Thing] = {
    Board: Thing(
        "Board",
        ("name",),
        {
            "name": Field("Name"),
            "slug": Field("Name in web addresses"),
            "first_reminder_days": Field("First reminder (working days before the update is due)"),
            "second_reminder_days": Field(
                "Second reminder (working days before the update is due)"
            ),
            "chaser_weekday": Field("Chasers go out on", show=_weekday),
            "chaser_every_weeks": Field("Chase every (weeks)"),
            "escalate_after_chasers": Field("Escalate after (chasers)"),
            "short_name": Field("Short name in reports"),
            "hwb_priorities": Field("HWB priorities addressed in reports", show=_plain_text),
            "published_notes_url": Field("Link to published notes or reports"),
            "published_notes_text": Field("Words before the link", show=_plain_text),
            "controller": Field("Controller of the data"),
            "privacy_contact": Field("Whom to ask about data protection"),
            "keep_sent_emails_days": Field("Keep sent e-mails (days)"),
            "keep_sign_in_records_days": Field("Keep records of failed sign-ins (days)"),
            "keep_sign_in_events_days": Field("Keep sign-ins in the audit trail (days)"),
            "archived_at": _archived(),
        },
    ),
    Person: Thing(
        "Person",
        ("name",),
        {
            "email": Field("E-mail address"),
            "name": Field("Name"),
            "password_hash": Secret("Password"),
            "session_token": Secret("Signed in on other devices"),
            "deactivated_at": Moment(
                "Deactivated", set_verb="deactivated", cleared_verb="reactivated"
            ),
            "last_signed_in_at": Field("Last signed in"),
            "away_until": Field("Away until"),
            "deputy_id": Field("Deputy"),
            "one_email_a_day": Field("One e-mail a day"),
            "calendar_token": Secret("Calendar link"),
            "erased_at": Field("Erased (name, address and settings replaced)"),
        },
    ),
    Membership: Thing(
        "Member",
        ("person_id",),
        {
            "board_id": _board(),
            "person_id": Field("Person"),
            "role": Field("Role"),
            "archived_at": Moment(
                "Left the board",
                set_verb="taken off the board",
                cleared_verb="put back on the board",
            ),
        },
    ),
    # Named by the name the board typed, never by the account's (it may have one already).
    Invitation: Thing(
        "Invitation",
        ("name", "email"),
        {
            "board_id": _board(),
            "person_id": Field("Person", when_added=False),
            "invited_by_id": Field("Invited by"),
            "token_hash": Secret("Link"),
            "expires_at": Field("Expires"),
            "accepted_at": Field("Accepted"),
            "role": Field("Role offered"),
            "name": Field("Name"),
            "email": Field("E-mail address"),
            "cancelled_at": Moment("Cancelled", set_verb="cancelled"),
        },
    ),
    Agency: Thing(
        "Agency",
        ("name",),
        {"board_id": _board(), "name": Field("Name"), "archived_at": _archived()},
    ),
    Team: Thing(
        "Team",
        ("name",),
        {
            "board_id": _board(),
            "name": Field("Name"),
            "archived_at": _archived(),
            "contacts": Field("Contact people"),
        },
    ),
    Plan: Thing(
        "Plan",
        ("name",),
        {
            "board_id": _board(),
            "name": Field("Name"),
            "start_year": Field("First year"),
            "end_year": Field("Last year"),
            "archived_at": _archived(),
        },
    ),
    AreaOfFocus: Thing(
        "Area of focus",
        ("name",),
        {
            "plan_id": Field("Plan"),
            "position": Field("Position"),
            "name": Field("Name"),
            "archived_at": _archived(),
        },
    ),
    Outcome: Thing(
        "Outcome",
        ("number", "text"),
        {
            "area_id": Field("Area of focus", when_added=False),
            "number": Field("Number"),
            "text": Field("Outcome"),
        },
    ),
    AreaPriority: Thing(
        "Priority focus",
        ("plan_year",),
        {
            "area_id": Field("Area of focus", when_added=False),
            "plan_year": Field("Plan year", show=_plan_year),
            "text": Field("Priority focus"),
        },
    ),
    Action: Thing(
        "Action",
        ("text",),
        {
            "area_id": Field("Area of focus"),
            "plan_year": Field("Plan year", show=_plan_year),
            "position": Field("Position in its area", show=_position, when_added=False),
            "text": Field("Action"),
            "status": Field("Status"),
            "rag": Field("RAG rating", empty="No RAG"),
            "archived_at": _archived(),
            "agencies": Field("Responsible agencies"),
        },
    ),
    Measure: Thing(
        "Measure",
        ("text",),
        {
            "action_id": Field("Action", when_added=False),
            "position": Field("Position", show=_position, when_added=False),
            "text": Field("Measure"),
        },
    ),
    ActionLead: Thing(
        "Lead",
        ("person_id", "team_id"),
        {
            "action_id": Field("Action", when_added=False),
            "position": Field("Position", show=_position, when_added=False),
            "person_id": Field("Person"),
            "team_id": Field("Team", show=_team),
        },
    ),
    ReportingMonth: Thing(
        "Reporting month",
        ("month",),
        {"action_id": Field("Action", when_added=False), "month": Field("Month", show=_month)},
    ),
    Meeting: Thing(
        "Board meeting",
        ("held_on",),
        {
            "board_id": _board(),
            "held_on": Field("Date"),
            "focus_area_id": Field("Priority reviewed in depth"),
            "forward_plan_compiled_at": Field("Forward plan compiled"),
            "forward_plan_published_at": Field("Forward plan published"),
            "summary_of_other_items": Field("Summary of other items discussed", show=_plain_text),
            "recorded_at": Field("Meeting recorded"),
            "note": Field("Note for the report", show=_plain_text),
            "archived_at": _archived(),
        },
    ),
    HwbReport: Thing(
        "Report to the Health and Wellbeing Board",
        ("meeting_id",),
        {
            "meeting_id": Field("Meeting"),
            "report_date": Field("Report date"),
            "performance_summary": Field("Opening note of section 2", show=_plain_text),
            "final_at": Moment("Final", set_verb="marked final", cleared_verb="made a draft"),
            "final_by_id": Field("Marked final by"),
            "final_content": Field("The report as it went", show=_kept),
        },
    ),
    HwbNarrative: Thing(
        "Report narrative",
        ("kind",),
        {
            "report_id": Field("Report", when_added=False),
            "area_id": Field("Area of focus"),
            "kind": Field("Section"),
            "text": Field("Text", show=_plain_text),
        },
    ),
    InboundMessage: Thing(
        "E-mail reply",
        ("subject",),
        {
            "message_id": Field("Message-ID", when_added=False),
            "received_at": Field("Received"),
            "via": Field("Received by", when_added=False),
            "mail_from": Field("Envelope sender", when_added=False),
            "sender": Field("From"),
            "recipient": Field("Sent to", when_added=False),
            "subject": Field("Subject", show=_plain_text),
            "size": Field("Size (bytes)", when_added=False),
            "raw": Secret("The message as received"),
            "status": Field("Status"),
            "reason": Field("Why", show=_refusal),
            "board_id": _board(),
            "action_id": Field("Action"),
            "person_id": Field("Reply address of"),
            "sender_id": Field("Sent by"),
            "text": Field("New text", show=_plain_text),
            "attachments": Field("Attachments left off"),
            "update_id": Field("Progress update", when_added=False),
            "posted_by_id": Field("Posted by hand by"),
            "processed_at": Field("Processed", when_added=False),
            "attempts": Field("Attempts to process it", when_added=False),
        },
    ),
    ForwardPlanItem: Thing(
        "Forward plan item",
        ("text",),
        {
            "meeting_id": Field("Meeting"),
            "position": Field("Position", show=_position, when_added=False),
            "kind": Field("Why it is on"),
            "action_id": Field("Action", when_added=False),
            "text": Field("Item"),
            "removed_at": Moment(
                "Removed",
                set_verb="removed",
                cleared_verb="put back",
                # Put back at the end: its place is not news.
                companions=("removed_reason", "position"),
            ),
            "removed_reason": Field("Reason for removing it", show=_plain_text),
            "reviewed": Field("Reviewed at the meeting", empty="not recorded"),
        },
        removed="dropped from the draft",
    ),
    Indicator: Thing(
        "Indicator",
        ("number", "title"),
        {
            "board_id": _board(),
            "number": Field("Number"),
            "title": Field("Title", show=_plain_text),
            "area_id": Field("Area of focus"),
            "unit": Field("Unit"),
            "direction": Field("Which way is better"),
            "target": Field("Target", show=_measured),
            "tolerance": Field("Tolerance for Amber", show=_difference),
            "frequency": Field("Reported"),
            "owner_id": Field("Owner"),
            "archived_at": _archived(),
        },
    ),
    IndicatorReading: Thing(
        "Reading",
        ("period_start",),
        {
            "indicator_id": Field("Indicator", when_added=False),
            "period_start": Field("Period", show=_period),
            "value": Field("Value", show=_measured),
            "note": Field("Note", show=_plain_text),
            "entered_by_id": Field("Entered by"),
            "rag_override": Field("RAG set by hand", empty="the target's"),
            "rag_reason": Field("Reason for the RAG set by hand", show=_plain_text),
        },
    ),
    # Publishing (tracker.publishing): what the public pages show, and the read API's tokens.
    PublicPages: Thing(
        "Public pages",
        ("board_id",),
        {
            "board_id": _board(),
            "enabled": Field("Public pages on"),
            "plan": Field("The plan is public"),
            "indicators": Field("The performance framework is public"),
            "meetings": Field("Meetings and forward plans are public"),
            "reports": Field("Reports to the HWB are public"),
        },
    ),
    PublishedUpdate: Thing(
        "Public progress update",
        ("update_id",),
        {
            "board_id": _board(),
            "action_id": Field("Action", when_added=False),
            "update_id": Field("Update", show=_update),
            "summary": Field("Public summary", show=_plain_text),
            "approved_by_id": _approved_by(),
            "approved_at": Field("Approved", when_added=False),
            "withdrawn_at": _withdrawn(),
        },
    ),
    PublishedIndicator: Thing(
        "Public indicator",
        ("indicator_id",),
        {
            "board_id": _board(),
            "indicator_id": Field("Indicator"),
            "approved_by_id": _approved_by(),
            "approved_at": Field("Approved", when_added=False),
            "withdrawn_at": _withdrawn(),
        },
    ),
    PublishedReading: Thing(
        "Public reading",
        ("reading_id",),
        {
            "board_id": _board(),
            "indicator_id": Field("Indicator"),
            "reading_id": Field("Reading", when_added=False),
            "value": Field("Value approved", show=_measured),
            "approved_by_id": _approved_by(),
            "approved_at": Field("Approved", when_added=False),
            "withdrawn_at": _withdrawn(),
        },
    ),
    PublishedPaper: Thing(
        "Public paper",
        ("kind",),
        {
            "board_id": _board(),
            "meeting_id": Field("Meeting"),
            "kind": Field("Paper"),
            "approved_by_id": _approved_by(),
            "approved_at": Field("Approved", when_added=False),
            "withdrawn_at": _withdrawn(),
        },
    ),
    PublicName: Thing(
        "Name on public pages",
        ("person_id",),
        {"person_id": Field("Person"), "agreed_at": Field("Agreed")},
        removed="agreement withdrawn",
    ),
    ApiToken: Thing(
        "API token",
        ("name",),
        {
            "board_id": _board(),
            "name": Field("Name"),
            "token_hash": Secret("Token"),
            "created_by_id": Field("Made by"),
            "expires_at": Field("Expires"),
            "revoked_at": Moment("Revoked", set_verb="revoked", cleared_verb="restored"),
        },
    ),
}


def described_fields(model: type) -> list[str]:
    """The audited fields of ``model`` the trail shows: all but the primary key, which is
    the event's entity_id rather than a change."""
    mapper = inspect(model)
    keys = {c.key for c in mapper.primary_key}
    return [a.key for a in audited_attributes(mapper) if a.key not in keys]


class Names:
    """The rows a page's events point to, loaded once per model, and their names."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._rows: dict[type, dict[int, Any]] = defaultdict(dict)

    def load(self, wanted: Mapping[type, set[int]]) -> None:
        for model, ids in wanted.items():
            missing = ids - self._rows[model].keys()
            if missing:
                found = self.session.scalars(select(model).where(model.id.in_(missing)))
                self._rows[model].update({row.id: row for row in found})
                for row_id in missing - self._rows[model].keys():
                    self._rows[model][row_id] = None

    def row(self, model: type, row_id: Any) -> Any:
        if not isinstance(row_id, int):
            return None
        if row_id not in self._rows[model]:
            self.load({model: {row_id}})
        return self._rows[model][row_id]

    def name(self, model: type, row_id: Any) -> str:
        row = self.row(model, row_id)
        thing = THINGS.get(model)
        if row is None:
            return "no longer on record"
        if thing is None:
            return str(row)
        values = Values(self, model, {key: _plain(getattr(row, key)) for key in thing.name})
        return _name(thing, values)


_MODELS_BY_TABLE: dict[str, type] = {}


def _model_of_table(table: str) -> type | None:
    if not _MODELS_BY_TABLE:
        from tracker.extensions import Base

        _MODELS_BY_TABLE.update({m.class_.__tablename__: m.class_ for m in Base.registry.mappers})
    return _MODELS_BY_TABLE.get(table)


def _target(model: type, key: str) -> type | None:
    """The model a foreign-key field of ``model`` points to."""
    attr = inspect(model).attrs.get(key)
    if attr is None or isinstance(attr, RelationshipProperty):
        return None
    for column in attr.columns:
        for foreign_key in column.foreign_keys:
            return _model_of_table(foreign_key.column.table.name)
    return None


def _enum_label(cls: type[Enum], value: Any) -> str:
    try:
        member = cls(value)
    except ValueError:  # a value since taken out of the model
        return str(value).replace("_", " ").capitalize()
    return getattr(member, "label", str(value).replace("_", " ").capitalize())


def _by_type(model: type, key: str, value: Any, values: Values) -> str:
    """A stored value as its column's type says it reads."""
    attr = inspect(model).attrs.get(key)
    if attr is None:
        return str(value)
    if isinstance(attr, RelationshipProperty):
        return ", ".join(value)
    target = _target(model, key)
    if target is not None:
        return values.names.name(target, value)
    column_type = attr.columns[0].type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl
    if isinstance(column_type, EnumType) and column_type.enum_class is not None:
        return _enum_label(column_type.enum_class, value)
    if isinstance(column_type, DateTime):
        return london_datetime(datetime.fromisoformat(value))
    if isinstance(column_type, Date):
        return long_date(date.fromisoformat(value))
    if isinstance(column_type, Boolean):
        return "Yes" if value else "No"
    if isinstance(column_type, Float):
        return plain_number(value)
    if isinstance(column_type, Integer):
        return str(value)
    if isinstance(column_type, Text):
        return _quoted(value, values)
    return str(value)


def _is_empty(value: Any) -> bool:
    return value is None or value == []


def _field(thing: Thing, key: str) -> Field:
    # A field an old event holds and the model has since dropped reads as its words.
    return thing.fields.get(key) or Field(key.replace("_", " ").capitalize())


def _show(thing: Thing, key: str, value: Any, values: Values) -> str:
    described = _field(thing, key)
    if _is_empty(value):
        return described.empty
    if described.show is not None:
        return described.show(value, values)
    return _by_type(values.model, key, value, values)


def _name(thing: Thing, values: Values) -> str:
    # Cut before quoting, so a long action's name still ends with its closing quote.
    return " ".join(
        _show(thing, key, shorten(value, NAME_WIDTH) if isinstance(value, str) else value, values)
        for key in thing.name
        if (value := values[key])
    )


@dataclass(frozen=True)
class Entry:
    """One audit event as the trail shows it."""

    event: AuditEvent
    summary: str  # "Lead: added David Clarke"
    details: list[str] = field(default_factory=list)  # "Status: Not started → On track"

    @property
    def who(self) -> str:
        """Who made the change: nobody signed in means the scheduler or a command."""
        return self.event.actor.name if self.event.actor else "Trust Tracker"

    @property
    def sentence(self) -> str:
        """The entry on one line, for a list of changes."""
        return f"{self.summary} ({'; '.join(self.details)})" if self.details else self.summary


def _wanted(events: Iterable[AuditEvent]) -> dict[type, set[int]]:
    """The rows the events point to, to load them in one query per model."""
    wanted: dict[type, set[int]] = defaultdict(set)
    for event in events:
        model = _model_of_table(event.entity)
        if model is None:
            continue
        wanted[model].add(event.entity_id)
        for key, change in event.changes.items():
            target = _target(model, key)
            if target is not None:
                wanted[target].update(v for v in change if isinstance(v, int))
    return wanted


def _stored_values(names: Names, model: type, event: AuditEvent) -> Values:
    """The row's fields as they were at the event: what the event recorded, and for the
    rest the row as it is now (when it is still there)."""
    row = names.row(model, event.entity_id)
    values = {}
    if row is not None:
        values = {attr.key: _plain(getattr(row, attr.key)) for attr in inspect(model).column_attrs}
    side = 1 if event.verb == "created" else 0
    values.update({key: change[side] for key, change in event.changes.items()})
    return Values(names, model, values)


def _moment(thing: Thing, changes: Mapping[str, Sequence[Any]]) -> tuple[str, Moment]:
    for key in changes:
        described = _field(thing, key)
        if isinstance(described, Moment):
            return key, described
    return "", Moment("")


def _in_order(
    thing: Thing, model: type, changes: Mapping[str, Sequence[Any]]
) -> dict[str, Sequence[Any]]:
    """The changes to show, in the order the fields are described (the primary key is the
    event's own entity_id, not a change)."""
    primary = {c.key for c in inspect(model).primary_key}
    order = list(thing.fields)
    keys = sorted(
        (k for k in changes if k not in primary),
        key=lambda k: order.index(k) if k in order else len(order),
    )
    return {key: changes[key] for key in keys}


def _detail(thing: Thing, key: str, change: Sequence[Any], values: Values) -> str:
    described = _field(thing, key)
    old, new = change
    if isinstance(described, Secret):
        return f"{described.label}: changed"
    if isinstance(old, list) or isinstance(new, list):
        added = [n for n in new or [] if n not in (old or [])]
        removed = [o for o in old or [] if o not in (new or [])]
        parts = ([f"added {', '.join(added)}"] if added else []) + (
            [f"removed {', '.join(removed)}"] if removed else []
        )
        return f"{described.label}: {'; '.join(parts)}"
    shown_new = _show(thing, key, new, values)
    if _is_empty(old) and described.empty == "none":
        return f"{described.label}: {shown_new}"
    return f"{described.label}: {_show(thing, key, old, values)} → {shown_new}"


def _describe(names: Names, event: AuditEvent, implied: Collection[str]) -> Entry:
    model = _model_of_table(event.entity)
    thing = THINGS.get(model)
    if thing is None:  # a table since dropped
        return Entry(event, f"{event.entity.replace('_', ' ').capitalize()}: {event.verb}")
    values = _stored_values(names, model, event)
    name = _name(thing, values)

    def summary(verb: str) -> str:
        return f"{thing.label}: {verb} {name}".rstrip()

    shown = _in_order(thing, model, event.changes)
    if event.verb == "created":
        listed = {
            key: change
            for key, change in shown.items()
            if not _is_empty(change[1])
            and _field(thing, key).when_added
            and not isinstance(_field(thing, key), Secret)
            and key not in (*thing.name, *implied)
        }
        details = [
            f"{_field(thing, key).label}: {_show(thing, key, change[1], values)}"
            for key, change in listed.items()
        ]
        return Entry(event, summary("added"), details)
    if event.verb == "deleted":
        return Entry(event, summary(thing.removed))
    verb = "changed"
    moment_key, moment = _moment(thing, shown)
    if moment_key:
        cleared = shown[moment_key][1] is None
        verb = moment.cleared_verb if cleared else moment.set_verb
        hidden = {moment_key, *(moment.companions if cleared else ())}
        shown = {k: v for k, v in shown.items() if k not in hidden}
    details = [_detail(thing, key, change, values) for key, change in shown.items()]
    return Entry(event, summary(verb), details)


def describe_events(
    session: Session, events: Sequence[AuditEvent], implied: Collection[str] = ()
) -> list[Entry]:
    """The events as the trail shows them, in the order given. ``implied``: fields the page
    says already (a meeting's page need not say which meeting an item was added to)."""
    names = Names(session)
    names.load(_wanted(events))
    return [_describe(names, event, implied) for event in events]
