"""Composition root of the desktop station: settings, database, devices, window.

Nothing here is a global: each piece is built once (``ui.composition``) and handed to whoever
needs it; everything is taken down again before ``main`` returns.

Start-up shows the sign-in screen first (:class:`~ui.start_window.StartWindow`, Qt only) and
imports the station behind it on a thread: a packer sees the bench and can scan a badge within
a few tenths of a second, and that scan is signed in as soon as the station is built.
``python -X importtime -m ui.app`` shows what the first window costs: keep the imports at the
top of this module to Qt and small ``ui``/``station`` modules.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from shiboken6 import Shiboken

from drivers.scanner.wedge import WedgeConfig
from station.config import ConfigError, Settings, load_settings
from ui.first_paint import FirstPaint
from ui.kiosk import KioskGuard
from ui.settings import UiSettings, load_ui_settings
from ui.start_window import Loader, StartWindow
from ui.translations import install_translator
from ui.wedge import WedgeFilter

if TYPE_CHECKING:
    from station.db import Database

DEMO_ORDERS = 60
DEMO_PRODUCTS = 150
# What the station needs beyond the first window, imported behind it.
STATION_MODULES = ("station.db", "station.tools.demo", "ui.composition")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options of ``station-ui``."""
    p = argparse.ArgumentParser(prog="station-ui", description="Pack station desktop")
    p.add_argument("--db", type=Path, help="SQLite database file (env STATION_DB)")
    p.add_argument("--config", type=Path, help="TOML configuration file")
    p.add_argument(
        "--demo",
        action="store_true",
        help="demo devices; an empty database is filled with demo catalog, orders and users",
    )
    p.add_argument("--fullscreen", action="store_true", help="fill the screen (a bench monitor)")
    p.add_argument(
        "--kiosk",
        action="store_true",
        help="full screen, keeps the keyboard, exit only by a supervisor (also [ui] kiosk)",
    )
    # For ``station bench ui``: "ready" once sign-in is on screen, "built" once the station's
    # window is, then quit.
    p.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


DEMO_RATE_CHOICE_S = 15.0  # the demo shows the packer's choice of rate


def run_settings(args: argparse.Namespace) -> Settings:
    """Settings for this run. The database is chosen as the ``station`` command chooses it
    (``--db``, ``STATION_DB``, ``[station] db``, else the default), with or without
    ``--demo``: the window and the command line see the same orders. ``--demo`` also buys
    carrier labels (from the demo hub's emulated carrier that ``./dev start`` runs), with
    ``DEMO_RATE_CHOICE_S`` to choose the rate unless the configuration says otherwise."""
    settings = load_settings(args.config, db_path=args.db)
    if args.demo:
        labels = settings.labels
        window = labels.rate_choice_s or DEMO_RATE_CHOICE_S
        labels = replace(labels, carrier_labels=True, rate_choice_s=window)
        settings = replace(settings, labels=labels)
    return settings


