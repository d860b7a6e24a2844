"""Scheduled backups in the backup folder: their names, and which of them to keep.

``flask --app tracker backup`` without ``-o`` writes ``trust-tracker-20260302T023000Z.tar``
(when, in UTC) into BACKUP_DIR, then keeps the newest BACKUP_KEEP backups and the first
backup of each of the last BACKUP_KEEP_MONTHS months, and deletes the other backups it
wrote. Files of any other name in the folder are left alone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

_NAME = re.compile(r"trust-tracker-(\d{8}T\d{6}Z)\.tar")
_STAMP = "%Y%m%dT%H%M%SZ"


def name_for(moment: datetime) -> str:
    return f"trust-tracker-{moment.astimezone(UTC):{_STAMP}}.tar"


def scheduled(folder: Path) -> list[tuple[datetime, Path]]:
    """The backups this command wrote in ``folder``, newest first."""
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = _NAME.fullmatch(path.name)
        if match and path.is_file():
            found.append((datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC), path))
    return sorted(found, reverse=True)


def to_delete(backups: list[tuple[datetime, Path]], keep: int, keep_months: int) -> list[Path]:
    """Of ``backups`` (newest first), those neither among the newest ``keep`` nor the first
    of one of the newest ``keep_months`` months."""
    kept = {path for _, path in backups[: max(keep, 1)]}  # never the one just written
    first_of_month: dict[tuple[int, int], Path] = {}
    for taken, path in backups:  # newest first, so the month's first is written last
        first_of_month[(taken.year, taken.month)] = path
    kept |= {first_of_month[month] for month in sorted(first_of_month, reverse=True)[:keep_months]}
    return [path for _, path in backups if path not in kept]


def rotate(folder: Path, keep: int, keep_months: int) -> list[Path]:
    removed = to_delete(scheduled(folder), keep, keep_months)
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
