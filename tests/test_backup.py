"""``flask --app tracker backup`` and ``restore``: a backup restores every row and the
instance files, and every archive or database that must not be restored is refused with a
message, changing nothing. On SQLite and PostgreSQL.

(A backup taken while a writer keeps posting is in tests/test_backup_live.py.)
"""

from __future__ import annotations

import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from jobs.schedule import run
from tests import factories, quarter
from tests.backup_helpers import Databases, app_for, databases_of, flask, rewrite, rows
from tests.conftest import postgres_unavailable
from tracker import schema
from tracker.actions.updates import post_update
from tracker.backup.archive import checksum_of
from tracker.backup.rotation import name_for, to_delete
from tracker.extensions import db
from tracker.models import ActionStatus, ProgressUpdate, Rag


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path) -> Databases:
    return databases_of(request.param, tmp_path)


@pytest.fixture
def instance(tmp_path) -> Path:
    """An instance folder with a file that matters and a pending import that does not."""
    folder = tmp_path / "instance"
    (folder / "reports").mkdir(parents=True)
    (folder / "reports" / "hwb-2021-09.docx").write_bytes(b"the report as sent")
    (folder / "imports").mkdir()
    (folder / "imports" / "pending-token").write_bytes(b"an upload waiting to be confirmed")
    return folder


def backed_up(databases, instance: Path, folder: Path) -> tuple[str, str, Path]:
    """A filled database, its backup, and an empty database to restore it into."""
    source, target = databases.new("source"), databases.new("target")
    fill(source, instance)
    backup = folder / "tracker.tar"
    assert flask(source, instance, "backup", "-o", str(backup)).exit_code == 0
    return source, target, backup


def fill(url: str, instance: Path, revision: str = "head") -> None:
    """A board with its plan, a meeting, an update (and its audit trail) and reminders."""
    app = app_for(url, instance)
    with app.app_context():
        upgrade(revision=revision)
        if revision == "head":
            built = quarter.build(db.session)
            post_update(
                db.session,
                action=built["late"],
                author=built["lead"],
                status=ActionStatus.AT_RISK,
                rag=Rag.AMBER,
                text="Café opening delayed — see note\tbelow",
                seen_version=built["late"].version,
            )
            db.session.commit()
            run(db.session, "reminders", datetime(2021, 8, 10, 7, tzinfo=UTC))
        db.session.remove()
        db.engine.dispose()


def test_a_backup_restores_every_row_and_the_instance_files_that_matter(
    databases, instance, tmp_path
):
    source, target = databases.new("source"), databases.new("target")
    fill(source, instance)
    backup = tmp_path / "tracker.tar"

    taken = flask(source, instance, "backup", "-o", str(backup))
    assert taken.exit_code == 0, taken.output
    assert f"at schema {head()}" in taken.output and "1 instance file" in taken.output
    with tarfile.open(backup) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json" and "instance/reports/hwb-2021-09.docx" in names
    assert not any("imports" in name for name in names)
    assert backup.stat().st_mode & 0o077 == 0, "readable by its owner only"

    restored_instance = tmp_path / "restored-instance"
    restored = flask(target, restored_instance, "restore", str(backup))
    assert restored.exit_code == 0, restored.output
    assert (
        "which was empty" in restored.output and "Already at the newest schema" in restored.output
    )

    before = rows(source)
    assert before == rows(target)
    assert all(before[t] for t in ("progress_update", "outbox_message", "audit_event", "meeting"))
    report = restored_instance / "reports" / "hwb-2021-09.docx"
    assert report.read_bytes() == b"the report as sent"
    assert not (restored_instance / "imports").exists()

    # The restored database carries on where the old one stopped (its ids included).
    app = app_for(target, restored_instance)
    with app.app_context():
        update = db.session.scalars(sa.select(ProgressUpdate)).one()
        again = post_update(
            db.session,
            action=update.action,
            author=update.author,
            status=ActionStatus.ON_TRACK,
            rag=Rag.GREEN,
            text="After the restore",
            seen_version=update.action.version,
        )
        db.session.commit()
        assert again.id == update.id + 1
        db.session.remove()
        db.engine.dispose()


