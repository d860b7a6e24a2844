from sqlalchemy import select

from tracker.models import Board, Membership, OutboxMessage, Role


def test_boards_create_invites_the_first_admin(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "boards",
            "create",
            "Cherwell Children's Partnership",
            "--admin-email",
            "Clerk@Example.org",
            "--admin-name",
            "Clerk",
        ]
    )
    assert result.exit_code == 0, result.output
    board = session.scalars(select(Board)).one()
    assert board.slug == "cherwell-children-s-partnership"
    assert session.scalars(select(Membership)).one().role is Role.ADMIN
    assert session.scalars(select(OutboxMessage.recipient)).one() == "clerk@example.org"


def test_boards_create_refuses_bad_input_without_a_traceback(app, session):
    runner = app.test_cli_runner()
    runner.invoke(
        args=["boards", "create", "A board", "--admin-email", "a@example.org", "--admin-name", "A"]
    )
    again = runner.invoke(
        args=["boards", "create", "A board", "--admin-email", "b@example.org", "--admin-name", "B"]
    )
    assert again.exit_code == 2 and "already exists" in again.output
    bad = runner.invoke(
        args=["boards", "create", "B board", "--admin-email", "nope", "--admin-name", "B"]
    )
    assert bad.exit_code == 2 and "'nope' is not an e-mail address" in bad.output
    assert "Traceback" not in again.output + bad.output


def test_demo_load_command(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load", "--today", "2026-11-24"])
    assert result.exit_code == 0, result.output
    assert "steve.harrod@example.org" in result.output
    bad = runner.invoke(args=["demo", "load", "--today", "someday"])
    assert bad.exit_code == 2


def test_demo_load_refuses_a_production_instance(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 2 and "not with TRACKER_ENV=production" in result.output
    assert session.scalars(select(Board)).all() == []


def test_every_area_registers_its_commands_in_one_place(app):
    from tracker.cli import COMMANDS

    assert {c.name for c in COMMANDS} <= set(app.cli.list_commands(app.app_context()))
    assert {c.name for c in COMMANDS} >= {
        "backup",
        "restore",
        "demo",
        "boards",
        "jobs",
        "outbox",
        "scheduler",
        "plan",
        "report",
        "check",
        "mail",
    }
