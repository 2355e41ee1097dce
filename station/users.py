"""Users at the bench: PIN hashing (scrypt), badge and PIN log-in, creating users.

A PIN is short, so its hash must be slow: scrypt with a random 16-byte salt and n=2**14,
r=8, p=1 (about 16 MiB and some tens of milliseconds per check). The stored string names its
own parameters (``scrypt$16384$8$1$<salt>$<hash>``) so they can be raised later without
invalidating the PINs already stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.db.models import Role, User
from station.permissions import Action, Actor, require

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
# A stored hash names its own cost; refuse absurd ones so a tampered row cannot make a log-in
# allocate gigabytes or spin for minutes.
MAX_SCRYPT_N = 2**20
MAX_SCRYPT_R = 32
MAX_SCRYPT_P = 16
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(pin: str, salt: bytes, *, n: int, r: int, p: int, dklen: int) -> bytes:
    # scrypt needs 128*n*r bytes; OpenSSL's default limit (32 MiB) is too small for the
    # largest cost we accept, so the limit is given explicitly with some headroom.
    maxmem = 128 * n * r * (p + 1) + (1 << 20)
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen)


def hash_pin(pin: str) -> str:
    """The self-describing scrypt hash of ``pin``, with a fresh random salt."""
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(pin, salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_pin(pin: str, stored: str) -> bool:
    """True if ``pin`` matches ``stored`` (a :func:`hash_pin` string); False if malformed."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return False
    # n must be a power of two above 1 (scrypt's own rule); the upper bounds guard resources.
    if not (1 < n <= MAX_SCRYPT_N and n & (n - 1) == 0):
        return False
    if not (0 < r <= MAX_SCRYPT_R and 0 < p <= MAX_SCRYPT_P) or not salt or not expected:
        return False
    actual = _scrypt(pin, salt, n=n, r=r, p=p, dklen=len(expected))
    # compare_digest takes the same time wherever the first difference is.
    return hmac.compare_digest(actual, expected)


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
        if session.scalar(select(User.id).where(User.badge_code == badge)) is not None:
            raise ValueError(f"badge {badge!r} belongs to another user")
    pin_hash = None
    if pin is not None:
        check_pin_format(pin)
        if _pin_owners(session, pin, list(Role)):
            raise ValueError("that PIN is in use; choose another")
        pin_hash = hash_pin(pin)
    user = User(name=name, role=role, pin_hash=pin_hash, badge_code=badge, active=True)
    session.add(user)
    session.flush()
    return user


def has_admin(session: Session) -> bool:
    """True once the station has an active admin (who must then add every other user)."""
    query = select(User.id).where(User.role == Role.ADMIN, User.active).limit(1)
    return session.scalar(query) is not None


def find_by_badge(session: Session, code: str) -> User | None:
    """The active user whose badge is ``code``; a deactivated badge logs nobody in."""
    return session.scalar(select(User).where(User.badge_code == code.strip(), User.active))


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
