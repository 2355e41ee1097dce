"""The demo scene ``station-screenshot`` renders: device states, a user, an order half packed.

Everything on screen comes through the same entries the running station uses: device
states and weights through the window's bridge slots, the user by scanning a demo badge, the
order and items by scanning their codes through the worker and the engine.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drivers.base import DeviceState, DeviceStatus
from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from station.db import Database
from station.db.engine import reader
from station.db.models import Order, OrderLine, OrderStatus, ProductBarcode, Tracking
from station.packing.verdicts import Outcome
from ui.composition import Station
from ui.main_window import StationWindow
from ui.tools.showcase_pack import pack_first, show_camera

DEMO_BADGE = "BADGE-ALICE"  # the demo packer (station.tools.demo.USERS)
Wait = Callable[[Callable[[], bool]], None]


def dress(window: StationWindow, *, offline: bool) -> None:
    """Demo devices (all connected, 1.250 kg stable on the scale) and a sync state."""
    for device, where in (
        ("scanner", "emulated serial scanner"),
        ("scale", "emulated mt-sics scale"),
        ("printer", "ready"),
    ):
        window.show_device_status(DeviceStatus(device, DeviceState.CONNECTED, where))
    reading = ScaleReading(ScaleState.STABLE, 1250.0, 1.0, "S S 1.250 kg")
    window.show_weight(reading)
    window.show_stable_weight(reading)
    window.pack.feed_scale(ScaleUpdate(reading, accepted=True))
    if offline:
        window.show_sync_status(False, 14, "09:58")
    else:
        window.show_sync_status(True, 0, "10:42")


def _showcase_order(db: Database) -> tuple[str, str]:
    """An open order that shows the header off (lines, gift, abroad, priority), and the
    barcode of a product that is not in it (for the wrong-item scene)."""
    with Session(reader(db.engine)) as session:
        orders = session.scalars(
            select(Order)
            .where(Order.status == OrderStatus.OPEN)
            .options(
                selectinload(Order.lines).selectinload(OrderLine.product),
                selectinload(Order.ship_to),
            )
            .order_by(Order.id)
        ).all()
        # Untracked products only: a lot or serial prompt would take the scene's scans.
        plain = [o for o in orders if all(ln.product.tracking == Tracking.NONE for ln in o.lines)]

        def score(order: Order) -> tuple[int, int]:
            country = order.ship_to.country if order.ship_to else ""
            flags = bool(order.gift_note) + (country not in ("", "NL")) + (order.priority > 0)
            return (3 * min(len(order.lines), 4) + flags, -order.id)

        best = max(plain or orders, key=score)
        products = {line.product_id for line in best.lines}
        stray = session.scalars(
            select(ProductBarcode.raw).where(ProductBarcode.product_id.not_in(products)).limit(1)
        ).one()
        return best.number, stray


def drive_pack(station: Station, db: Database, scene: str, wait: Wait) -> None:
    """Sign the demo packer in, open an order, pack part of it; maybe scan a wrong item."""
    window = station.window
    outcomes: list[Outcome] = []
    window.pack.outcome_shown.connect(outcomes.append)

    def scan(code: str) -> Outcome:
        seen = len(outcomes)
        window.submit_code(code)
        wait(lambda: len(outcomes) > seen)
        return outcomes[-1]

    window.submit_code(DEMO_BADGE)
    wait(lambda: window.current_screen() == "pack")
    number, stray = _showcase_order(db)
    # An order packed just before: its label in the label preview (ui.tools.showcase_pack).
    pack_first(station, db, scan, wait, number)
    lines = scan(number).lines
    show_camera(window.pack.camera, lines[0].barcode)
    if scene == "weight_mismatch":
        for line in lines:  # everything packed: the box goes on the scale
            for _ in range(line.expected):
                scan(line.barcode)
        weigh_heavy(station, wait)
    else:
        for index, line in enumerate(lines[:2]):
            # The first line packed in full, the second started: both kinds of row on screen.
            for _ in range(line.expected if index == 0 else 1):
                scan(line.barcode)
    if scene == "wrong_item":
        scan(stray)
    wait(lambda: "Channel" in window.pack.header.details_text())


def weigh_heavy(station: Station, wait: Wait) -> None:
    """A stable weight well over the tolerance: the engine records a mismatch."""
    expected = station.worker.call(station.service.expected_weight)
    grams = 1000.0 if expected is None else expected.expected_g + 2 * expected.tolerance_g
    reading = ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams / 1000:.3f} kg")
    window = station.window
    window.show_weight(reading)
    window.show_stable_weight(reading)
    window.pack.feed_scale(ScaleUpdate(reading, accepted=True))
    wait(lambda: window.pack.weight.decision == "fail")
