"""Which scale readings become weighings of the open box (``station.packing.weighing``), through
the pack bench on the real engine and database, without Qt.

Readings carry the driver's own timestamp (``ScaleUpdate.at``) and scans the time they were
taken; a weighing may only use a plateau that settled after the last unit's scan, whatever
order readings and scans reach the bench in (issue 21: a stale plateau judged as the box).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.registry import Listeners, ScaleDeviceConfig, build_registry
from drivers.scale.emulator import ScaleEmulator
from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from station.barcodes import Interpreter
from station.config import BarcodeSettings
from station.packing.bench import PackBench, Reply
from station.packing.proof import ProofOptions
from station.packing.verdicts import Outcome, Verdict
from tests.station.packfixtures import MUG, TEE, build_db, make_service

EXPECTED_G = 2 * 100 + 100 + 180 + 15  # two mugs, a tee, the assumed BOX-M, packing material
OLD_G = EXPECTED_G - 100  # the box before the tee went in


class Clock:
    """A monotonic clock the test moves by hand (scans and readings share it)."""

    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        self.t += 0.015  # a reading or a scan every 15 ms
        return self.t


def stable(grams: float, at: float, accepted: bool = True) -> ScaleUpdate:
    reading = ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams / 1000:.3f} kg")
    return ScaleUpdate(reading, accepted, at)


def moving(grams: float, at: float) -> ScaleUpdate:
    reading = ScaleReading(ScaleState.MOVING, grams, 1.0, f"S D {grams / 1000:.3f} kg")
    return ScaleUpdate(reading, False, at)


def outcome(reply: Reply | None) -> Outcome | None:
    if reply is None:
        return None
    assert isinstance(reply.result, Outcome), reply
    return reply.result


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bench(tmp_path: Path, clock: Clock) -> Iterator[PackBench]:
    db = build_db(tmp_path / "w.sqlite")
    svc = make_service(db, proof=ProofOptions(require_weight=True))
    yield PackBench(svc, Interpreter(BarcodeSettings()), clock=clock)
    svc.close()
    db.close()


def scan(bench: PackBench, *codes: str) -> None:
    for code in codes:
        bench.scan(code)


def test_the_weight_at_the_last_scan_is_not_the_boxs(bench: PackBench, clock: Clock) -> None:
    scan(bench, "SO-1001", MUG, MUG)
    assert bench.reading(stable(400, clock())) is None  # not everything packed yet
    scan(bench, TEE)  # scanned with the tee still in hand: 400 g on the platter
    assert bench.reading(stable(400, clock())) is None
    assert bench.reading(stable(5, clock())) is None  # the box lifted off: no weighing
    weighed = outcome(bench.reading(stable(EXPECTED_G, clock())))  # the tee went in
    assert weighed is not None and weighed.verdict is Verdict.WEIGHT_PASS
    assert bench.reading(stable(EXPECTED_G, clock())) is None  # once per weight
    done = outcome(bench.scan("CMD-COMPLETE"))  # decided at this weight: the close goes ahead
    assert done is not None and done.verdict is Verdict.COMPLETED


def test_a_plateau_still_settling_at_the_last_scan_is_not_the_boxs(
    bench: PackBench, clock: Clock
) -> None:
    """A fast packer: the tee is scanned while the scale is still settling from the second
    mug; the plateau it settles on begins after the scan but lacks the tee (issue 21)."""
    scan(bench, "SO-1001", MUG)
    bench.reading(stable(OLD_G - 100, clock()))  # the box with one mug
    scan(bench, MUG)
    assert bench.reading(moving(OLD_G, clock())) is None  # the second mug landing
    scan(bench, TEE)  # scanned before the scale settled
    assert bench.reading(stable(OLD_G, clock())) is None  # settles after the scan, lacks the tee
    assert bench.reading(stable(OLD_G, clock())) is None
    assert bench.reading(moving(EXPECTED_G, clock())) is None  # the tee goes in
    weighed = outcome(bench.reading(stable(EXPECTED_G, clock())))
    assert weighed is not None and weighed.verdict is Verdict.WEIGHT_PASS
    assert bench.service.state is not None and bench.service.state.complete


def test_a_late_reading_of_the_scans_time_still_counts_as_the_weight_then(
    bench: PackBench, clock: Clock
) -> None:
    """The scale's reading taken just before the tee's scan reaches the bench after it: by its
    own time it is the weight at the scan, so the plateau at that weight is not the box's."""
    scan(bench, "SO-1001", MUG, MUG)
    before_scan = clock()
    scan(bench, TEE)
    assert bench.reading(moving(OLD_G, before_scan)) is None  # taken before the scan, late
    assert bench.reading(stable(OLD_G, clock())) is None
    weighed = outcome(bench.reading(stable(EXPECTED_G, clock())))
    assert weighed is not None and weighed.verdict is Verdict.WEIGHT_PASS


def test_the_same_weight_again_after_the_platter_left_it_is_a_new_plateau(
    bench: PackBench, clock: Clock
) -> None:
    scan(bench, "SO-1001", MUG, MUG)
    assert bench.reading(moving(EXPECTED_G, clock())) is None  # the tee dropped in, then ...
    scan(bench, TEE)  # ... scanned while the scale still moved
    assert bench.reading(stable(0, clock())) is None  # the box lifted off and put back:
    weighed = outcome(bench.reading(stable(EXPECTED_G, clock())))  # a plateau of its own
    assert weighed is not None and weighed.verdict is Verdict.WEIGHT_PASS


