"""The archive: one tar file, ``manifest.json`` first, then the members the manifest lists.

The manifest holds the SHA-256 of every member and a checksum of itself (over its other
fields), so a damaged or edited archive is refused before anything is restored from it.
Reading the manifest alone is cheap: ``check`` does it for the newest backup.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from tracker.backup import Refused

FORMAT = 1
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
MANIFEST = "manifest.json"
_CHUNK = 1 << 20
# Fetching again is the cure for every kind of damage.
FETCH_AGAIN = "fetch another copy of the backup (the one copied off the machine) and try again"


@dataclass(frozen=True)
class Member:
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: datetime
    tracker_version: str
    schema_revision: str
    # The engine ("postgresql" or "sqlite") and the versions of the server and tools.
    database: dict[str, str]
    tables: dict[str, int]
    files: dict[str, Member]

    @property
    def engine(self) -> str:
        return self.database["engine"]

    def body(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "created_at": self.created_at.isoformat(),
            "tracker_version": self.tracker_version,
            "schema_revision": self.schema_revision,
            "database": self.database,
            "tables": self.tables,
            "files": {name: vars(member) for name, member in self.files.items()},
        }

    def to_json(self) -> bytes:
        body = self.body()
        return json.dumps({**body, "checksum": checksum_of(body)}, indent=2).encode()

    @classmethod
    def from_json(cls, data: bytes, where: Path) -> Manifest:
        try:
            body = json.loads(data)
            checksum = body.pop("checksum")
            fmt = body["format"]
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise Refused(
                f"{where} is damaged: its manifest cannot be read ({error}); {FETCH_AGAIN}"
            ) from None
        if checksum != checksum_of(body):
            raise Refused(
                f"{where} is damaged: its manifest does not match its checksum; {FETCH_AGAIN}"
            )
        if fmt != FORMAT:
            raise Refused(
                f"{where} is in backup format {fmt}, which this version of Trust Tracker cannot "
                f"read (it reads format {FORMAT}): restore it with the version that wrote it"
            )
        try:
            manifest = cls(
                created_at=datetime.fromisoformat(body["created_at"]),
                tracker_version=body["tracker_version"],
                schema_revision=body["schema_revision"],
                database=body["database"],
                tables=body["tables"],
                files={name: Member(**member) for name, member in body["files"].items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise Refused(
                f"{where} is damaged: its manifest is incomplete ({error}); {FETCH_AGAIN}"
            ) from None
        # Names that go into SQL as they are (the restore's check of each table's rows).
        names = [*manifest.tables, *[v for k, v in manifest.database.items() if k == "schema"]]
        if not all(isinstance(n, str) and _PLAIN_NAME.fullmatch(n) for n in names) or not all(
            isinstance(rows, int) for rows in manifest.tables.values()
        ):
            raise Refused(f"{where} is damaged: its manifest names a table oddly; {FETCH_AGAIN}")
        return manifest


def checksum_of(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()


def digest(path: Path) -> Member:
    with path.open("rb") as file:
        sha = hashlib.file_digest(file, "sha256")
    return Member(size=path.stat().st_size, sha256=sha.hexdigest())


def write(output: Path, manifest: Manifest, members: dict[str, Path]) -> Manifest:
    """Write the archive to ``output`` (which must not exist), readable by its owner only.

    It is written beside ``output`` under a hidden name and renamed when complete, so a
    file with the final name is always a whole backup.
    """
    manifest = Manifest(
        **{**vars(manifest), "files": {name: digest(path) for name, path in members.items()}}
    )
    partial = output.with_name(f".{output.name}.partial")
    mtime = manifest.created_at.timestamp()
    try:
        partial.unlink(missing_ok=True)  # left by a run that was killed
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            with tarfile.open(fileobj=file, mode="w", format=tarfile.PAX_FORMAT) as tar:
                data = manifest.to_json()
                _add(tar, MANIFEST, io.BytesIO(data), len(data), mtime)
                for name, path in members.items():
                    with path.open("rb") as source:
                        _add(tar, name, source, manifest.files[name].size, mtime)
            file.flush()
            os.fsync(file.fileno())
        partial.rename(output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise Refused(f"could not write {output}: {error.strerror or error}") from None
    return manifest


def _add(tar: tarfile.TarFile, name: str, source: BinaryIO, size: int, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    tar.addfile(info, source)


def read_manifest(path: Path) -> Manifest:
    """The archive's manifest, checked against its own checksum (the members are not read)."""
    with _open(path) as tar:
        first = _next(tar, path)
        if first is None or first.name != MANIFEST or not first.isfile():
            raise Refused(
                f"{path} is not a Trust Tracker backup: it does not start with {MANIFEST}"
            )
        return Manifest.from_json(_read(tar, first, path), path)


def extract(path: Path, manifest: Manifest, into: Path) -> dict[str, Path]:
    """Every member the manifest lists, written under ``into`` and checked against its
    SHA-256; refused if any is missing, different or not listed."""
    found: dict[str, Path] = {}
    with _open(path) as tar:
        _next(tar, path)  # the manifest, already read
        while (info := _next(tar, path)) is not None:
            expected = manifest.files.get(info.name)
            if expected is None or not info.isfile() or info.name in found:
                raise Refused(
                    f"{path} is damaged: it holds {info.name}, which its manifest "
                    f"does not list; {FETCH_AGAIN}"
                )
            target = into / f"member-{len(found)}"
            if _copy_checked(tar, info, target, path) != expected:
                raise Refused(
                    f"{path} is damaged: {info.name} does not match its checksum; {FETCH_AGAIN}"
                )
            found[info.name] = target
    missing = sorted(set(manifest.files) - set(found))
    if missing:
        raise Refused(f"{path} is damaged: {', '.join(missing)} missing; {FETCH_AGAIN}")
    return found


def member_path(name: str) -> PurePosixPath | None:
    """A member's name as a relative path that stays inside its folder, or None."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:")
    except tarfile.TarError as error:
        raise Refused(
            f"{path} is not a Trust Tracker backup: it is not a whole tar archive ({error}); "
            "check it is the right file, or " + FETCH_AGAIN
        ) from None
    except OSError as error:
        raise Refused(f"could not read {path}: {error.strerror or error}") from None


def _next(tar: tarfile.TarFile, path: Path) -> tarfile.TarInfo | None:
    try:
        return tar.next()
    except (tarfile.TarError, EOFError) as error:
        raise Refused(
            f"{path} is damaged: it cannot be read to the end ({error}); {FETCH_AGAIN}"
        ) from None


def _read(tar: tarfile.TarFile, info: tarfile.TarInfo, path: Path) -> bytes:
    try:
        return tar.extractfile(info).read()
    except (tarfile.TarError, EOFError) as error:
        raise Refused(f"{path} is damaged: it ends early ({error}); {FETCH_AGAIN}") from None


def _copy_checked(tar: tarfile.TarFile, info: tarfile.TarInfo, target: Path, path: Path) -> Member:
    sha, size = hashlib.sha256(), 0
    try:
        with tar.extractfile(info) as source, target.open("wb") as copy:
            while chunk := source.read(_CHUNK):
                sha.update(chunk)
                size += len(chunk)
                copy.write(chunk)
    except (tarfile.TarError, EOFError) as error:
        raise Refused(f"{path} is damaged: it ends early ({error}); {FETCH_AGAIN}") from None
    except OSError as error:
        raise Refused(
            f"could not unpack {info.name} into {target.parent}: {error.strerror or error} "
            "(set TMPDIR to a folder with room for the backup)"
        ) from None
    return Member(size=size, sha256=sha.hexdigest())
