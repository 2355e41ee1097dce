"""The status bar names each device's state with its reason; the offline banner informs and
never blocks packing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from drivers.base import DeviceState, DeviceStatus
from drivers.printer.model import PrinterStatus
from tests.ui.stationfixtures import sign_in
from tests.ui.test_pack_window import scan
from ui.composition import Station


def label(station: Station, name: str) -> QLabel:
    found = station.window.status.device_label(name)
    assert found is not None
    return found


def test_a_device_error_shows_its_reason(station: Station) -> None:
    window = station.window
    window.show_device_status(DeviceStatus("scale", DeviceState.CONNECTED, "emulated"))
    window.show_device_status(
        DeviceStatus("scale", DeviceState.ERROR, "no reply from the scale within 1.0 s")
    )
    scale = label(station, "scale")
    assert scale.text() == "scale: error — no reply from the scale within 1.0 s"
    assert scale.property("state") == "error"
    assert scale.toolTip() == "no reply from the scale within 1.0 s"
    window.show_device_status(DeviceStatus("scale", DeviceState.RECONNECTING, "port vanished"))
    assert scale.text() == "scale: reconnecting — port vanished"
    window.show_device_status(DeviceStatus("scale", DeviceState.CONNECTED, "emulated"))
    assert scale.text() == "scale: connected"
    assert scale.property("state") == "connected"


def test_printer_state_paper_out_and_paper_low(station: Station) -> None:
    window = station.window
    window.show_device_status(DeviceStatus("printer", DeviceState.ERROR, "paper out"))
    assert label(station, "printer").text() == "printer: error — paper out"
    low = PrinterStatus(
        online=True,
        paper_out=False,
        head_open=False,
        paused=False,
        ribbon_out=False,
        buffer_full=False,
        raw="030,0,0,1218,000,0,0,0,000,0,0,0",
        reason="ready",
        paper_near_end=True,
    )
    window.show_device_status(DeviceStatus("printer", DeviceState.CONNECTED, "ready"))
    window.show_printer_status("printer", low)
    assert label(station, "printer").text() == "printer: connected — paper low"
    assert label(station, "printer").toolTip() == low.raw


def test_devices_are_listed_in_the_order_they_reported(station: Station) -> None:
    window = station.window
    for name in ("scanner", "scale", "printer"):
        window.show_device_status(DeviceStatus(name, DeviceState.CONNECTING, ""))
    bar = window.status
    names = [
        w.objectName()
        for w in sorted(bar.findChildren(QLabel), key=lambda w: w.x())
        if w.objectName().startswith("device-") or w.objectName() == "sync"
    ]
    assert names == ["device-scanner", "device-scale", "device-printer", "sync"]


def test_offline_banner_informs_and_packing_goes_on(qtbot: QtBot, station: Station) -> None:
    window = station.window
    assert window.status.sync_label.text() == "Sync: no status yet"
    assert window.offline.isHidden()
    sign_in(qtbot, window, "BADGE-ALICE")
    window.show_sync_status(False, 12, "09:58")
    assert window.offline.isVisible()
    assert "keep packing" in window.offline.text()
    assert "12 event(s)" in window.offline.text()
    assert window.status.sync_label.text() == "Sync: OFFLINE · 12 waiting · last 09:58"
    assert scan(qtbot, window.pack, "SO-1001").verdict.value == "order_opened"
    assert window.pack.input.hasFocus()  # the banner took nothing away
    window.show_sync_status(True, 0, "10:02")
    assert window.offline.isHidden()
    assert window.status.sync_label.text() == "Sync: online · 0 waiting · last 10:02"