def test_a_backup_at_an_older_revision_is_migrated_to_the_newest(databases, instance, tmp_path):
    source, target = databases.new("source"), databases.new("target")
    fill(source, instance, revision="0010")
    backup = tmp_path / "old.tar"
    assert flask(source, instance, "backup", "-o", str(backup)).exit_code == 0

    restored = flask(target, tmp_path / "elsewhere", "restore", str(backup))
    assert restored.exit_code == 0, restored.output
    assert f"Migrated from 0010 to {head()}." in restored.output
    checked = flask(target, instance, "check")
    assert f"migrated to {head()}" in checked.output


def head() -> str:
    app = app_for("sqlite://", Path("instance"))
    with app.app_context():
        return schema.head(schema.scripts(app))


def _truncated(backup: Path, out: Path) -> Path:
    out.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    return out


def _not_a_backup(backup: Path, out: Path) -> Path:
    out.write_text("minutes of the last meeting\n")
    return out


def _member_changed(backup: Path, out: Path) -> Path:
    def change(name: str, data: bytes) -> bytes:
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]

    return rewrite(backup, out, member=change)


def _manifest_edited(backup: Path, out: Path) -> Path:
    return rewrite(
        backup, out, manifest=lambda body: body | {"tables": body["tables"] | {"board": 5}}
    )


def _counts_sealed_wrong(backup: Path, out: Path) -> Path:
    """A manifest claiming a row too many, with its checksum made to match: the load itself
    must find it out, and take nothing in."""

    def more_boards(body: dict) -> dict:
        body = body | {"tables": body["tables"] | {"board": body["tables"]["board"] + 1}}
        del body["checksum"]
        return body | {"checksum": checksum_of(body)}

    return rewrite(backup, out, manifest=more_boards)


DAMAGE = {
    _truncated: "is damaged: ",
    _not_a_backup: "is not a Trust Tracker backup: it is not a whole tar archive",
    _member_changed: "does not match its checksum",
    _manifest_edited: "is damaged: its manifest does not match its checksum",
    _counts_sealed_wrong: "counted",
}


