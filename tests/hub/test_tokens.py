"""Enrolment and tokens: random, stored only hashed, single-use codes, revocable, never logged."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from station.hub.admin import enrol_code, revoke
from station.hub.db import HubDatabase, open_hub_database
from station.hub.models import HubEnrolCode, HubToken
from station.hub.tokens import EnrolError, authenticate, enrol


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubDatabase]:
    db = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    yield db
    db.close()


def test_codes_and_tokens_are_kept_only_as_hashes(hub: HubDatabase) -> None:
    code = enrol_code(hub, "bench-1")
    with hub.write() as s:
        token = enrol(s, code.lower(), "bench-1")  # typed in lower case: still the code
    assert len(token) == 43  # 32 random bytes, URL-safe base64 without padding
    with hub.read() as s:
        stored_code = s.execute(select(HubEnrolCode.code_sha256)).scalar_one()
        stored_token = s.execute(select(HubToken.token_sha256)).scalar_one()
        dump = "\n".join(
            str(row)
            for t in ("hub_tokens", "hub_enrol_codes")
            for row in s.execute(text(f"SELECT * FROM {t}"))
        )
    assert stored_code == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert stored_token == hashlib.sha256(token.encode()).hexdigest()
    assert token not in dump and code not in dump
    with hub.read() as s:
        station = authenticate(s, token)
        assert station is not None and station.name == "bench-1"
        assert authenticate(s, token + "x") is None


def test_a_code_works_once_and_expires(hub: HubDatabase) -> None:
    code = enrol_code(hub, "bench-1")
    with hub.write() as s:
        enrol(s, code, "bench-1")
    with pytest.raises(EnrolError) as used, hub.write() as s:
        enrol(s, code, "bench-1")
    assert used.value.code == "invalid_code"
    stale = enrol_code(hub, "bench-2", timedelta(seconds=-1))
    with pytest.raises(EnrolError) as expired, hub.write() as s:
        enrol(s, stale, "bench-2")
    assert expired.value.code == "expired_code"


def test_enrolling_again_revokes_the_old_token(hub: HubDatabase) -> None:
    with hub.write() as s:
        first = enrol(s, enrol_code(hub, "bench-1"), "bench-1")
    with hub.write() as s:
        second = enrol(s, enrol_code(hub, "bench-1"), "bench-1")
    with hub.read() as s:
        assert authenticate(s, first) is None
        assert authenticate(s, second) is not None
    assert revoke(hub, "bench-1") == 1
    with hub.read() as s:
        assert authenticate(s, second) is None
