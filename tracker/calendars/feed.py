"""A person's calendar feed (RFC 5545): their boards' meetings, the days their updates are
due, and for a chair the mornings the forward plan and the digest go out.

Calendar programs (Outlook, Google Calendar, Apple Calendar) cannot sign in, so the feed's
address carries a secret token instead. The token is stored as it is, not hashed like an
invitation's: people need to copy the address again (a new phone, a second program), and
a hash would let them see it only once and force a reset, breaking every other
subscription. What the token opens is read-only and no more than what the database itself
holds, so someone who can read the token there can already read the dates. It is long and
random, and resetting it stops the old address at once.
"""

from __future__ import annotations

import secrets
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import chain
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event, Timezone, vDuration
from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager, selectinload

from tracker.actions.standing import led_by, standings
from tracker.formatting import long_date
from tracker.leads import stood_in_for
from tracker.links import absolute_url
from tracker.models import (
    Action,
    ActionStatus,
    Board,
    Meeting,
    Membership,
    Person,
    ReportingMonth,
    Role,
)
from tracker.rules.due import LONDON, add_months, first_of_month, london_date
from tracker.rules.timetable import DIGEST_AT, FORWARD_PLAN_AT, at, digest_day, forward_plan_day
from tracker.text import clean

# Ten years of plans would make a feed too big to poll; calendars rarely look further.
DAYS_BACK = 365
DAYS_AHEAD = 2 * 365
SUMMARY_WIDTH = 60
# How long the job e-mails take the chair to read; a timed event needs an end to show well.
CHAIR_EVENT_LENGTH = timedelta(minutes=30)
# How often calendar programs should fetch the feed again (most choose for themselves).
REFRESH = timedelta(hours=6)
PRODID = "-//Trust Tracker//Calendar feed//EN"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def person_for_token(session: Session, token: str) -> Person | None:
    """The active person whose feed ``token`` opens, or None (reset, unknown, deactivated)."""
    person = session.scalar(select(Person).where(Person.calendar_token == token))
    return person if person is not None and person.is_active else None


@dataclass(frozen=True)
class Window:
    first: date
    last: date

    @classmethod
    def around(cls, today: date) -> Window:
        return cls(today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD))

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


def feed(session: Session, person: Person, now: datetime) -> Calendar:
    """The person's calendar as it stands at ``now``, limited to the window around today."""
    today = london_date(now)
    window = Window.around(today)
    memberships = _memberships(session, person)
    boards = [m.board for m in memberships]
    name = "Trust Tracker: " + (", ".join(clean(b.name) for b in boards) or "no boards")
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "trust-tracker"
    calendar = Calendar.new(
        prodid=PRODID,
        uid=f"calendar-{person.id}@{host}",
        name=name,  # also as X-WR-CALNAME, which Outlook and Google read
        description="Board meetings and the days your updates are due.",
        # No METHOD: that is for iTIP invitations, whose PUBLISH would want an ORGANIZER on
        # every event (someone's e-mail address). So DTSTAMP is when the feed was made.
    )
    calendar.add("calscale", "GREGORIAN")
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    timed = False
    for membership in memberships:
        covering = [
            away
            for away in stood_in_for(session, person, membership.board, today)
            if away.id != person.id
        ]
        for uid, values in chain(
            _meeting_events(session, membership, window),
            _due_events(session, membership.board, person, today, window),
            *(
                _due_events(session, membership.board, away, today, window, as_deputy=True)
                for away in covering
            ),
        ):
            timed = timed or isinstance(values["start"], datetime)
            # Text stored before input was cleaned may hold control characters, which
            # RFC 5545 does not allow in a calendar's text.
            text = {k: clean(v) for k, v in values.items() if isinstance(v, str)}
            calendar.add_component(Event.new(uid=f"{uid}@{host}", stamp=now, **{**values, **text}))
    if timed:
        # Only the chair's timed events need it; all-day dates are the same everywhere.
        calendar.subcomponents.insert(0, _london_timezone(window))
    return calendar


@lru_cache(maxsize=2)
def _london_timezone(window: Window) -> Timezone:
    """Europe/London's VTIMEZONE over the window, worked out once a day, not per feed."""
    zone = Timezone.from_tzinfo(
        LONDON, first_date=window.first, last_date=window.last + timedelta(days=1)
    )
    # icalendar notes the years it covers in a COMMENT, which RFC 5545 allows only inside
    # STANDARD and DAYLIGHT; strict parsers (libical) reject it.
    zone.pop("COMMENT", None)
    return zone


