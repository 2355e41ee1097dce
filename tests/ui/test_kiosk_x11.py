"""Issue 17, point 4: a kiosk bench under X with no window manager takes the keyboard itself.

A real X server (Xvfb) with no window manager, the real ``station-ui --kiosk --demo`` process
on the xcb platform, and real X key events (xdotool, through XTEST) with no click: the PIN
signs in, an order and a wrong item are typed, F12 acknowledges the red verdict (else the next
item would be held back), the item is accepted, and F5 undoes it. The database says what the
keys did.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("xdotool")),
        reason="needs Xvfb and xdotool (./dev installs them)",
    ),
]
# Patience for a loaded machine, not a measure of speed: the steps below wait for rows.
PATIENCE_S = 180.0


@pytest.fixture
def display() -> Iterator[str]:
    """A new X server with no window manager; its display name."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(
    what: str, found: Callable[[], object], again: Callable[[], None] | None = None
) -> None:
    """Poll until ``found``; with ``again``, do it first and again every few seconds (keys
    typed while the window is still being built may be lost)."""
    deadline = time.monotonic() + PATIENCE_S
    retry = 0.0
    while not found():
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw: {what}")
        if again is not None and time.monotonic() >= retry:
            again()
            retry = time.monotonic() + 8
        time.sleep(0.2)


def test_f12_and_f5_work_with_no_click(display: str, tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite"
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "STATION_IDLE_LOCK_S": "3600",
    }
    log = (tmp_path / "station-ui.log").open("w")
    station = subprocess.Popen(
        [sys.executable, "-m", "ui.app", "--demo", "--kiosk", "--db", str(db)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def rows(sql: str) -> list[tuple[object, ...]]:
        if not db.exists():
            return []
        with sqlite3.connect(db) as conn:
            try:
                return conn.execute(sql).fetchall()
            except sqlite3.OperationalError:  # tables not made yet
                return []

    def x(*args: str) -> None:
        subprocess.run(["xdotool", *args], env=env, check=True, timeout=60)

    def typed(text: str) -> None:
        # Typed as a person types (a scanner would be faster), then Enter a moment later.
        x("type", "--delay", "120", text)  # (type takes every argument after it as text)
        time.sleep(0.3)
        x("key", "Return")

    try:
        wait_for("the demo users", lambda: rows("SELECT id FROM users WHERE name = 'alice'"))
        # The demo packs a few orders for its returns (RMA-DEMO-0001..3) before the window
        # opens: what this test types is counted after them.
        wait_for(
            "the demo returns", lambda: rows("SELECT id FROM rmas WHERE number = 'RMA-DEMO-0003'")
        )
        ((last_scan,),) = rows("SELECT coalesce(max(id), 0) FROM scans")
        ((last_audit,),) = rows("SELECT coalesce(max(id), 0) FROM audit_log")
        signed_in = f"SELECT id FROM audit_log WHERE action = 'user.login' AND id > {last_audit}"
        wait_for("alice signed in", lambda: rows(signed_in), lambda: typed("1111"))  # her PIN
        order, item = rows(
            "SELECT o.number, b.raw FROM orders o JOIN order_lines l ON l.order_id = o.id"
            " JOIN product_barcodes b ON b.product_id = l.product_id JOIN products p"
            " ON p.id = l.product_id WHERE o.status = 'open' AND p.tracking = 'none'"
            " ORDER BY o.number LIMIT 1"
        )[0]
        (wrong,) = rows(
            "SELECT b.raw FROM product_barcodes b WHERE b.product_id NOT IN (SELECT product_id"
            f" FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.number = '{order}')"
            " LIMIT 1"
        )[0]
        scans = f"SELECT raw, verdict, undone FROM scans WHERE id > {last_scan} ORDER BY id"
        # The screen changes to packing just after the sign-in is stored: until it has, what
        # is typed goes to the PIN field, so the order is typed again until it is taken.
        wait_for("the order opened", lambda: rows(scans), lambda: typed(str(order)))
        assert len(rows(scans)) == 1
        typed(str(wrong))
        wait_for("the wrong item refused", lambda: len(rows(scans)) == 2)
        x("key", "F12")
        wait_for("F12 acknowledged", lambda: len(rows(scans)) == 3)
        typed(str(item))
        wait_for("the item accepted", lambda: len(rows(scans)) == 4)
        x("key", "F5")
        wait_for("F5 undid it", lambda: len(rows(scans)) == 5)
        assert rows(scans) == [
            (order, "order_opened", 0),
            (wrong, "wrong_item", 0),
            ("<confirm>", "confirmed", 0),
            (item, "accepted", 1),
            ("<undo>", "undone", 0),
        ]
        assert station.poll() is None  # still running: kiosk mode has no way out but Ctrl+Q
    finally:
        station.terminate()
        station.wait(timeout=60)
        log.close()
