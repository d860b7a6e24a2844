"""How flask-login finds the signed-in person: by their session token, not their id.

Rotating ``Person.session_token`` (on signing out or changing a password) therefore ends
that person's sessions in every browser at once.
"""

from __future__ import annotations

from flask_login import LoginManager
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Person


def init_login(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_person(session_token: str) -> Person | None:
        return db.session.scalar(
            select(Person).where(
                Person.session_token == session_token, Person.deactivated_at.is_(None)
            )
        )
