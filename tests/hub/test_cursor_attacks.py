"""Crafted pull cursors (issue 12, point 1): a clear 410 naming the cause, never a 500, and a
station holding such a cursor drops it and rebuilds instead of retrying it for ever.

Against a real hub on 127.0.0.1 and the real station sync on a real station database.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import httpx
import pytest

from station.hub.feed import MAX_CURSOR_CHARS, ResetRequired, decode_cursor, encode_cursor
from station.sync.protocol import PULL
from station.sync.state import CURSOR, read_setting, set_setting
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest


def b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# (cursor as sent, what the answer must name): the outside trial's four, and their kin.
CRAFTED = [
    (b64('{"e":"x","s":Infinity,"b":0}'), "Infinity is not a number JSON allows"),
    (b64('{"e":"x","s":-Infinity,"b":0}'), "-Infinity is not a number JSON allows"),
    (b64('{"e":"x","s":NaN,"b":0}'), "NaN is not a number JSON allows"),
    (b64('{"e":"x","s":1e400,"b":0}'), "1e400 is not an integer"),
    (b64("[" * 5000), f"longer than {MAX_CURSOR_CHARS} characters"),
    (b64("[" * 150), "not JSON of ours"),  # short enough to be decoded: still refused
    (b64('{"e":"x","s":1.5,"b":0}'), "1.5 is not an integer"),
    (b64('{"e":"x","s":true,"b":0}'), "'s' is not a feed position"),
    (b64('{"e":"x","s":1,"b":-1}'), "'b' is not a feed position"),
    (b64('{"e":"x","s":' + "9" * 30 + ',"b":0}'), "'s' is not a feed position"),
    (b64('{"s":1,"b":0}'), "not an object with an epoch"),
    (b64("\xff\xfe"), "not JSON of ours"),
    ("not+base64/at all", "not base64url"),
]


@pytest.mark.parametrize(("cursor", "cause"), CRAFTED)
def test_a_crafted_cursor_is_a_410_that_names_the_cause(
    hub: HubUnderTest,
    make_station: Callable[[str], StationUnderTest],
    cursor: str,
    cause: str,
) -> None:
    bench = make_station("bench-1")
    token = bench.syncer().enrolment().token
    with httpx.Client(base_url=hub.url) as client:
        answer = client.get(
            PULL, params={"cursor": cursor}, headers={"Authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 410, answer.text
    body = answer.json()
    assert body["error"] == "reset_required"
    assert "unreadable cursor" in body["message"] and cause in body["message"], body
    assert body["message"].endswith("push everything, then pull from the start")


def test_decode_cursor_refuses_with_reset_required_only() -> None:
    for cursor, cause in CRAFTED:
        with pytest.raises(ResetRequired, match="unreadable cursor") as refused:
            decode_cursor(cursor)
        assert cause in str(refused.value)
    assert decode_cursor(encode_cursor("epoch", 7, 3)) == ("epoch", 7, 3)


def test_a_station_holding_a_crafted_cursor_drops_it_and_rebuilds(
    make_station: Callable[[str], StationUnderTest],
) -> None:
    bench = make_station("bench-1")
    first = bench.sync()
    assert first.pulled > 0
    good = read_setting(bench.db, CURSOR)
    with bench.db.session() as session:
        set_setting(session, CURSOR, CRAFTED[0][0])
        session.commit()
    again = bench.sync()  # one cycle: the bad cursor is replaced, not retried
    assert again.reset is True and again.pulled == first.pulled
    assert read_setting(bench.db, CURSOR) == good
    assert bench.sync().pulled == 0  # and the next cycle continues from the new cursor
