"""Public pages served from the cache against a signed-in page, in the same run.

    python -m bench.public [--actions 10000] [--requests 200]

Generates the data (bench.generate) into a fresh SQLite file, makes one board's plan,
indicators and meetings public with the latest update of every action approved, then times
the signed-in plan page (the baseline), the same plan's public page rendered afresh, and
public pages, files and API answers revalidated with their ETag (answered 304). Prints each
median and p95 and its rate as a multiple of the signed-in page's; writes
bench/results/public.json.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime

from sqlalchemy import func, insert, select

from bench import write_results
from bench.generate import bench_day, generate
from bench.pages import _percentile
from tracker import clock, create_app
from tracker.extensions import db
from tracker.models import Action, AreaOfFocus, Board, Indicator, Plan, ProgressUpdate
from tracker.models.publishing import PublishedIndicator, PublishedUpdate
from tracker.publishing import approvals


def publish_everything(session, board_id: int, now: datetime) -> int:
    """Turn on the board's public pages and approve the latest update of each action; the
    id of its plan."""
    board = session.get(Board, board_id)
    pages = approvals.public_pages(session, board)
    pages.enabled = pages.plan = pages.indicators = pages.meetings = pages.reports = True
    latest = (
        select(func.max(ProgressUpdate.id), ProgressUpdate.action_id)
        .join(Action, Action.id == ProgressUpdate.action_id)
        .join(AreaOfFocus, AreaOfFocus.id == Action.area_id)
        .join(Plan, Plan.id == AreaOfFocus.plan_id)
        .where(Plan.board_id == board_id)
        .group_by(ProgressUpdate.action_id)
    )
    rows = [
        {"board_id": board_id, "action_id": action, "update_id": update, "approved_at": now}
        for update, action in session.execute(latest)
    ]
    # Straight in, as bench.generate writes its data: thousands of rows, not a benchmark.
    session.execute(insert(PublishedUpdate), rows)
    indicators = session.scalars(select(Indicator.id).where(Indicator.board_id == board_id))
    session.execute(
        insert(PublishedIndicator),
        [{"board_id": board_id, "indicator_id": i, "approved_at": now} for i in indicators],
    )
    session.commit()
    return session.scalar(select(Plan.id).where(Plan.board_id == board_id).limit(1))


def timed(client, url: str, requests: int, status: int, headers: dict | None = None) -> dict:
    client.get(url, headers=headers or {})  # warm up
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, headers=headers or {})
        timings.append(time.perf_counter() - started)
        assert response.status_code == status, (url, response.status_code)
    return {
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": _percentile(timings, 0.95) * 1000,
    }


def run(actions: int, requests: int) -> list[dict]:
    today = bench_day(date.today())
    moment = datetime.combine(today, datetime.min.time(), tzinfo=UTC).replace(hour=8)
    clock.now = lambda: moment
    with tempfile.TemporaryDirectory() as folder:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/b.sqlite"})
        with app.app_context():
            db.create_all()
            ids = generate(db.session, boards=10, actions=actions, today=today)
            board = ids["boards"][0]
            plan_id = publish_everything(db.session, board["id"], moment)
        slug = board["slug"]
        signed_in = app.test_client()
        with signed_in.session_transaction() as session:
            session["_user_id"] = f"bench-token-{board['chair']}"
        anyone = app.test_client()
        public = {
            "public plan, rendered": f"/public/{slug}/plans/{plan_id}",
            "public plan, 304": f"/public/{slug}/plans/{plan_id}",
            "public action, 304": f"/public/{slug}/actions/{board['action']}",
            "open data CSV, 304": f"/public/{slug}/data/actions.csv",
            "Atom feed, 304": f"/public/{slug}/updates.atom",
            "API actions, 304": f"/api/v1/boards/{slug}/plans/{plan_id}/actions",
        }
        results = {"signed-in plan (baseline)": timed(signed_in, f"/boards/{slug}/", requests, 200)}
        for name, url in public.items():
            if name.endswith("rendered"):
                results[name] = timed(anyone, url, requests, 200)
                continue
            etag = anyone.get(url).headers["ETag"]
            results[name] = timed(anyone, url, requests, 304, {"If-None-Match": etag})
        with app.app_context():
            db.engine.dispose()
    baseline = results["signed-in plan (baseline)"]["median_ms"]
    return [
        {"page": name, "actions": actions, **figures, "rate_ratio": baseline / figures["median_ms"]}
        for name, figures in results.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    rows = run(args.actions, args.requests)
    for row in rows:
        print(
            f"{row['actions']:>6} actions  {row['page']:<26} median {row['median_ms']:7.2f} ms  "
            f"p95 {row['p95_ms']:7.2f} ms  rate {row['rate_ratio']:6.1f}x the signed-in page's"
        )
    write_results("public", rows)


if __name__ == "__main__":
    main()
