"""What needs a supervisor at the returns bench (issue 20, points 2 and 6): an RMA (F2) only
for an order that was packed, or with a supervisor's approval, every creation in the audit log
with who approved it; a required photo waived only by a supervisor with a reason, audited.
Approval is a badge, or badge and PIN; never the inspector's own, never a PIN alone.

Through the returns bench (``station.returns.bench.ReturnsBench``) on the inspection engine,
with the PIN check the station wires in (``badge_and_pin_approver``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator

import pytest

from station.barcodes import Interpreter
from station.config import BarcodeSettings
from station.config.returns import ReturnSettings
from station.db import Database
from station.db.models import Role
from station.packing.approvals import badge_and_pin_approver
from station.returns.bench import ReturnsBench
from station.returns.service import InspectionService
from station.returns.verdicts import ReturnOutcome
from station.returns.verdicts import ReturnVerdict as V
from station.users import create_user
from tests.station.packfixtures import MUG
from tests.station.returns.returnfixtures import INSPECTED_AT


def rows(db: Database, sql: str, *args: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db.path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


@pytest.fixture
def bench(db: Database) -> Iterator[ReturnsBench]:
    with db.session() as session:
        create_user(session, "ines", Role.INSPECTOR, badge="BADGE-INES")
        session.commit()
    interpreter = Interpreter(BarcodeSettings())
    service = InspectionService(
        db,
        interpreter,
        ReturnSettings(),
        BarcodeSettings(),
        "returns-1",
        clock=lambda: INSPECTED_AT,
        approver=badge_and_pin_approver(db),
    )
    bench = ReturnsBench(db, service, interpreter)
    signed = bench.sign_in("BADGE-INES").result
    assert isinstance(signed, ReturnOutcome) and signed.verdict is V.USER_CHANGED, signed
    yield bench
    service.close()


def outcome(bench: ReturnsBench, order: str, approver: str | None = None) -> ReturnOutcome:
    result = bench.create_rma(order, approver).result
    assert isinstance(result, ReturnOutcome)
    return result


def waits(bench: ReturnsBench) -> bool:
    """Whether a red verdict waits (read afresh: no narrowing between two reads)."""
    return bench.pending


def audit(db: Database) -> list[tuple[object, ...]]:
    return rows(
        db,
        "SELECT u.name, a.action, a.entity_id, a.detail FROM audit_log a"
        " JOIN users u ON u.id = a.user_id WHERE a.action LIKE '%rma%' ORDER BY a.id",
    )


def test_an_rma_for_a_packed_order_is_created_and_audited(
    db: Database, bench: ReturnsBench
) -> None:
    created = outcome(bench, "SO-1001")
    assert created.verdict is V.RMA_CREATED and created.rma is not None
    [(name, action, number, detail)] = audit(db)
    assert (name, action, number) == ("ines", "rma.created", created.rma)
    assert json.loads(str(detail)) == {"order": "SO-1001", "order_status": "packed"}


def test_an_rma_for_an_order_never_packed_needs_a_supervisor(
    db: Database, bench: ReturnsBench
) -> None:
    # SO-1004 was never packed: nothing of it can have come back without a supervisor saying so.
    for credential in (None, "BADGE-INES", "9999", "BADGE-SAM 1111"):
        refused = outcome(bench, "SO-1004", credential)
        assert refused.verdict is V.NEEDS_SUPERVISOR, credential
        assert "SO-1004 was never packed" in refused.message
        assert not bench.pending  # a question, not a red verdict
    assert rows(db, "SELECT count(*) FROM rmas WHERE order_number = 'SO-1004'") == [(0,)]
    assert audit(db) == []

    created = outcome(bench, "SO-1004", "BADGE-SAM 9999")
    assert created.verdict is V.RMA_CREATED and created.rma is not None
    expected = {"order": "SO-1004", "order_status": "open", "approved_by": "sam"}
    assert [(n, a, e, json.loads(str(d))) for n, a, e, d in audit(db)] == [
        ("sam", "approve.rma_unpacked_order", created.rma, expected),
        ("ines", "rma.created", created.rma, expected),
    ]


def test_a_required_photo_is_waived_only_by_a_supervisor_with_a_reason(
    db: Database, bench: ReturnsBench
) -> None:
    svc = bench.service
    assert svc.scan("RMA-5001").verdict is V.RMA_OPENED
    received = svc.scan(MUG)
    assert received.item is not None
    item = received.item.id
    broken = {"packaging_intact": False, "accessories": True, "functions": False}
    graded = svc.assess(item, broken)
    assert graded.item is not None and graded.item.grade == "F"

    def dispose(waiver: str | None, reason: str | None) -> ReturnOutcome:
        result = bench.act("Dispose", lambda: svc.dispose(item, waiver, reason)).result
        assert isinstance(result, ReturnOutcome)
        return result

    assert dispose(None, None).verdict is V.PHOTO_REQUIRED
    for credential in ("BADGE-INES", "9999", "BADGE-SAM 1111"):
        assert dispose(credential, "no camera").verdict is V.NEEDS_SUPERVISOR, credential
    assert not waits(bench)  # questions so far, not red verdicts
    assert dispose("BADGE-SAM 9999", "  ").verdict is V.NOT_ALLOWED
    assert rows(db, "SELECT status FROM return_items") == [("assessed",)]
    assert waits(bench)  # a refusal: acknowledged before anything else counts
    bench.acknowledge()

    assert dispose("BADGE-SAM 9999", "no camera at this bench").verdict is V.DISPOSED
    [(who, detail)] = rows(
        db,
        "SELECT u.name, a.detail FROM audit_log a JOIN users u ON u.id = a.user_id"
        " WHERE a.action = 'approve.photo_waiver'",
    )
    assert who == "sam"
    assert json.loads(str(detail)) == {
        "grade": "F",
        "reason": "no camera at this bench",
        "approved_by": "sam",
    }


def test_undo_never_takes_back_an_overridden_unit(db: Database, bench: ReturnsBench) -> None:
    svc = bench.service
    assert svc.scan("RMA-5001").verdict is V.RMA_OPENED
    received = svc.scan(MUG)
    assert received.item is not None
    item = received.item.id
    sealed = {"packaging_intact": True, "accessories": True, "functions": None}
    assert svc.assess(item, {**sealed, "cosmetic_damage": False, "hygiene_seal": None}).item
    over = svc.override(item, "resell_open_box", "partial", "box dented", 80, "BADGE-SAM")
    assert over.verdict is V.OVERRIDDEN, over.message
    result = bench.act("Undo", svc.undo).result
    # Graded, so in the inspector's hands: it arrived, and keeps its override.
    assert isinstance(result, ReturnOutcome) and result.verdict is V.NOTHING_TO_UNDO
    assert "was graded" in result.message
    assert rows(db, "SELECT status, disposition, refund_pct FROM return_items") == [
        ("assessed", "resell_open_box", 80)
    ]
    assert rows(db, "SELECT count(*) FROM audit_log WHERE action = 'return_item.undone'") == [(0,)]


def test_a_unit_no_camera_can_photograph_is_held_and_the_parcel_closes_truthfully(
    db: Database, bench: ReturnsBench
) -> None:
    svc = bench.service
    assert svc.scan("RMA-5001").verdict is V.RMA_OPENED
    received = svc.scan(MUG)
    assert received.item is not None
    item = received.item.id
    broken = {"packaging_intact": False, "accessories": True, "functions": False}
    assert svc.assess(item, broken).item is not None  # grade F: a photo before disposal

    def act(name: str, action: Callable[[], ReturnOutcome]) -> ReturnOutcome:
        result = bench.act(name, action).result
        assert isinstance(result, ReturnOutcome)
        return result

    assert act("Dispose", lambda: svc.dispose(item)).verdict is V.PHOTO_REQUIRED
    assert act("Parcel done", svc.complete).verdict is V.NOT_COMPLETE
    # The old way out, undo, no longer drops the unit that arrived.
    assert act("Undo", svc.undo).verdict is V.NOTHING_TO_UNDO
    assert act("Hold", lambda: svc.hold(item, "  ")).verdict is V.NOT_ALLOWED  # a reason
    bench.acknowledge()
    held = act("Hold", lambda: svc.hold(item, "photo needed, no camera at this bench"))
    assert held.verdict is V.HELD and held.item is not None
    assert (held.item.status, held.item.hold_reason) == (
        "held",
        "photo needed, no camera at this bench",
    )
    done = act("Parcel done", svc.complete)
    assert done.verdict is V.COMPLETED, done.message
    assert "not received" not in done.message
    assert "held: MUG (photo needed, no camera at this bench)" in done.message
    assert done.extra["missing"] == {}
    assert done.extra["refunds"] == []  # nothing refunded for a unit still held
    assert done.extra["held"] == [
        {"item": item, "sku": "MUG", "reason": "photo needed, no camera at this bench"}
    ]
    assert rows(db, "SELECT status, hold_reason, grade FROM return_items") == [
        ("held", "photo needed, no camera at this bench", "F")
    ]
    assert rows(db, "SELECT status FROM rmas WHERE number = 'RMA-5001'") == [("received",)]
    [(who, detail)] = rows(
        db,
        "SELECT u.name, a.detail FROM audit_log a JOIN users u ON u.id = a.user_id"
        " WHERE a.action = 'return_item.held'",
    )
    assert who == "ines"
    assert json.loads(str(detail)) == {
        "sku": "MUG",
        "grade": "F",
        "reason": "photo needed, no camera at this bench",
    }
    kinds = [k for (k,) in rows(db, "SELECT type FROM outbox ORDER BY station_seq")]
    assert "return.item_held" in kinds and "return.item_disposed" not in kinds
