"""``station-screenshot``: render a screen with demo data, offscreen, to a PNG.

    station-screenshot --screen pack -o pack.png --size 1920x1080 [--scene wrong_item]

A console script of its own (``[project.scripts]``) rather than ``station screenshot``:
rendering needs Qt, and ``station/`` never imports Qt or ``ui``. It builds the real window
through ``ui.composition`` on a throwaway demo database, drives it with real scans through
the real worker and engine, shows demo device and sync states, and grabs the window.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from station.config import Settings

SCREENS = ("login", "pack", "returns", "evidence", "devices", "dashboard")
SCENES = ("accepted", "wrong_item", "weight_mismatch")


def parse_size(text: str) -> tuple[int, int]:
    """``"1280x800"`` -> ``(1280, 800)``."""
    width, sep, height = text.lower().partition("x")
    try:
        size = int(width), int(height)
    except ValueError:
        size = (0, 0)
    if not sep or min(size) < 200:
        raise argparse.ArgumentTypeError(f"{text!r}: expected WIDTHxHEIGHT, e.g. 1280x800")
    return size


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Options of ``station-screenshot``."""
    p = argparse.ArgumentParser(
        prog="station-screenshot", description="Render a station screen with demo data to PNG"
    )
    p.add_argument("--screen", choices=SCREENS, required=True)
    p.add_argument("-o", "--output", type=Path, required=True, help="PNG file to write")
    p.add_argument("--size", type=parse_size, default=(1280, 800), help="WIDTHxHEIGHT")
    p.add_argument(
        "--scene",
        choices=SCENES,
        default="accepted",
        help="pack: the last scan a good item, a wrong item awaiting acknowledgement, or the"
        " whole order packed and weighed too heavy",
    )
    p.add_argument("--offline", action="store_true", help="show the hub as unreachable")
    return p.parse_args(argv)


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Run the event loop until ``condition`` holds; TimeoutError after ``timeout_s``."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the state to render")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)


def render(args: argparse.Namespace) -> Path:
    """Build the station on a demo database, bring it to the screen asked for, save a PNG."""
    from PySide6.QtWidgets import QApplication

    from station.db import open_database
    from station.tools.demo import seed_demo
    from ui.composition import build_station
    from ui.settings import UiSettings
    from ui.sounds import SilentPlayer
    from ui.tools.screenshot_returns import drive_evidence, drive_returns
    from ui.tools.screenshot_scene import dress, drive_pack

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="station-shot-") as tmp:
        db = open_database(Path(tmp) / "demo.sqlite")
        try:
            seed_demo(db, orders=12, products=40, seed=3)
            settings = Settings(db_path=db.path)
            station = build_station(settings, db, UiSettings(idle_lock_s=3600), SilentPlayer())
            try:
                window = station.window
                width, height = args.size
                window.resize(width, height)
                window.show()
                dress(window, offline=args.offline)
                if args.screen == "pack":
                    drive_pack(station, db, args.scene, wait_until)
                elif args.screen == "returns":
                    drive_returns(station, db, settings, wait_until)
                elif args.screen == "evidence":
                    drive_evidence(station, db, settings, wait_until)
                elif args.screen == "dashboard":
                    from ui.tools.showcase_dashboard import drive_dashboard

                    drive_dashboard(station, db, settings, wait_until)
                elif args.screen == "devices":
                    from ui.tools.showcase_devices import drive_devices

                    drive_devices(station, Path(tmp), wait_until)
                wait_until(window.isVisible)
                app.processEvents()
                args.output.parent.mkdir(parents=True, exist_ok=True)
                if not window.grab().save(str(args.output), "PNG"):
                    raise OSError(f"cannot write {args.output}")
            finally:
                station.close()
        finally:
            db.close()
    return Path(args.output)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``station-screenshot``; returns the exit status."""
    args = parse_args(argv)
    # Before the QApplication exists: render without a display, also on a desktop.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        path = render(args)
    except (OSError, TimeoutError) as exc:
        print(f"station-screenshot: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
