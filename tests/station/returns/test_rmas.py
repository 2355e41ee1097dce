"""RMAs from the hub's change feed: insert, update, tombstone, lines kept once receiving."""

from __future__ import annotations

from sqlalchemy import select

from station.db import Database
from station.db.models import Rma, RmaStatus
from station.returns.rmas import upsert_rmas
from station.returns.service import InspectionService


def rma(db: Database, number: str) -> Rma | None:
    with db.session() as s:
        found = s.scalar(select(Rma).where(Rma.number == number))
        if found is not None:
            _ = found.items  # loaded before the session closes
        return found


def test_insert_then_update_replaces_the_lines(db: Database) -> None:
    record = {
        "number": "RMA-7001",
        "order_number": "SO-1004",
        "return_label": "RL-7001",
        "items": [
            {"sku": "KIT", "quantity": 1, "reason": "changed_mind"},
            {"sku": "NOT-IN-CATALOG", "quantity": 2, "reason": "other", "note": "?"},
        ],
    }
    with db.session() as s:
        report = upsert_rmas(s, [record])
        s.commit()
    assert (report.created, report.updated) == (1, 0)
    first = rma(db, "RMA-7001")
    assert first is not None and first.order_id is not None and first.status == RmaStatus.OPEN
    assert [(i.line_no, i.sku, i.quantity, i.product_id is None) for i in first.items] == [
        (1, "KIT", 1, False),
        (2, "NOT-IN-CATALOG", 2, True),
    ]
    changed = {**record, "items": [{"sku": "BOWL", "quantity": 1, "reason": "defective"}]}
    with db.session() as s:
        assert upsert_rmas(s, [changed]).updated == 1
        s.commit()
    second = rma(db, "RMA-7001")
    assert second is not None
    assert [(i.line_no, i.sku, i.reason) for i in second.items] == [(1, "BOWL", "defective")]
    assert second.return_label == "RL-7001"


def test_an_rma_before_its_order(db: Database) -> None:
    with db.session() as s:
        upsert_rmas(s, [{"number": "RMA-7002", "order_number": "SO-4242", "items": []}])
        s.commit()
    early = rma(db, "RMA-7002")
    assert early is not None and early.order_id is None and early.order_number == "SO-4242"


def test_tombstones_and_bad_records(db: Database) -> None:
    with db.session() as s:
        report = upsert_rmas(
            s,
            [
                {"number": "RMA-5001", "deleted": True},
                {"number": "RMA-5002", "status": "cancelled"},
                {"number": "RMA-7003", "deleted": True},  # never seen: nothing to do
                {"number": "", "items": []},
                {"number": "RMA-7004", "items": [{"sku": "MUG", "quantity": 0}]},
                {"number": "RMA-7005", "items": "MUG"},
            ],
        )
        s.commit()
    assert report.cancelled == 2 and report.created == 0
    assert [n for n, _ in report.rejected] == ["", "RMA-7004", "RMA-7005"]
    assert "quantity" in report.rejected[1][1]
    cancelled = rma(db, "RMA-5001")
    assert cancelled is not None and cancelled.status == RmaStatus.CANCELLED


def test_a_parcel_being_received_keeps_its_lines(db: Database, svc: InspectionService) -> None:
    svc.scan("RMA-5001")
    with db.session() as s:
        report = upsert_rmas(
            s,
            [
                {
                    "number": "RMA-5001",
                    "return_label": "RL-NEW",
                    "items": [{"sku": "TEE", "quantity": 5}],
                },
                {"number": "RMA-5001", "deleted": True},
            ],
        )
        s.commit()
    assert report.kept == 1 and report.cancelled == 0
    kept = rma(db, "RMA-5001")
    assert kept is not None and kept.status == RmaStatus.RECEIVING
    assert kept.return_label == "RL-NEW"
    assert [(i.sku, i.quantity) for i in kept.items] == [("MUG", 1)]


def test_an_order_withdrawn_by_the_hub_leaves_its_rma(db: Database) -> None:
    with db.session() as s:
        upsert_rmas(s, [{"number": "RMA-7006", "order_number": "SO-1004", "items": []}])
        s.commit()
    with db.engine.begin() as conn:  # foreign keys on, as the sync's remove_order runs
        conn.exec_driver_sql("DELETE FROM orders WHERE number = 'SO-1004'")
    left = rma(db, "RMA-7006")
    assert left is not None and left.order_id is None and left.order_number == "SO-1004"
