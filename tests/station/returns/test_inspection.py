"""The inspection session on a real database: lookups, each verdict, serial fraud, captures."""

from __future__ import annotations

import json
import sqlite3

import pytest

from station.db import Database
from station.returns.lookup import lookup
from station.returns.service import InspectionService
from station.returns.verdicts import ReturnVerdict as V
from tests.station.packfixtures import MUG, PHONE, STRAY, TEE, VITAMINS
from tests.station.returns.returnfixtures import inspector


def rows(db: Database, sql: str, *args: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db.path)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("ref", "by", "rma"),
    [
        ("RMA-5001", "rma", "RMA-5001"),
        ("RL-5001", "label", "RMA-5001"),
        ("TRK-RET-5002", "label", "RMA-5002"),
        ("SO-1003", "order", "RMA-5003"),
        ("TRK-OUT-1001", "tracking", "RMA-5001"),
        ("lovelace", "customer", "RMA-5001"),
    ],
)
def test_lookup_by_every_key(db: Database, ref: str, by: str, rma: str) -> None:
    found = lookup(db, ref)
    assert found.by == by
    assert [r.number for r in found.rmas] == [rma]


def test_lookup_finds_an_order_without_an_rma(db: Database) -> None:
    found = lookup(db, "SO-1008")
    assert found.by == "order" and not found.rmas
    assert [o.number for o in found.orders] == ["SO-1008"]
    assert lookup(db, "nobody-at-all").by == ""


def test_scanning_the_rma_barcode_opens_the_parcel(svc: InspectionService, db: Database) -> None:
    out = svc.scan("RMA-5001")
    assert out.verdict is V.RMA_OPENED and out.rma == "RMA-5001" and out.order == "SO-1001"
    assert rows(db, "SELECT status FROM rmas WHERE number = 'RMA-5001'") == [("receiving",)]
    again = svc.scan("RMA-5002")
    assert again.verdict is V.INSPECTION_OPEN


def test_each_verdict(svc: InspectionService, db: Database) -> None:
    svc.scan("RL-5001")  # the return label on the parcel
    expected = svc.scan(MUG)
    assert expected.verdict is V.EXPECTED and expected.item is not None
    assert expected.item.customer_reason == "changed_mind"
    # The order had two mugs; the RMA announced one.
    extra = svc.scan(MUG)
    assert extra.verdict is V.NOT_IN_RETURN
    # A third mug cannot have come from an order of two.
    third = svc.scan(MUG)
    assert third.verdict is V.NOT_FROM_ORDER and "had 2" in third.message
    assert svc.scan(TEE).verdict is V.NOT_IN_RETURN
    assert svc.scan(STRAY).verdict is V.NOT_FROM_ORDER
    unknown = svc.scan("GARBAGE-42")
    assert unknown.verdict is V.UNKNOWN and unknown.item is not None
    assert [i.verdict for i in unknown.items] == [
        "expected",
        "not_in_return",
        "not_from_order",
        "not_in_return",
        "not_from_order",
        "unknown",
    ]
    stored = rows(db, "SELECT verdict FROM return_scans WHERE inspection_id IS NOT NULL")
    assert len(stored) == 7 and stored[0] == ("rma_opened",)
    events = rows(db, "SELECT type FROM outbox WHERE type LIKE 'return.%' ORDER BY station_seq")
    assert events[0] == ("return.inspection_started",)
    assert events.count(("return.scan",)) == 7  # the RMA scan and six units


def test_serial_must_have_been_shipped_on_the_order(svc: InspectionService) -> None:
    svc.scan("TRK-RET-5002")
    ask = svc.scan(PHONE)
    assert ask.verdict is V.NEEDS_SERIAL and ask.awaiting == "serial"
    good = svc.scan("SN-A")
    assert good.verdict is V.EXPECTED and good.item is not None
    assert not good.item.fraud and good.item.serial == "SN-A"
    assert good.severity == "ok"
    # Shipped, but on another order: expected product, flagged.
    svc.scan(PHONE)
    swapped = svc.scan("SN-C")
    assert swapped.verdict is V.EXPECTED and swapped.item is not None and swapped.item.fraud
    assert swapped.item.fraud_reason == "serial SN-C was shipped on order SO-1008, not SO-1002"
    assert swapped.severity == "error" and "POSSIBLE FRAUD" in swapped.message


