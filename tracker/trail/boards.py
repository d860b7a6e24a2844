"""How the board, its people, agencies and teams read in the trail."""

from __future__ import annotations

from typing import Any

from tracker.models import Agency, Board, Invitation, Membership, Person, Team
from tracker.trail.fields import Field, Moment, Secret, Thing, Values, archived, board, plain_text

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _weekday(value: Any, values: Values) -> str:
    return WEEKDAYS[int(value)]


THINGS: dict[type, Thing] = {
    Board: Thing(
        "Board",
        ("name",),
        {
            "name": Field("Name"),
            "slug": Field("Name in web addresses"),
            "first_reminder_days": Field("First reminder (working days before the update is due)"),
            "second_reminder_days": Field(
                "Second reminder (working days before the update is due)"
            ),
            "chaser_weekday": Field("Chasers go out on", show=_weekday),
            "chaser_every_weeks": Field("Chase every (weeks)"),
            "escalate_after_chasers": Field("Escalate after (chasers)"),
            "short_name": Field("Short name in reports"),
            "hwb_priorities": Field("HWB priorities addressed in reports", show=plain_text),
            "published_notes_url": Field("Link to published notes or reports"),
            "published_notes_text": Field("Words before the link", show=plain_text),
            "controller": Field("Controller of the data"),
            "privacy_contact": Field("Whom to ask about data protection"),
            "keep_sent_emails_days": Field("Keep sent e-mails (days)"),
            "keep_sign_in_records_days": Field("Keep records of failed sign-ins (days)"),
            "keep_sign_in_events_days": Field("Keep sign-ins in the audit trail (days)"),
            "archived_at": archived(),
        },
    ),
    Person: Thing(
        "Person",
        ("name",),
        {
            "email": Field("E-mail address"),
            "name": Field("Name"),
            "password_hash": Secret("Password"),
            "session_token": Secret("Signed in on other devices"),
            "deactivated_at": Moment(
                "Deactivated", set_verb="deactivated", cleared_verb="reactivated"
            ),
            "last_signed_in_at": Field("Last signed in"),
            "away_until": Field("Away until"),
            "deputy_id": Field("Deputy"),
            "one_email_a_day": Field("One e-mail a day"),
            "calendar_token": Secret("Calendar link"),
            "erased_at": Field("Erased (name, address and settings replaced)"),
        },
    ),
    Membership: Thing(
        "Member",
        ("person_id",),
        {
            "board_id": board(),
            "person_id": Field("Person"),
            "role": Field("Role"),
            "archived_at": Moment(
                "Left the board",
                set_verb="taken off the board",
                cleared_verb="put back on the board",
            ),
        },
    ),
    # Named by the name the board typed, never by the account's (it may have one already).
    Invitation: Thing(
        "Invitation",
        ("name", "email"),
        {
            "board_id": board(),
            "person_id": Field("Person", when_added=False),
            "invited_by_id": Field("Invited by"),
            "token_hash": Secret("Link"),
            "expires_at": Field("Expires"),
            "accepted_at": Field("Accepted"),
            "role": Field("Role offered"),
            "name": Field("Name"),
            "email": Field("E-mail address"),
            "cancelled_at": Moment("Cancelled", set_verb="cancelled"),
        },
    ),
    Agency: Thing(
        "Agency",
        ("name",),
        {"board_id": board(), "name": Field("Name"), "archived_at": archived()},
    ),
    Team: Thing(
        "Team",
        ("name",),
        {
            "board_id": board(),
            "name": Field("Name"),
            "archived_at": archived(),
            "contacts": Field("Contact people"),
        },
    ),
}
