"""Sync payloads under fuzzing, both ways.

Station to hub: the push body as bytes (the protocol model refuses with ValidationError and
nothing else), and batches of events of random types, versions, ids, blob lists and payloads
(NULs, huge numbers, deep nesting) through the hub's real ingest on a real SQLite hub: every
event gets a result, acked or rejected with a code, the hub's seq advances by the batch, and
the same batch sent again is answered the same (idempotence), or the batch is refused as a
whole with PushRefused.

Hub to station: pages of changes with records damaged at random applied by the station's
pull code on a real station database: a bad record is skipped, never an exception.

tests/sync/test_stateful.py already drives whole syncs through faults with hypothesis; this
aims at the payloads themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from station.db import Database, open_database
from station.hub.admin import enrol_code
from station.hub.db import HubDatabase, open_hub_database
from station.hub.ingest import PushRefused, ingest, ownership_problem
from station.hub.rules import KNOWN_VERSIONS
from station.hub.tokens import StationRef, authenticate, enrol
from station.sync.protocol import ENTITIES, UNSENDABLE, Change, PushRequest
from station.sync.pull import PullReport, apply_page
from station.sync.records import OrderRecord, ProductRecord, RmaRecord, UserRecord
from tests.fuzz.budget import counted, fuzz_settings
from tests.fuzz.test_importers import HOSTILE

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**62, max_value=2**80)
    | st.floats()
    | HOSTILE
    | st.text(st.characters(codec="utf-8"), max_size=10)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=15,
)


@given(
    st.one_of(
        st.binary(max_size=300),
        JSON.map(lambda v: json.dumps(v).encode()),
        st.fixed_dictionaries({"station": JSON, "events": st.lists(JSON, max_size=3)}).map(
            lambda v: json.dumps(v).encode()
        ),
    )
)
@fuzz_settings(weight=1)
@counted("sync: push body bytes")
def test_push_bodies_parse_or_fail_with_validation_error(body: bytes) -> None:
    try:
        request = PushRequest.model_validate_json(body)
    except ValidationError:
        return
    assert all(event.station_seq >= 1 for event in request.events)


@pytest.fixture
def hub_station(tmp_path: Path) -> Iterator[tuple[HubDatabase, StationRef]]:
    hub = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    code = enrol_code(hub, "bench-1")
    with hub.write() as session:
        token = enrol(session, code, "bench-1")
    with hub.read() as session:
        station = authenticate(session, token)
    assert station is not None
    yield hub, station
    hub.close()


TYPES = st.one_of(
    st.sampled_from([*KNOWN_VERSIONS, UNSENDABLE]), st.text(max_size=70), st.just("a.b" * 40)
)
PAYLOADS = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {"order": HOSTILE, "station": st.just("bench-1")},
        optional={"boxes": JSON, "code": st.sampled_from(["too_large", "x"]), "detail": JSON},
    ),
    st.fixed_dictionaries({"number": HOSTILE}, optional={"order_number": HOSTILE, "lines": JSON}),
)


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "event_id": draw(st.one_of(st.uuids().map(str), HOSTILE)),
        "type": draw(TYPES),
        "schema_version": draw(st.one_of(st.integers(-5, 5), st.integers(2**31 - 2, 2**40))),
        "payload": draw(PAYLOADS),
        "blob_hashes": draw(st.lists(st.one_of(HOSTILE, st.just("a" * 64)), max_size=3)),
        "device_time": draw(st.one_of(st.none(), HOSTILE)),
    }


@given(batch=st.lists(events(), max_size=5), start=st.sampled_from([0, 0, 0, 1, -1]))
@fuzz_settings(weight=0.5)
@counted("sync: events through the hub's ingest")
def test_ingest_answers_every_event_and_again_the_same(
    hub_station: tuple[HubDatabase, StationRef], batch: list[dict[str, Any]], start: int
) -> None:
    hub, station = hub_station
    with hub.read() as session:
        from station.hub.models import HubStation

        expected = session.get(HubStation, station.id).last_seq + 1  # type: ignore[union-attr]
    first = max(1, expected + start)
    request = PushRequest.model_validate(
        {
            "station": station.name,
            "events": [{**e, "station_seq": first + i} for i, e in enumerate(batch)],
        }
    )
    if ownership_problem(station, request) is not None:
        return  # answered 403 before the ingest; the HTTP tests cover it
    try:
        answer = ingest(hub, station, request)
    except PushRefused as exc:
        assert exc.status in (409, 422) and exc.message
        if exc.missing:
            # Photos first: every hash named as missing is one the batch references.
            named = {h for event in request.events for h in event.blob_hashes}
            assert set(exc.missing) <= named
        else:
            assert first != expected  # a gap, or a seq stored for another event
        return
    assert [r.station_seq for r in answer.results] == [e.station_seq for e in request.events]
    for result in answer.results:
        assert result.status in ("acked", "rejected")
        if result.status == "rejected":
            assert result.code and result.message
    assert answer.next_seq == (max(expected, first + len(batch)) if batch else expected)
    assert ingest(hub, station, request).results == answer.results


@pytest.fixture
def station_db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "station.sqlite")
    yield db
    db.close()


def record_like(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts with the model's field names (so validation gets past the first field) and
    hostile values, some of them plausible."""
    names = list(model.model_fields)
    return st.dictionaries(st.sampled_from(names), JSON, max_size=len(names)) | st.builds(
        lambda base, extra: {**base, **extra},
        st.fixed_dictionaries({name: HOSTILE for name in names[:3]}),
        st.dictionaries(st.sampled_from(names), JSON, max_size=3),
    )