def test_a_serial_never_shipped_in_one_gs1_scan(svc: InspectionService) -> None:
    svc.scan("RMA-5002")
    out = svc.scan(f"]C101{PHONE.zfill(14)}21SN-ZZZ")
    assert out.item is not None and out.item.fraud
    assert out.item.fraud_reason == "serial SN-ZZZ was not shipped on order SO-1002"
    # The same serial twice in one parcel is a double scan, not a second unit.
    again = svc.scan(f"]C101{PHONE.zfill(14)}21SN-ZZZ")
    assert again.verdict is V.NOT_ALLOWED and len(again.items) == 1


def test_a_serial_returned_twice_is_flagged(db: Database) -> None:
    first = inspector(db)
    first.scan("RMA-5002")
    first.scan(PHONE)
    assert first.scan("SN-A").item is not None
    first.close()
    # Another bench, another RMA of the same order, the same serial.
    with db.session() as s:
        from station.returns.rmas import upsert_rmas

        upsert_rmas(s, [{"number": "RMA-5009", "order_number": "SO-1002", "items": []}])
        s.commit()
    second = inspector(db, station="returns-2")
    second.scan("RMA-5009")
    second.scan(PHONE)
    out = second.scan("SN-A")
    assert out.item is not None and out.item.fraud
    assert out.item.fraud_reason == "serial SN-A was already returned (RMA-5002)"
    second.close()


def test_lot_and_expiry_are_captured(svc: InspectionService, db: Database) -> None:
    svc.scan("SO-1003")
    assert svc.scan(VITAMINS).verdict is V.NEEDS_LOT
    assert svc.scan("LOT-V1").verdict is V.NEEDS_EXPIRY
    assert svc.scan("not a date").verdict is V.NEEDS_EXPIRY
    out = svc.scan("281231")
    assert out.verdict is V.EXPECTED and out.item is not None
    assert (out.item.lot, str(out.item.expiry)) == ("LOT-V1", "2028-12-31")
    assert rows(db, "SELECT lot, expiry FROM return_items") == [("LOT-V1", "2028-12-31")]


def test_undo_takes_back_the_last_unit_or_the_capture(svc: InspectionService, db: Database) -> None:
    svc.scan("RMA-5002")
    svc.scan(PHONE)
    assert svc.undo().verdict is V.CAPTURE_CANCELLED
    assert svc.state is not None and svc.state.pending is None
    svc.scan(PHONE)
    svc.scan("SN-A")
    undone = svc.scan("CMD-UNDO")
    assert undone.verdict is V.UNDONE
    assert [i.status for i in undone.items] == ["undone"]
    last = rows(db, "SELECT payload FROM outbox ORDER BY station_seq DESC LIMIT 1")[0][0]
    assert json.loads(str(last))["detail"] == {"undone_item": undone.items[0].id}
    # The serial can be received again after the undo.
    svc.scan(PHONE)
    assert svc.scan("SN-A").verdict is V.EXPECTED
    assert svc.undo().verdict is V.UNDONE
    assert svc.undo().verdict is V.NOTHING_TO_UNDO


def test_a_restart_resumes_the_parcel_and_its_capture(db: Database) -> None:
    first = inspector(db)
    first.scan("RMA-5002")
    first.scan(PHONE)
    first.close()
    second = inspector(db)
    assert second.state is not None and second.state.rma_number == "RMA-5002"
    out = second.scan("SN-B")
    assert out.verdict is V.EXPECTED and out.item is not None and out.item.serial == "SN-B"
    second.close()


def test_unknown_reference_and_closed_rma(svc: InspectionService, db: Database) -> None:
    nothing = svc.scan("RMA-0000")
    assert nothing.verdict is V.UNKNOWN_RMA
    no_rma = svc.open("SO-1008")
    assert no_rma.verdict is V.UNKNOWN_RMA and no_rma.extra["orders"] == ["SO-1008"]
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE rmas SET status = 'received' WHERE number = 'RMA-5001'")
    assert svc.scan("RMA-5001").verdict is V.RMA_CLOSED
