"""PIN hashing and user look-ups against a real SQLite database."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from station.credentials import badge_matches
from station.db import Database, open_database
from station.db.models import Role, User
from station.users import create_user, find_by_badge, find_by_pin, hash_pin, verify_pin


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "s.sqlite")
    yield database
    database.close()


def test_hash_pin_is_self_describing_and_salted() -> None:
    first = hash_pin("1234")
    second = hash_pin("1234")
    scheme, n, r, p, salt, digest = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(digest)) == 32
    # A fresh salt each time: the same PIN never hashes to the same string.
    assert first != second
    assert verify_pin("1234", first) and verify_pin("1234", second)


def test_verify_pin_rejects_wrong_pin_and_malformed_hashes() -> None:
    stored = hash_pin("2468")
    assert verify_pin("2468", stored) is True
    assert verify_pin("2469", stored) is False
    assert verify_pin("", stored) is False
    _, n, r, p, salt, digest = stored.split("$")
    assert verify_pin("2468", f"bcrypt${n}${r}${p}${salt}${digest}") is False
    assert verify_pin("2468", "scrypt$16384$8$1$notbase64!$x") is False
    assert verify_pin("2468", f"scrypt$1000${r}${p}${salt}${digest}") is False  # n not 2**k
    assert verify_pin("2468", f"scrypt${2**24}${r}${p}${salt}${digest}") is False  # too costly
    assert verify_pin("2468", "") is False


def test_verify_pin_honours_the_parameters_stored_with_the_hash() -> None:
    import hashlib

    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(b"7777", salt=salt, n=2**10, r=4, p=1, dklen=32)
    b64salt, b64digest = base64.b64encode(salt).decode(), base64.b64encode(digest).decode()
    stored = f"scrypt$1024$4$1${b64salt}${b64digest}"
    assert verify_pin("7777", stored) is True
    assert verify_pin("7778", stored) is False


def test_create_user_stores_only_the_hash(db: Database) -> None:
    with db.session() as s:
        user = create_user(s, "alice", Role.PACKER, pin="1111", badge="BADGE-ALICE")
        s.commit()
        assert user.id is not None
    with db.session() as s:
        stored = s.scalars(select(User)).one()
        assert stored.name == "alice"
        assert stored.role is Role.PACKER
        # The badge too is kept only as its tag and slow hash, and still finds its holder.
        assert stored.badge_hash is not None and "ALICE" not in stored.badge_hash
        assert badge_matches("BADGE-ALICE", stored.badge_tag, stored.badge_hash)
        assert find_by_badge(s, " BADGE-ALICE ") is stored
        assert find_by_badge(s, "BADGE-ALICF") is None
        assert stored.active is True
        assert stored.pin_hash is not None and "1111" not in stored.pin_hash
        assert verify_pin("1111", stored.pin_hash)


def test_create_user_refuses_duplicates_and_bad_input(db: Database) -> None:
    with db.session() as s:
        create_user(s, "alice", "packer", pin="1111", badge="BADGE-ALICE")
        with pytest.raises(ValueError, match="user 'alice' exists"):
            create_user(s, "alice", Role.ADMIN)
        with pytest.raises(ValueError, match="that badge belongs to another user"):
            create_user(s, "alicia", Role.PACKER, badge="BADGE-ALICE")
        with pytest.raises(ValueError, match="that PIN is in use"):
            create_user(s, "bob", Role.PACKER, pin="1111")
        with pytest.raises(ValueError, match="4 to 12 digits"):
            create_user(s, "bob", Role.PACKER, pin="12a4")
        with pytest.raises(ValueError, match="4 to 12 digits"):
            create_user(s, "bob", Role.PACKER, pin="123")
        with pytest.raises(ValueError, match="'janitor' is not a valid Role"):
            create_user(s, "bob", "janitor")
        with pytest.raises(ValueError, match="needs a name"):
            create_user(s, "  ", Role.PACKER)
        s.commit()
    with db.session() as s:
        assert s.scalars(select(User.name)).all() == ["alice"]


def test_find_by_badge_returns_active_users_only(db: Database) -> None:
    with db.session() as s:
        create_user(s, "alice", Role.PACKER, badge="BADGE-ALICE")
        bob = create_user(s, "bob", Role.PACKER, badge="BADGE-BOB")
        bob.active = False
        s.commit()
    with db.session() as s:
        found = find_by_badge(s, "BADGE-ALICE")
        assert found is not None and found.name == "alice"
        assert find_by_badge(s, " BADGE-ALICE\n") is not None  # scanner suffixes are trimmed
        assert find_by_badge(s, "BADGE-BOB") is None
        assert find_by_badge(s, "BADGE-NOBODY") is None


def test_find_by_pin_filters_role_and_active(db: Database) -> None:
    with db.session() as s:
        create_user(s, "alice", Role.PACKER, pin="1111")
        create_user(s, "sam", Role.SUPERVISOR, pin="9999")
        gone = create_user(s, "old", Role.SUPERVISOR, pin="8888")
        gone.active = False
        create_user(s, "nopin", Role.SUPERVISOR)
        s.commit()
    with db.session() as s:
        sam = find_by_pin(s, "9999", [Role.SUPERVISOR, Role.ADMIN])
        assert sam is not None and sam.name == "sam"
        # A packer's PIN does not approve what needs a supervisor.
        assert find_by_pin(s, "1111", [Role.SUPERVISOR, Role.ADMIN]) is None
        alice = find_by_pin(s, "1111", ["packer"])
        assert alice is not None and alice.name == "alice"
        assert find_by_pin(s, "8888", [Role.SUPERVISOR]) is None
        assert find_by_pin(s, "0000", list(Role)) is None
        assert find_by_pin(s, "9999", []) is None


def test_find_by_pin_refuses_an_ambiguous_pin(db: Database) -> None:
    # Two users sharing a PIN can only come from data written around create_user.
    with db.session() as s:
        s.add_all(
            [
                User(name="a", role=Role.SUPERVISOR, pin_hash=hash_pin("5555")),
                User(name="b", role=Role.SUPERVISOR, pin_hash=hash_pin("5555")),
                User(name="c", role=Role.PACKER, pin_hash=hash_pin("6666")),
            ]
        )
        s.commit()
    with db.session() as s:
        assert find_by_pin(s, "5555", [Role.SUPERVISOR]) is None
        found = find_by_pin(s, "6666", [Role.PACKER])
        assert found is not None and found.name == "c"