def test_a_box_weighed_before_its_last_scan_is_weighed_at_the_close(
    bench: PackBench, clock: Clock
) -> None:
    scan(bench, "SO-1001", MUG, MUG)
    bench.reading(stable(EXPECTED_G, clock()))  # the tee went in before it was scanned
    scan(bench, TEE)
    assert bench.reading(stable(EXPECTED_G, clock())) is None  # settled before the scan
    done = outcome(bench.scan("CMD-COMPLETE"))  # weighed at the close, and it passes
    assert done is not None and done.verdict is Verdict.COMPLETED
    assert bench.service.state is None


def test_a_mismatch_stops_the_close_and_a_held_reading_waits(
    bench: PackBench, clock: Clock
) -> None:
    scan(bench, "SO-1001", MUG, MUG, TEE, "NOT-A-CODE")  # an error waits on screen
    assert bench.pending
    assert bench.reading(stable(EXPECTED_G + 80, clock())) is None  # held: nothing shown
    bench.acknowledge()
    heavy = outcome(bench.reading(stable(EXPECTED_G + 80, clock())))  # weighed now
    assert heavy is not None and heavy.verdict is Verdict.WEIGHT_MISMATCH
    assert bench.pending  # a mismatch is an error like a wrong item
    bench.acknowledge()
    refused = outcome(bench.scan("CMD-COMPLETE"))
    assert refused is not None and refused.verdict is Verdict.NOT_COMPLETE
    moving = ScaleReading(ScaleState.MOVING, 500.0, 1.0, "S D 0.500 kg")
    bench.reading(ScaleUpdate(moving, False, clock()))
    nothing = outcome(bench.weigh("Weigh", "none"))
    assert nothing is not None and nothing.message == "none"  # moving: nothing to weigh now


def stream(emulator: ScaleEmulator, updates: list[ScaleUpdate], grams: float) -> None:
    """Put ``grams`` on the platter and wait for the driver to accept a few readings of it."""
    before = len(updates)
    emulator.set_weight(f"{grams / 1000:.3f}")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        fresh = updates[before:]
        if sum(1 for u in fresh if u.accepted and u.reading.weight_g == grams) >= 4:
            return
        time.sleep(0.01)
    raise AssertionError(f"the scale driver never accepted {grams} g")


def test_a_streaming_scale_and_the_last_scan_in_every_order_give_no_mismatch(
    tmp_path: Path,
) -> None:
    """The real MT-SICS driver polling its emulator every 15 ms: the old plateau, the tee's
    scan, the new plateau. The scan reaches the bench at every position of the stream of
    readings (as a slow GUI or worker would deliver it); no position gives a mismatch."""
    updates: list[ScaleUpdate] = []
    lock = threading.Lock()

    def on_reading(update: ScaleUpdate) -> None:
        with lock:
            updates.append(update)

    config = ScaleDeviceConfig(
        kind="emulated", protocol="mt-sics", unit="kg", poll_interval_s=0.015, demo_weight="0.000"
    )
    device = build_registry().scale(config, Listeners(on_reading=on_reading))
    assert isinstance(device.emulator, ScaleEmulator)
    device.start()
    try:
        stream(device.emulator, updates, OLD_G)
        scanned_at = time.monotonic()  # the tee is scanned, then put in the box
        stream(device.emulator, updates, EXPECTED_G)
    finally:
        device.stop()
    old = [u for u in updates if u.at < scanned_at and u.reading.weight_g == OLD_G][-6:]
    new = [u for u in updates if u.at > scanned_at][:8]
    assert old and any(u.accepted for u in old) and any(u.accepted for u in new)
    feed = old + new
    gaps = [b.at - a.at for a, b in itertools.pairwise(feed)]
    assert max(gaps[: len(old) - 1]) < 0.1  # streaming: a reading every few tens of ms

    db = build_db(tmp_path / "w.sqlite")
    try:
        for position in range(len(feed) + 1):
            svc = make_service(db, proof=ProofOptions(require_weight=True))
            bench = PackBench(svc, Interpreter(BarcodeSettings()))
            try:
                before = feed[0].at - 1.0  # the order and the mugs, before the stream
                seen = [bench.scan(code, at=before) for code in ("SO-1001", MUG, MUG)]
                for update in feed[:position]:
                    seen.append(bench.reading(update))
                seen.append(bench.scan(TEE, at=scanned_at))
                for update in feed[position:]:
                    seen.append(bench.reading(update))
                seen.append(bench.scan("CMD-COMPLETE", at=time.monotonic()))
                verdicts = [o.verdict for r in seen if (o := outcome(r)) is not None]
                assert Verdict.WEIGHT_MISMATCH not in verdicts, (position, verdicts)
                # Completed needs a passed weight: weighed by the stream, or at the close.
                assert verdicts[-1] is Verdict.COMPLETED, (position, verdicts)
                assert verdicts.count(Verdict.WEIGHT_PASS) <= 1, (position, verdicts)
            finally:
                svc.close()
            # The next position packs the same order again.
            with db.engine.begin() as conn:
                conn.exec_driver_sql("UPDATE orders SET status = 'open' WHERE number = 'SO-1001'")
    finally:
        db.close()
