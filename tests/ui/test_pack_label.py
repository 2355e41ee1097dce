"""The label preview after a completion: the ZPL the printer emulator received, as zplkit draws
it, and each print job's state as the print worker reports it (paper out, then printed)."""

from __future__ import annotations

from collections.abc import Iterator

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
from station.config import DeviceSettings, Settings
from station.db import Database
from station.packing.verdicts import Verdict
from tests.station.packfixtures import MUG, TEE
from tests.ui.stationfixtures import WAIT_MS, running_bench, sign_in
from tests.ui.test_pack_window import key, scan
from ui.composition import Station
from ui.pack.label_load import zpl_image

PRINT_WAIT_S = 15


@pytest.fixture
def printer() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        yield emulator


@pytest.fixture
def bench(qtbot: QtBot, ui_db: Database, printer: TcpPrinterEmulator) -> Iterator[Station]:
    devices = DeviceSettings(
        scanner=ScannerDeviceConfig(kind="none"),
        scale=ScaleDeviceConfig(kind="none"),
        printer=PrinterDeviceConfig(kind="zpl", url=printer.url, timeout_s=2.0),
        camera=CameraDeviceConfig(kind="none"),
    )
    settings = Settings(db_path=ui_db.path, devices=devices)
    with running_bench(ui_db, settings) as station:
        sign_in(qtbot, station.window, "BADGE-ALICE")
        yield station


def pack_order(qtbot: QtBot, station: Station) -> None:
    pack = station.window.pack
    scan(qtbot, pack, "SO-1001")
    for code in (MUG, MUG, TEE):
        assert scan(qtbot, pack, code).verdict is Verdict.ACCEPTED
    assert key(qtbot, pack, Qt.Key.Key_F9).verdict is Verdict.COMPLETED


def test_label_preview_is_the_printed_zpl_with_its_state(
    qtbot: QtBot, bench: Station, printer: TcpPrinterEmulator
) -> None:
    panel = bench.window.pack.label_panel
    assert panel.isHidden()  # nothing packed here yet
    pack_order(qtbot, bench)
    qtbot.waitUntil(panel.isVisible, timeout=WAIT_MS)
    preview = panel.preview
    assert preview is not None and preview.number == "SO-1001"
    assert [job.template for job in preview.jobs] == ["shipping", "packing-slip"]
    assert panel.title.text() == "Label SO-1001"
    received = printer.wait_for_jobs(2, timeout=PRINT_WAIT_S)
    # The picture is the shipping label's ZPL as the printer got it, drawn by zplkit.
    assert preview.image is not None and preview.image == zpl_image(received[0], 203)
    assert preview.image.height() > preview.image.width()  # a 4x6 label, upright
    qtbot.waitUntil(
        lambda: panel.states.text() == "Shipping: printed   ·   Packing slip: printed",
        timeout=PRINT_WAIT_S * 1000,
    )


def test_paper_out_is_shown_until_the_label_prints(
    qtbot: QtBot, bench: Station, printer: TcpPrinterEmulator
) -> None:
    panel = bench.window.pack.label_panel
    printer.state.paper_out = True
    pack_order(qtbot, bench)
    qtbot.waitUntil(panel.isVisible, timeout=WAIT_MS)
    assert panel.preview is not None
    shipping = panel.preview.jobs[0].id
    qtbot.waitUntil(
        lambda: (
            panel.state_of(shipping).startswith("waiting: ") and "paper" in panel.state_of(shipping)
        ),
        timeout=PRINT_WAIT_S * 1000,
    )
    assert printer.jobs == []
    printer.state.paper_out = False  # paper loaded: the same job goes out, once
    qtbot.waitUntil(lambda: panel.state_of(shipping) == "printed", timeout=PRINT_WAIT_S * 1000)
    assert len(printer.wait_for_jobs(2, timeout=PRINT_WAIT_S)) == 2
