"""The instance folder's files in a backup.

Every file under the instance folder is kept but three kinds: pending imports (uploads
waiting at most a day for the secretariat's confirmation, ``imports/``), SQLite database
files (a database is taken through its own snapshot, never copied while it is written) and
the backups themselves, when the backup folder is inside it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from tracker.backup.archive import Member, digest, member_path

PREFIX = "instance/"
PENDING_IMPORTS = "imports"
DATABASE_SUFFIXES = (".sqlite", ".sqlite-wal", ".sqlite-shm", ".sqlite-journal")


def kept(instance: Path, leave_out: Iterable[Path]) -> dict[str, Path]:
    """Member name ("instance/...") → file, for each file of the instance folder that matters.

    ``leave_out``: the database's own files and the backup folder, wherever they are named.
    """
    leave_out = [path.resolve() for path in leave_out]
    found: dict[str, Path] = {}
    if not instance.is_dir():
        return found
    for path in sorted(instance.rglob("*")):
        relative = path.relative_to(instance)
        if (
            path.is_symlink()
            or not path.is_file()
            or relative.parts[0] == PENDING_IMPORTS
            or path.name.endswith(DATABASE_SUFFIXES)
            or any(path.resolve().is_relative_to(other) for other in leave_out)
        ):
            continue
        found[PREFIX + relative.as_posix()] = path
    return found


def destination(name: str, instance: Path) -> Path | None:
    """Where an archive member of the instance folder goes, or None if it is not one."""
    relative = member_path(name.removeprefix(PREFIX)) if name.startswith(PREFIX) else None
    return instance.joinpath(*relative.parts) if relative else None


def differing(expected: dict[str, Member], instance: Path) -> list[str]:
    """The members that would overwrite a file holding something else."""
    return [
        name
        for name, member in expected.items()
        if (target := destination(name, instance)) is not None
        and target.exists()
        and digest(target) != member
    ]


def put(extracted: dict[str, Path], instance: Path) -> list[Path]:
    """Put each extracted member in its place (each file whole or not at all)."""
    written = []
    for name, source in extracted.items():
        target = destination(name, instance)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(source, partial)
        os.chmod(partial, 0o600)
        partial.replace(target)
        written.append(target)
    return written