RECORDS = {
    "product": record_like(ProductRecord),
    "order": record_like(OrderRecord),
    "user": record_like(UserRecord),
    "rma": record_like(RmaRecord),
}


@st.composite
def changes(draw: st.DrawFn) -> Change:
    entity = draw(st.sampled_from([*ENTITIES, "gadget"]))
    deleted = draw(st.integers(0, 4)) == 0
    data = None if deleted else draw(RECORDS.get(entity, record_like(ProductRecord)))
    return Change(
        seq=draw(st.integers(1, 10**6)),
        entity=entity,
        key=draw(HOSTILE),
        deleted=deleted,
        data=data,
    )


@given(page=st.lists(changes(), max_size=6))
@fuzz_settings(weight=0.5)
@counted("sync: pulled changes applied")
def test_a_damaged_page_is_applied_or_skipped_record_by_record(
    station_db: Database, page: list[Change]
) -> None:
    report = PullReport()
    with station_db.session() as session:
        apply_page(session, page, report)
        session.rollback()
    assert report.pulled == len(page)


# --- what the fuzzing found, kept as examples ---------------------------------------------------


@pytest.mark.parametrize(
    ("entity", "data"),
    [
        # A list as an RMA's order number reached the INSERT (sqlite3.ProgrammingError).
        ("rma", {"number": "RMA-1", "order_number": [None]}),
        # Integers beyond 64 bits failed the page with OverflowError.
        ("product", {"sku": "P1", "name": "Kit", "components": [{"sku": "P1", "quantity": 2**70}]}),
        ("order", {"number": "SO-1", "priority": 2**70}),
        (
            "order",
            {"number": "SO-2", "lines": [{"line_no": 1, "sku": "P1", "quantity": 2**70}]},
        ),
        # An infinite weight (Python's json reads "Infinity") would reach the weight check.
        ("product", {"sku": "P2", "name": "Mug", "unit_weight_g": float("inf")}),
    ],
)
def test_found_by_fuzzing(
    station_db: Database, entity: str, data: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with station_db.session() as session:
        apply_page(session, [Change(seq=7, entity=entity, key="k", data=data)], PullReport())
        session.commit()
    assert f"skipped a {entity} from the hub (change 7)" in caplog.text
    with station_db.session() as session:
        from sqlalchemy import text

        counts = [
            session.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in ("rmas", "orders")
        ]
        session.rollback()
    assert counts == [0, 0]
