"""ETag, Last-Modified and Cache-Control for everything public, and 304 when unchanged.

Every change to what a public page can show is audited (the publishing decisions, the plan,
readings, names and agreements to be named), so the board's newest audit event, with those
of the people who agreed to be named (which belong to no board), marks its public data's
version. The ETag is that
event's id with the day (a page may say "today") and the code's version; a request whose
If-None-Match or If-Modified-Since still matches is answered 304 before anything is read
or rendered. Browsers and proxies may keep the answers but must ask again each time
(``no-cache``), so a withdrawal shows at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

from flask import Response, request
from sqlalchemy import and_, select, true, union_all
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Board, Person
from tracker.models.publishing import PublicName
from tracker.rules.due import london_date

CACHE_CONTROL = "public, no-cache"
CODE_VERSION = version("trust-tracker")
# Before anything was ever audited (a board loaded straight into the database).
BEGINNING = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Version:
    etag: str
    last_modified: datetime


def board_version(session: Session, board: Board, now: datetime) -> Version:
    # Of the changes that belong to no board, only agreements to be named and the people
    # who agreed can change a public page: a sign-in (a change to the person) of anyone
    # else leaves every board's version as it was. Each kind is looked up on its own, so
    # that each reads an index (board_id and id; entity and entity_id) from its newest
    # row: as one query with OR, PostgreSQL reads the whole trail back to a quiet board's
    # last change.
    no_board = AuditEvent.board_id.is_(None)
    return _version(
        session,
        [
            AuditEvent.board_id == board.id,
            and_(no_board, AuditEvent.entity == PublicName.__tablename__),
            and_(
                no_board,
                AuditEvent.entity == Person.__tablename__,
                AuditEvent.entity_id.in_(select(PublicName.person_id)),
            ),
        ],
        board.id,
        now,
    )


def site_version(session: Session, now: datetime) -> Version:
    """For what spans boards (the list of boards with public data): any change anywhere."""
    return _version(session, [true()], "all", now)


def _version(session: Session, kinds: list[Any], scope: object, now: datetime) -> Version:
    """The newest audit event of any of ``kinds`` (conditions on AuditEvent)."""
    newest = union_all(
        *(
            select(each.c.id, each.c.at)
            for each in (
                select(AuditEvent.id, AuditEvent.at)
                .where(kind)
                .order_by(AuditEvent.id.desc())
                .limit(1)
                .subquery()
                for kind in kinds
            )
        )
    ).subquery()
    found = session.execute(
        select(newest.c.id, newest.c.at).order_by(newest.c.id.desc()).limit(1)
    ).first()
    event_id, at = found if found else (0, BEGINNING)
    key = f"{scope}:{event_id}:{london_date(now)}:{CODE_VERSION}"
    return Version(hashlib.sha256(key.encode()).hexdigest()[:32], at.replace(microsecond=0))


def not_modified(version: Version) -> Response | None:
    """A 304 when the caller already has this version, else None."""
    response = Response(status=304)
    _stamp(response, version)
    if request.if_none_match:
        return response if request.if_none_match.contains(version.etag) else None
    since = request.if_modified_since
    if since is not None and version.last_modified <= since:
        return response
    return None


def stamped(response: Response, version: Version) -> Response:
    _stamp(response, version)
    return response


def _stamp(response: Response, version: Version) -> None:
    response.set_etag(version.etag)
    response.last_modified = version.last_modified
    response.headers["Cache-Control"] = CACHE_CONTROL
