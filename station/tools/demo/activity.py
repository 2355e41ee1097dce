"""A week of bench activity for the demo dashboard, through the real pack and returns engines.

``station-screenshot --screen dashboard`` and the dashboard's screen tests need figures that
are not empty: packs spread over the hours and days of the period, wrong scans, weight
mismatches, short-ships, boxes, returns. Nothing is written behind the engines' backs: two
packers (at ``bench-1`` and ``bench-2``) and an inspector (at ``returns-1``) work through the
demo's open orders with a clock that walks through the last days' working hours, making and
correcting mistakes, so every row is what a bench would have written at that time.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo

import numpy as np

from drivers.scale.model import ScaleReading, ScaleState
from station.barcodes import Interpreter
from station.config import Settings
from station.dashboard.period import local_midnight
from station.db import Database
from station.packing.approvals import badge_and_pin_approver
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Verdict
from station.photos import PhotoStore
from station.returns.rmas import RmaLine
from station.returns.service import InspectionService
from station.tools.simulate.packer import packable_orders, stray_barcode, unit_scans
from station.tools.simulate.returns_answers import REASONS, answers, observed
from station.tools.simulate.returns_packed import packed_orders, shipped_units

# (packer's badge, bench) of the demo users (station.tools.demo.seeding).
BENCHES = (("BADGE-ALICE", "bench-1"), ("BADGE-BOB", "bench-2"))
SUPERVISOR = "BADGE-SAM"
INSPECTOR = ("BADGE-INES", "returns-1")
FIRST_HOUR, LAST_HOUR = 8, 16  # the working day, local time


class DemoError(RuntimeError):
    """The engine answered what the demo did not expect (a finding, not a demo mistake)."""


@dataclass
class Clock:
    """The engines' clock: the demo moves it forward as people work."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def wait(self, rng: random.Random, low: float, high: float) -> None:
        self.now += timedelta(seconds=rng.uniform(low, high))


@dataclass
class ActivitySummary:
    """What the demo did."""

    orders_packed: int = 0
    wrong_scans: int = 0
    weight_mismatches: int = 0
    short_ships: int = 0
    returns_inspected: int = 0


def stable(grams: float) -> ScaleReading:
    """A stable reading of ``grams``, as the scale driver's stable-weight rule delivers it."""
    return ScaleReading(ScaleState.STABLE, round(grams), 1.0, f"S S {grams:10.0f} g", unit_raw="g")


class DemoPacker:
    """One demo packer at one bench."""

    def __init__(
        self, db: Database, settings: Settings, clock: Clock, badge: str, bench: str
    ) -> None:
        weight = replace(settings.weight, scale_confirmed_scans=False)
        proof = ProofOptions(weight=weight, require_weight=True)
        self.db, self.clock = db, clock
        self.svc = PackService(
            db,
            Interpreter(settings.barcodes),
            settings.packing,
            bench,
            clock=clock,
            approver=badge_and_pin_approver(db),
            proof=proof,
        )
        self._expiry = (clock.now + timedelta(days=400)).strftime("%y%m%d")
        self.svc.scan(badge)

    def pack(self, number: str, rng: random.Random, s: ActivitySummary) -> None:
        """Pack one order completely, making and correcting the mistakes drawn."""
        svc, clock = self.svc, self.clock
        opened = svc.scan(number)
        if opened.verdict not in (Verdict.ORDER_OPENED, Verdict.ORDER_RESUMED):
            raise DemoError(f"{number}: {opened.message}")
        state = svc.state
        assert state is not None
        short_line = rng.choice(state.lines) if rng.random() < 0.08 else None
        for line in state.lines:
            count = line.remaining - (1 if line is short_line else 0)
            for n in range(count):
                clock.wait(rng, 3, 9)
                if rng.random() < 0.05:  # a wrong item, put back
                    wrong = svc.scan(stray_barcode(self.db, state.order_id, rng))
                    s.wrong_scans += wrong.verdict is Verdict.WRONG_ITEM
                    clock.wait(rng, 4, 10)
                serial = f"DEMO{state.order_id}L{line.line_no}U{n}"
                for raw in unit_scans(line, serial, self._expiry):
                    svc.scan(raw)
        if rng.random() < 0.05:  # a unit came out of the tote damaged: replaced, recorded
            damaged = rng.choice(state.lines)
            clock.wait(rng, 20, 60)
            svc.report_damage(damaged.line_no, "crushed", SUPERVISOR)
        if short_line is not None:
            clock.wait(rng, 20, 60)  # the supervisor comes over
            done = svc.short_ship(short_line.line_no, 1, "out_of_stock", SUPERVISOR)
            s.short_ships += done.verdict is Verdict.EXCEPTION_RECORDED
        if rng.random() < 0.05:  # one too many, refused
            s.wrong_scans += svc.scan(state.lines[0].barcode).verdict is Verdict.OVER_SCAN
        suggestion = svc.suggest_box()
        if suggestion is not None and suggestion.box is not None and rng.random() < 0.85:
            svc.scan(suggestion.box.code)
        clock.wait(rng, 5, 15)
        self._weigh(rng, s)
        clock.wait(rng, 2, 6)
        done = svc.complete()
        if done.verdict is not Verdict.COMPLETED:
            raise DemoError(f"{number}: {done.message}")

    def _weigh(self, rng: random.Random, s: ActivitySummary) -> None:
        expected = self.svc.expected_weight()
        if expected is None:
            return
        if rng.random() < 0.08:  # too much void fill, or a box mix-up
            wrong = self.svc.record_weight(stable(expected.expected_g + 3 * expected.tolerance_g))
            s.weight_mismatches += wrong.verdict is Verdict.WEIGHT_MISMATCH
            self.clock.wait(rng, 20, 50)
            if rng.random() < 0.4:  # the contents are right: a supervisor accepts the weight
                self.svc.override_weight(SUPERVISOR, "heavier void fill, contents checked")
                return
        noise = rng.uniform(-0.3, 0.3) * expected.tolerance_g
        self.svc.record_weight(stable(expected.expected_g + noise))


