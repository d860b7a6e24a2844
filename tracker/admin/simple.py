"""Agencies, teams, plans and meetings: sections with a few plain fields each."""

from __future__ import annotations

from flask import g

from tracker import examples
from tracker.admin.forms import AgencyForm, MeetingForm, PlanForm, TeamForm
from tracker.admin.sections import Section, area_choices, on_this_board, refuse_if_taken
from tracker.examples import Hint
from tracker.extensions import db
from tracker.forms import choices
from tracker.members import members
from tracker.models import Agency, Meeting, Person, Plan, Team


def _members() -> list[Person]:
    return list(db.session.scalars(members(g.board.id)))


def _save_name(form, obj) -> None:
    obj.board_id = g.board.id
    obj.name = form.name.data


def _save_team(form, team: Team) -> None:
    _save_name(form, team)
    members = {p.id: p for p in _members()}
    team.contacts = [members[i] for i in form.contacts.data]


def _prepare_team(form, team) -> None:
    form.contacts.choices = choices((p.id, f"{p.name} ({p.email})") for p in _members())


def _load_team(form, team: Team) -> None:
    form.name.data = team.name
    form.contacts.data = [p.id for p in team.contacts]


def _save_plan(form, plan: Plan) -> None:
    plan.board_id = g.board.id
    plan.name = form.name.data
    plan.start_year, plan.end_year = form.start_year.data, form.end_year.data


def _save_meeting(form, meeting: Meeting) -> None:
    meeting.board_id = g.board.id
    meeting.held_on = form.held_on.data
    meeting.focus_area_id = form.focus_area.data
    meeting.note = form.note.data or None
    refuse_if_taken(
        meeting,
        Meeting.board_id == g.board.id,
        Meeting.held_on == meeting.held_on,
        message="The board already has a meeting on this date",
        field="held_on",
    )


def _prepare_meeting(form, meeting) -> None:
    form.focus_area.choices = area_choices("Not chosen yet")


def _unique_name(model, what: str, save_fields):
    """``save_fields``, after checking the name is not taken on this board."""

    def save(form, obj) -> None:
        refuse_if_taken(
            obj,
            model.board_id == g.board.id,
            model.name == form.name.data,
            message=f"There is already {what} called '{form.name.data}'",
            field="name",
        )
        save_fields(form, obj)

    return save


SECTIONS = [
    Section(
        name="agencies",
        singular="agency",
        plural="Agencies",
        model=Agency,
        form=AgencyForm,
        query=lambda: on_this_board(Agency).order_by(Agency.name),
        save=_unique_name(Agency, "an agency", _save_name),
        columns=[("Name", lambda a: a.name)],
        hint="Organisations responsible for actions, such as 'Thames Valley Police'.",
    ),
    Section(
        name="teams",
        singular="team",
        plural="Teams",
        model=Team,
        form=TeamForm,
        query=lambda: on_this_board(Team).order_by(Team.name),
        save=_unique_name(Team, "a team", _save_team),
        prepare=_prepare_team,
        load=_load_team,
        columns=[
            ("Name", lambda t: t.name),
            ("Contact people", lambda t: ", ".join(p.name for p in t.contacts) or "None yet"),
        ],
        hint="Teams or services that lead actions, such as 'SEND (OCC)'. Their contact "
        "people get the reminders.",
    ),
    Section(
        name="plans",
        singular="plan",
        plural="Plans",
        model=Plan,
        form=PlanForm,
        query=lambda: on_this_board(Plan).order_by(Plan.start_year.desc(), Plan.name),
        save=_unique_name(Plan, "a plan", _save_plan),
        columns=[
            ("Name", lambda p: p.name),
            ("Years", lambda p: f"{p.start_year} to {p.end_year}"),
        ],
        hint=Hint(
            lambda today: (
                f"Children and Young People's Plans, such as '{examples.plan_name(today)}'."
            )
        ),
    ),
    Section(
        name="meetings",
        singular="meeting",
        plural="Meetings",
        model=Meeting,
        form=MeetingForm,
        query=lambda: on_this_board(Meeting).order_by(Meeting.held_on.desc()),
        save=_save_meeting,
        prepare=_prepare_meeting,
        columns=[
            ("Date", lambda m: f"{m.held_on:%-d %B %Y}"),
            ("Priority reviewed in depth", lambda m: m.focus_area.name if m.focus_area else "–"),
            ("Note", lambda m: m.note or ""),
        ],
        title=lambda m: f"{m.held_on:%-d %B %Y}",
        hint="Board meetings. An action's update is due 10 working days before the first "
        "meeting in its reporting month.",
    ),
]

for section in SECTIONS:
    section.register()