def test_archives_that_cannot_be_restored_are_refused_and_nothing_changes(
    databases, instance, tmp_path
):
    source, target, backup = backed_up(databases, instance, tmp_path)
    bad = {
        damage(backup, tmp_path / f"{damage.__name__}.tar"): said for damage, said in DAMAGE.items()
    }
    # A real backup of a database that a newer version has migrated to 0099.
    engine = sa.create_engine(source, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    newer = tmp_path / "newer.tar"
    assert flask(source, instance, "backup", "-o", str(newer)).exit_code == 0
    bad[newer] = "was taken at schema revision 0099, which this version of Trust Tracker"
    app = app_for(target, instance)
    with app.app_context():
        upgrade(revision="0005")  # an empty database, at a revision it must not leave
        db.engine.dispose()
    before = rows(target)

    for archive, said in bad.items():
        result = flask(target, tmp_path / "restored", "restore", str(archive), "--replace")
        assert result.exit_code == 1, archive
        assert said in result.output, result.output
        assert result.output.rstrip().endswith("Nothing was changed.")
        assert "Traceback" not in result.output
        assert rows(target) == before
        assert not (tmp_path / "restored").exists()


def test_a_database_or_instance_file_holding_something_else_is_kept_unless_replace_is_given(
    databases, instance, tmp_path
):
    source, target, backup = backed_up(databases, instance, tmp_path)

    report = instance / "reports" / "hwb-2021-09.docx"
    report.write_bytes(b"edited since")
    refused = flask(target, instance, "restore", str(backup))
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "1 file(s) in " in refused.output and "instance/reports/hwb-2021-09.docx" in (
        refused.output
    )
    assert report.read_bytes() == b"edited since" and rows(target) == {}
    report.unlink()

    app = app_for(target, instance)
    with app.app_context():
        upgrade()
        factories.board("Another board")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    before = rows(target)
    refused = flask(target, instance, "restore", str(backup))
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "is not empty: it holds 1 audit_event, 1 board (2 tables, 2 rows)" in refused.output
    assert "run again with --replace" in refused.output and "Nothing was changed." in refused.output
    assert rows(target) == before

    dry = flask(target, instance, "restore", str(backup), "--replace", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "replacing 1 audit_event, 1 board" in dry.output
    assert "Dry run: every member matches its checksum" in dry.output
    assert not report.exists() and rows(target) == before

    replaced = flask(target, instance, "restore", str(backup), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "replacing 1 audit_event, 1 board" in replaced.output
    assert rows(target) == rows(source)
    assert report.read_bytes() == b"the report as sent"


def test_a_backup_restores_into_its_own_kind_of_database_only(instance, tmp_path):
    if reason := postgres_unavailable():
        pytest.skip(reason)
    source = f"sqlite:///{tmp_path / 'source.sqlite'}"
    fill(source, instance)
    backup = tmp_path / "tracker.tar"
    assert flask(source, instance, "backup", "-o", str(backup)).exit_code == 0
    refused = flask(
        databases_of("postgresql", tmp_path).new("target"), instance, "restore", str(backup)
    )
    assert refused.exit_code == 1
    assert "is a backup of a SQLite database and DATABASE_URL names a PostgreSQL one" in (
        refused.output
    )


def test_backup_refuses_what_it_cannot_do(databases, instance, tmp_path):
    url = databases.new("source")
    never_migrated = flask(url, instance, "backup", "-o", str(tmp_path / "a.tar"))
    if url.startswith("sqlite"):
        assert "there is no database file at" in never_migrated.output
    else:
        assert "has no Trust Tracker schema (it was never migrated)" in never_migrated.output
    fill(url, instance)
    nowhere = flask(url, instance, "backup")
    assert "say where to write the backup: -o FILE, or set BACKUP_DIR" in nowhere.output
    (tmp_path / "taken.tar").write_text("yesterday's")
    exists = flask(url, instance, "backup", "-o", str(tmp_path / "taken.tar"))
    assert "taken.tar already exists" in exists.output
    for result in (never_migrated, nowhere, exists):
        assert result.exit_code == 1 and "(no backup was written)" in result.output
        assert "Traceback" not in result.output
    assert [p.name for p in tmp_path.glob("*.tar*")] == ["taken.tar"]
    assert not list(tmp_path.glob(".*")), "no work files left behind"


def test_scheduled_backups_go_to_backup_dir_and_old_ones_are_rotated(instance, tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    fill(url, instance)
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [datetime(2025, 12, 31, 2, tzinfo=UTC) - timedelta(days=n) for n in range(40)]
    for moment in old:
        (folder / name_for(moment)).write_bytes(b"")
    (folder / "before-the-upgrade.tar").write_bytes(b"kept: not one of the scheduled names")

    taken = flask(
        url, instance, "backup", BACKUP_DIR=str(folder), BACKUP_KEEP=3, BACKUP_KEEP_MONTHS=2
    )
    assert taken.exit_code == 0, taken.output
    written = {p.name for p in folder.iterdir()} - {name_for(moment) for moment in old}
    assert len(written) == 2 and "before-the-upgrade.tar" in written
    assert {p.name for p in folder.iterdir()} == written | {
        name_for(old[0]),
        name_for(old[1]),
        # The first of December 2025: November's is the third month back.
        name_for(datetime(2025, 12, 1, 2, tzinfo=UTC)),
    }
    assert taken.output.count("Removed an older backup: ") == 40 - 3


def test_rotation_keeps_the_newest_and_the_first_of_each_month():
    backups = sorted(
        ((datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n), Path(f"{n}")) for n in range(90)),
        reverse=True,
    )
    removed = to_delete(backups, keep=7, keep_months=2)
    kept = {path.name for _, path in backups} - {path.name for path in removed}
    newest_week = {str(n) for n in range(83, 90)}
    firsts = {"31", "59"}  # 1 February and 1 March; January is the third month back
    assert kept == newest_week | firsts
    assert to_delete(backups, keep=0, keep_months=0) == [p for _, p in backups[1:]]
