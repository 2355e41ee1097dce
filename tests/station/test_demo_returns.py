"""The demo has returns to inspect (issue 20, point 8): demo orders packed through the pack
engine and open RMAs announced for them, the first being ``RMA-DEMO-0001`` (the README's
screenshot); the returns engine opens it and takes its unit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from station.barcodes import Interpreter
from station.config import Settings
from station.db import open_database
from station.returns.service import InspectionService
from station.returns.verdicts import ReturnVerdict as V
from station.tools.demo import seed_demo
from station.tools.demo.returns import seed_returns
from station.tools.simulate.returns_packed import shipped_units


def test_the_demo_has_packed_orders_and_open_rmas_to_inspect(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "demo.sqlite")
    db = open_database(settings.db_path)
    try:
        seed_demo(db, orders=12, products=40, seed=1)
        rmas = seed_returns(db, settings, count=3)
        assert rmas == ["RMA-DEMO-0001", "RMA-DEMO-0002", "RMA-DEMO-0003"]
        con = sqlite3.connect(db.path)
        try:
            rows = con.execute(
                "SELECT r.status, o.status, o.id FROM rmas r JOIN orders o ON o.id = r.order_id"
                " WHERE r.number = 'RMA-DEMO-0001'"
            ).fetchall()
            [(rma_status, order_status, order_id)] = rows
            assert (rma_status, order_status) == ("open", "packed")
            unit = shipped_units(con.cursor(), order_id)[0]
        finally:
            con.close()
        svc = InspectionService(
            db, Interpreter(settings.barcodes), settings.returns, settings.barcodes, "returns-1"
        )
        try:
            svc.scan("BADGE-INES")
            assert svc.scan("RMA-DEMO-0001").verdict is V.RMA_OPENED
            got = svc.scan(unit.barcode)
            if got.verdict is V.NEEDS_SERIAL and unit.serial:
                got = svc.scan(unit.serial)
            assert got.verdict is V.EXPECTED, got.message
        finally:
            svc.close()
    finally:
        db.close()