def ensure_demo_data(db: Database, settings: Settings) -> None:
    """Fill an empty database with the demo catalog, orders, boxes and users, and a few orders
    packed and returned (open RMAs from RMA-DEMO-0001) for the returns bench."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from station.db.engine import reader
    from station.db.models import Order
    from station.tools.demo import seed_demo
    from station.tools.demo.returns import seed_returns

    with Session(reader(db.engine)) as session:
        orders = session.scalar(select(func.count()).select_from(Order)) or 0
    if orders == 0:
        seed_demo(db, orders=DEMO_ORDERS, products=DEMO_PRODUCTS, seed=1)
        seed_returns(db, settings)


def cannot_start(reason: object) -> int:
    """Say why the station cannot open (a dialog and stderr); the exit status."""
    title = QCoreApplication.translate("main", "Pack station cannot start")
    QMessageBox.critical(None, title, str(reason))
    print(f"station-ui: {reason}", file=sys.stderr)
    return 1


def show(window: QWidget, args: argparse.Namespace) -> None:
    """Full screen on a bench monitor (and in kiosk mode), else the design size."""
    if args.fullscreen or args.kiosk:
        window.showFullScreen()
    else:
        window.resize(1280, 800)
        window.show()


def say(word: str, then: Callable[[], None] | None = None) -> Callable[[], None]:
    """For ``--exit-when-ready``: print ``word`` (the bench reads it), then ``then``."""

    def announce() -> None:
        print(word, flush=True)
        if then is not None:
            then()

    return announce


def load_station(start: StartWindow) -> str | None:
    """Import the station behind the start window; the error, or None when loaded."""
    loader = Loader(STATION_MODULES, start)
    loop = QEventLoop()
    failure: list[str] = []
    loader.loaded.connect(loop.quit)
    loader.failed.connect(failure.append)
    loader.failed.connect(loop.quit)
    start.closed.connect(loop.quit)
    loader.start()
    loop.exec()
    if failure:
        return failure[0]
    if not start.isVisible():
        loader.join()  # closed while loading: nothing to build, only the thread to finish
        return ""
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Start the desktop station; returns the exit status."""
    args = parse_args(argv)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    try:
        settings = run_settings(args)
        ui: UiSettings = load_ui_settings(args.config)
        translator = install_translator(app, ui.language)
    except ConfigError as exc:
        return cannot_start(exc)
    args.kiosk = args.kiosk or ui.kiosk
    start = StartWindow(settings.station_name, ui.theme)
    kiosk = KioskGuard(app, start) if args.kiosk else None
    wedge = WedgeFilter(WedgeConfig(gs_chars=settings.barcodes.gs_placeholder))
    app.installEventFilter(wedge)
    wedge.scanned.connect(start.take_scan)
    try:
        if args.exit_when_ready:
            FirstPaint(start, say("ready"))
        show(start, args)
        failure = load_station(start)
        if failure is not None:
            return cannot_start(failure) if failure else 0
        return run_station(app, args, settings, ui, start, wedge, kiosk)
    finally:
        if kiosk is not None:
            kiosk.close()
            Shiboken.delete(kiosk)
        app.removeEventFilter(wedge)
        for qobject in (wedge, start):
            if Shiboken.isValid(qobject):
                Shiboken.delete(qobject)
        if translator is not None:
            app.removeTranslator(translator)


def run_station(
    app: QApplication,
    args: argparse.Namespace,
    settings: Settings,
    ui: UiSettings,
    start: StartWindow,
    wedge: WedgeFilter,
    kiosk: KioskGuard | None = None,
) -> int:
    """Open the database, build the station, hand over from the start window, run."""
    from station.db import DatabaseError, MigrationError, open_database
    from ui.composition import build_station, start_bench
    from ui.gil import favour_the_gui, restore_switch_interval
    from ui.heap import SETTLED_MS, freeze_startup_heap, thaw_heap

    try:
        db = open_database(settings.db_path)
    except (DatabaseError, MigrationError) as exc:
        # A station that cannot trust its database must not open.
        start.handed_over = True
        start.close()
        return cannot_start(exc)
    print(f"station-ui: database {settings.db_path}", file=sys.stderr)
    if args.demo:
        ensure_demo_data(db, settings)
    station = build_station(settings, db, ui, config_path=args.config)
    switch_interval = favour_the_gui()  # the verdict's paint waits less on the workers
    try:
        window = station.window
        wedge.scanned.disconnect(start.take_scan)
        wedge.scanned.connect(window.submit_code)
        start_bench(station, settings, db, demo=args.demo)
        if args.exit_when_ready:
            FirstPaint(window, say("built", app.quit))
        if start.isFullScreen():
            window.showFullScreen()
        else:
            window.setGeometry(start.geometry())
            window.show()
        if kiosk is not None:
            kiosk.follow(window)  # before the start window closes: only the station is kept
        start.handed_over = True
        start.close()
        # What was scanned or typed while loading, in order: badges, then PINs.
        for code in start.badges:
            window.submit_code(code)
        for pin in start.pins:
            window.login_screen.pin_input.setText(pin)
            window.login_screen.pin_input.returnPressed.emit()
        # The start-up heap out of the full collections that stalled the window (ui/heap.py).
        QTimer.singleShot(SETTLED_MS, window, freeze_startup_heap)
        status = app.exec()
    finally:
        # Sync, printing, devices, then the worker, then the window, leaving the QApplication
        # as it was found.
        station.close()
        db.close()
        thaw_heap()
        restore_switch_interval(switch_interval)
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
