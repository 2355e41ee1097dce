"""A headless inspector: returns parcels of packed orders and inspects them end to end.

Every parcel goes through the returns bench (``station.returns.bench``) around the real
``InspectionService`` (scans, checklist, photos when the grade needs one, now and then an
override, disposal, completion), as the window's do, so the figures are those of the rules
as configured; the inspector acknowledges each red verdict before going on. Parcels come with
an RMA synced from the hub (``upsert_rmas``, as a pull would) or without one (the inspector
creates it at the bench); a few hold an extra unit, a stray product, an unreadable item or a
serial that was never shipped on the order.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from station.barcodes import Interpreter
from station.config import Settings
from station.db import Database
from station.photos import PhotoStore
from station.returns.bench import LIVE, Matches, ReturnsBench, ReturnsReply
from station.returns.rmas import RmaLine, upsert_rmas
from station.returns.service import InspectionService
from station.returns.verdicts import ReturnOutcome
from station.tools.simulate.returns_answers import REASONS, answers, observed
from station.tools.simulate.returns_packed import (
    ShippedUnit,
    ensure_packed,
    packed_orders,
    shipped_units,
)


@dataclass
class SimulationSummary:
    """What the headless inspector did."""

    parcels: int = 0
    items_inspected: int = 0
    packed_first: int = 0
    rmas_from_hub: int = 0
    rmas_created_at_bench: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    grades: Counter[str] = field(default_factory=Counter)
    dispositions: Counter[str] = field(default_factory=Counter)
    refunds: Counter[str] = field(default_factory=Counter)
    fraud_flags: int = 0
    overrides: int = 0
    photos: int = 0
    restocked: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        """The figures as one JSON object (counters as plain objects, keys sorted)."""
        return {
            k: dict(sorted(v.items())) if isinstance(v, Counter) else v
            for k, v in vars(self).items()
        }


class _Inspector:
    """One simulated inspector at one bench."""

    def __init__(self, db: Database, settings: Settings, rng: random.Random, station: str):
        self.db, self.settings, self.rng = db, settings, rng
        self.returns = settings.returns
        interpreter = Interpreter(settings.barcodes)
        self.svc = InspectionService(db, interpreter, self.returns, settings.barcodes, station)
        self.bench = ReturnsBench(db, self.svc, interpreter)
        self.photos = PhotoStore.from_settings(settings.photo_dir, settings.photos)
        self.summary = SimulationSummary()

    def scans_for(self, unit: ShippedUnit, cur: sqlite3.Cursor) -> list[str]:
        serial = unit.serial
        if serial and self.rng.random() < 0.04:
            serial = f"FAKE-{self.rng.randrange(10**8):08d}"  # not what was shipped
        if unit.tracking == "serial":
            if unit.barcode.isdigit() and self.rng.random() < 0.5:
                return [f"]C101{unit.barcode.zfill(14)}21{serial}"]
            return [unit.barcode, serial or "NO-SERIAL"]
        if unit.tracking in ("lot", "lot_expiry"):
            scans = [unit.barcode, unit.lot or "LOT-UNKNOWN"]
            if unit.tracking == "lot_expiry":
                expiry = unit.expiry or "2099-12-31"
                scans.append(expiry[2:4] + expiry[5:7] + expiry[8:10])
            return scans
        return [unit.barcode]

    def parcel(self, order_id: int, cur: sqlite3.Cursor) -> None:
        units = shipped_units(cur, order_id)
        if not units:
            return
        number, tracking = cur.execute(
            "SELECT number, tracking_number FROM orders WHERE id = ?", (order_id,)
        ).fetchone()
        back = self.rng.sample(units, self.rng.randint(1, min(3, len(units))))
        reasons = {u.sku: self.rng.choices(list(REASONS), list(REASONS.values()))[0] for u in back}
        lines = Counter(u.sku for u in back)
        if self.rng.random() < 0.75:
            rma = f"RMA-SIM{order_id:07d}"
            record = {
                "number": rma,
                "order_number": number,
                "return_label": f"RL{order_id:010d}",
                "items": [
                    {"sku": s, "quantity": q, "reason": reasons[s]} for s, q in lines.items()
                ],
            }
            with self.db.session() as s:
                upsert_rmas(s, [record])
                s.commit()
            self.summary.rmas_from_hub += 1
            self._note(self.scan(rma if self.rng.random() < 0.5 else f"RL{order_id:010d}"))
        else:
            rma_lines = [RmaLine(s, q, reasons[s]) for s, q in lines.items()]
            ref = tracking or number
            self._note(self.act("create", lambda: self.svc.create_rma(ref, rma_lines)))
            self.summary.rmas_created_at_bench += 1
        contents = [u for u in back if self.rng.random() < 0.95]
        rest = [u for u in units if u not in back]
        if rest and self.rng.random() < 0.08:
            contents.append(self.rng.choice(rest))
        codes = [self.scans_for(u, cur) for u in contents]
        if self.rng.random() < 0.03:
            codes.append(self.scans_for(self.stray(cur), cur))
        if self.rng.random() < 0.02:
            codes.append([f"JUNK-{self.rng.randrange(10**6)}"])
        for scans in codes:
            out = None
            for code in scans:
                out = self.scan(code)
            if out is not None and out.awaiting:
                out = self.act("undo", self.svc.undo)  # no capture left for the next parcel
            if out is not None and out.item is not None:
                sku = out.item.sku or ""
                category = cur.execute("SELECT category FROM products WHERE sku = ?", (sku,))
                row = category.fetchone()
                self.inspect(out.item.id, reasons.get(sku, "other"), row[0] if row else None)
        done = self.act("complete", self.svc.complete)
        if done.verdict.value != "completed":
            raise RuntimeError(f"simulation went wrong: {done.message}")
        self.summary.parcels += 1

    def stray(self, cur: sqlite3.Cursor) -> ShippedUnit:
        """Some product of the catalog, as if a customer sent back something of someone else's."""
        pid, sku, tracking, code = cur.execute(
            "SELECT p.id, p.sku, p.tracking, b.raw FROM product_barcodes b"
            " JOIN products p ON p.id = b.product_id ORDER BY random() LIMIT 1"
        ).fetchone()
        serial = f"STRAY-{self.rng.randrange(10**6)}"
        return ShippedUnit(pid, sku, tracking, code, serial, "L000", "2099-12-31")

    def inspect(self, item_id: int, reason: str, category: str | None) -> None:
        given = answers(self.rng, self.returns, reason, category)
        seen = observed(self.rng, self.returns, reason)
        graded = self.act("assess", lambda: self.svc.assess(item_id, given, seen))
        if graded.extra.get("photo_required"):
            frame = np.full((240, 320, 3), self.rng.randrange(256), np.uint8)
            photo = self.act("photo", lambda: self.svc.add_photo(item_id, frame, self.photos))
            self.summary.photos += photo.item is not None
        if self.rng.random() < 0.05:
            self.summary.overrides += 1
            why = "inspector's judgement"
            self.act(
                "override", lambda: self.svc.override(item_id, "refurbish", "partial", why, 60)
            )
        done = self.act("dispose", lambda: self.svc.dispose(item_id))
        item = done.item
        if item is None:
            return
        s = self.summary
        s.items_inspected += 1
        s.verdicts[item.verdict] += 1
        s.grades[item.grade or "-"] += 1
        s.dispositions[item.disposition or "-"] += 1
        s.refunds[
            f"partial {item.refund_pct}%" if item.refund == "partial" else item.refund or "-"
        ] += 1
        s.fraud_flags += item.fraud
        s.restocked += item.disposition == "restock"

    def scan(self, code: str) -> ReturnOutcome:
        """A scan at the bench (an RMA, a label, a unit, a serial)."""
        return self._answer(self.bench.scan(code))

    def act(self, name: str, action: Callable[[], ReturnOutcome]) -> ReturnOutcome:
        """An action at the bench (a key, the checklist)."""
        return self._answer(self.bench.act(name, action))

    def _answer(self, reply: ReturnsReply) -> ReturnOutcome:
        """The engine's outcome; a red verdict is acknowledged (read) before going on."""
        if reply.pending:
            self.bench.acknowledge()
        result = reply.result
        if isinstance(result, Matches):  # several open returns answer: take the newest
            number = next(r.number for r in result.found.rmas if r.status in LIVE)
            return self.act("open", lambda: self.svc.open(number))
        if not isinstance(result, ReturnOutcome):
            raise RuntimeError(f"simulation went wrong: the bench answered {result}")
        return result

    def _note(self, out: ReturnOutcome) -> None:
        if out.severity == "error" and not out.fraud:
            raise RuntimeError(f"simulation went wrong: {out.verdict.value}: {out.message}")


def simulate_returns(
    db: Database,
    settings: Settings,
    count: int,
    seed: int,
    *,
    station: str = "sim-returns",
    say: Callable[[str], None] = lambda _: None,
) -> SimulationSummary:
    """Return and inspect ``count`` parcels of packed orders (packing some first if need be)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    packed_first = ensure_packed(db, settings, count, rng, say)
    inspector = _Inspector(db, settings, rng, station)
    cur = sqlite3.connect(db.path).cursor()
    try:
        orders = packed_orders(cur)
        rng.shuffle(orders)
        for order_id in orders[:count]:
            inspector.parcel(order_id, cur)
    finally:
        cur.connection.close()
        inspector.svc.close()  # the bench holds no connection of its own
    summary = inspector.summary
    summary.packed_first = packed_first
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary
