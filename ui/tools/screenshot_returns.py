"""The returns and evidence scenes ``station-screenshot`` renders.

An order is packed first through the real pack engine, with a weighing and a photo of a
generated camera frame, so the outbound record and the evidence have something to show; a
hub-style RMA is stored for it. The returns scene then signs the demo inspector in, opens the
parcel by its return label, scans a unit and answers part of its checklist, all through the
window, the worker and the inspection engine. The evidence scene finds the packed order.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from drivers.scale.model import ScaleReading, ScaleState
from station.barcodes import Interpreter
from station.config import Settings
from station.db import Database
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Verdict
from station.photos import Image, PhotoStore
from station.returns.rmas import upsert_rmas
from ui.composition import Station

INSPECTOR_BADGE = "BADGE-INES"  # the demo inspector (station.tools.demo)
SUPERVISOR_BADGE = "BADGE-SAM"
PACKER_BADGE = "BADGE-ALICE"
RETURN_LABEL = "RL-DEMO-0001"
Wait = Callable[[Callable[[], bool]], None]


def _plain_order(db: Database) -> str:
    """An open order of untracked products with two lines or more (no capture prompts)."""
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT o.number FROM orders o WHERE o.status = 'open' AND NOT EXISTS"
            " (SELECT 1 FROM order_lines l JOIN products p ON p.id = l.product_id"
            " WHERE l.order_id = o.id AND (p.tracking != 'none' OR p.is_kit))"
            " AND (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id) >= 2"
            " ORDER BY o.id LIMIT 1"
        ).first()
    if row is None:
        raise RuntimeError("the demo data has no open order of plain products")
    return str(row[0])


def demo_frame(width: int, height: int) -> Image:
    """A camera frame for the demo: colour gradients in squares, something to recognise."""
    y, x = np.mgrid[0:height, 0:width]
    frame = np.empty((height, width, 3), np.uint8)
    frame[..., 0] = (x * 255 // width).astype(np.uint8)
    frame[..., 1] = (y * 255 // height).astype(np.uint8)
    frame[..., 2] = ((x // 40 + y // 40) % 2 * 160).astype(np.uint8)
    return frame


def pack_showcase(db: Database, settings: Settings) -> tuple[str, str, str]:
    """Pack an order with a weighing and a photo; (order, SKU and barcode of its first line)."""
    frame = demo_frame(640, 400)
    proof = ProofOptions(
        weight=settings.weight,
        require_weight=True,
        photo_mode="required",
        photos=PhotoStore.from_settings(settings.photo_dir, settings.photos),
        camera=lambda: frame,
    )
    number = _plain_order(db)
    svc = PackService(
        db, Interpreter(settings.barcodes), settings.packing, settings.station_name, proof=proof
    )
    try:
        svc.scan(PACKER_BADGE)
        lines = svc.scan(number).lines
        for line in lines:
            for _ in range(line.expected):
                svc.scan(line.barcode)
        expected = svc.expected_weight()
        grams = round(expected.expected_g) if expected is not None else 1000.0
        svc.record_weight(ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams / 1000} kg"))
        done = svc.complete()
        if done.verdict is not Verdict.COMPLETED:
            raise RuntimeError(f"the showcase order was not packed: {done.message}")
    finally:
        svc.close()
    return number, lines[0].sku, lines[0].barcode


def store_rma(db: Database, number: str, sku: str) -> None:
    """An RMA for one unit of ``sku``, as the hub would send it."""
    record = {
        "number": "RMA-DEMO-0001",
        "order_number": number,
        "return_label": RETURN_LABEL,
        "items": [{"sku": sku, "quantity": 1, "reason": "defective"}],
    }
    with db.session() as session:
        upsert_rmas(session, [record])
        session.commit()


def drive_returns(station: Station, db: Database, settings: Settings, wait: Wait) -> None:
    """Sign the inspector in, open the parcel, scan its unit, answer the first question."""
    number, sku, barcode = pack_showcase(db, settings)
    store_rma(db, number, sku)
    window = station.window
    screen = window.returns
    if screen is None:
        raise RuntimeError("this station has no returns screen")
    seen: list[object] = []
    screen.outcome_shown.connect(seen.append)

    def scan(code: str) -> None:
        count = len(seen)
        window.submit_code(code)
        wait(lambda: len(seen) > count)

    window.submit_code(INSPECTOR_BADGE)
    wait(lambda: window.current_screen() == "returns")
    scan(RETURN_LABEL)
    scan(barcode)
    window.submit_code("CMD-YES")  # the unit works: one answer given, the next one asked
    wait(lambda: screen.outbound.photo_labels != [] and screen.outbound.serials.text() != "")


def drive_evidence(station: Station, db: Database, settings: Settings, wait: Wait) -> None:
    """Sign a supervisor in and look up the packed order's evidence."""
    number, _, _ = pack_showcase(db, settings)
    window = station.window
    window.submit_code(SUPERVISOR_BADGE)
    wait(lambda: window.current_screen() == "pack")
    window.show_screen("evidence")
    screen = window.evidence
    if screen is None:
        raise RuntimeError("this station has no evidence screen")
    window.submit_code(number)
    wait(lambda: screen.record is not None)
