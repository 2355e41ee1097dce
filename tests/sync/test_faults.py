"""Faults between a station and its hub, on loopback through a fault-injecting proxy.

After every fault the hub holds a prefix of the station's outbox (nothing twice, no hole);
once the fault heals, exactly the station's events, each once, in station order, with the
rejections the station recorded.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, select

from station.hub.models import HubBlob, HubEvent
from station.sync import protocol as p
from station.sync.backlog import dead_letters
from station.sync.blobs import CHUNK_BYTES
from station.sync.client import HubClient, HubUnavailable, Timeouts
from station.sync.cycle import CycleReport, Syncer
from station.sync.state import load_enrolment
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.pgcluster import BOTH
from tests.station.packfixtures import MUG
from tests.sync.events import add_event
from tests.sync.faultproxy import Fault, FaultProxy
from tests.sync.hubfaults import FailingHub
from tests.sync.invariant import assert_converged, assert_prefix, hub_log
from tests.sync.test_blobs import photo, stored
from tests.sync.test_pull import pack

Make = Callable[[str], StationUnderTest]
# Short enough that a delayed answer outlasts it, long enough for a loaded CI machine.
QUICK = Timeouts(connect=2.0, read=1.0)
NETWORK_FAULTS = (
    Fault.DROP_REPLY,
    Fault.RESET_REQUEST,
    Fault.RESET_REPLY,
    Fault.DELAY_REPLY,
    Fault.DUPLICATE,
)


def notes(station: StationUnderTest, n: int) -> None:
    for i in range(n):
        add_event(station.db, "note.added", {"station": station.name, "n": i})


def cycle(syncer: Syncer) -> CycleReport | None:
    """One cycle; None if the hub could not be reached or failed (on the pull or the push:
    a push that fails after the pull is the report's ``push_failure``)."""
    try:
        report = syncer.run_cycle()
    except HubUnavailable:
        return None
    if isinstance(report.push_failure, HubUnavailable):
        return None
    if report.push_failure is not None:
        raise report.push_failure
    return report


@BOTH
def test_network_faults_on_push_heal_to_each_event_once_in_order(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    a.sync()
    with FaultProxy(hub.url, delay_s=QUICK.read + 0.5) as proxy:
        syncer = a.syncer(hub_url=proxy.url, timeouts=QUICK, batch=4)
        for fault in NETWORK_FAULTS:
            before = len(hub_log(hub.db, "bench-1"))
            notes(a, 6)  # two batches: the fault hits the first, the second never goes
            proxy.plan(fault, p.PUSH)
            report = cycle(syncer)
            assert proxy.applied()[-1] is fault
            assert (report is not None) == (fault is Fault.DUPLICATE), fault
            held = assert_prefix(hub.db, a.db, "bench-1")
            if fault is not Fault.DUPLICATE:
                # The hub committed the first batch unless the request itself was cut.
                assert len(held) == before + (0 if fault is Fault.RESET_REQUEST else 4), fault
            assert cycle(syncer) is not None, fault  # healed
            assert_converged(hub.db, a.db, "bench-1")
        # The same faults on the pull: the feed is applied once its page has arrived whole.
        hub.load("catalog", "sku,name,barcode,weight_g\nMUG,Mug,INT-MUG-01|INT-MUG-02,365\n")
        for fault in (Fault.DROP_REPLY, Fault.RESET_REPLY):
            proxy.plan(fault, p.PULL)
            assert cycle(syncer) is None, fault
        report = cycle(syncer)
        assert report is not None and report.pulled == 1
    assert len(hub_log(hub.db, "bench-1")) == 30


@BOTH
def test_a_500_at_event_k_rolls_the_batch_back_and_a_poison_event_never_blocks(
    hub: HubUnderTest, make_station: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = FailingHub(monkeypatch)
    a = make_station("bench-1")
    a.sync()
    notes(a, 2)
    poison = add_event(a.db, "pack.completed", {"station": "bench-1"})  # names no order
    pack(a, "SO-1002", MUG)
    syncer = a.syncer(batch=5)
    failing.arm(3)  # the third event the hub applies, in the first batch
    assert cycle(syncer) is None
    assert failing.fired == 1
    assert hub_log(hub.db, "bench-1") == []  # events 1 and 2 were written, then rolled back
    failing.arm(7)  # the second batch this time; the first, with the poison, went through
    assert cycle(syncer) is None
    assert [q for q, _, _ in hub_log(hub.db, "bench-1")] == [1, 2, 3, 4, 5]
    report = cycle(syncer)
    assert report is not None and (report.pushed, report.pending, report.dead_letters) == (3, 0, 1)
    assert_converged(hub.db, a.db, "bench-1")
    assert [(d.station_seq, d.code) for d in dead_letters(a.db)] == [(poison, "invalid_payload")]
    assert hub_log(hub.db, "bench-1")[poison - 1][2] == "rejected"


@BOTH
def test_a_photo_upload_cut_corrupted_and_duplicated_arrives_whole_once(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    sha, data = photo(a, 700_000)  # three chunks
    add_event(a.db, "photo.taken", {"station": "bench-1", "order": "SO-1001"}, [sha])
    put = p.BLOB.format(sha256=sha)
    with FaultProxy(hub.url) as proxy:
        syncer = a.syncer(hub_url=proxy.url, timeouts=QUICK)
        proxy.plan(Fault.RESET_REQUEST, put)  # the first chunk cut mid-body: nothing kept
        assert cycle(syncer) is None
        assert blob_offset(hub, sha) == 0
        proxy.plan(Fault.RESET_REPLY, put, after=1)  # the hub keeps chunk 2, we never hear
        assert cycle(syncer) is None
        assert blob_offset(hub, sha) == 2 * CHUNK_BYTES
        proxy.plan(Fault.CORRUPT, put)  # the last chunk, resumed at the hub's offset, damaged
        assert cycle(syncer) is None
        assert blob_offset(hub, sha) == 0  # the hash did not match: the hub threw it away
        assert stored(hub, sha) is None
        proxy.plan(Fault.DUPLICATE, put, after=2)  # the last chunk twice at once
        report = cycle(syncer)
        assert report is not None and (report.pushed, report.blobs) == (1, 1)
        assert proxy.applied() == [
            Fault.RESET_REQUEST,
            Fault.RESET_REPLY,
            Fault.CORRUPT,
            Fault.DUPLICATE,
        ]
    assert stored(hub, sha) == data
    with hub.db.read() as s:
        assert s.scalars(select(HubBlob.size).where(HubBlob.sha256 == sha)).all() == [len(data)]
        assert s.scalars(select(HubEvent.blob_hashes)).all() == [[sha]]
    assert_converged(hub.db, a.db, "bench-1")


def blob_offset(hub: HubUnderTest, sha: str) -> int:
    """How far the hub's upload of ``sha`` stands."""
    part = hub.folder / "blobs" / "partial" / sha
    return part.stat().st_size if part.exists() else 0


@pytest.mark.parametrize("hub_backend", ["postgresql"], indirect=True)
def test_two_uploads_finishing_one_photo_at_once_both_succeed(
    hub: HubUnderTest, make_station: Make
) -> None:
    # What a duplicated last chunk can do: both copies find the blob complete and record it
    # at the same moment. Their first statements on hub_blobs meet at a barrier, so the race
    # happens every time. (PostgreSQL only: SQLite's single writer cannot race here.)
    a = make_station("bench-1")
    sha, data = photo(a, 1000)
    barrier = threading.Barrier(2, timeout=10)
    arrivals = itertools.count()

    def meet(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "hub_blobs" in statement and next(arrivals) < 2:
            barrier.wait()

    event.listen(hub.db.engine, "before_cursor_execute", meet)
    enrolment = load_enrolment(a.db)
    assert enrolment is not None
    answers: list[int] = []

    def upload() -> None:
        with HubClient(hub.url, enrolment.token) as client:
            try:
                answers.append(int(client.upload_chunk(sha, 0, len(data), data).complete))
            except HubUnavailable:
                answers.append(500)

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [1, 1]
    with hub.db.read() as s:
        assert s.scalars(select(HubBlob.sha256)).all() == [sha]
