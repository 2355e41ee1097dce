"""Sign-in by badge and PIN (``station.session_login``), on the real test database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.barcodes import Interpreter
from station.config import BarcodeSettings
from station.db import Database
from station.db.models import Role
from station.session_login import BenchUser, Screen, SessionLogin, screens_for
from station.user_ref import UserRef
from station.users import create_user
from tests.station.packfixtures import build_db

PACKER_PIN = "4321"


class Engine:
    """The one thing sign-in touches on the pack engine."""

    user: UserRef | None = None


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = build_db(tmp_path / "login.sqlite")
    with database.session() as session:
        create_user(session, "pat", Role.PACKER, pin=PACKER_PIN)
        session.commit()
    yield database
    database.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def engine() -> Engine:
    return Engine()


@pytest.fixture
def login(db: Database, engine: Engine, clock: Clock) -> SessionLogin:
    return SessionLogin(
        db, Interpreter(BarcodeSettings()), engine, "bench-1", pin_lockout_s=30, clock=clock
    )


def audit(db: Database) -> list[tuple[str, str]]:
    con = sqlite3.connect(db.path)
    try:
        rows = con.execute("SELECT action, detail FROM audit_log ORDER BY id").fetchall()
    finally:
        con.close()
    return [(r[0], r[1]) for r in rows]


def test_the_role_decides_the_screens() -> None:
    assert screens_for(Role.PACKER) == (Screen.PACK,)
    assert screens_for("inspector") == (Screen.RETURNS,)
    assert set(screens_for(Role.SUPERVISOR)) == set(Screen)
    assert screens_for(Role.ADMIN)[0] is Screen.PACK


def test_badge_signs_in_and_tells_the_engine(login, engine, db) -> None:
    result = login.by_badge("]C0BADGE-ALICE")  # an AIM prefix from a serial scanner
    assert result.user is not None
    assert (result.user.name, result.user.role) == ("alice", Role.PACKER)
    assert engine.user == result.user.ref
    assert login.current == result.user
    assert audit(db)[-1] == ("user.login", '{"via": "badge"}')


def test_what_is_not_a_known_badge_signs_nobody_in(login, engine) -> None:
    assert "not a badge" in login.by_badge("SO-1001").reason
    assert "unknown" in login.by_badge("BADGE-NOBODY").reason
    assert engine.user is None and login.current is None


def test_pin_signs_in(login, engine) -> None:
    result = login.by_pin(PACKER_PIN)
    assert result.user is not None and result.user.name == "pat"
    assert engine.user is not None and engine.user.name == "pat"


def test_wrong_pins_lock_pin_entry_for_a_while(login, clock, db) -> None:
    assert login.by_pin("12").reason.startswith("a PIN is")  # not counted: not a PIN
    for _ in range(5):
        assert login.by_pin("0001").reason == "wrong PIN"
    assert "too many wrong PINs" in login.by_pin(PACKER_PIN).reason
    assert audit(db)[-1][0] == "user.pin_lockout"
    assert login.by_badge("BADGE-ALICE").user is not None  # badges still work
    clock.now += 31
    assert login.by_pin(PACKER_PIN).user is not None


def test_lock_signs_out_everywhere(login, engine, db) -> None:
    login.by_badge("BADGE-SAM")
    login.lock("idle")
    assert engine.user is None and login.current is None
    assert audit(db)[-1] == ("user.lock", '{"why": "idle"}')


def test_a_bench_user_from_the_engines_record() -> None:
    user = BenchUser.from_ref(UserRef(7, "ines", "inspector"))
    assert user.screens == (Screen.RETURNS,)
    assert user.ref == UserRef(7, "ines", "inspector")
