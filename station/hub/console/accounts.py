"""Console users and their sessions: passwords checked with lockout, sessions by cookie hash.

A password is checked with scrypt (``station.credentials``); after ``MAX_FAILURES`` wrong
passwords in a row the user is locked for ``LOCKOUT`` whatever is typed, so guessing costs a
lockout per five tries. An unknown name costs the same scrypt as a known one, so the answer's
time does not tell which names exist. A session is a random 256-bit cookie; the hub keeps
only its SHA-256 (a copy of the database opens no browser session) and the CSRF token every
form of that session must carry.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from station.credentials import hash_secret, verify_secret
from station.hub.console.models import ROLES, ConsoleSession, ConsoleUser
from station.hub.db import HubDatabase
from station.hub.models import utcnow

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
SESSION_TTL = timedelta(hours=8)
MIN_PASSWORD = 12
# Checked when the name is unknown, so that answer takes as long as a wrong password.
_DUMMY_HASH = hash_secret("not a password of anyone")


class AccountError(ValueError):
    """A console user cannot be created as asked (the message says why)."""


@dataclass(frozen=True)
class SignedIn:
    """Who a session belongs to, and the CSRF token its forms carry."""

    user_id: int
    name: str
    role: str
    csrf: str


@dataclass(frozen=True)
class SignInResult:
    """A new session's cookie value, or why there is none."""

    cookie: str | None
    refusal: str | None = None


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes for values written as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def token_hash(token: str) -> str:
    """The SHA-256 under which a session cookie is kept."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def add_user(hub: HubDatabase, name: str, role: str, password: str) -> None:
    """Create a console user, or set the role and password of an existing one."""
    name = name.strip()
    if not name or len(name) > 64:
        raise AccountError("a console user needs a name of 1 to 64 characters")
    if role not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a console password needs at least {MIN_PASSWORD} characters")
    hashed = hash_secret(password)
    with hub.write() as s:
        user = s.scalar(select(ConsoleUser).where(ConsoleUser.name == name))
        if user is None:
            s.add(ConsoleUser(name=name, role=role, password_hash=hashed, failures=0))
        else:
            user.role, user.password_hash = role, hashed
            user.failures, user.locked_until = 0, None
            # A new password ends the sessions opened with the old one.
            s.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))


def sign_in(hub: HubDatabase, name: str, password: str) -> SignInResult:
    """A session for ``name`` if the password is right and the user is not locked."""
    refused = SignInResult(None, "wrong name or password")
    with hub.write() as s:
        user = s.scalar(select(ConsoleUser).where(ConsoleUser.name == name.strip()))
        if user is None:
            verify_secret(password, _DUMMY_HASH)
            return refused
        now = utcnow()
        if user.locked_until is not None and _aware(user.locked_until) > now:
            return SignInResult(
                None, "too many wrong passwords: this user is locked for a while; try later"
            )
        if not verify_secret(password, user.password_hash):
            user.failures += 1
            if user.failures >= MAX_FAILURES:
                user.failures, user.locked_until = 0, now + LOCKOUT
            return refused
        user.failures, user.locked_until = 0, None
        token = secrets.token_urlsafe(32)
        s.add(
            ConsoleSession(
                token_sha256=token_hash(token),
                user_id=user.id,
                csrf=secrets.token_urlsafe(32),
                expires_at=now + SESSION_TTL,
            )
        )
        return SignInResult(token)


def session_of(hub: HubDatabase, cookie: str | None) -> SignedIn | None:
    """Who holds the session ``cookie``, or None (no cookie, unknown, or expired)."""
    if not cookie or len(cookie) > 200:
        return None
    with hub.read() as s:
        row = s.execute(
            select(ConsoleSession, ConsoleUser)
            .join(ConsoleUser, ConsoleUser.id == ConsoleSession.user_id)
            .where(ConsoleSession.token_sha256 == token_hash(cookie))
        ).first()
    if row is None:
        return None
    session, user = row
    if _aware(session.expires_at) <= utcnow():
        return None
    return SignedIn(user.id, user.name, user.role, session.csrf)


def csrf_matches(signed_in: SignedIn, token: str | None) -> bool:
    """True if a form's token is the session's (compared in constant time)."""
    # As bytes: compare_digest refuses a str with non-ASCII characters (a forged form's).
    return bool(token) and hmac.compare_digest(signed_in.csrf.encode(), (token or "").encode())


def sign_out(hub: HubDatabase, cookie: str) -> None:
    """End the session ``cookie`` (and drop every expired one on the way)."""
    with hub.write() as s:
        s.execute(delete(ConsoleSession).where(ConsoleSession.token_sha256 == token_hash(cookie)))
        s.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= utcnow()))
