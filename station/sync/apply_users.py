"""Pulled users into the station, in the caller's transaction.

Users are matched by name. They are never deleted here (scans and approvals name them): a
user the hub removes arrives as inactive, and a badge that moved to someone else is taken
from its previous holder first, so a badge always opens one person.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from station.db.models import Role, User
from station.sync.records import UserRecord

_ROLES = {r.value: r for r in Role}


def apply_user(session: Session, record: UserRecord) -> None:
    """Insert or update one user."""
    # An unknown role gets the least power rather than being refused.
    role = _ROLES.get(record.role, Role.PACKER)
    if record.badge_code:
        session.execute(
            update(User)
            .where(User.badge_code == record.badge_code, User.name != record.name)
            .values(badge_code=None)
        )
    values = {
        "role": role,
        "pin_hash": record.pin_hash,
        "badge_code": record.badge_code,
        "active": record.active,
    }
    found = session.execute(select(User.id).where(User.name == record.name)).scalar_one_or_none()
    if found is None:
        session.execute(insert(User).values(name=record.name, **values))
    else:
        session.execute(update(User).where(User.id == found).values(**values))


def deactivate_user(session: Session, name: str) -> None:
    """A user deleted at the hub can no longer log in here."""
    session.execute(update(User).where(User.name == name).values(active=False))
