"""A whole order packed through the real window with emulated devices, each read by its driver.

The scanner is a serial emulator on a pty, the scale an MT-SICS emulator on a pty (weights
taken by the driver's stable-weight rule), the printer a ZPL emulator on a TCP port that the
print worker sends to, the camera OpenCV reading a video file (its frames in the preview, one
of them the completion photo). On the way: a wrong item (and a scan held back until it is
acknowledged), an over-scan, and a weight mismatch that the packer cannot approve herself and
a supervisor approves by badge in the dialog. The labels the printer emulator receives are
exactly the labels the station renders for the order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.printer.emulator import Language, TcpPrinterEmulator
from drivers.registry import (
    CameraDeviceConfig,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
)
from drivers.scale.emulator import ScaleEmulator
from drivers.scanner.emulator import SerialScannerEmulator
from station.config import DeviceSettings, Settings
from station.db import Database
from station.labels.service import render_order_label
from station.packing.verdicts import Outcome, Verdict
from tests.station.packfixtures import MUG, STRAY, TEE
from tests.station.simulate.packing import rows
from tests.ui.stationfixtures import WAIT_MS, RecordingPlayer, running_bench
from ui.composition import Station
from ui.pack.screen import PackScreen

EXPECTED_G = 2 * 100 + 100 + 180 + 15  # two mugs, a tee, BOX-M and packing material
PRINT_WAIT_S = 15


class Bench:
    """The running window and its emulated scanner and scale."""

    def __init__(self, qtbot: QtBot, station: Station) -> None:
        self.qtbot = qtbot
        self.station = station
        self.pack: PackScreen = station.window.pack
        assert station.bridge is not None
        devices = {d.role: d for d in station.bridge.devices}
        scanner, scale = devices["scanner"].emulator, devices["scale"].emulator
        assert isinstance(scanner, SerialScannerEmulator)
        assert isinstance(scale, ScaleEmulator)
        self.scanner, self.scale = scanner, scale

    def scan(self, code: str) -> Outcome:
        """Scan ``code`` with the emulated scanner; the verdict once it is on screen."""
        with self.qtbot.waitSignal(self.pack.outcome_shown, timeout=WAIT_MS) as shown:
            self.scanner.send(code)
        outcome = shown.args[0]
        assert isinstance(outcome, Outcome)
        return outcome

    def key(self, which: Qt.Key) -> Outcome:
        with self.qtbot.waitSignal(self.pack.outcome_shown, timeout=WAIT_MS) as shown:
            self.qtbot.keyClick(self.pack.input, which)
        outcome = shown.args[0]
        assert isinstance(outcome, Outcome)
        return outcome

    def weigh(self, grams: float) -> Outcome:
        """Put ``grams`` on the scale; the engine's weighing once the weight settled."""
        with self.qtbot.waitSignal(
            self.pack.outcome_shown,
            timeout=WAIT_MS,
            check_params_cb=lambda o: o.verdict.value.startswith("weight_"),
        ) as shown:
            self.scale.set_weight(f"{grams / 1000:.3f}")
        outcome = shown.args[0]
        assert isinstance(outcome, Outcome)
        return outcome


@pytest.fixture
def printer() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        yield emulator


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """Ten seconds of a grey bench with a label on it (the camera emulator: a file)."""
    frame = np.full((240, 320, 3), 110, np.uint8)
    cv2.rectangle(frame, (100, 80), (220, 160), (250, 250, 250), -1)
    path = tmp_path / "bench.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, (320, 240))
    for _ in range(300):
        writer.write(frame)
    writer.release()
    return path


@pytest.fixture
def bench(
    qtbot: QtBot,
    ui_db: Database,
    printer: TcpPrinterEmulator,
    player: RecordingPlayer,
    video: Path,
) -> Iterator[Bench]:
    devices = DeviceSettings(
        scanner=ScannerDeviceConfig(kind="emulated"),
        scale=ScaleDeviceConfig(kind="emulated", demo_weight="0.000", poll_interval_s=0.05),
        printer=PrinterDeviceConfig(kind="zpl", url=printer.url, timeout_s=2.0),
        camera=CameraDeviceConfig(kind="opencv", source=str(video)),
    )
    settings = Settings(db_path=ui_db.path, devices=devices)
    with running_bench(ui_db, settings, player) as station:
        window = station.window
        scanner = window.status.device_label
        qtbot.waitUntil(
            lambda: (label := scanner("scanner")) is not None and "connected" in label.text(),
            timeout=WAIT_MS,
        )
        yield Bench(qtbot, station)


