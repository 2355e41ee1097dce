"""Builds the station's parts from settings and a database, and takes them down again.

Used by ``station-ui``, ``station-screenshot`` and the tests alike, so all three run the same
wiring: one database worker, one pack engine, sign-in, the acknowledgement gate and the
window. Nothing here is global; :class:`Station` holds each part and :meth:`Station.close`
stops them in the order that leaves no thread and no widget behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QApplication
from shiboken6 import Shiboken
from sqlalchemy.orm import Session

from drivers.registry import build_devices, build_registry
from drivers.scanner.wedge import WedgeConfig
from station.barcodes import Interpreter
from station.config import Settings
from station.db import Database
from station.db.engine import reader
from station.orders import OrderSummary, list_orders
from station.packing.approvals import pin_approver
from station.packing.service import PackService
from station.session_login import SessionLogin
from ui.bridge import DeviceBridge
from ui.main_window import StationWindow
from ui.pack.ack_gate import AckGate
from ui.pack.order_info import load_order_info
from ui.pack.screen import PackScreen
from ui.settings import UiSettings
from ui.sounds import QtSoundPlayer, SilentPlayer, SoundPlayer
from ui.wedge import WedgeFilter
from ui.worker import DbWorker


def packable_orders(db: Database) -> list[OrderSummary]:
    """Orders a packer can open now, for the list beside the lines."""
    with Session(reader(db.engine)) as session:
        return list_orders(session, status="in_progress", limit=50) + list_orders(
            session, status="open", limit=200
        )


@dataclass
class Station:
    """The running parts of one station window."""

    window: StationWindow
    worker: DbWorker
    service: PackService
    login: SessionLogin
    bridge: DeviceBridge | None = None

    def close(self) -> None:
        """Stop devices, then database work, then delete the window (and its children)."""
        if self.bridge is not None:
            self.bridge.stop()  # device threads end before the window they report to
            self.bridge = None
        self.worker.call(self.service.close)
        self.worker.shutdown()
        # Results already queued to the GUI thread must not reach deleted widgets: deleting
        # the worker's QObject drops the events posted to it.
        if Shiboken.isValid(self.worker):
            Shiboken.delete(self.worker)
        if Shiboken.isValid(self.window):
            Shiboken.delete(self.window)


def build_station(
    settings: Settings, db: Database, ui: UiSettings, sounds: SoundPlayer | None = None
) -> Station:
    """Worker, engine, sign-in and window on ``db``; devices are started separately."""
    worker = DbWorker()
    interpreter = Interpreter(settings.barcodes)
    service: PackService = worker.call(
        lambda: PackService(
            db,
            interpreter,
            settings.packing,
            settings.station_name,
            approver=pin_approver(db),
        )
    )
    login = SessionLogin(db, interpreter, service, settings.station_name)
    player: SoundPlayer = sounds if sounds is not None else SilentPlayer()
    if sounds is None and ui.sounds:
        player = QtSoundPlayer()
    sender = settings.labels.sender_country
    pack = PackScreen(
        worker,
        service,
        AckGate(service, interpreter),
        lambda: packable_orders(db),
        lambda number: load_order_info(db, number, sender),
        player,
    )
    window = StationWindow(worker, login, pack, settings.station_name, ui.idle_lock_s, ui.theme)
    if isinstance(player, QtSoundPlayer):
        player.setParent(window)  # its sound effects go with the window
    return Station(window, worker, service, login)


def install_wedge(app: QApplication, settings: Settings, window: StationWindow) -> WedgeFilter:
    """Take keyboard-wedge scans out of the key stream, wherever focus is, into the window.

    A person typing a code into the scan field and pressing Enter still works.
    """
    wedge = WedgeFilter(WedgeConfig(gs_chars=settings.barcodes.gs_placeholder), parent=window)
    app.installEventFilter(wedge)
    wedge.scanned.connect(window.submit_code)
    return wedge


def start_devices(settings: Settings, window: StationWindow) -> DeviceBridge:
    """Build the configured devices, connect them to the window through the bridge, start them.

    A device that cannot be built or started shows its reason in the status bar; the window
    works without it. The caller stops the bridge (and with it every device) on exit.
    """
    bridge = DeviceBridge(parent=window)  # goes with the window, and so do its queued events
    bridge.status_changed.connect(window.show_device_status)
    bridge.weight.connect(window.show_weight)
    bridge.stable_weight.connect(window.show_stable_weight)
    bridge.printer_status.connect(window.show_printer_status)
    # The AIM prefix stays on the code: the interpreter reads the symbology from it.
    bridge.scanned.connect(lambda data, _symbology: window.submit_code(data))
    devices = settings.devices
    built, failures = build_devices(
        build_registry(),
        (devices.scanner, devices.scale, devices.printer, devices.camera),
        bridge.listeners(),
    )
    for failure in failures:
        bridge.report(failure)
    bridge.start(built)
    return bridge
