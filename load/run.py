"""``make load``: 50 Locust users for 60 s against gunicorn (4 workers) on a scratch PostgreSQL
database loaded with the demo board, all on 127.0.0.1. Fails on any error or lost update.

    python -m load.run [--users 50] [--seconds 60] [--workers 4]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

from config.settings import ROOT
from tests.conftest import POSTGRES_URL, postgres_unavailable, scratch_postgres_database
from tests.smtp_sink import free_port

BIN = Path(sys.executable).parent
DATABASE = "tracker_load"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()

    reason = postgres_unavailable()
    if reason:
        print(f"load: {reason}")
        return 1
    url = scratch_postgres_database(DATABASE)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "SMTP_"))} | {
        # Development: the demo accounts are refused on a production instance.
        "TRACKER_ENV": "development",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(options.workers),
    }
    flask = [str(BIN / "flask"), "--app", "tracker"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)  # noqa: S603
    subprocess.run([*flask, "demo", "load"], env=env, check=True, capture_output=True)  # noqa: S603
    work = Path(tempfile.mkdtemp(prefix="tracker-load-"))
    with (work / "gunicorn.log").open("wb") as log:
        gunicorn = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "-c",
                "config/gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/sign-in", timeout=5).close()  # noqa: S310  # nosec B310
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        posted_file = work / "posted.json"
        locust = subprocess.run(  # noqa: S603
            [
                str(BIN / "locust"),
                *("-f", str(ROOT / "load" / "locustfile.py"), "--headless"),
                *("--users", str(options.users), "--spawn-rate", "10"),
                *("--run-time", f"{options.seconds}s", "--stop-timeout", "10"),
                *("--host", base, "--csv", str(work / "stats"), "--only-summary"),
                "--exit-code-on-error",
                "0",
            ],
            env=env | {"LOAD_POSTED_FILE": str(posted_file)},
            cwd=ROOT,
            timeout=options.seconds + 120,
        )
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    return report(work, url, posted_file, locust.returncode)


def report(work: Path, url: str, posted_file: Path, locust_status: int) -> int:
    with (work / "stats_stats.csv").open() as file:
        rows = list(csv.DictReader(file))
    print(f"\n{'page':<22}{'requests':>10}{'failures':>10}{'median ms':>11}{'p95 ms':>9}")
    for row in rows:
        print(
            f"{row['Name']:<22}{row['Request Count']:>10}{row['Failure Count']:>10}"
            f"{row['50%']:>11}{row['95%']:>9}"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    posted = json.loads(posted_file.read_text())
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        stored = set(
            connection.scalars(
                sa.text("SELECT text FROM progress_update WHERE text LIKE 'Load test update %'")
            )
        )
    engine.dispose()
    lost = [marker for marker in posted if marker not in stored]
    print(
        f"\n{total['Request Count']} requests, {failures} failures; "
        f"{len(posted)} updates posted, {len(stored)} in the database, {len(lost)} lost"
    )
    drop = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with drop.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
    drop.dispose()
    ok = failures == 0 and not lost and locust_status == 0 and posted
    print("load: OK" if ok else "load: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
