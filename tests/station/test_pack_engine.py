"""The pack verification engine against a real SQLite database: every verdict and rule."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from station.config import PackingSettings
from station.db import Database
from station.outbox import outbox_gaps
from station.packing.service import PackService
from station.packing.verdicts import Severity, Verdict
from tests.station.packfixtures import (
    BOWL,
    FIXED_NOW,
    GLUE,
    KIT,
    MUG,
    PHONE,
    SPOON,
    STRAY,
    TEE,
    VITAMINS,
    build_db,
    make_service,
)

GS = "\x1d"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = build_db(tmp_path / "pack.sqlite")
    yield database
    database.close()


@pytest.fixture
def svc(db: Database) -> Iterator[PackService]:
    service = make_service(db)
    yield service
    service.close()


def rows(db: Database, sql: str, *args: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db.path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def test_open_scan_complete_happy_path(svc: PackService, db: Database) -> None:
    opened = svc.scan("SO-1001")
    assert opened.verdict is Verdict.ORDER_OPENED
    assert opened.message == "order SO-1001 opened: 3 to pack"
    first = svc.scan(MUG)
    assert first.verdict is Verdict.ACCEPTED and first.severity is Severity.OK
    assert first.line is not None and (first.line.packed, first.line.expected) == (1, 2)
    # The internal (non-GTIN) barcode and the GTIN-14 form both find the mug.
    assert svc.scan("INT-MUG-01").verdict is Verdict.ACCEPTED
    assert svc.scan("0" + TEE).verdict is Verdict.ACCEPTED
    done = svc.complete()
    assert done.verdict is Verdict.COMPLETED
    assert svc.state is None
    assert rows(db, "SELECT status FROM orders WHERE number='SO-1001'") == [("packed",)]
    assert rows(db, "SELECT status FROM packages") == [("closed",)]
    types = [r[0] for r in rows(db, "SELECT type FROM outbox ORDER BY station_seq")]
    assert types[:2] == ["pack.started", "scan.recorded"] and types[-2] == "pack.completed"
    seqs = [r[0] for r in rows(db, "SELECT station_seq FROM outbox ORDER BY station_seq")]
    assert seqs == list(range(1, len(seqs) + 1))


def test_open_by_tote_and_typed_number(svc: PackService) -> None:
    assert svc.scan("TOTE-7").order_number == "SO-1001"
    assert svc.open_order("SO-1002").verdict is Verdict.ORDER_OPENED
    # Going back to the first order resumes its parked session.
    back = svc.open_order("SO-1001")
    assert back.verdict is Verdict.ORDER_RESUMED


def test_wrong_item_over_scan_unknown(svc: PackService, db: Database) -> None:
    svc.scan("SO-1001")
    wrong = svc.scan(STRAY)
    assert wrong.verdict is Verdict.WRONG_ITEM and wrong.severity is Severity.ERROR
    assert "STRAY" in wrong.message
    svc.scan(TEE)
    over = svc.scan(TEE)
    assert over.verdict is Verdict.OVER_SCAN
    unknown = svc.scan("NOPE-123")
    assert unknown.verdict is Verdict.UNKNOWN_CODE
    bad_check = svc.scan(MUG[:-1] + str((int(MUG[-1]) + 1) % 10))
    assert bad_check.verdict is Verdict.UNKNOWN_CODE
    assert "check digit" in bad_check.message
    assert svc.scan("   ").verdict is Verdict.EMPTY_SCAN
    # Every scan is stored, whatever its verdict.
    verdicts = [r[0] for r in rows(db, "SELECT verdict FROM scans ORDER BY id")]
    assert verdicts == [
        "order_opened",
        "wrong_item",
        "accepted",
        "over_scan",
        "unknown_code",
        "unknown_code",
        "empty_scan",
    ]


def test_no_order_open(svc: PackService) -> None:
    out = svc.scan(MUG)
    assert out.verdict is Verdict.NO_ORDER_OPEN
    assert svc.complete().verdict is Verdict.NO_ORDER_OPEN


@pytest.mark.parametrize(
    ("number", "status"), [("SO-1005", "on hold"), ("SO-1006", "cancelled"), ("SO-9999", None)]
)
def test_orders_not_packable(svc: PackService, number: str, status: str | None) -> None:
    out = svc.scan(number)
    if status is None:
        assert out.verdict is Verdict.UNKNOWN_ORDER
    else:
        assert out.verdict is Verdict.NOT_PACKABLE
        assert status in out.message


def test_packed_order_cannot_be_packed_again(svc: PackService) -> None:
    svc.scan("SO-1001")
    for code in (MUG, MUG, TEE):
        svc.scan(code)
    assert svc.complete().verdict is Verdict.COMPLETED
    again = svc.scan("SO-1001")
    assert again.verdict is Verdict.NOT_PACKABLE and "packed" in again.message


def test_serial_from_next_scan_and_duplicate(svc: PackService, db: Database) -> None:
    svc.scan("SO-1002")
    ask = svc.scan(PHONE)
    assert ask.verdict is Verdict.NEEDS_SERIAL and ask.awaiting == "serial"
    assert ask.severity is Severity.WARNING
    # Scanning the product again is not taken as its serial.
    again = svc.scan(PHONE)
    assert again.verdict is Verdict.NEEDS_SERIAL and "product barcode" in again.message
    got = svc.scan("SN-0001")
    assert got.verdict is Verdict.ACCEPTED
    assert got.line is not None and got.line.packed == 1
    svc.scan(PHONE)
    dup = svc.scan("SN-0001")
    assert dup.verdict is Verdict.DUPLICATE_SERIAL and "SN-0001" in dup.message
    assert rows(db, "SELECT serial FROM scans WHERE verdict='accepted'") == [("SN-0001",)]


def test_serial_from_the_same_gs1_scan(svc: PackService) -> None:
    svc.scan("SO-1002")
    out = svc.scan(f"]C101{PHONE.zfill(14)}21SN-777")
    assert out.verdict is Verdict.ACCEPTED
    assert out.line is not None and out.line.packed == 1
    # Another order: the same serial is a duplicate.
    svc.scan("SO-1008")
    dup = svc.scan(f"]d201{PHONE.zfill(14)}21SN-777")
    assert dup.verdict is Verdict.DUPLICATE_SERIAL and "SO-1002" in dup.message


def test_digit_only_serial_is_accepted(svc: PackService) -> None:
    svc.scan("SO-1002")
    svc.scan(PHONE)
    # Looks like a GTIN-8 but is not a product: it is the serial.
    assert svc.scan("12345670").verdict is Verdict.ACCEPTED


def test_lot_and_expiry(svc: PackService, db: Database) -> None:
    svc.scan("SO-1003")
    gtin = VITAMINS.zfill(14)
    good = (FIXED_NOW.date() + timedelta(days=200)).strftime("%y%m%d")
    out = svc.scan(f"]C101{gtin}17{good}10LOT-A")
    assert out.verdict is Verdict.ACCEPTED
    # Lot only product: the lot comes from the next scan.
    ask = svc.scan(GLUE)
    assert ask.verdict is Verdict.NEEDS_LOT
    assert svc.scan("L-42").verdict is Verdict.ACCEPTED
    stored = rows(db, "SELECT lot, expiry FROM scans WHERE verdict='accepted' ORDER BY id")
    assert stored[0][0] == "LOT-A" and stored[1] == ("L-42", None)


def test_lot_then_expiry_from_separate_scans(svc: PackService) -> None:
    svc.scan("SO-1003")
    assert svc.scan(VITAMINS).verdict is Verdict.NEEDS_LOT
    assert svc.scan("LOT-B").verdict is Verdict.NEEDS_EXPIRY
    assert svc.scan("not-a-date").verdict is Verdict.NEEDS_EXPIRY
    assert svc.scan("2027-05-31").verdict is Verdict.ACCEPTED


def test_expired_lot_refused(db: Database) -> None:
    svc = make_service(db, packing=PackingSettings(min_days_to_expiry=30))
    svc.scan("SO-1003")
    soon = (FIXED_NOW.date() + timedelta(days=10)).strftime("%y%m%d")
    out = svc.scan(f"]C101{VITAMINS.zfill(14)}17{soon}10LOT-OLD")
    assert out.verdict is Verdict.EXPIRED_LOT
    assert out.line is None
    assert svc.state is not None and svc.state.lines[0].packed == 0
    svc.close()


def test_kit_by_components_and_by_kit_barcode(svc: PackService) -> None:
    svc.scan("SO-1004")
    first = svc.scan(SPOON)
    assert first.verdict is Verdict.ACCEPTED and "1/3 components" in first.message
    svc.scan(BOWL)
    last = svc.scan(SPOON)
    assert last.line is not None and last.line.packed == 1
    assert svc.scan(SPOON).verdict is Verdict.OVER_SCAN
    assert svc.complete().verdict is Verdict.COMPLETED


def test_kit_barcode_counts_a_whole_kit(svc: PackService) -> None:
    svc.scan("SO-1004")
    assert svc.scan(KIT).verdict is Verdict.ACCEPTED
    assert svc.scan(BOWL).verdict is Verdict.OVER_SCAN
    assert svc.complete().verdict is Verdict.COMPLETED


def test_undo_last_scan(svc: PackService, db: Database) -> None:
    svc.scan("SO-1001")
    assert svc.undo().verdict is Verdict.NOTHING_TO_UNDO
    svc.scan(MUG)
    svc.scan(MUG)
    out = svc.scan("CMD-UNDO")
    assert out.verdict is Verdict.UNDONE and "MUG" in out.message
    assert svc.state is not None and svc.state.lines[0].packed == 1
    assert rows(db, "SELECT count(*) FROM scans WHERE undone=1") == [(1,)]
    # Undo also cancels a capture that is waiting.
    svc.scan("SO-1002")
    svc.scan(PHONE)
    assert svc.undo().verdict is Verdict.CAPTURE_CANCELLED
    assert svc.scan("SN-X").verdict is Verdict.UNKNOWN_CODE


def test_new_package(svc: PackService, db: Database) -> None:
    svc.scan("SO-1001")
    assert svc.new_package().verdict is Verdict.PACKAGE_EMPTY
    svc.scan(MUG)
    out = svc.scan("CMD-NEWBOX")
    assert out.verdict is Verdict.PACKAGE_OPENED and out.package_no == 2
    svc.scan(MUG)
    svc.scan(TEE)
    assert svc.scan("BOX-M").verdict is Verdict.BOX_SELECTED
    assert svc.complete().verdict is Verdict.COMPLETED
    packages = rows(db, "SELECT seq_no, status, box_type_id IS NOT NULL FROM packages ORDER BY 1")
    assert packages == [(1, "closed", 0), (2, "closed", 1)]
    by_package = rows(
        db,
        "SELECT p.seq_no, sum(s.quantity) FROM scans s JOIN packages p ON p.id = s.package_id"
        " WHERE s.verdict='accepted' GROUP BY 1 ORDER BY 1",
    )
    assert by_package == [(1, 1), (2, 2)]


def test_not_complete_lists_what_is_missing(svc: PackService) -> None:
    svc.scan("SO-1001")
    svc.scan(MUG)
    out = svc.scan("CMD-COMPLETE")
    assert out.verdict is Verdict.NOT_COMPLETE
    assert "1 × MUG" in out.message and "1 × TEE" in out.message


def test_quantity_within_limit_and_with_supervisor(svc: PackService, db: Database) -> None:
    svc.scan("SO-1007")
    assert svc.scan("QTY-5").verdict is Verdict.QUANTITY_SET
    five = svc.scan(MUG)
    assert five.line is not None and five.line.packed == 5
    big = svc.scan("QTY-20")
    assert big.verdict is Verdict.NEEDS_SUPERVISOR and big.awaiting == "supervisor"
    assert svc.scan(MUG).verdict is Verdict.NEEDS_SUPERVISOR
    assert svc.scan("BADGE-ALICE").verdict is Verdict.NOT_ALLOWED
    assert svc.scan("BADGE-SAM").verdict is Verdict.QUANTITY_SET
    twenty = svc.scan(MUG)
    assert twenty.line is not None and twenty.line.packed == 25
    # A supervisor's PIN works through the API.
    assert svc.set_quantity(11).verdict is Verdict.NEEDS_SUPERVISOR
    assert svc.set_quantity(11, approver="0000").verdict is Verdict.NEEDS_SUPERVISOR
    assert svc.set_quantity(5, approver=None).verdict is Verdict.QUANTITY_SET
    assert svc.scan(MUG).verdict is Verdict.ACCEPTED
    assert svc.complete().verdict is Verdict.COMPLETED
    assert rows(db, "SELECT kind, quantity FROM exceptions") == [("quantity_override", 20)]


def test_quantity_above_limit_by_badge_and_pin_never_by_pin_alone(svc: PackService) -> None:
    svc.scan("SO-1007")
    assert svc.set_quantity(30, approver="9999").verdict is Verdict.NEEDS_SUPERVISOR
    assert svc.set_quantity(30, approver="BADGE-SUE 9999").verdict is Verdict.NEEDS_SUPERVISOR
    assert svc.set_quantity(30, approver="BADGE-SAM 9999").verdict is Verdict.QUANTITY_SET
    assert svc.scan(MUG).verdict is Verdict.ACCEPTED
    assert svc.complete().verdict is Verdict.COMPLETED


def test_quantity_refused_for_serial_items(svc: PackService) -> None:
    svc.scan("SO-1002")
    svc.scan("QTY-2")
    assert svc.scan(PHONE).verdict is Verdict.NOT_ALLOWED


def test_short_ship_needs_another_supervisor(svc: PackService, db: Database) -> None:
    svc.scan("SO-1001")
    svc.scan(MUG)
    svc.scan(TEE)
    assert svc.short_ship(1, 1, "out_of_stock", approver="BADGE-ALICE").verdict is (
        Verdict.NEEDS_SUPERVISOR
    )
    assert svc.short_ship(1, 1, "bogus", approver="BADGE-SAM").verdict is Verdict.NOT_ALLOWED
    assert svc.short_ship(1, 5, "out_of_stock", approver="BADGE-SAM").verdict is (
        Verdict.NOT_ALLOWED
    )
    # A supervisor packing cannot approve their own exception.
    svc.scan("BADGE-SAM")
    assert svc.short_ship(1, 1, "out_of_stock", approver="BADGE-SAM").verdict is (
        Verdict.NEEDS_SUPERVISOR
    )
    svc.scan("BADGE-ALICE")
    ok = svc.short_ship(1, 1, "out_of_stock", approver="BADGE-SAM")
    assert ok.verdict is Verdict.EXCEPTION_RECORDED and ok.ready_to_complete
    assert svc.complete().verdict is Verdict.COMPLETED
    exc = rows(db, "SELECT kind, reason_code, quantity FROM exceptions")
    assert exc == [("short_ship", "out_of_stock", 1)]
    audit = rows(db, "SELECT action FROM audit_log WHERE action LIKE 'approve.%'")
    assert audit == [("approve.short_ship",)]
    payload = json.loads(
        str(rows(db, "SELECT payload FROM outbox WHERE type='pack.completed'")[0][0])
    )
    assert payload["lines"][0] == {"line_no": 1, "sku": "MUG", "packed": 1, "short": 1}


def test_damage_with_and_without_replacement(svc: PackService, db: Database) -> None:
    svc.scan("SO-1001")
    ok = svc.report_damage(2, "broken", approver="BADGE-SAM")
    assert ok.verdict is Verdict.EXCEPTION_RECORDED
    assert ok.line is not None and ok.line.remaining == 1  # a replacement is still expected
    short = svc.report_damage(2, "crushed", approver="BADGE-SAM", replaced=False)
    assert short.line is not None and short.line.remaining == 0
    kinds = [r[0] for r in rows(db, "SELECT kind FROM exceptions ORDER BY id")]
    assert kinds == ["damaged", "damaged_short"]  # one exception per event, not two


def test_resume_after_restart_keeps_counts_and_pending_capture(db: Database) -> None:
    svc = make_service(db)
    svc.scan("SO-1001")
    svc.scan(MUG)
    svc.scan("SO-1002")
    svc.scan(PHONE)  # waiting for a serial when the "power goes"
    svc.close()
    again = make_service(db)
    assert again.state is not None and again.state.order_number == "SO-1002"
    assert again.state.pending is not None and again.state.pending["capture"] == "serial"
    assert again.scan("SN-RESUMED").verdict is Verdict.ACCEPTED
    back = again.scan("SO-1001")
    assert back.verdict is Verdict.ORDER_RESUMED
    assert [ln.packed for ln in back.lines] == [1, 0]
    again.close()


def test_two_stations_share_nothing_but_the_file(db: Database) -> None:
    one = make_service(db, station="bench-1")
    two = make_service(db, station="bench-2")
    one.scan("SO-1001")
    two.scan("SO-1002")
    one.scan(MUG)
    two.scan(PHONE)
    two.scan("SN-9")
    assert one.state is not None and one.state.order_number == "SO-1001"
    cur = sqlite3.connect(db.path).cursor()
    assert outbox_gaps(cur) == []
    one.close()
    two.close()


def test_failed_write_leaves_memory_as_stored(svc: PackService, db: Database) -> None:
    svc.scan("SO-1001")
    svc.scan(MUG)
    # Make the next write fail inside the transaction.
    con = sqlite3.connect(db.path)
    con.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    con.commit()
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        svc.scan(MUG)
    assert svc.state is not None and svc.state.lines[0].packed == 1
    con.execute("DROP TRIGGER boom")
    con.commit()
    con.close()
    assert svc.scan(MUG).line is not None
    assert rows(db, "SELECT count(*) FROM scans WHERE verdict='accepted'") == [(2,)]


def test_confirm_and_badge_login(svc: PackService, db: Database) -> None:
    assert svc.scan("CMD-CONFIRM").verdict is Verdict.CONFIRMED
    who = svc.scan("BADGE-ALICE")
    assert who.verdict is Verdict.USER_CHANGED and svc.user is not None
    assert svc.scan("BADGE-NOBODY").verdict is Verdict.UNKNOWN_CODE
    svc.scan("SO-1001")
    svc.scan(MUG)
    users = rows(db, "SELECT DISTINCT user_id FROM scans WHERE verdict='accepted'")
    assert users == [(svc.user.id,)]


@pytest.mark.parametrize("code", ["CMD-SHORT", "CMD-DAMAGED"])
def test_exception_barcodes_alone_record_nothing_and_never_complete(
    svc: PackService, db: Database, code: str
) -> None:
    # Headless (``station pack``) there is no supervisor's dialog to take the line and reason.
    svc.scan("SO-1001")
    svc.scan(MUG)
    asked = svc.scan(code)
    assert asked.verdict is Verdict.NEEDS_SUPERVISOR
    assert "needs the supervisor's dialog" in asked.message
    assert svc.state is not None and svc.state.package_items == 1
    assert rows(db, "SELECT count(*) FROM exceptions") == [(0,)]
    assert rows(db, "SELECT status FROM orders WHERE number='SO-1001'") != [("packed",)]
