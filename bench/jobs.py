"""The daily jobs tick (forward plan, reminders, chasers) as the data grows.

    python -m bench.jobs [--sizes 1000 10000] [--runs 3]

For each size, generates the data into a fresh SQLite file and times two ticks of the jobs,
each ``runs`` times from a copy of the same data (a tick changes it), keeping the median run:
the first tick of the day the next meeting's forward plan is compiled (a Monday: reminders
and chasers too), and the steady tick of the next day, after it, which finds almost
everything already done. Prints one line per measurement and the growth from the smallest to
the largest size, and writes them all to bench/results/jobs.json.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench import write_results
from bench.generate import bench_day, generate
from jobs.schedule import run
from tracker import clock, create_app
from tracker.extensions import db

JOBS = ("forward_plan", "reminders", "chasers")


def tick(moment: datetime) -> dict[str, float]:
    """One daily tick of the jobs at ``moment``: each job's seconds."""
    clock.now = lambda: moment
    seconds = {}
    for job in JOBS:
        started = time.perf_counter()
        run(db.session, job, moment)
        seconds[job] = time.perf_counter() - started
    return seconds


def _median_tick(database: Path, start: Path, moment: datetime, runs: int) -> dict[str, float]:
    """The median of ``runs`` ticks at ``moment``, each from the database file ``start``."""
    ticks = []
    for _ in range(runs):
        db.engine.dispose()
        shutil.copy(start, database)
        ticks.append(tick(moment))
    db.engine.dispose()
    return sorted(ticks, key=lambda t: sum(t.values()))[len(ticks) // 2]


def bench_size(actions: int, runs: int) -> list[dict]:
    today = bench_day(date.today())
    first = datetime.combine(today, datetime.min.time(), tzinfo=UTC).replace(hour=8)
    steady = first + timedelta(days=1)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        database = folder / "bench.sqlite"
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
        results = []
        with app.app_context():
            clock.now = lambda: first
            db.create_all()
            generate(db.session, boards=10, actions=actions, today=today)
            db.session.commit()
            db.engine.dispose()
            shutil.copy(database, folder / "generated.sqlite")
            results.append(
                ("first tick", _median_tick(database, folder / "generated.sqlite", first, runs))
            )
            # The data as the first tick left it, for the next day's.
            shutil.copy(folder / "generated.sqlite", database)
            tick(first)
            db.engine.dispose()
            shutil.copy(database, folder / "after-first.sqlite")
            results.append(
                ("steady tick", _median_tick(database, folder / "after-first.sqlite", steady, runs))
            )
        return [
            {"tick": name, "actions": actions, "seconds": sum(seconds.values()), **seconds}
            for name, seconds in results
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    everything = []
    for size in args.sizes:
        for row in bench_size(size, args.runs):
            everything.append(row)
            jobs = ", ".join(f"{job} {row[job]:.2f}s" for job in JOBS)
            print(f"{row['actions']:>6} actions  {row['tick']:<12} {row['seconds']:.2f}s ({jobs})")
    if len(args.sizes) > 1:
        small, large = min(args.sizes), max(args.sizes)
        by = {(r["tick"], r["actions"]): r for r in everything}
        for name in dict.fromkeys(r["tick"] for r in everything):
            ratio = by[(name, large)]["seconds"] / by[(name, small)]["seconds"]
            everything.append({"tick": name, "growth": f"{small} -> {large}", "ratio": ratio})
            print(f"growth {small} -> {large} actions  {name:<12} {ratio:5.2f}x")
    write_results("jobs", everything)


if __name__ == "__main__":
    main()