def _memberships(session: Session, person: Person) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership)
            .join(Membership.board)
            .where(
                Membership.person_id == person.id,
                Membership.archived_at.is_(None),
                Board.archived_at.is_(None),
            )
            .options(contains_eager(Membership.board))
            .order_by(Board.name)
        )
    )


# An event as its uid (made unique by the feed's host) and the rest of its properties.
EventValues = tuple[str, dict]


def _all_day(day: date, uid: str, **values) -> EventValues:
    return uid, dict(start=day, end=day + timedelta(days=1), **values)


def _meeting_events(
    session: Session, membership: Membership, window: Window
) -> Iterator[EventValues]:
    board = membership.board
    meetings = session.scalars(
        select(Meeting)
        .where(
            Meeting.board_id == board.id,
            Meeting.archived_at.is_(None),
            Meeting.held_on.between(window.first, window.last),
        )
        .options(selectinload(Meeting.focus_area))
        .order_by(Meeting.held_on)
    )
    for meeting in meetings:
        link = absolute_url("meetings.show", board_slug=board.slug, meeting_id=meeting.id)
        focus = f"In-depth review: {meeting.focus_area.name}\n" if meeting.focus_area else ""
        yield _all_day(
            meeting.held_on,
            f"meeting-{meeting.id}",
            summary=f"{board.name} meeting",
            description=f"{focus}{link}",
            url=link,
        )
        if membership.role is Role.CHAIR:
            yield from _chair_events(board, meeting, link, window)


def _chair_events(
    board: Board, meeting: Meeting, link: str, window: Window
) -> Iterator[EventValues]:
    on = f"the {board.name} meeting on {meeting.held_on:%-d %B %Y}"
    for hour, day, uid, summary, description in (
        (
            FORWARD_PLAN_AT,
            forward_plan_day(meeting.held_on),
            f"forward-plan-{meeting.id}",
            "Forward plan compiled",
            f"The draft forward plan for {on} is compiled and e-mailed to you.",
        ),
        (
            DIGEST_AT,
            digest_day(meeting.held_on),
            f"digest-{meeting.id}",
            "Digest sent",
            f"Every member is e-mailed the digest for {on}.",
        ),
    ):
        if day not in window:
            continue
        start = at(day, hour)
        yield (
            uid,
            dict(
                start=start,
                end=start + CHAIR_EVENT_LENGTH,
                summary=f"{summary}: meeting on {meeting.held_on:%-d %B}",
                description=f"{description}\n{link}",
                url=link,
                transparency="TRANSPARENT",
            ),
        )


def _shortened(text: str) -> str:
    """The action's text on one line, cut at a word to fit a calendar's event title."""
    whole = " ".join(text.split())
    short = textwrap.shorten(whole, SUMMARY_WIDTH, placeholder="")
    return whole if short == whole else short.rstrip(" ,;:–-") + "…"


def _due_events(
    session: Session,
    board: Board,
    person: Person,
    today: date,
    window: Window,
    as_deputy: bool = False,
) -> Iterator[EventValues]:
    """The days ``person``'s updates are due; ``as_deputy``, those while ``person`` is away,
    for their deputy's feed (on the deputy's own boards, where the links open)."""
    # An update is due in its reporting month or a few weeks before: a month's margin each side
    # keeps the query to the window without second-guessing the due rule.
    months = (add_months(first_of_month(window.first), -1), add_months(window.last, 2))
    for standing in standings(
        session,
        board,
        today,
        where=[
            led_by(person),
            Action.status != ActionStatus.COMPLETE,
            Action.reporting_months.any(ReportingMonth.month.between(*months)),
        ],
        months_only=True,
    ):
        action = standing.action
        link = absolute_url("actions.show", board_slug=board.slug, action_id=action.id)
        for due in standing.dues:
            if due.due_on not in window or (as_deputy and due.due_on > person.away_until):
                continue
            uid = f"due-{action.id}-{due.reporting_month:%Y-%m}"
            # The same event says so once the update is in, rather than that it is still due.
            state = "received" if due.update_received else "due"
            summary, whose = f"Update {state}: ", "Your update"
            if as_deputy:
                uid += f"-for-{person.id}"
                summary = f"Update {state} for {person.name}: "
                whose = f"As deputy while they are away: {person.name}'s update"
            when = (
                f"came in on {long_date(due.received_on)}"
                if due.update_received
                else f"is due for {board.name} in {due.reporting_month:%B %Y}"
            )
            yield _all_day(
                due.due_on,
                uid,
                summary=summary + _shortened(action.text),
                description=f"{whose} on this action {when}.\n\n{action.text}\n\n{link}",
                url=link,
                transparency="TRANSPARENT",
            )
