"""What ``station-screenshot`` shows of the camera preview and the label preview.

The screenshot runs no devices, so the camera panel gets one frame made here: the demo
product's barcode printed on a label, slightly turned, on a grey bench, read by the same live
decoder the feed uses and turned into a preview by the same function. The label panel shows
a real packed order: the scene packs and weighs a one-unit order through the engine before
the showcase order, with auto-print queueing its labels as at a bench (no printer runs, so
they stay queued).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import cv2
import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drivers.base import DeviceState, DeviceStatus
from drivers.camera.live import LiveDecoder, LiveOptions
from drivers.camera.model import Frame, Image
from drivers.camera.synth import render_symbol
from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from station.db import Database
from station.db.engine import reader
from station.db.models import Order, OrderLine, OrderStatus, Product, ProductBarcode, Tracking
from ui.pack.camera_feed import PREVIEW_WIDTH, PreviewFrame, preview_of

if TYPE_CHECKING:  # the composition root imports the pack screen, which does not import this
    from ui.composition import Station

Wait = Callable[[Callable[[], bool]], None]
Scan = Callable[[str], object]


def demo_scene(code: str, width: int = 1280, height: int = 720) -> Image:
    """A BGR camera frame: ``code`` as an EAN-13 on a white label, turned 8 degrees."""
    symbol = render_symbol("ean13", code, 3)
    label = cv2.copyMakeBorder(symbol, 24, 24, 24, 24, cv2.BORDER_CONSTANT, value=255)
    y, x = np.mgrid[0:height, 0:width]
    bench = (90 + 40 * x / width + 25 * y / height).astype(np.uint8)
    h, w = label.shape
    top, left = (height - h) // 2, (width - w) // 2 + 120
    bench[top : top + h, left : left + w] = label
    turn = cv2.getRotationMatrix2D((left + w / 2, top + h / 2), 8.0, 1.0)
    turned = cv2.warpAffine(bench, turn, (width, height), borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(cv2.cvtColor(turned, cv2.COLOR_GRAY2BGR), np.uint8)


def demo_preview(code: str) -> PreviewFrame:
    """The preview the feed would hand over for :func:`demo_scene` of ``code``."""
    image = demo_scene(code)
    frame = Frame(1, image, (image.shape[1], image.shape[0]), 0.0)
    codes = LiveDecoder(LiveOptions(budget_ms=None)).read(frame.gray())
    return preview_of(frame, codes, PREVIEW_WIDTH)


def show_camera(view: object, code: str) -> None:
    """Give the pack screen's camera panel (``CameraView``) the demo frame."""
    from ui.pack.camera_view import CameraView

    assert isinstance(view, CameraView)
    view.expect("camera")
    view.show_status(DeviceStatus("camera", DeviceState.CONNECTED, "demo frame"))
    view.show_frame(demo_preview(code))


def small_order(db: Database, other_than: str) -> tuple[str, str] | None:
    """An open one-unit order of an untracked product with an EAN-13 (not ``other_than``):
    its number and the barcode."""
    with Session(reader(db.engine)) as session:
        single = (
            select(OrderLine.order_id)
            .group_by(OrderLine.order_id)
            .having(func.count() == 1, func.sum(OrderLine.quantity) == 1)
        )
        row = session.execute(
            select(Order.number, ProductBarcode.raw)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .join(Product, Product.id == OrderLine.product_id)
            .join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .where(
                Order.status == OrderStatus.OPEN,
                Order.number != other_than,
                Order.id.in_(single),
                Product.tracking == Tracking.NONE,
                Product.is_kit.is_(False),
            )
            .order_by(Order.id)
            .limit(1)
        ).first()
    return None if row is None else (str(row[0]), str(row[1]))


def pack_first(station: Station, db: Database, scan: Scan, wait: Wait, showcase: str) -> None:
    """Pack and weigh a one-unit order before the showcase order; its labels are queued."""
    found = small_order(db, showcase)
    if found is None:
        return
    number, barcode = found
    window, service = station.window, station.service
    station.bench.subscribe(station.printing.after)
    scan(number)
    scan(barcode)
    expected = station.worker.call(service.expected_weight)
    if expected is not None:
        grams = float(expected.expected_g)
        reading = ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams / 1000:.3f} kg")
        window.show_weight(reading)
        window.show_stable_weight(reading)
        window.pack.feed_scale(ScaleUpdate(reading, accepted=True))
        wait(lambda: window.pack.weight.decision == "pass")
    scan("CMD-COMPLETE")
    wait(window.pack.label_panel.isVisible)
    # The box went on its way: the platter shows the scene's demo weight again.
    demo = ScaleReading(ScaleState.STABLE, 1250.0, 1.0, "S S 1.250 kg")
    window.show_weight(demo)
    window.show_stable_weight(demo)
    window.pack.feed_scale(ScaleUpdate(demo, accepted=True))
