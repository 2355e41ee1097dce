"""SIGKILL a real ``station inspect`` process in the middle of an inspection.

Whatever the process answered (a unit received, graded, disposed of) must be in the database
afterwards with its outbox event and stock count, and a new process must resume the same
parcel: one inspection, the units counted where the last process stopped.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from station.returns.rmas import upsert_rmas
from tests import stationproc
from tests.station.packfixtures import MUG
from tests.station.returns.returnfixtures import pack_order, packed_db
from tests.stationproc import kill, send

UNITS = 30
SEALED = "packaging_intact=y accessories=y functions=na cosmetic_damage=n hygiene_seal=na"


def start(db: Path) -> subprocess.Popen[str]:
    return stationproc.start(db, "inspect", "returns-crash")


def item_id(answer: dict[str, object]) -> int:
    item = answer["item"]
    assert isinstance(item, dict), answer
    return int(item["id"])


def check(db: Path, received: set[int], disposed: set[int]) -> int:
    """Everything reported is stored, with its events; returns the units stored."""
    con = sqlite3.connect(db)
    try:
        items = dict(con.execute("SELECT id, status FROM return_items WHERE status != 'undone'"))
        assert received <= set(items), "a reported unit is missing from the database"
        assert all(items[i] == "disposed" for i in disposed), "a reported disposal was lost"
        scanned = {
            json.loads(p)["item"]
            for (p,) in con.execute("SELECT payload FROM outbox WHERE type = 'return.scan'")
        }
        assert set(items) <= scanned, "a unit without its event"
        gone = [
            json.loads(p)["item"]
            for (p,) in con.execute(
                "SELECT payload FROM outbox WHERE type = 'return.item_disposed'"
            )
        ]
        stored_disposed = {i for i, s in items.items() if s == "disposed"}
        assert sorted(gone) == sorted(stored_disposed), "a disposal without its event (or twice)"
        stock = con.execute("SELECT coalesce(sum(on_hand), 0) FROM stock").fetchone()[0]
        assert stock == len(stored_disposed), "the stock count disagrees with the disposals"
        seqs = [r[0] for r in con.execute("SELECT station_seq FROM outbox ORDER BY 1")]
        assert seqs == list(range(1, len(seqs) + 1))
        return len(items)
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_mid_inspection_loses_nothing_answered(tmp_path: Path) -> None:
    db_path = tmp_path / "crash.sqlite"
    db = packed_db(db_path)
    pack_order(db, ["SO-1007", *[MUG] * UNITS])
    with db.session() as s:
        upsert_rmas(s, [{"number": "RMA-5007", "order_number": "SO-1007",
                         "items": [{"sku": "MUG", "quantity": UNITS}]}])  # fmt: skip
        s.commit()
    db.close()
    rng = random.Random(20261125)
    received: set[int] = set()
    disposed: set[int] = set()
    first, kills, stored = True, 0, 0
    while stored < UNITS - 1:
        proc = start(db_path)
        try:
            if first:
                assert send(proc, ":open RMA-5007")["verdict"] == "rma_opened"
                first = False
            for _ in range(min(rng.randint(1, 4), UNITS - 1 - stored)):
                answer = send(proc, MUG)
                assert answer["verdict"] == "expected", answer
                unit = item_id(answer)
                received.add(unit)
                if rng.random() < 0.6:
                    assert send(proc, f":assess {unit} {SEALED}")["verdict"] == "assessed"
                    assert send(proc, f":dispose {unit}")["verdict"] == "disposed"
                    disposed.add(unit)
            # One more action in flight when the kill lands: it may or may not commit.
            assert proc.stdin is not None
            proc.stdin.write(rng.choice([MUG, f":assess {max(received)} {SEALED}"]) + "\n")
            proc.stdin.flush()
            time.sleep(rng.uniform(0, 0.004))
        finally:
            kill(proc)
            kills += 1
        stored = check(db_path, received, disposed)
    assert kills >= 5

    # A new process resumes the parcel, finishes every unit and completes it.
    proc = start(db_path)
    try:
        con = sqlite3.connect(db_path)
        open_items = [
            r[0] for r in con.execute("SELECT id FROM return_items WHERE status != 'disposed'")
        ]
        con.close()
        for unit in open_items:
            assert send(proc, f":assess {unit} {SEALED}")["verdict"] == "assessed"
            assert send(proc, f":dispose {unit}")["verdict"] == "disposed"
            disposed.add(unit)
        while stored < UNITS:
            unit = item_id(send(proc, MUG))
            send(proc, f":assess {unit} {SEALED}")
            assert send(proc, f":dispose {unit}")["verdict"] == "disposed"
            stored += 1
        assert send(proc, MUG)["verdict"] == "not_from_order"  # the 31st mug of 30
        assert send(proc, ":undo") == {"held": "undo"}  # the red verdict waits to be seen
        assert send(proc, "CMD-CONFIRM") == {"acknowledged": True}
        done = send(proc, ":undo")
        assert done["verdict"] == "undone"
        assert send(proc, ":complete")["verdict"] == "completed"
    finally:
        kill(proc)
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT count(*) FROM inspections").fetchone()[0] == 1
    assert con.execute("SELECT on_hand FROM stock").fetchone()[0] == UNITS
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    check(db_path, received, disposed)
