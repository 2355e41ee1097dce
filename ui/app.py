"""Composition root of the desktop station: settings, database, devices, window.

Nothing here is a global: each piece is built once (``ui.composition``) and handed to whoever
needs it; everything is taken down again before ``main`` returns.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.config import ConfigError, Settings, default_data_dir, load_settings
from station.db import Database, DatabaseError, MigrationError, open_database
from station.db.engine import reader
from station.db.models import Order
from station.demo import seed_demo
from ui.composition import build_station, install_wedge, start_bench
from ui.settings import UiSettings, load_ui_settings

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
    p.add_argument("--fullscreen", action="store_true", help="fill the screen (a bench monitor)")
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


def main(argv: Sequence[str] | None = None) -> int:
    """Start the desktop station; returns the exit status."""
    args = parse_args(argv)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    try:
        settings = demo_settings(args)
        ui: UiSettings = load_ui_settings(args.config)
        db = open_database(settings.db_path)
    except (ConfigError, DatabaseError, MigrationError) as exc:
        # A station that cannot trust its database must not open.
        title = QCoreApplication.translate("main", "Pack station cannot start")
        QMessageBox.critical(None, title, str(exc))
        print(f"station-ui: {exc}", file=sys.stderr)
        return 1
    if args.demo:
        ensure_demo_data(db)
    station = build_station(settings, db, ui)
    try:
        install_wedge(app, settings, station.window)
        start_bench(station, settings, db, demo=args.demo)
        if args.fullscreen:
            station.window.showFullScreen()
        else:
            station.window.resize(1280, 800)
            station.window.show()
        status = app.exec()
    finally:
        # Sync, printing, devices, then the worker, then the window: the wedge filter and the
        # bridge are children of the window and go with it, leaving the QApplication as it
        # was found.
        station.close()
        db.close()
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
