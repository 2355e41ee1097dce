"""Grading, disposition, override (audited), photos, stock, tags and completion of a parcel."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np

from station.config import Settings
from station.db import Database
from station.outbox import outbox_gaps
from station.photos import PhotoStore
from station.printing.queue import PrintQueue
from station.returns.rmas import RmaLine
from station.returns.service import InspectionService
from station.returns.tags import QueuedTags, TagRequest, job_key
from station.returns.verdicts import ReturnVerdict as V
from tests.station.packfixtures import GLUE, MUG, PHONE, TEE, VITAMINS
from tests.station.returns.returnfixtures import inspector, no_printer

SEALED = {
    "packaging_intact": True,
    "accessories": True,
    "functions": None,
    "cosmetic_damage": False,
    "hygiene_seal": None,
}
SCRATCHED = {**SEALED, "packaging_intact": False, "functions": True, "cosmetic_damage": True}


def rows(db: Database, sql: str, *args: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db.path)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def receive(svc: InspectionService, *codes: str) -> int:
    out = None
    for code in codes:
        out = svc.scan(code)
    assert out is not None and out.item is not None, out
    return out.item.id


def test_grade_restock_and_tag_in_one_go(db: Database, tmp_path: Path) -> None:
    settings = Settings(db_path=db.path)
    queue = PrintQueue(db, no_printer, "returns-1")
    svc = inspector(db, tags=QueuedTags(db, settings, queue))
    svc.scan("RMA-5001")
    item = receive(svc, MUG)
    graded = svc.assess(item, SEALED, observed_reason="no_fault_found", notes="as new")
    assert graded.verdict is V.ASSESSED and graded.item is not None
    assert (graded.item.grade, graded.item.disposition, graded.item.refund) == (
        "A",
        "restock",
        "full",
    )
    assert graded.item.observed_reason == "no_fault_found"
    assert graded.item.customer_reason == "changed_mind"
    done = svc.dispose(item)
    assert done.verdict is V.DISPOSED and done.extra["on_hand"] == 1
    assert "tag_error" not in done.extra
    assert rows(db, "SELECT on_hand FROM stock") == [(1,)]
    job = rows(db, "SELECT template, language, order_id, payload FROM print_jobs")
    assert len(job) == 1 and job[0][:2] == ("return-tag", "zpl")
    payload = job[0][3]
    assert isinstance(payload, bytes)
    assert b"RESTOCK" in payload and b"RMA-5001" in payload and f"RI-{item}".encode() in payload
    types = [r[0] for r in rows(db, "SELECT type FROM outbox ORDER BY station_seq")]
    assert types[-5:] == [
        "return.scan",
        "return.item_assessed",
        "stock.changed",
        "return.item_disposed",
        "print.queued",
    ]
    con = sqlite3.connect(db.path)
    assert outbox_gaps(con.cursor()) == []
    con.close()
    # A second disposal is refused; the catch-up finds no tag missing.
    assert svc.dispose(item).verdict is V.NOT_ALLOWED
    assert svc.catch_up_tags() == 0
    svc.close()


def test_a_tag_lost_to_a_crash_is_queued_at_the_next_start(db: Database) -> None:
    sent: list[TagRequest] = []

    def broken(tag: TagRequest) -> None:
        raise OSError("printer queue unavailable")

    svc = inspector(db, tags=broken)
    svc.scan("RMA-5001")
    item = receive(svc, MUG)
    svc.assess(item, SEALED)
    out = svc.dispose(item)
    assert out.verdict is V.DISPOSED and "unavailable" in str(out.extra["tag_error"])
    svc.close()
    again = inspector(db, tags=sent.append)
    assert again.catch_up_tags() == 1
    assert [(t.item_id, t.disposition, t.destination) for t in sent] == [(item, "restock", "Stock")]
    assert job_key(item) == f"return-item:{item}:tag"
    again.close()


def test_checklist_stops_at_the_first_deciding_answer(svc: InspectionService) -> None:
    svc.scan("RMA-5001")
    item = receive(svc, MUG)
    partial = svc.assess(item, {"packaging_intact": True})
    assert partial.verdict is V.CHECKLIST_OPEN and partial.next_question == "accessories"
    assert svc.assess(item, {"smell": True}).verdict is V.NOT_ALLOWED
    assert svc.assess(item, SEALED, observed_reason="bored").verdict is V.NOT_ALLOWED
    broken = svc.assess(item, {"functions": False})
    assert broken.item is not None and broken.item.grade == "F"


def test_photos_are_required_before_a_damaged_unit_goes(
    svc: InspectionService, tmp_path: Path
) -> None:
    svc.scan("RMA-5002")
    item = receive(svc, PHONE, "SN-A")
    graded = svc.assess(item, SCRATCHED, observed_reason="no_fault_found")
    assert graded.item is not None and graded.item.grade == "D"
    assert graded.extra["photo_required"] is True
    # D, electronics, 10 days after the sale: back to the vendor, half refunded.
    assert (graded.item.disposition, graded.item.refund_pct) == ("return_to_vendor", 50)
    assert svc.dispose(item).verdict is V.PHOTO_REQUIRED
    frame = np.full((120, 160, 3), 200, np.uint8)
    shot = svc.add_photo(item, frame, PhotoStore(tmp_path / "photos"))
    assert shot.verdict is V.PHOTO_TAKEN and shot.item is not None and shot.item.photos == 1
    assert svc.dispose(item).verdict is V.DISPOSED


def test_fault_confirmed_refunds_in_full(svc: InspectionService) -> None:
    svc.scan("RMA-5002")
    item = receive(svc, PHONE, "SN-B")
    out = svc.assess(item, {**SCRATCHED, "functions": False}, observed_reason="defective")
    assert out.item is not None
    assert (out.item.grade, out.item.disposition, out.item.refund) == ("F", "recycle", "full")


def test_fraud_goes_to_quarantine_without_refund(svc: InspectionService) -> None:
    svc.scan("RMA-5002")
    item = receive(svc, PHONE, "SN-C")
    out = svc.assess(item, SEALED)
    assert out.item is not None and out.item.fraud
    assert (out.item.disposition, out.item.refund, out.item.rule) == (
        "quarantine",
        "none",
        "fraud-hold",
    )


def test_override_is_audited_and_keeps_the_rules_answer(
    db: Database, svc: InspectionService
) -> None:
    svc.scan("BADGE-SAM")
    svc.scan("RMA-5001")
    item = receive(svc, MUG)
    svc.assess(item, SEALED)
    refused = svc.override(item, "liquidate", "partial", " ", refund_pct=40, approver="BADGE-SUE")
    assert refused.verdict is V.NOT_ALLOWED and "reason" in refused.message
    first = svc.override(
        item, "liquidate", "partial", "chipped rim", refund_pct=40, approver="BADGE-SUE"
    )
    assert first.verdict is V.OVERRIDDEN and first.item is not None
    assert (first.item.disposition, first.item.refund_pct, first.item.rule) == (
        "liquidate",
        40,
        "override",
    )
    svc.override(item, "refurbish", "none", "on second thought", approver="BADGE-SUE")
    stored = rows(db, "SELECT recommended, override_reason, override_by FROM return_items")
    recommended = json.loads(str(stored[0][0]))
    assert recommended["disposition"] == "restock" and recommended["rule"] == "sealed"
    sam = rows(db, "SELECT id FROM users WHERE name = 'sam'")[0][0]
    assert stored[0][1:] == ("on second thought", sam)
    audit = rows(db, "SELECT action, user_id, detail FROM audit_log WHERE entity = 'return_item'")
    sue = rows(db, "SELECT id FROM users WHERE name = 'sue'")[0][0]
    approvals = [("approve.disposition_override", sue)] * 2
    assert [a[:2] for a in audit] == approvals
    first_detail = json.loads(str(audit[0][2]))
    assert first_detail["from"]["disposition"] == "restock"
    assert first_detail["to"]["why"] == "chipped rim"
    # Not restocked: the override decided otherwise.
    assert svc.dispose(item).verdict is V.DISPOSED
    assert rows(db, "SELECT count(*) FROM stock") == [(0,)]


def test_complete_needs_every_unit_disposed_and_reports_what_is_missing(
    db: Database, svc: InspectionService
) -> None:
    svc.scan("RMA-5003")
    vitamins = receive(svc, VITAMINS, "LOT-V1", "281231")
    assert svc.complete().verdict is V.NOT_COMPLETE
    svc.assess(vitamins, {**SEALED, "packaging_intact": False, "hygiene_seal": False})
    svc.add_photo(vitamins, np.zeros((60, 80, 3), np.uint8), PhotoStore(db.path.parent / "p"))
    assert svc.dispose(vitamins).verdict is V.DISPOSED
    done = svc.scan("CMD-COMPLETE")
    assert done.verdict is V.COMPLETED and "1 x GLUE" in done.message
    assert done.extra["missing"] == {"GLUE": 1}
    assert done.extra["dispositions"] == {"recycle": 1}
    assert svc.state is None
    assert rows(db, "SELECT status FROM rmas WHERE number = 'RMA-5003'") == [("received",)]
    assert rows(db, "SELECT status FROM inspections") == [("completed",)]
    # The glue never came: nothing was received for it.
    assert GLUE and rows(db, "SELECT count(*) FROM return_items") == [(1,)]


def test_a_parcel_without_an_rma_gets_one_at_the_bench(
    db: Database, svc: InspectionService
) -> None:
    created = svc.create_rma("TRK-OUT-1001", [RmaLine("TEE", 1, "wrong_size")], note="no slip")
    assert created.verdict is V.RMA_CREATED and created.rma == "RMA-RETURNS-1-00001"
    assert created.order == "SO-1001"
    out = svc.scan(TEE)
    assert out.verdict is V.EXPECTED and out.item is not None
    assert out.item.customer_reason == "wrong_size"
    event = rows(db, "SELECT payload FROM outbox WHERE type = 'rma.created'")
    record = json.loads(str(event[0][0]))
    assert record["items"] == [{"sku": "TEE", "quantity": 1, "reason": "wrong_size"}]
    assert rows(db, "SELECT source, status FROM rmas WHERE number = ?", created.rma) == [
        ("bench", "receiving")
    ]
    assert svc.create_rma("SO-1002").verdict is V.INSPECTION_OPEN


def test_bench_rma_refusals(svc: InspectionService) -> None:
    assert svc.create_rma("SO-9999").verdict is V.UNKNOWN_RMA
    bad = svc.create_rma("SO-1001", [RmaLine("MUG", 0)])
    assert bad.verdict is V.NOT_ALLOWED and svc.state is None
