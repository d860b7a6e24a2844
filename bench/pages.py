"""Page cost as the data grows.

    python -m bench.pages [--sizes 1000 10000] [--requests 30]

For each size, generates the data into a fresh SQLite file, then measures for each page the
SQL queries per request (must not grow with the number of actions: no N+1) and the median
and p95 latency, beside a bare Flask route that returns a constant string and a "layout only"
page (base.html around an empty content block, with the board navigation, for the same
signed-in chair: the fixed cost of the GOV.UK page chrome), measured in the same run, each page
as a ratio to both. bench.jobs measures the daily jobs.
Prints one line per measurement and writes them all to bench/results/pages.json.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime

from flask import Blueprint, Flask, render_template
from jinja2 import DictLoader
from sqlalchemy import event, select

from bench import write_results
from bench.generate import bench_day, generate
from bench.jobs import tick
from tracker import clock, create_app
from tracker.extensions import db
from tracker.models import Meeting, Membership, Person
from tracker.permissions import board_scoped


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def add_layout_route(app: Flask) -> None:
    """``/boards/<slug>/_bench/layout``: base.html around an empty content block, with the
    board's navigation, as any board page has it: the fixed cost of the page chrome."""
    app.jinja_loader.loaders.append(
        DictLoader(
            {"_bench/layout.html": '{% extends "base.html" %}{% block title %}Layout{% endblock %}'}
        )
    )
    bp = board_scoped(Blueprint("bench", __name__, url_prefix="/boards/<board_slug>"))
    bp.add_url_rule("/_bench/layout", "layout", lambda: render_template("_bench/layout.html"))
    app.register_blueprint(bp)


def measure(client, url: str, requests: int, counter: list[int]) -> dict:
    client.get(url)  # warm up
    timings, queries = [], []
    for _ in range(requests):
        counter[0] = 0
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        queries.append(counter[0])
        assert response.status_code == 200, (url, response.status_code)
    return {
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": _percentile(timings, 0.95) * 1000,
        "queries": max(queries),
    }


def bench_size(actions: int, requests: int) -> list[dict]:
    today = bench_day(date.today())
    moment = datetime.combine(today, datetime.min.time(), tzinfo=UTC).replace(hour=8)
    # The pages and the jobs see the day the data was made for.
    clock.now = lambda: moment
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
        app.add_url_rule("/_bench/bare", "bench_bare", lambda: "ok")
        add_layout_route(app)
        with app.app_context():
            db.create_all()
            ids = generate(db.session, boards=10, actions=actions, today=today)
            # First the jobs (bench.jobs times them), so the pages are read as on a Monday
            # morning after them, with the next meeting's forward plan compiled.
            tick(moment)
            results = []
            board = ids["boards"][0]
            meeting = db.session.scalar(
                select(Meeting.id).where(Meeting.board_id == board["id"], Meeting.held_on > today)
            )
            # The lead's data, as the secretariat downloads it for a subject access request.
            lead_membership = db.session.scalar(
                select(Membership.id).where(
                    Membership.board_id == board["id"], Membership.person_id == board["lead"]
                )
            )
            for role in ("chair", "lead"):
                db.session.get(Person, board[role]).calendar_token = f"bench-{role}"
            db.session.commit()
            counter = [0]
            event.listen(
                db.engine,
                "before_cursor_execute",
                lambda *args: counter.__setitem__(0, counter[0] + 1),
            )
        slug = board["slug"]
        pages = {
            "bare route": ("chair", "/_bench/bare"),
            "layout only": ("chair", f"/boards/{slug}/_bench/layout"),
            "plan": ("chair", f"/boards/{slug}/"),
            "action": ("chair", f"/boards/{slug}/actions/{board['action']}"),
            "my actions": ("lead", f"/boards/{slug}/my-actions"),
            "overdue and red": ("chair", f"/boards/{slug}/overdue"),
            "meetings": ("chair", f"/boards/{slug}/meetings/"),
            "meeting": ("chair", f"/boards/{slug}/meetings/{meeting}"),
            "chair's calendar": ("chair", "/calendar/bench-chair.ics"),
            "lead's calendar": ("lead", "/calendar/bench-lead.ics"),
            "a person's data": ("admin", f"/boards/{slug}/admin/people/{lead_membership}/data"),
            "their data (JSON)": (
                "admin",
                f"/boards/{slug}/admin/people/{lead_membership}/data.json",
            ),
        }
        clients = {}
        for who in ("admin", "chair", "lead"):
            clients[who] = app.test_client()
            with clients[who].session_transaction() as session:
                session["_user_id"] = f"bench-token-{board[who]}"
        measured = {
            name: measure(clients[who], path, requests, counter)
            for name, (who, path) in pages.items()
        }
        bare, layout = measured["bare route"], measured["layout only"]
        for name, figures in measured.items():
            figures.update(
                page=name,
                actions=actions,
                p95_ratio=figures["p95_ms"] / bare["p95_ms"],
                p95_layout_ratio=figures["p95_ms"] / layout["p95_ms"],
            )
            results.append(figures)
        with app.app_context():
            db.engine.dispose()
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    everything = []
    for size in args.sizes:
        for row in bench_size(size, args.requests):
            everything.append(row)
            print(
                f"{row['actions']:>6} actions  {row['page']:<16} queries {row['queries']:>3}  "
                f"median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
                f"p95 / bare {row['p95_ratio']:6.1f}x  / layout {row['p95_layout_ratio']:5.1f}x"
            )
    if len(args.sizes) > 1:
        small, large = min(args.sizes), max(args.sizes)
        by = {(r["page"], r["actions"]): r for r in everything}
        for page in dict.fromkeys(r["page"] for r in everything):
            a, b = by[(page, small)], by[(page, large)]
            ratio = b["p95_ms"] / a["p95_ms"]
            print(f"growth {small} -> {large} actions  {page:<16} {ratio:5.2f}x")
    write_results("pages", everything)


if __name__ == "__main__":
    main()