def _working_hours(now: datetime, days: int, tz: tzinfo | None) -> list[datetime]:
    """The UTC start of each working hour of the last ``days`` days, none after ``now``."""
    local_today = (now.astimezone(tz) if tz else now.astimezone()).date()
    hours = []
    for back in range(days - 1, -1, -1):
        midnight = local_midnight(local_today - timedelta(days=back), tz)
        for hour in range(FIRST_HOUR, LAST_HOUR + 1):
            start = midnight + timedelta(hours=hour)
            if start + timedelta(minutes=50) <= now:
                hours.append(start)
    if not hours:  # before the working day of the first day: the hours just gone
        hours = [now - timedelta(hours=n) for n in range(4, 0, -1)]
    return hours


def seed_activity(
    db: Database,
    settings: Settings,
    *,
    days: int = 7,
    per_hour: int = 2,
    returns: int = 12,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    seed: int = 7,
) -> ActivitySummary:
    """Pack open orders over the last ``days`` days' working hours (up to ``per_hour`` an hour
    at each bench) and inspect ``returns`` returned units; the oldest hours go without when
    the orders run out."""
    rng = random.Random(seed)
    moment = now or datetime.now(UTC)
    hours = _working_hours(moment, days, tz)
    clock = Clock(hours[0])
    summary = ActivitySummary()
    numbers = packable_orders(db, 10_000)
    packers = [DemoPacker(db, settings, clock, badge, bench) for badge, bench in BENCHES]
    try:
        # The newest hours first: when the orders run out, the oldest days go without.
        for start in reversed(hours):
            for packer in packers:
                clock.now = start + timedelta(minutes=rng.uniform(0, 10))
                for _ in range(rng.randint(1, per_hour)):
                    if not numbers:
                        break
                    packer.pack(numbers.pop(0), rng, summary)
                    summary.orders_packed += 1
                    clock.wait(rng, 30, 240)
    finally:
        for packer in packers:
            packer.svc.close()
    clock.now = max(hours[-1], moment - timedelta(minutes=40))
    summary.returns_inspected = _inspect(db, settings, clock, rng, returns)
    return summary


def _inspect(db: Database, settings: Settings, clock: Clock, rng: random.Random, count: int) -> int:
    """Return one unit each of ``count`` packed orders and inspect it at ``returns-1``."""
    badge, bench = INSPECTOR
    svc = InspectionService(
        db, Interpreter(settings.barcodes), settings.returns, settings.barcodes, bench, clock=clock
    )
    photos = PhotoStore.from_settings(settings.photo_dir, settings.photos)
    frame = np.full((120, 160, 3), 128, np.uint8)
    done = 0
    cur = sqlite3.connect(db.path).cursor()
    try:
        svc.scan(badge)
        for order_id in packed_orders(cur)[:count]:
            units = [u for u in shipped_units(cur, order_id) if u.tracking == "none"]
            if not units:
                continue
            unit = rng.choice(units)
            reason = rng.choices(list(REASONS), list(REASONS.values()))[0]
            number = cur.execute("SELECT number FROM orders WHERE id = ?", (order_id,))
            svc.create_rma(str(number.fetchone()[0]), [RmaLine(unit.sku, 1, reason)])
            clock.wait(rng, 10, 40)
            received = svc.scan(unit.barcode)
            if received.item is None:
                svc.complete()
                continue
            item = received.item.id
            given = answers(rng, settings.returns, reason, None)
            graded = svc.assess(item, given, observed(rng, settings.returns, reason))
            if graded.extra.get("photo_required"):
                svc.add_photo(item, frame, photos)
            done += svc.dispose(item).item is not None
            svc.complete()
            clock.wait(rng, 30, 90)
    finally:
        cur.connection.close()
        svc.close()
    return done
