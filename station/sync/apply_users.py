"""Pulled users into the station, in the caller's transaction.

Users are matched by name. They are never deleted here (scans and approvals name them): a
user the hub removes arrives as inactive. Badges arrive as their tag and slow hash only; the
hub takes a badge that moved to someone else from its previous holder and sends both. A
plaintext badge (from a hub of before the hashes) is hashed here, and taken from any other
holder, so it is never stored.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from station.db.models import Role, User
from station.sync.records import UserRecord
from station.users import badge_owners

_ROLES = {r.value: r for r in Role}


def apply_user(session: Session, record: UserRecord) -> None:
    """Insert or update one user."""
    # An unknown role gets the least power rather than being refused.
    role = _ROLES.get(record.role, Role.PACKER)
    if record.badge_code:
        for holder in badge_owners(session, record.badge_code):
            if holder.name != record.name:
                holder.badge_tag = holder.badge_hash = None
        session.flush()
        record = record.hashed()
    values = {
        "role": role,
        "pin_hash": record.pin_hash,
        "badge_tag": record.badge_tag if record.badge_hash else None,
        "badge_hash": record.badge_hash if record.badge_tag else None,
        "active": record.active,
    }
    found = session.execute(select(User.id).where(User.name == record.name)).scalar_one_or_none()
    if found is None:
        session.execute(insert(User).values(name=record.name, **values))
    else:
        session.execute(update(User).where(User.id == found).values(**values))


def deactivate_user(session: Session, name: str) -> None:
    """A user deleted at the hub, or moved off this station's site, can no longer log in here.

    Its PIN and badge hashes are dropped too, so a stolen station database holds no credential
    of someone who does not work at this site (the row stays: scans and approvals name it).
    """
    session.execute(
        update(User)
        .where(User.name == name)
        .values(active=False, pin_hash=None, badge_tag=None, badge_hash=None)
    )
