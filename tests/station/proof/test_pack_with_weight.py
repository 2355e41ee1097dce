"""A whole pack with a scale: pass, mismatch, re-weigh, correction, overrides, unknown weights.

Fixture catalog: every product weighs 100 g, the only box type (BOX-M) 180 g, packing
material 15 g, tolerance 20 g / 3 %. SO-1001 is 2 x MUG + 1 x TEE: 300 + 180 + 15 = 495 g.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drivers.scale.model import ScaleState
from station.db import Database
from station.outbox import outbox_gaps
from station.packing.service import PackService
from station.packing.verdicts import Severity, Verdict
from tests.station.packfixtures import MUG, PHONE, TEE
from tests.station.proof.prooffixtures import prove, rows, stable, state


def packed(svc: PackService) -> None:
    svc.scan("SO-1001")
    for code in (MUG, MUG, TEE):
        assert svc.scan(code).verdict is Verdict.ACCEPTED


def status(db: Database) -> list[tuple[object, ...]]:
    return rows(db, "SELECT weight_status, weight_g, expected_weight_g FROM packages ORDER BY id")


def test_weigh_pass_then_complete(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path)
    packed(svc)
    first = svc.complete()
    assert first.verdict is Verdict.NOT_COMPLETE and "weigh it first" in first.message
    ok = svc.record_weight(stable(500))
    assert ok.verdict is Verdict.WEIGHT_PASS and ok.severity is Severity.OK
    assert ok.extra["expected_g"] == 495 and ok.extra["difference_g"] == 5
    assert "box not scanned: assumed BOX-M" in ok.message
    assert status(db) == [("pass", 500.0, 495.0)]
    assert svc.override_weight("BADGE-SAM", "why not").verdict is Verdict.NOT_ALLOWED
    assert svc.complete().verdict is Verdict.COMPLETED
    readings = rows(
        db, "SELECT weight_g, scale_state, expected_g, tolerance_g, decision FROM weight_readings"
    )
    assert readings == [(500.0, "stable", 495.0, 20.0, "pass")]
    events = [r[0] for r in rows(db, "SELECT type FROM outbox ORDER BY station_seq")]
    assert events.count("weight.recorded") == 1 and events[-2] == "pack.completed"
    con = db.engine.raw_connection()
    assert outbox_gaps(con.cursor()) == []  # type: ignore[arg-type]
    con.close()
    svc.close()


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (ScaleState.MOVING, "moving"),
        (ScaleState.NEGATIVE, "below zero"),
        (ScaleState.OVERLOAD, "overloaded"),
        (ScaleState.FAULT, "fault (Error 1b)"),
    ],
)
def test_states_are_states_never_zero(
    db: Database, tmp_path: Path, kind: ScaleState, words: str
) -> None:
    svc = prove(db, tmp_path)
    packed(svc)
    out = svc.record_weight(state(kind, 480.0 if kind is ScaleState.MOVING else None, "Error 1b"))
    assert out.verdict is Verdict.WEIGHT_UNSTABLE and words in out.message
    assert out.extra["scale_state"] == kind.value
    # Recorded as a state with no weight; the package is still not weighed.
    assert rows(db, "SELECT weight_g, scale_state, decision FROM weight_readings") == [
        (None, kind.value, "unstable")
    ]
    assert status(db) == [("pending", None, None)]
    assert svc.complete().verdict is Verdict.NOT_COMPLETE
    svc.close()


def test_mismatch_blocks_completion_until_reweighed(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path)
    packed(svc)
    light = svc.record_weight(stable(396))
    assert light.verdict is Verdict.WEIGHT_MISMATCH and light.severity is Severity.ERROR
    assert light.extra["hint"] == "≈ 1 × MUG or TEE missing"
    assert (light.extra["expected_g"], light.extra["difference_g"]) == (495.0, -99.0)
    refused = svc.complete()
    assert refused.verdict is Verdict.NOT_COMPLETE
    assert "weighs 396 g, expected 495 g" in refused.message
    heavy = svc.record_weight(stable(597))
    assert heavy.extra["hint"] == "≈ 1 × MUG or TEE extra"
    assert svc.record_weight(stable(491)).verdict is Verdict.WEIGHT_PASS
    assert svc.complete().verdict is Verdict.COMPLETED
    decisions = [r[0] for r in rows(db, "SELECT decision FROM weight_readings ORDER BY id")]
    assert decisions == ["fail", "fail", "pass"]
    svc.close()


def test_correction_resets_the_check_to_pending(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path)
    packed(svc)
    svc.record_weight(stable(396))
    assert svc.undo().verdict is Verdict.UNDONE  # the tee comes out again
    assert status(db) == [("pending", None, None)]
    assert svc.record_weight(stable(397)).verdict is Verdict.WEIGHT_PASS  # 2 mugs: 395 g
    assert svc.scan(TEE).verdict is Verdict.ACCEPTED  # content changed: weigh again
    assert status(db)[0][0] == "pending"
    assert svc.complete().verdict is Verdict.NOT_COMPLETE
    svc.scan("BOX-M")  # the box scanned: no longer an assumption
    out = svc.record_weight(stable(497))
    assert out.verdict is Verdict.WEIGHT_PASS and "assumed" not in out.message
    assert svc.complete().verdict is Verdict.COMPLETED
    svc.close()


def test_override_by_a_supervisor_not_the_packer(db: Database, tmp_path: Path) -> None:
    # Not weighed at all (a broken scale) may be overridden too; here the weight is wrong.
    svc = prove(db, tmp_path)
    svc.scan("BADGE-ALICE")
    packed(svc)
    svc.record_weight(stable(380))
    own = svc.override_weight("BADGE-ALICE", "I packed it right")
    assert own.verdict is Verdict.NEEDS_SUPERVISOR
    assert svc.override_weight("BADGE-SAM", "  ").verdict is Verdict.NOT_ALLOWED
    ok = svc.override_weight("BADGE-SAM", "mugs of this batch are lighter")
    assert ok.verdict is Verdict.WEIGHT_OVERRIDE and "sam" in ok.message
    assert svc.complete().verdict is Verdict.COMPLETED
    assert status(db) == [("override", 380.0, 495.0)]
    last = rows(
        db,
        "SELECT r.decision, r.reason, u.name FROM weight_readings r"
        " JOIN users u ON u.id = r.approved_by ORDER BY r.id DESC LIMIT 1",
    )
    assert last == [("override", "mugs of this batch are lighter", "sam")]
    assert rows(db, "SELECT kind, detail FROM exceptions") == [
        ("weight_override", "mugs of this batch are lighter")
    ]
    assert rows(db, "SELECT action FROM audit_log WHERE action LIKE 'approve.%'") == [
        ("approve.weight_override",)
    ]
    svc.close()


def test_a_supervisor_packing_cannot_override_their_own_package(
    db: Database, tmp_path: Path
) -> None:
    svc = prove(db, tmp_path)
    svc.scan("BADGE-SAM")
    packed(svc)
    svc.record_weight(stable(380))
    assert svc.override_weight("BADGE-SAM", "looks fine").verdict is Verdict.NEEDS_SUPERVISOR
    still_sam = svc.override_weight("BADGE-SAM 9999", "by badge and PIN, still sam")
    assert still_sam.verdict is Verdict.NEEDS_SUPERVISOR
    assert svc.override_weight("BADGE-SUE", "checked by sue").verdict is Verdict.WEIGHT_OVERRIDE
    svc.close()


def test_a_recorded_mismatch_blocks_even_when_weight_is_not_required(
    db: Database, tmp_path: Path
) -> None:
    svc = prove(db, tmp_path, require_weight=False)
    packed(svc)
    svc.record_weight(stable(300))
    assert svc.complete().verdict is Verdict.NOT_COMPLETE
    assert svc.record_weight(stable(490)).verdict is Verdict.WEIGHT_PASS
    assert svc.complete().verdict is Verdict.COMPLETED
    # Not required and never weighed: completes as a bench without a scale always did.
    svc.scan("SO-1002")
    for serial in ("SN-1", "SN-2"):
        assert svc.scan(f"]C101{PHONE.zfill(14)}21{serial}").verdict is Verdict.ACCEPTED
    assert svc.complete().verdict is Verdict.COMPLETED
    svc.close()


def test_unknown_weight_needs_a_supervisor_and_is_learned(db: Database, tmp_path: Path) -> None:
    con = db.engine.raw_connection()
    con.cursor().execute("UPDATE products SET unit_weight_g = NULL WHERE sku = 'TEE'")
    con.commit()
    con.close()
    svc = prove(db, tmp_path)
    svc.scan("BADGE-ALICE")
    packed(svc)
    svc.scan("BOX-M")
    out = svc.record_weight(stable(645))  # 200 + 180 + 15 known, the tee 250 g
    assert out.verdict is Verdict.WEIGHT_UNKNOWN and out.awaiting == "supervisor"
    assert out.message.startswith("unknown weight for TEE: supervisor check")
    assert status(db) == [("unknown", 645.0, 395.0)]
    assert "supervisor check" in svc.complete().message
    assert svc.override_weight("BADGE-SAM", "tee weighed by hand").verdict is (
        Verdict.WEIGHT_OVERRIDE
    )
    learned = rows(
        db, "SELECT unit_weight_g, weight_estimated, weight_samples FROM products WHERE sku='TEE'"
    )
    assert learned == [(250.0, 1, 1)]
    assert rows(db, "SELECT entity_id FROM audit_log WHERE action = 'weight.learned'") == [("TEE",)]
    assert svc.complete().verdict is Verdict.COMPLETED
    svc.close()


def test_an_estimate_with_enough_samples_is_used_and_named(db: Database, tmp_path: Path) -> None:
    con = db.engine.raw_connection()
    con.cursor().execute(
        "UPDATE products SET unit_weight_g = 250, weight_estimated = 1, weight_samples = 3"
        " WHERE sku = 'TEE'"
    )
    con.commit()
    con.close()
    svc = prove(db, tmp_path)
    packed(svc)
    svc.scan("BOX-M")
    out = svc.record_weight(stable(655))
    assert out.verdict is Verdict.WEIGHT_PASS
    assert "estimated weight for TEE" in out.message and out.extra["estimated"] == ["TEE"]
    # The pass refines the estimate: (655 - 200 - 180 - 15) = 260 into a mean of 3 x 250.
    learned = rows(db, "SELECT unit_weight_g, weight_samples FROM products WHERE sku='TEE'")
    assert learned == [(252.5, 4)]
    reason = rows(db, "SELECT reason FROM weight_readings")[0][0]
    assert "estimated weight for TEE" in str(reason)
    svc.close()


def test_each_package_is_weighed_before_it_is_closed(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path)
    svc.scan("SO-1001")
    svc.scan(MUG)
    refused = svc.new_package()
    assert (
        refused.verdict is Verdict.NOT_COMPLETE and "package 1: weigh it first" in refused.message
    )
    assert svc.record_weight(stable(296)).verdict is Verdict.WEIGHT_PASS  # 100 + 180 + 15
    assert svc.new_package().verdict is Verdict.PACKAGE_OPENED
    svc.scan(MUG)
    svc.scan(TEE)
    assert svc.record_weight(stable(396)).verdict is Verdict.WEIGHT_PASS
    assert svc.complete().verdict is Verdict.COMPLETED
    assert [r[0] for r in status(db)] == ["pass", "pass"]
    svc.close()


def test_net_weight_leaves_the_box_out(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path)
    packed(svc)
    out = svc.record_weight(stable(318, net=True))  # box tared away: 300 + 15
    assert out.verdict is Verdict.WEIGHT_PASS and "net weight" in out.message
    payload = json.loads(
        str(rows(db, "SELECT payload FROM outbox WHERE type='weight.recorded'")[0][0])
    )
    assert payload["decision"] == "pass" and payload["order"] == "SO-1001"
    svc.close()


def test_no_order_open_records_nothing(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path)
    assert svc.record_weight(stable(100)).verdict is Verdict.NO_ORDER_OPEN
    assert svc.override_weight("BADGE-SAM", "x").verdict is Verdict.NO_ORDER_OPEN
    assert rows(db, "SELECT count(*) FROM weight_readings") == [(0,)]
    assert svc.suggest_box() is None and svc.expected_weight() is None
    svc.close()


def test_box_suggestion_and_expected_weight_of_the_open_package(
    db: Database, tmp_path: Path
) -> None:
    svc = prove(db, tmp_path)
    packed(svc)
    suggestion = svc.suggest_box()
    assert suggestion is not None and suggestion.box is not None
    assert suggestion.box.code == "BOX-M"
    assert suggestion.assumed_small == ("MUG", "TEE")
    expected = svc.expected_weight()
    assert expected is not None and expected.expected_g == 495.0
    svc.close()


def test_an_empty_last_box_needs_no_weight(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path)
    svc.scan("SO-1001")
    for code in (MUG, MUG):
        svc.scan(code)
    svc.record_weight(stable(396))  # 200 + 180 + 15
    svc.new_package()
    assert svc.short_ship(2, 1, "out_of_stock", approver="BADGE-SAM").ready_to_complete
    assert svc.complete().verdict is Verdict.COMPLETED  # package 2 is empty: nothing to weigh
    svc.close()
