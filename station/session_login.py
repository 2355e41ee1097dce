"""Who is at the bench: sign in by badge or PIN, the screens a role opens, lock and log out.

No Qt. :class:`SessionLogin` is used from the one thread that owns the database work (the UI's
database worker): it reads users, writes the audit log and tells the pack engine who packs.
A PIN is short, so wrong PINs are counted: after ``max_pin_failures`` in a row, PINs are
refused for ``pin_lockout_s`` seconds (badges still work) so nobody can try them all at the
bench. The count and the end of the lockout are rows of ``counters`` (wall-clock
milliseconds), so restarting the station does not reset them. Each PIN check costs one
scrypt per user with a PIN, which is why it runs off the GUI.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.orm import Session

from station.audit import record_audit
from station.barcodes import Interpreter, ScanKind
from station.db import Database
from station.db.engine import reader
from station.db.models import Role, User
from station.user_ref import UserRef
from station.users import check_pin_format, find_by_badge, find_by_pin


class Screen(enum.StrEnum):
    """The station's screens, named as ``station screenshot --screen`` names them."""

    PACK = "pack"
    RETURNS = "returns"
    EVIDENCE = "evidence"
    DASHBOARD = "dashboard"
    DEVICES = "devices"


# The rows of ``counters`` that hold the PIN lockout across restarts.
FAILURES_COUNTER = "login.pin_failures"
LOCKED_UNTIL_COUNTER = "login.pin_locked_until_ms"

_EVERYTHING = (Screen.PACK, Screen.RETURNS, Screen.EVIDENCE, Screen.DASHBOARD, Screen.DEVICES)

# The role decides the screens; the first one opens after sign-in.
SCREENS: dict[Role, tuple[Screen, ...]] = {
    Role.PACKER: (Screen.PACK,),
    Role.INSPECTOR: (Screen.RETURNS,),
    Role.SUPERVISOR: _EVERYTHING,
    Role.ADMIN: _EVERYTHING,
}


def screens_for(role: Role | str) -> tuple[Screen, ...]:
    """The screens ``role`` may open, the one to show first at the front."""
    return SCREENS[Role(role)]


@dataclass(frozen=True)
class BenchUser:
    """The signed-in person as the screens need them: name, role and what they may open."""

    id: int
    name: str
    role: Role

    @property
    def screens(self) -> tuple[Screen, ...]:
        """What this user's role may open."""
        return screens_for(self.role)

    @property
    def ref(self) -> UserRef:
        """The same person as the pack engine records them."""
        return UserRef(self.id, self.name, self.role.value)

    @classmethod
    def from_ref(cls, ref: UserRef) -> BenchUser:
        """From the engine's record (after a badge scan switched user in the engine)."""
        return cls(ref.id, ref.name, Role(ref.role))


@dataclass(frozen=True)
class SignIn:
    """The answer to a sign-in attempt: the user, or why nobody was signed in."""

    user: BenchUser | None
    reason: str = ""  # English, for the log and the screen; empty when signed in


class EngineUser(Protocol):
    """What sign-in needs of the pack engine: the user it records scans under."""

    user: UserRef | None


class SessionLogin:
    """Signs people in and out; the pack engine records scans under whoever is signed in."""

    def __init__(
        self,
        db: Database,
        interpreter: Interpreter,
        engine: EngineUser,
        station: str,
        *,
        max_pin_failures: int = 5,
        pin_lockout_s: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = db
        self._interpreter = interpreter
        self._engine = engine
        self._station = station
        self._max_failures = max_pin_failures
        self._lockout_s = pin_lockout_s
        # Wall-clock seconds: the lockout is stored, and must mean the same after a restart.
        self._clock = clock
        self.current: BenchUser | None = None

    def by_badge(self, raw: str) -> SignIn:
        """Sign in whoever's badge ``raw`` (as scanned, AIM prefix and all) is."""
        interp = self._interpreter.interpret(raw)
        if interp.kind is not ScanKind.BADGE:
            return SignIn(None, "that is not a badge: scan your badge or type your PIN")
        code = interp.value or interp.data
        with Session(reader(self._db.engine)) as session:
            user = find_by_badge(session, code)
            found = None if user is None else _bench_user(user)
        if found is None:
            return SignIn(None, f"unknown or inactive badge {code!r}")
        return self._sign_in(found, "badge")

    def by_pin(self, pin: str) -> SignIn:
        """Sign in the active user whose PIN is ``pin``."""
        wait = self.lockout_remaining()
        if wait > 0:
            return SignIn(None, f"too many wrong PINs: wait {int(wait) + 1} s or scan your badge")
        try:
            check_pin_format(pin)
        except ValueError as exc:
            return SignIn(None, str(exc))
        with Session(reader(self._db.engine)) as session:
            user = find_by_pin(session, pin, list(Role))
            found = None if user is None else _bench_user(user)
        if found is None:
            self._count_failure()
            return SignIn(None, "wrong PIN")
        with self._db.session() as session:
            _set_counter(session, FAILURES_COUNTER, 0)
            session.commit()
        return self._sign_in(found, "pin")

    def lockout_remaining(self) -> float:
        """Seconds until PINs are taken again (0 when they are), as stored in the database."""
        with Session(reader(self._db.engine)) as session:
            until_ms = _counter(session, LOCKED_UNTIL_COUNTER)
        return max(0.0, until_ms / 1000 - self._clock())

    def _count_failure(self) -> None:
        # One transaction: two benches on one database (or a restart) count the same failures.
        with self._db.session() as session:
            failures = _counter(session, FAILURES_COUNTER) + 1
            if failures >= self._max_failures:
                failures = 0
                until_ms = int((self._clock() + self._lockout_s) * 1000)
                _set_counter(session, LOCKED_UNTIL_COUNTER, until_ms)
                record_audit(
                    session,
                    self._station,
                    None,
                    "user.pin_lockout",
                    "user",
                    None,
                    {"seconds": self._lockout_s, "failures": self._max_failures},
                )
            _set_counter(session, FAILURES_COUNTER, failures)
            session.commit()

    def adopt(self, ref: UserRef) -> BenchUser:
        """Take over the user the engine switched to on a badge scan (it audited the change)."""
        self.current = BenchUser.from_ref(ref)
        return self.current

    def lock(self, why: str) -> None:
        """Nobody is signed in any more (idle time-out, or the user locked the bench)."""
        if self.current is not None:
            self._audit(self.current.id, "user.lock", {"why": why})
        self.current = None
        self._engine.user = None

    def _sign_in(self, user: BenchUser, via: str) -> SignIn:
        self._audit(user.id, "user.login", {"via": via})
        self.current = user
        self._engine.user = user.ref
        return SignIn(user)

    def _audit(self, user_id: int | None, action: str, detail: dict[str, object]) -> None:
        with self._db.session() as session:
            entity_id = None if user_id is None else str(user_id)
            record_audit(session, self._station, user_id, action, "user", entity_id, detail)
            session.commit()


def _counter(session: Session, name: str) -> int:
    value = session.scalar(text("SELECT value FROM counters WHERE name = :n"), {"n": name})
    return int(value or 0)


def _set_counter(session: Session, name: str, value: int) -> None:
    session.execute(
        text(
            "INSERT INTO counters (name, value) VALUES (:n, :v)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value"
        ),
        {"n": name, "v": value},
    )


def _bench_user(user: User) -> BenchUser:
    return BenchUser(user.id, user.name, Role(user.role))
