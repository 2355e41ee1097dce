"""Scale-confirmed scans: each unit scanned must have raised the stable weight by one unit.

The packer puts the unit in the box on the scale, then scans it. Every product weighs 100 g;
the empty box 180 g.
"""

from __future__ import annotations

from pathlib import Path

from drivers.scale.model import ScaleState
from station.config import WeightSettings
from station.db import Database
from station.packing.service import PackService
from station.packing.verdicts import Verdict
from tests.station.packfixtures import MUG, TEE
from tests.station.proof.prooffixtures import prove, rows, stable, state

CONFIRMED = WeightSettings(scale_confirmed_scans=True, scan_tolerance_g=10.0)


def confirmed(db: Database, tmp_path: Path) -> PackService:
    svc = prove(db, tmp_path, weight=CONFIRMED)
    svc.scan("SO-1001")
    svc.observe_weight(stable(0))
    svc.observe_weight(stable(180))  # the empty box goes on the scale
    return svc


def packed_count(svc: PackService) -> list[int]:
    assert svc.state is not None
    return [line.packed for line in svc.state.lines]


def test_each_unit_confirmed_by_its_weight(db: Database, tmp_path: Path) -> None:
    svc = confirmed(db, tmp_path)
    svc.observe_weight(stable(281))
    assert svc.scan(MUG).verdict is Verdict.ACCEPTED
    svc.observe_weight(stable(379))
    assert svc.scan(MUG).verdict is Verdict.ACCEPTED
    svc.observe_weight(stable(480))
    assert svc.scan(TEE).verdict is Verdict.ACCEPTED
    assert svc.record_weight(stable(495)).verdict is Verdict.WEIGHT_PASS
    assert svc.complete().verdict is Verdict.COMPLETED
    decisions = [r[0] for r in rows(db, "SELECT decision FROM weight_readings ORDER BY id")]
    assert decisions == ["scan_pass", "scan_pass", "scan_pass", "pass"]
    svc.close()


def test_a_unit_scanned_twice_is_caught_and_not_counted(db: Database, tmp_path: Path) -> None:
    svc = confirmed(db, tmp_path)
    svc.observe_weight(stable(280))
    assert svc.scan(MUG).verdict is Verdict.ACCEPTED
    twice = svc.scan(MUG)  # same unit again: the weight did not move
    assert twice.verdict is Verdict.SCAN_WEIGHT_MISMATCH
    assert "scanned twice" in twice.message
    assert packed_count(svc) == [1, 0]
    stored = rows(db, "SELECT verdict, quantity, order_line_id FROM scans ORDER BY id DESC LIMIT 1")
    assert stored == [("scan_weight_mismatch", 0, None)]
    fail = rows(db, "SELECT weight_g, decision FROM weight_readings ORDER BY id DESC LIMIT 1")
    assert fail == [(280.0, "scan_fail")]
    svc.close()


def test_an_item_dropped_in_unscanned_is_caught(db: Database, tmp_path: Path) -> None:
    svc = confirmed(db, tmp_path)
    svc.observe_weight(stable(380))  # two units went in, one is scanned
    dropped = svc.scan(MUG)
    assert dropped.verdict is Verdict.SCAN_WEIGHT_MISMATCH
    assert "≈ 2 × MUG for 1 scanned" in dropped.message
    assert packed_count(svc) == [0, 0]
    svc.observe_weight(stable(280))  # one taken out again
    assert svc.scan(MUG).verdict is Verdict.ACCEPTED
    # The tee goes in unscanned; the next mug's scan finds two units' worth.
    svc.observe_weight(stable(380))
    svc.observe_weight(stable(480))
    assert svc.scan(MUG).verdict is Verdict.SCAN_WEIGHT_MISMATCH
    # With a quantity of 2 the same rise is right (here: the second mug and the tee).
    svc.scan("QTY-2")
    assert svc.scan(MUG).verdict is Verdict.OVER_SCAN  # only one mug left in the order
    svc.close()


def test_a_moving_or_silent_scale_counts_nothing(db: Database, tmp_path: Path) -> None:
    silent = prove(db, tmp_path, weight=CONFIRMED)
    silent.scan("SO-1001")
    out = silent.scan(MUG)
    assert out.verdict is Verdict.WEIGHT_UNSTABLE and "silent" in out.message
    silent.close()
    svc = confirmed(db, tmp_path)
    svc.observe_weight(state(ScaleState.MOVING, 250.0))
    moving = svc.scan(MUG)
    assert moving.verdict is Verdict.WEIGHT_UNSTABLE and "moving" in moving.message
    assert packed_count(svc) == [0, 0]
    svc.observe_weight(stable(280))
    assert svc.scan(MUG).verdict is Verdict.ACCEPTED
    svc.close()


def test_undo_then_the_next_unit_is_checked_from_the_plateau_before(
    db: Database, tmp_path: Path
) -> None:
    svc = confirmed(db, tmp_path)
    svc.observe_weight(stable(280))
    svc.scan(MUG)
    svc.observe_weight(stable(380))
    svc.scan(MUG)
    assert svc.undo().verdict is Verdict.UNDONE
    svc.observe_weight(stable(280))  # the undone mug comes out
    svc.observe_weight(stable(380))  # and goes back in
    assert svc.scan(MUG).verdict is Verdict.ACCEPTED
    assert packed_count(svc) == [2, 0]
    svc.close()


def test_a_product_without_weight_is_accepted_unchecked_and_says_so(
    db: Database, tmp_path: Path
) -> None:
    con = db.engine.raw_connection()
    con.cursor().execute("UPDATE products SET unit_weight_g = NULL WHERE sku = 'TEE'")
    con.commit()
    con.close()
    svc = confirmed(db, tmp_path)
    svc.observe_weight(stable(430))
    assert svc.scan(TEE).verdict is Verdict.ACCEPTED
    skip = rows(db, "SELECT decision, reason FROM weight_readings")
    assert skip == [("scan_skip", "not checked by weight: no known weight for TEE")]
    svc.close()


def test_scanned_before_it_went_in_then_put_in(db: Database, tmp_path: Path) -> None:
    svc = confirmed(db, tmp_path)
    early = svc.scan(MUG)  # the box alone: compared with the empty scale, +180 g is no mug
    assert early.verdict is Verdict.SCAN_WEIGHT_MISMATCH and "+180 g" in early.message
    svc.observe_weight(stable(280))
    assert svc.scan(MUG).verdict is Verdict.ACCEPTED
    svc.close()