def test_a_whole_order_through_the_window_and_emulated_devices(
    qtbot: QtBot, bench: Bench, ui_db: Database, printer: TcpPrinterEmulator
) -> None:
    window, pack = bench.station.window, bench.pack
    with qtbot.waitSignal(window.screen_changed, timeout=WAIT_MS):
        bench.scanner.send("BADGE-ALICE")
    assert bench.scan("SO-1001").verdict is Verdict.ORDER_OPENED
    assert bench.scan(MUG).verdict is Verdict.ACCEPTED
    assert bench.scan(STRAY).verdict is Verdict.WRONG_ITEM
    with qtbot.waitSignal(pack.scan_held, timeout=WAIT_MS):
        bench.scanner.send(MUG)  # the packer carries on without reading the banner
    assert bench.scan("CMD-CONFIRM").verdict is Verdict.CONFIRMED
    assert bench.scan(MUG).verdict is Verdict.ACCEPTED
    assert bench.scan(MUG).verdict is Verdict.OVER_SCAN
    assert bench.key(Qt.Key.Key_F12).verdict is Verdict.CONFIRMED
    assert bench.scan(TEE).verdict is Verdict.ACCEPTED
    assert bench.scan("BOX-M").verdict is Verdict.BOX_SELECTED
    qtbot.waitUntil(lambda: pack.box_hint.text().startswith("Box: BOX-M"), timeout=WAIT_MS)
    weight = pack.weight
    qtbot.waitUntil(lambda: weight.expected_text() == "expect 0.475–0.515 kg", timeout=WAIT_MS)

    heavy = bench.weigh(EXPECTED_G + 60)  # extra padding: 60 g over
    assert heavy.verdict is Verdict.WEIGHT_MISMATCH
    assert pack.banner.severity == "error" and pack.awaiting_ack
    assert weight.decision == "fail" and weight.decision_text() == (
        "✖ MISMATCH +60 g · by expected weight"  # which rule flagged: no history yet
    )
    with qtbot.waitSignal(pack.scan_held, timeout=WAIT_MS):
        qtbot.keyClick(pack.input, Qt.Key.Key_F9)  # not before the mismatch is dealt with

    qtbot.keyClick(pack.input, Qt.Key.Key_F8)
    dialog = pack.proof.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.reason, "extra padding for a fragile mug")
    refused = bench.scan("BADGE-ALICE")  # the packer's own badge: refused
    assert refused.verdict is Verdict.NEEDS_SUPERVISOR
    assert dialog.isVisible() and "supervisor other than the packer" in dialog.message.text()
    approved = bench.scan("BADGE-SAM")
    assert approved.verdict is Verdict.WEIGHT_OVERRIDE
    assert (pack.proof.dialog, pack.awaiting_ack) == (None, False)  # closed; error cleared
    assert weight.decision == "override"
    qtbot.waitUntil(pack.input.hasFocus, timeout=WAIT_MS)  # back to scanning, keys and all

    done = bench.key(Qt.Key.Key_F9)
    assert done.verdict is Verdict.COMPLETED
    received = printer.wait_for_jobs(2, timeout=PRINT_WAIT_S)
    shipping = render_order_label(
        ui_db, Settings(db_path=ui_db.path), "SO-1001", "shipping", "zpl", package_no=1
    )
    slip = render_order_label(ui_db, Settings(db_path=ui_db.path), "SO-1001", "packing-slip", "zpl")
    assert received == [shipping, slip]
    qtbot.waitUntil(
        lambda: window.status.print_label.text() == "Labels: 0 waiting", timeout=WAIT_MS
    )

    readings = rows(ui_db, "SELECT weight_g, decision FROM weight_readings ORDER BY id")
    assert readings == [(555.0, "fail"), (555.0, "override")]
    approvals = rows(
        ui_db, "SELECT e.kind, u.name FROM exceptions e JOIN users u ON u.id = e.approved_by"
    )
    assert approvals == [("weight_override", "sam")]
    assert rows(ui_db, "SELECT template, status FROM print_jobs ORDER BY id") == [
        ("shipping", "done"),
        ("packing-slip", "done"),
    ]
    assert rows(ui_db, "SELECT status, weight_status FROM packages") == [("closed", "override")]
    # The camera: its frames reached the preview, and one is the package's completion photo.
    assert pack.camera.frame is not None and pack.camera.frame.image.width() > 0
    ((photo_path, size),) = rows(ui_db, "SELECT path, size_bytes FROM photos")
    assert (ui_db.path.parent / "photos" / str(photo_path)).stat().st_size == size
