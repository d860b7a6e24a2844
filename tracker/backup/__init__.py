"""Backups that restore: ``flask --app tracker backup`` and ``flask --app tracker restore``.

A backup is one tar archive: a manifest (``manifest.json``: schema revision, rows per table,
when, which version of the tracker, a checksum of every member and of itself), the
database as its own tools snapshot it while the app runs (``pg_dump`` in its custom format
for PostgreSQL, the online backup API for SQLite), and the files of the instance folder
that matter.

- ``archive``: writing and reading the archive and its manifest;
- ``postgres`` and ``sqlite``: taking and loading the database's snapshot;
- ``files``: which instance files are kept, and putting them back;
- ``rotation``: the names of scheduled backups, and which of them to keep;
- ``take`` and ``restore``: the two operations, ``commands`` their CLI.
"""

from __future__ import annotations


class Refused(Exception):
    """A backup or restore that cannot be done. The message says what, why and what to do;
    nothing has been changed."""
