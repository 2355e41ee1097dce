"""Users at the bench: badge and PIN log-in, creating users.

Neither a PIN nor a badge code is stored, only their salted scrypt hashes (and a badge's
16-bit lookup tag): see :mod:`station.credentials`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.credentials import badge_matches, badge_tag, hash_badge, hash_secret, verify_secret
from station.db.models import Role, User
from station.permissions import Action, Actor, require

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12


def hash_pin(pin: str) -> str:
    """The self-describing scrypt hash of ``pin``, with a fresh random salt."""
    return hash_secret(pin)


def verify_pin(pin: str, stored: str) -> bool:
    """True if ``pin`` matches ``stored`` (a :func:`hash_pin` string); False if malformed."""
    return verify_secret(pin, stored)


def check_pin_format(pin: str) -> None:
    """Raise ValueError unless ``pin`` is 4 to 12 ASCII digits (what a bench keypad offers)."""
    if not (pin.isascii() and pin.isdigit() and PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS):
        raise ValueError(f"a PIN is {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits")


def create_user(
    session: Session,
    name: str,
    role: Role | str,
    pin: str | None = None,
    badge: str | None = None,
    *,
    by: Actor | None = None,
) -> User:
    """Add an active user (flushed, not committed); the PIN is stored only as its hash.

    ``by`` is the admin adding the user. Without one, a user is added only while the station
    has no active admin (setting it up: demo data, the first admin); after that,
    :class:`~station.permissions.PermissionDenied` unless ``by`` may manage users.

    Raises ValueError for an empty name, an unknown role, a malformed PIN, a name or badge
    already taken, or a PIN another active user has: :func:`find_by_pin` identifies a user
    by the PIN alone, so two users sharing one could not be told apart.
    """
    if by is not None or has_admin(session):
        require(by, Action.MANAGE_USERS)
    name = name.strip()
    if not name:
        raise ValueError("a user needs a name")
    role = Role(role)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise ValueError(f"user {name!r} exists")
    if badge is not None:
        badge = badge.strip()
        if not badge:
            raise ValueError("a badge code cannot be empty")
        if badge_owners(session, badge):
            raise ValueError("that badge belongs to another user")
    pin_hash = None
    if pin is not None:
        check_pin_format(pin)
        if _pin_owners(session, pin, list(Role)):
            raise ValueError("that PIN is in use; choose another")
        pin_hash = hash_pin(pin)
    tag, badge_hash = hash_badge(badge) if badge is not None else (None, None)
    user = User(
        name=name, role=role, pin_hash=pin_hash, badge_tag=tag, badge_hash=badge_hash, active=True
    )
    session.add(user)
    session.flush()
    return user


def has_admin(session: Session) -> bool:
    """True once the station has an active admin (who must then add every other user)."""
    query = select(User.id).where(User.role == Role.ADMIN, User.active).limit(1)
    return session.scalar(query) is not None


def badge_owners(session: Session, code: str, *, active_only: bool = False) -> list[User]:
    """The users whose badge is ``code``: only those sharing its tag pay a slow hash."""
    query = select(User).where(User.badge_tag == badge_tag(code)).order_by(User.id)
    if active_only:
        query = query.where(User.active)
    # Every candidate is checked (no early return), as for PINs.
    return [u for u in session.scalars(query) if badge_matches(code, u.badge_tag, u.badge_hash)]


def find_by_badge(session: Session, code: str) -> User | None:
    """The active user whose badge is ``code``; a deactivated badge logs nobody in."""
    owners = badge_owners(session, code, active_only=True)
    return owners[0] if len(owners) == 1 else None


def find_by_badge_and_pin(
    session: Session, badge: str, pin: str, roles: Iterable[Role | str]
) -> User | None:
    """The active user of one of ``roles`` holding both ``badge`` and ``pin`` (else None)."""
    user = find_by_badge(session, badge)
    wanted = {Role(r) for r in roles}
    if user is None or user.role not in wanted or user.pin_hash is None:
        return None
    return user if verify_pin(pin, user.pin_hash) else None


class Cursor(Protocol):
    """What :func:`badge_holder` needs of a DB-API cursor (the engines' sqlite3 cursors)."""

    def execute(self, sql: str, parameters: Sequence[object], /) -> Cursor: ...

    def fetchall(self) -> list[tuple[object, ...]]: ...


def badge_holder(cur: Cursor, code: str) -> tuple[int, str, str] | None:
    """(id, name, role) of the active user whose badge is ``code``, through a raw cursor.

    For the engines, which look badges up inside their own sqlite3 transaction.
    """
    rows = cur.execute(
        "SELECT id, name, role, badge_tag, badge_hash FROM users"
        " WHERE badge_tag = ? AND active = 1 ORDER BY id",
        (badge_tag(code),),
    ).fetchall()
    found = [
        (int(str(r[0])), str(r[1]), str(r[2]))
        for r in rows
        if badge_matches(code, _text(r[3]), _text(r[4]))
    ]
    # Two holders of one badge (data made outside create_user) cannot be told apart.
    return found[0] if len(found) == 1 else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _pin_owners(session: Session, pin: str, roles: Iterable[Role | str]) -> list[User]:
    wanted = [Role(r) for r in roles]
    if not wanted:
        return []
    candidates = session.scalars(
        select(User)
        .where(User.active, User.role.in_(wanted), User.pin_hash.is_not(None))
        .order_by(User.id)
    ).all()
    # Every candidate is checked (no early return) so the time taken does not tell which
    # user, if any, matched.
    return [u for u in candidates if u.pin_hash is not None and verify_pin(pin, u.pin_hash)]


def find_by_pin(session: Session, pin: str, roles: Iterable[Role | str]) -> User | None:
    """The active user of one of ``roles`` whose PIN is ``pin``; None if none or ambiguous."""
    owners = _pin_owners(session, pin, roles)
    # Two users with the same PIN (possible only in data made outside create_user) cannot be
    # told apart: an approval must be attributable, so nobody is returned.
    return owners[0] if len(owners) == 1 else None
