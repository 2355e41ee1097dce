"""Returns for the demo's returns bench: a few demo orders packed through the pack engine and
an RMA announced for each (``RMA-DEMO-0001``…), still open, so an inspector signing in at the
demo finds parcels to inspect. The RMAs come as the hub would send them (``upsert_rmas``);
nothing is written behind the engines' backs.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta

from station.config import Settings
from station.db import Database
from station.returns.rmas import upsert_rmas
from station.tools.demo.activity import BENCHES, ActivitySummary, Clock, DemoPacker
from station.tools.simulate.packer import packable_orders
from station.tools.simulate.returns_packed import shipped_units

# What the customers said, one per demo RMA in turn (codes of the default [returns] reasons).
DEMO_REASONS = ("changed_mind", "defective", "damaged_in_transit", "wrong_size")


def seed_returns(
    db: Database, settings: Settings, count: int = 3, *, now: datetime | None = None, seed: int = 11
) -> list[str]:
    """Pack ``count`` open demo orders and announce one open RMA for a unit of each; the RMA
    numbers (fewer when fewer orders can be packed)."""
    rng = random.Random(seed)
    clock = Clock((now or datetime.now(UTC)) - timedelta(hours=2))
    numbers = packable_orders(db, count)
    packer = DemoPacker(db, settings, clock, *BENCHES[0])
    try:
        for number in numbers:
            packer.pack(number, rng, ActivitySummary())
            clock.wait(rng, 30, 120)
    finally:
        packer.svc.close()
    records: list[dict[str, object]] = []
    con = sqlite3.connect(db.path)
    try:
        cur = con.cursor()
        for number in numbers:
            row = cur.execute(
                "SELECT id FROM orders WHERE number = ? AND status IN ('packed', 'shipped')",
                (number,),
            ).fetchone()
            units = shipped_units(cur, int(row[0])) if row else []
            if not units:
                continue  # not packed after all (the demo packer shipped nothing of it)
            rma = f"RMA-DEMO-{len(records) + 1:04d}"
            reason = DEMO_REASONS[len(records) % len(DEMO_REASONS)]
            records.append(
                {
                    "number": rma,
                    "order_number": number,
                    "items": [{"sku": units[0].sku, "quantity": 1, "reason": reason}],
                }
            )
    finally:
        con.close()
    with db.session() as session:
        upsert_rmas(session, records)
        session.commit()
    return [str(r["number"]) for r in records]
