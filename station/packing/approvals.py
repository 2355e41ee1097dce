"""Supervisor approval by badge and PIN together; a PIN alone never approves.

A 4-digit PIN is guessed, or watched over a shoulder, far more easily than a badge is taken,
and a stolen station database yields its hash to an offline search in seconds whatever the
hash. So a PIN only ever adds to a badge: the credential is the badge code and the PIN of
the same supervisor, separated by a space or a ``+`` (``BADGE-SAM 9999``, ``BADGE-SAM+9999``
where a space cannot be typed, as in ``station inspect``'s ``by=``). A badge alone is resolved by
the engine itself inside its transaction; this resolves the pair through station.users.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.orm import Session

from station.db import Database
from station.db.engine import reader
from station.db.models import Role
from station.user_ref import UserRef
from station.users import find_by_badge_and_pin

APPROVER_ROLES = (Role.SUPERVISOR, Role.ADMIN)
_SEPARATOR = re.compile(r"[\s+]+")  # a badge code holds neither (BADGE-[A-Z0-9]{2,32})


def split_badge_and_pin(credential: str) -> tuple[str, str] | None:
    """(badge, PIN) of a ``"BADGE PIN"`` credential; None for anything else (a bare PIN)."""
    parts = _SEPARATOR.split(credential.strip())
    if len(parts) != 2 or not parts[1].isdigit() or parts[0].isdigit():
        return None
    return parts[0], parts[1]


def badge_and_pin_approver(db: Database) -> Callable[[str], UserRef | None]:
    """A function from ``"BADGE PIN"`` to the supervisor or admin holding both (else None)."""

    def approve(credential: str) -> UserRef | None:
        pair = split_badge_and_pin(credential)
        if pair is None:
            return None  # a PIN alone is never enough; a badge alone the engine resolves
        # A deferred (read-only) transaction: the engine calls this while it holds the write
        # lock, and WAL lets a reader through where a second BEGIN IMMEDIATE would wait.
        with Session(reader(db.engine)) as session:
            user = find_by_badge_and_pin(session, *pair, APPROVER_ROLES)
            return None if user is None else UserRef(user.id, user.name, user.role.value)

    return approve
