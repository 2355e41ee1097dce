"""Weight by history at the pack window, with an emulated MT-SICS scale read by its driver:
after three verified packs of one mug in BOX-M (packed through the same bench the window
drives), a fourth that the history flags shows which rule flagged it in the weight panel."""

from __future__ import annotations

import functools
import time

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from drivers.registry import CameraDeviceConfig, PrinterDeviceConfig, ScaleDeviceConfig
from drivers.scale.emulator import ScaleEmulator
from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from station.config import DeviceSettings, Settings
from station.db import Database
from station.db.models import Order, OrderLine, Product
from station.packing.verdicts import Outcome, Verdict
from tests.station.packfixtures import MUG
from tests.ui.stationfixtures import WAIT_MS, running_bench, sign_in
from tests.ui.test_pack_window import scan


def mug_orders(db: Database, count: int) -> None:
    with db.session() as s:
        mug = s.query(Product).filter_by(sku="MUG").one()
        for n in range(1, count + 1):
            o = Order(number=f"SO-{2000 + n}")
            o.lines.append(OrderLine(line_no=1, product_id=mug.id, quantity=1))
            s.add(o)
        s.commit()


def test_the_weight_panel_says_the_history_flagged_it(qtbot: QtBot, ui_db: Database) -> None:
    mug_orders(ui_db, 4)
    devices = DeviceSettings(
        scale=ScaleDeviceConfig(kind="emulated", demo_weight="0.000", poll_interval_s=0.05),
        printer=PrinterDeviceConfig(kind="none"),
        camera=CameraDeviceConfig(kind="none"),
    )
    settings = Settings(db_path=ui_db.path, devices=devices)
    with running_bench(ui_db, settings) as station:
        window, pack, bench = station.window, station.window.pack, station.bench
        sign_in(qtbot, window, "BADGE-PAT")
        qtbot.waitUntil(pack.input.hasFocus, timeout=WAIT_MS)

        def seed(number: str, grams: float) -> None:
            # The same bench the window drives, on its database worker (as the window does).
            for code in (number, "BOX-M", MUG):
                bench.scan(code)
            reading = ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams / 1000:.3f} kg")
            weighed = bench.weigh_reading(ScaleUpdate(reading, True, time.monotonic()))
            assert isinstance(weighed.result, Outcome)
            assert weighed.result.verdict is Verdict.WEIGHT_PASS, weighed.result.message
            bench.scan("CMD-COMPLETE")

        for number, grams in (("SO-2001", 310.0), ("SO-2002", 312.0), ("SO-2003", 314.0)):
            station.worker.call(functools.partial(seed, number, grams))

        for code in ("SO-2004", "BOX-M", MUG):
            scan(qtbot, pack, code)
        assert station.bridge is not None
        scale = {d.role: d for d in station.bridge.devices}["scale"].emulator
        assert isinstance(scale, ScaleEmulator)
        with qtbot.waitSignal(
            pack.outcome_shown,
            timeout=WAIT_MS,
            check_params_cb=lambda o: o.verdict.value.startswith("weight_"),
        ) as shown:
            scale.set_weight("0.340")
        flagged = shown.args[0]
        assert flagged.verdict is Verdict.WEIGHT_MISMATCH
        assert flagged.extra["rule"] == "history"
        decision = pack.weight.findChild(QLabel, "weightDecision")
        assert decision is not None
        assert decision.text() == "✖ MISMATCH +28 g · by history"
