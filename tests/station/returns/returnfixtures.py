"""Packed orders and RMAs for the returns tests: the pack fixtures, packed through PackService."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from drivers.printer.factory import Printer
from station.barcodes import Interpreter
from station.config import BarcodeSettings
from station.config.returns import ReturnSettings
from station.db import Database
from station.returns.rmas import upsert_rmas
from station.returns.service import InspectionService
from station.returns.tags import TagSink
from tests.station.packfixtures import FIXED_NOW as PACKED_AT
from tests.station.packfixtures import GLUE, MUG, PHONE, TEE, VITAMINS, build_db, make_service

SOLD_AT = PACKED_AT - timedelta(days=2)
INSPECTED_AT = PACKED_AT + timedelta(days=8)  # 10 days after the sale


def pack_order(db: Database, scans: list[str]) -> None:
    """Pack one order through the real engine (the first scan opens it) and complete it."""
    svc = make_service(db)
    try:
        for code in scans:
            out = svc.scan(code)
            assert out.verdict.value not in ("wrong_item", "unknown_code"), (code, out.message)
        done = svc.complete()
        assert done.verdict.value == "completed", done.message
    finally:
        svc.close()


RMAS = [
    {
        "number": "RMA-5001",
        "order_number": "SO-1001",
        "return_label": "RL-5001",
        "items": [{"sku": "MUG", "quantity": 1, "reason": "changed_mind"}],
    },
    {
        "number": "RMA-5002",
        "order_number": "SO-1002",
        "tracking_number": "TRK-RET-5002",
        "items": [{"sku": "PHONE", "quantity": 2, "reason": "defective"}],
    },
    {
        "number": "RMA-5003",
        "order_number": "SO-1003",
        "items": [
            {"sku": "VITAMINS", "quantity": 1, "reason": "damaged_in_transit"},
            {"sku": "GLUE", "quantity": 1, "reason": "changed_mind"},
        ],
    },
]


def packed_db(path: Path) -> Database:
    """The pack fixtures' database with SO-1001/1002/1003/1008 packed and three RMAs."""
    db = build_db(path)
    with db.engine.begin() as conn:
        for sku, category, value in (
            ("MUG", "home", 12.0),
            ("TEE", "apparel", 25.0),
            ("PHONE", "electronics", 300.0),
            ("VITAMINS", "health", 9.0),
            ("GLUE", "tools", 6.0),
        ):
            conn.exec_driver_sql(
                "UPDATE products SET category = ?, unit_value = ? WHERE sku = ?",
                (category, value, sku),
            )
        conn.exec_driver_sql(
            "INSERT INTO ship_to (customer_name, street1, city, postcode, country)"
            " VALUES ('Ada Lovelace', '1 St James Sq', 'London', 'SW1Y 4JU', 'GB')"
        )
        conn.exec_driver_sql(
            "UPDATE orders SET ship_to_id = 1, tracking_number = 'TRK-OUT-1001'"
            " WHERE number = 'SO-1001'"
        )
        conn.exec_driver_sql(
            "UPDATE orders SET created_at = ?", (SOLD_AT.strftime("%Y-%m-%d %H:%M:%S.%f"),)
        )
    pack_order(db, ["SO-1001", MUG, MUG, TEE])
    pack_order(db, ["SO-1002", PHONE, "SN-A", PHONE, "SN-B"])
    pack_order(db, ["SO-1003", VITAMINS, "LOT-V1", "281231", GLUE, "LOT-G1"])
    pack_order(db, ["SO-1008", PHONE, "SN-C"])
    with db.session() as s:
        report = upsert_rmas(s, RMAS)
        s.commit()
    assert report.created == 3, report
    return db


def inspector(
    db: Database,
    *,
    settings: ReturnSettings | None = None,
    station: str = "returns-1",
    tags: TagSink | None = None,
    now: datetime = INSPECTED_AT,
) -> InspectionService:
    """An inspection service on ``db`` with a fixed clock."""
    return InspectionService(
        db,
        Interpreter(BarcodeSettings()),
        settings or ReturnSettings(),
        BarcodeSettings(),
        station,
        clock=lambda: now,
        tags=tags,
    )


def no_printer(printer: str, language: str) -> Printer:
    """A printer factory for queues that only enqueue (no worker runs in these tests)."""
    raise AssertionError(f"nothing should print to {printer} ({language})")


no_printer.__test__ = False  # type: ignore[attr-defined]
