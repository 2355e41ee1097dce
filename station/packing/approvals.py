"""Supervisor approval by PIN: resolves a PIN to a supervisor or admin through station.users."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from station.db import Database
from station.db.engine import reader
from station.db.models import Role
from station.user_ref import UserRef
from station.users import find_by_pin

APPROVER_ROLES = (Role.SUPERVISOR, Role.ADMIN)


def pin_approver(db: Database) -> Callable[[str], UserRef | None]:
    """A function from a PIN to the supervisor or admin it belongs to (None if nobody's)."""

    def approve(credential: str) -> UserRef | None:
        # Badges are resolved by the engine itself inside its transaction; only digits can be
        # a PIN, and checking one costs an scrypt per supervisor, so skip anything else.
        if not credential.isdigit():
            return None
        # A deferred (read-only) transaction: the engine calls this while it holds the write
        # lock, and WAL lets a reader through where a second BEGIN IMMEDIATE would wait.
        with Session(reader(db.engine)) as session:
            user = find_by_pin(session, credential, APPROVER_ROLES)
            return None if user is None else UserRef(user.id, user.name, user.role.value)

    return approve
