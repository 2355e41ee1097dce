"""Which stable readings become weighings of the open box (``ui.pack.weighing``), on the real
pack engine and database, without Qt: the rules the pack screen's weight panel relies on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.scale.model import ScaleReading, ScaleState
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Verdict
from tests.station.packfixtures import MUG, TEE, build_db, make_service
from ui.pack.weighing import WeightFeed

EXPECTED_G = 2 * 100 + 100 + 180 + 15  # two mugs, a tee, the assumed BOX-M, packing material


def stable(grams: float) -> ScaleReading:
    return ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams / 1000:.3f} kg")


@pytest.fixture
def service(tmp_path: Path) -> Iterator[PackService]:
    db = build_db(tmp_path / "w.sqlite")
    svc = make_service(db, proof=ProofOptions(require_weight=True))
    yield svc
    svc.close()
    db.close()


def pack(svc: PackService, feed: WeightFeed, *codes: str) -> None:
    for code in codes:
        feed.after(svc.scan(code))


def test_the_weight_at_the_last_scan_is_not_the_boxs(service: PackService) -> None:
    feed = WeightFeed(service)
    pack(service, feed, "SO-1001", MUG, MUG)
    assert feed.stable(stable(400), hold=False) is None  # not everything packed yet
    pack(service, feed, TEE)  # scanned with the tee still in hand: 400 g on the platter
    assert feed.stable(stable(400), hold=False) is None
    assert feed.stable(stable(5), hold=False) is None  # the box lifted off: no weighing
    weighed = feed.stable(stable(EXPECTED_G), hold=False)  # the tee went in
    assert weighed is not None and weighed.verdict is Verdict.WEIGHT_PASS
    assert feed.stable(stable(EXPECTED_G), hold=False) is None  # once per weight
    assert feed.before_close() is None  # decided at this weight: the close goes ahead
    assert service.complete().verdict is Verdict.COMPLETED


def test_a_box_weighed_before_its_last_scan_is_weighed_at_the_close(
    service: PackService,
) -> None:
    feed = WeightFeed(service)
    pack(service, feed, "SO-1001", MUG, MUG)
    feed.stable(stable(EXPECTED_G), hold=False)  # the tee went in before it was scanned
    pack(service, feed, TEE)
    assert feed.stable(stable(EXPECTED_G), hold=False) is None  # not a new plateau
    assert feed.before_close() is None  # weighed now, and it passes
    assert service.complete().verdict is Verdict.COMPLETED


def test_a_mismatch_stops_the_close_and_a_held_reading_waits(service: PackService) -> None:
    feed = WeightFeed(service)
    pack(service, feed, "SO-1001", MUG, MUG, TEE)
    assert feed.stable(stable(EXPECTED_G + 80), hold=True) is None  # an error is on screen
    heavy = feed.stable(stable(EXPECTED_G + 80), hold=False)  # acknowledged: weighed now
    assert heavy is not None and heavy.verdict is Verdict.WEIGHT_MISMATCH
    assert feed.before_close() is None  # already decided: the engine refuses the close
    assert service.complete().verdict is Verdict.NOT_COMPLETE
    feed.reading(ScaleReading(ScaleState.MOVING, 500.0, 1.0, "S D 0.500 kg"))
    assert feed.weigh_now("none").message == "none"  # moving: nothing to weigh now
