"""Password hashing with argon2 (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tracker.models import Person

_hasher = PasswordHasher()
# Checked when the address is unknown, so a sign-in takes as long with or without an account.
_DUMMY_HASH = _hasher.hash("not a real password")

MIN_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(person: Person | None, password: str) -> bool:
    """Whether ``password`` is ``person``'s; upgrades the hash when the parameters changed."""
    stored = person.password_hash if person is not None else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    if stored is None:
        return False
    if _hasher.check_needs_rehash(stored):
        person.password_hash = _hasher.hash(password)
    return True


def password_problem(password: str, email: str) -> str | None:
    """Why ``password`` may not be used, in words for the person choosing it, or None."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > 200:
        return "Password must be 200 characters or fewer"
    if password.strip().lower() == email.strip().lower():
        return "Password must not be your e-mail address"
    return None
