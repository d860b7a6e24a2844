"""The board's public data as files: CSV and JSON of its actions, approved updates and
approved readings, and an Atom feed of approved updates, each stating its licence (the Open
Government Licence v3.0). CSV cells go through tracker.text.for_csv, so no cell runs as a
formula in a spreadsheet program."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from sqlalchemy.orm import Session

from tracker.publishing import data, indicator_data, plan_data, serialise
from tracker.rules import periods
from tracker.text import clean, for_csv

DATASETS = ("actions", "updates", "readings")
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
ATOM = "application/atom+xml; charset=utf-8"
FEED_SIZE = 50


def _all_actions(session: Session, audience: data.Audience) -> Iterator[plan_data.ActionView]:
    for plan in plan_data.plans(session, audience):
        actions = session.scalars(plan_data.actions_select(audience, plan, {})).all()
        yield from plan_data.action_views(session, audience, actions)


def _all_updates(session: Session, audience: data.Audience) -> list[plan_data.UpdateView]:
    return plan_data.approved_updates(session, audience, limit=None)


def records(session: Session, audience: data.Audience, dataset: str) -> list[dict[str, Any]]:
    """The dataset's rows as the JSON file holds them."""
    if dataset == "actions":
        return [serialise.action(a) for a in _all_actions(session, audience)]
    if dataset == "updates":
        return [serialise.update(u) for u in _all_updates(session, audience)]
    return [serialise.indicator(i) for i in indicator_data.indicators(session, audience)]


def as_json(session: Session, audience: data.Audience, dataset: str, now: datetime) -> bytes:
    document = {
        "licence": serialise.licence(),
        "board": serialise.board(audience.board),
        "generated_at": now.isoformat(),
        dataset: records(session, audience, dataset),
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _action_rows(session: Session, audience: data.Audience):
    yield ["Action id", "Area of focus", "Plan year", "Action", "Agencies", "Leads",
           "Reporting months", "Latest update", "Status", "RAG", "Progress"]  # fmt: skip
    for a in _all_actions(session, audience):
        latest = a.latest
        yield [
            a.id, a.area, a.plan_year, a.text, "; ".join(a.agencies), "; ".join(a.leads),
            "; ".join(f"{m:%Y-%m}" for m in a.reporting_months),
            latest.at.date().isoformat() if latest else "",
            latest.status.label if latest else "",
            latest.rag.label if latest and latest.rag else "",
            latest.text if latest else "",
        ]  # fmt: skip


def _update_rows(session: Session, audience: data.Audience):
    yield ["Update id", "Action id", "Date", "Status", "RAG", "Progress", "By"]
    for u in _all_updates(session, audience):
        rag = u.rag.label if u.rag else ""
        yield [u.id, u.action_id, u.at.isoformat(), u.status.label, rag, u.text, u.author]


def _reading_rows(session: Session, audience: data.Audience):
    yield ["Indicator", "Title", "Unit", "Direction", "Target", "Period start", "Period",
           "Value", "RAG"]  # fmt: skip
    for view in indicator_data.indicators(session, audience):
        i = view.indicator
        for r in view.readings:
            yield [
                i.number, i.title, i.unit.label, i.direction.label, i.target,
                r.period_start.isoformat(), periods.label(r.period_start, i.frequency),
                r.value, r.rag.label,
            ]  # fmt: skip


_ROWS: dict[str, Callable] = {
    "actions": _action_rows,
    "updates": _update_rows,
    "readings": _reading_rows,
}


def as_csv(session: Session, audience: data.Audience, dataset: str) -> bytes:
    """The dataset as CSV, its licence in a last column of every row."""
    out = io.StringIO()
    writer = csv.writer(out)
    for number, row in enumerate(_ROWS[dataset](session, audience)):
        licence = "Licence" if number == 0 else f"{data.LICENCE} {data.LICENCE_URL}"
        writer.writerow([_cell(value) for value in [*row, licence]])
    # A byte order mark, so Excel reads the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


def _cell(value: Any) -> Any:
    return for_csv(value) if isinstance(value, str) else value


def atom(
    session: Session,
    audience: data.Audience,
    *,
    feed_url: str,
    action_url: Callable[[int], str],
    updated: datetime,
) -> bytes:
    """The latest approved updates as an Atom (RFC 4287) feed."""
    feed = Element("feed", xmlns="http://www.w3.org/2005/Atom")
    SubElement(feed, "title").text = clean(f"{audience.board.name}: progress updates")
    SubElement(feed, "id").text = feed_url
    SubElement(feed, "link", rel="self", href=feed_url)
    SubElement(feed, "updated").text = updated.isoformat()
    SubElement(feed, "rights").text = f"{data.LICENCE} {data.LICENCE_URL}"
    SubElement(SubElement(feed, "author"), "name").text = clean(audience.board.name)
    names = {a.id: a.text for a in _all_actions(session, audience)}
    for u in plan_data.approved_updates(session, audience, limit=FEED_SIZE):
        entry = SubElement(feed, "entry")
        SubElement(entry, "title").text = clean(f"Update on: {names.get(u.action_id, '')}")[:300]
        SubElement(entry, "id").text = f"{action_url(u.action_id)}#update-{u.id}"
        SubElement(entry, "link", href=action_url(u.action_id))
        SubElement(entry, "updated").text = u.at.isoformat()
        rag = f", {u.rag.label}" if u.rag else ""
        content = f"{u.status.label}{rag}. {u.text}"
        SubElement(entry, "content", type="text").text = clean(content)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(feed, encoding="utf-8")
