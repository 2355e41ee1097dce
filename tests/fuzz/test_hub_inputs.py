"""What a client controls at the hub, fuzzed (issue 12): the pull cursor and the push body.

Crafted cursors (non-finite numbers, huge exponents, deep nesting, any bytes, any text) are
refused with ResetRequired and nothing else, which the pull route answers 410. Push bodies of
hostile shapes (non-finite numbers, deep nesting, many tiny objects) are parsed or refused
with a HubError (413, 422), never another exception; and the value count the hub refuses by
is never below the real number of values, whatever the strings hold.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from station.hub.bodies import json_values, parse_push
from station.hub.context import HubError, Limits
from station.hub.feed import ResetRequired, decode_cursor, encode_cursor
from tests.fuzz.budget import counted, fuzz_settings
from tests.fuzz.test_sync_payloads import JSON

# Texts JSON parsers take that strict JSON does not, or that exhaust a recursive parser.
HOSTILE_NUMBERS = st.sampled_from(
    ["Infinity", "-Infinity", "NaN", "1e400", "-1e400", "1.5", "9" * 400, "true", "null"]
)
NESTED = st.integers(min_value=1, max_value=6000).map(lambda n: "[" * n + "]" * n)


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def count(value: Any) -> int:
    """The values in ``value``, containers included (keys are not values)."""
    if isinstance(value, dict):
        return 1 + sum(count(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(count(v) for v in value)
    return 1


CURSORS = st.one_of(
    st.text(max_size=400),
    st.binary(max_size=300).map(b64),
    JSON.map(lambda v: b64(json.dumps(v).encode())),
    st.builds(
        lambda s, b: b64(f'{{"e":"x","s":{s},"b":{b}}}'.encode()),
        HOSTILE_NUMBERS | st.integers().map(str),
        HOSTILE_NUMBERS | st.integers().map(str),
    ),
    NESTED.map(lambda t: b64(t.encode())),
)


@given(CURSORS)
@fuzz_settings(weight=2)
@counted("hub: pull cursors")
def test_any_cursor_decodes_or_asks_for_a_reset(cursor: str) -> None:
    try:
        epoch, seq, base = decode_cursor(cursor)
    except ResetRequired as exc:
        assert str(exc).startswith("unreadable cursor: ")
        return
    # What decodes is a cursor the hub could have made.
    assert decode_cursor(encode_cursor(epoch, seq, base)) == (epoch, seq, base)
    assert 0 <= seq < 2**63 and 0 <= base < 2**63


def _push_body(payload: str, events: int) -> bytes:
    items = ",".join(
        f'{{"event_id":"e{n}","station_seq":{n + 1},"type":"note.added","payload":{payload}}}'
        for n in range(events)
    )
    return f'{{"station":"bench-1","events":[{items}]}}'.encode()


PAYLOADS = st.one_of(
    JSON.map(json.dumps),
    HOSTILE_NUMBERS.map(lambda t: f'{{"g":{t}}}'),
    NESTED,
    st.integers(min_value=0, max_value=3000).map(lambda n: "[" + ",".join(["{}"] * n) + "]"),
)
LIMITS = Limits(max_json_values=2_000)


@given(PAYLOADS, st.integers(min_value=1, max_value=5))
@fuzz_settings(weight=1)
@counted("hub: push bodies")
def test_push_bodies_parse_or_are_refused_with_a_reason(payload: str, events: int) -> None:
    body = _push_body(payload, events)
    try:
        request = parse_push(body, LIMITS)
    except HubError as exc:
        assert exc.status in (413, 422) and exc.message
        return
    assert len(request.events) == events
    assert json_values(body) <= LIMITS.max_json_values


@given(JSON)
@fuzz_settings(weight=1)
@counted("hub: JSON value bound")
def test_the_value_count_is_an_upper_bound(value: Any) -> None:
    text = json.dumps(value).encode()
    assert json_values(text) >= count(value)
    assert json_values(text, limit=0) >= count(value)  # strings taken out: still a bound
