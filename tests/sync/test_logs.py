"""Nothing secret or personal in the logs of a whole sync (station, client and hub)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from station.sync.state import CLOCK_SKEW, load_enrolment, read_setting
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest


def test_no_token_and_no_address_in_any_log_record(
    hub: HubUnderTest,
    make_station: Callable[[str], StationUnderTest],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    a = make_station("bench-1")
    a.sync()
    enrolment = load_enrolment(a.db)
    assert enrolment is not None
    assert enrolment.token not in repr(enrolment)
    text_logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert caplog.records  # httpx and the hub did log
    assert enrolment.token not in text_logged
    assert "Ada Lovelace" not in text_logged and "Leiden" not in text_logged
    assert read_setting(a.db, CLOCK_SKEW) is not None  # skew against the hub's Date, recorded
