"""Composition root of the desktop station: settings, database, services, window.

Nothing here is a global: each piece is built once and handed to whoever needs it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import Shiboken
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drivers.registry import build_devices, build_registry
from drivers.scanner.wedge import WedgeConfig
from station.barcodes import Interpreter
from station.config import ConfigError, Settings, default_data_dir, load_settings
from station.db import Database, DatabaseError, MigrationError, open_database
from station.db.engine import reader
from station.db.models import Order
from station.demo import seed_demo
from station.orders import OrderSummary, list_orders
from station.packing.approvals import pin_approver
from station.packing.service import PackService
from ui.bridge import DeviceBridge
from ui.pack_window import PackWindow
from ui.wedge import WedgeFilter
from ui.worker import DbWorker

DEMO_ORDERS = 60
DEMO_PRODUCTS = 150


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options of ``station-ui``."""
    p = argparse.ArgumentParser(prog="station-ui", description="Pack station desktop")
    p.add_argument("--db", type=Path, help="SQLite database file (env STATION_DB)")
    p.add_argument("--config", type=Path, help="TOML configuration file")
    p.add_argument(
        "--demo",
        action="store_true",
        help="use the demo database (created with demo catalog, orders and users if empty)",
    )
    return p.parse_args(argv)


def demo_settings(args: argparse.Namespace) -> Settings:
    """Settings for this run; ``--demo`` without ``--db`` uses a database of its own."""
    db = args.db
    if args.demo and db is None:
        db = default_data_dir() / "demo.sqlite"
    return load_settings(args.config, db_path=db)


def ensure_demo_data(db: Database) -> None:
    """Fill an empty database with the demo catalog, orders, boxes and users."""
    with Session(reader(db.engine)) as session:
        orders = session.scalar(select(func.count()).select_from(Order)) or 0
    if orders == 0:
        seed_demo(db, orders=DEMO_ORDERS, products=DEMO_PRODUCTS, seed=1)


def packable_orders(db: Database) -> list[OrderSummary]:
    """Orders a packer can open now, for the list beside the pack view."""
    with Session(reader(db.engine)) as session:
        return list_orders(session, status="in_progress", limit=50) + list_orders(
            session, status="open", limit=200
        )


def start_devices(settings: Settings, window: PackWindow) -> DeviceBridge:
    """Build the configured devices, connect them to the window through the bridge, start them.

    A device that cannot be built or started shows its reason in the status bar; the window
    works without it. The caller stops the bridge (and with it every device) on exit.
    """
    bridge = DeviceBridge(parent=window)  # goes with the window, and so do its queued events
    bridge.status_changed.connect(window.show_device_status)
    bridge.weight.connect(window.show_weight)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Start the desktop station; returns the exit status."""
    args = parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        settings = demo_settings(args)
        db = open_database(settings.db_path)
    except (ConfigError, DatabaseError, MigrationError) as exc:
        # A station that cannot trust its database must not open.
        QMessageBox.critical(None, "Pack station cannot start", str(exc))
        print(f"station-ui: {exc}", file=sys.stderr)
        return 1
    if args.demo:
        ensure_demo_data(db)
    worker = DbWorker()
    service: PackService = worker.call(
        lambda: PackService(
            db,
            Interpreter(settings.barcodes),
            settings.packing,
            settings.station_name,
            approver=pin_approver(db),
        )
    )
    window = PackWindow(worker, service, lambda: packable_orders(db), settings.station_name)
    # A keyboard-wedge scanner's burst goes to the engine wherever focus is, never into a
    # text field; a person typing a code in the scan field and pressing Enter still works.
    wedge = WedgeFilter(WedgeConfig(gs_chars=settings.barcodes.gs_placeholder), parent=window)
    app.installEventFilter(wedge)
    wedge.scanned.connect(window.submit_code)
    bridge = start_devices(settings, window)
    window.show()
    try:
        status = app.exec()
    finally:
        bridge.stop()  # device threads end before the window and the database go
        worker.call(service.close)
        worker.shutdown()
        db.close()
        # Leave the QApplication as it was found (tests run the station in-process): the
        # wedge filter and the bridge are children of the window and go with it.
        Shiboken.delete(window)
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
