"""The dashboard counts batch packs (issue 18), recomputed from the raw tables; instructions
confirmed and inserts are counted in tests/station/test_pack_info.py."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from station.barcodes import Command
from station.cli.dashboard import format_text
from station.dashboard import load_dashboard
from station.db import Database
from station.packing.verdicts import Verdict
from tests.station.packfixtures import FIXED_NOW, MUG, TEE, build_db, result
from tests.station.test_batch_mode import BATCH, add_orders, bench_on


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = build_db(tmp_path / "d.sqlite")
    add_orders(
        database,
        ("SO-4001", "MUG", 0, 0, None),
        ("SO-4002", "MUG", 0, 1, None),
        ("SO-4003", "TEE", 0, 2, None),
    )
    yield database
    database.close()


def raw(db: Database, sql: str, *args: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db.path)
    try:
        rows = con.execute(sql, args).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def test_batch_packs_are_counted(db: Database) -> None:
    batch = bench_on(db, packing=BATCH)
    for _ in range(2):  # two mugs off the cart: each picks and completes its order
        assert result(batch.scan(MUG)).verdict is Verdict.COMPLETED
    batch.service.close()
    one = bench_on(db, packing=BATCH)
    assert result(one.scan("SO-4003")).verdict is Verdict.ORDER_OPENED  # by its number
    assert result(one.scan(TEE)).verdict is Verdict.ACCEPTED
    assert result(one.command(Command.COMPLETE, "complete")).verdict is Verdict.COMPLETED
    one.service.close()
    board = load_dashboard(db, 1, now=FIXED_NOW + timedelta(minutes=1))
    total = board.total
    # Recomputed from the raw tables: sessions whose first scan is the item's, and scans.
    first_kinds = raw(
        db,
        "SELECT (SELECT kind FROM scans s WHERE s.session_id = ps.id ORDER BY id LIMIT 1)"
        " FROM pack_sessions ps WHERE ps.status = 'completed' ORDER BY ps.id",
    )
    assert first_kinds == [("product",), ("product",), ("order",)]
    assert (total.packs, total.batch_packs) == (3, 2)
    (bench,) = board.by_station
    assert (bench.name, bench.figures.batch_packs) == ("bench-1", 2)
    figures = board.to_json()["total"]
    assert isinstance(figures, dict)
    assert figures["batch_packs"] == 2
    assert json.loads(json.dumps(figures)) == figures  # JSON-ready
    assert "2 batch packs" in format_text(board)
