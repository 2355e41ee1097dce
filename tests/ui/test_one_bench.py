"""One pack flow: the same scripted session through the window, ``station pack`` and the pack
bench itself gives the same sequence of outcomes (issue 13, "done when").

The session: open an order, scan a wrong item, press Enter on its own, scan on without reading
the banner (held back, not counted), acknowledge with CMD-CONFIRM, scan the right items and
the box, complete. The box rests on the emulated scale (MT-SICS, read by the real driver) the
whole time, so the close weighs it (its weighing is recorded), and completing queues its
labels. Each path runs on its own copy of the test database with the same settings.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.printer.emulator import Language, TcpPrinterEmulator
from drivers.registry import (
    CameraDeviceConfig,
    Listeners,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
    build_registry,
)
from drivers.scale.worker import ScaleUpdate
from station.barcodes import Interpreter
from station.cli.main import main
from station.config import DeviceSettings, Settings
from station.db import Database
from station.packing.approvals import badge_and_pin_approver
from station.packing.bench import Held, PackBench
from station.packing.completion import LabelCompletion
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Outcome
from station.printing.printers import ConfiguredPrinters
from station.printing.queue import PrintQueue
from station.user_ref import UserRef
from tests.station.packfixtures import MUG, STRAY, TEE
from tests.station.simulate.packing import rows
from tests.ui.stationfixtures import WAIT_MS, build_ui_db, running_bench, sign_in

BOX_KG = "0.495"  # two mugs and a tee (100 g each), BOX-M (180 g), packing material (15 g)
SESSION = ["SO-1001", STRAY, "", MUG, "CMD-CONFIRM", MUG, MUG, TEE, "BOX-M", "CMD-COMPLETE"]
EXPECTED = [
    "order_opened",
    "wrong_item",
    "held",
    "confirmed",
    "accepted",
    "accepted",
    "accepted",
    "box_selected",
    "completed",
]
CONFIG = """
[station]
name = "bench-1"

[devices.scale]
kind = "emulated"
demo_weight = "{kg}"
poll_interval_s = 0.02

[devices.printer]
kind = "zpl"
url = "{url}"
"""


@pytest.fixture
def printer() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        yield emulator


def bench_settings(db: Database, printer: TcpPrinterEmulator) -> Settings:
    devices = DeviceSettings(
        scanner=ScannerDeviceConfig(kind="emulated"),
        scale=ScaleDeviceConfig(kind="emulated", demo_weight=BOX_KG, poll_interval_s=0.02),
        printer=PrinterDeviceConfig(kind="zpl", url=printer.url, timeout_s=2.0),
        camera=CameraDeviceConfig(kind="none"),
    )
    return Settings(db_path=db.path, devices=devices, station_name="bench-1")


def labels_of(db: Database) -> list[object]:
    return [t for (t,) in rows(db, "SELECT template FROM print_jobs ORDER BY id")]


def through_the_window(qtbot: QtBot, db: Database, printer: TcpPrinterEmulator) -> list[str]:
    """Typed into the pack screen (a keyboard-wedge scanner), Enter after each code."""
    settings = bench_settings(db, printer)
    seen: list[str] = []
    with running_bench(db, settings) as station:
        window, pack = station.window, station.window.pack
        pack.outcome_shown.connect(lambda outcome: seen.append(outcome.verdict.value))
        pack.scan_held.connect(lambda _what: seen.append("held"))
        sign_in(qtbot, window, "BADGE-ALICE")
        # The box is on the platter before the first scan (the bench hears the scale too).
        qtbot.waitUntil(lambda: pack.weight.value_text().startswith(BOX_KG), timeout=WAIT_MS)
        for code in SESSION:
            before = len(seen)
            qtbot.keyClicks(pack.input, code)
            qtbot.keyClick(pack.input, Qt.Key.Key_Return)
            if code:  # a bare Enter answers nothing
                qtbot.waitUntil(lambda: len(seen) > before, timeout=WAIT_MS)  # noqa: B023
        qtbot.waitUntil(lambda: len(labels_of(db)) == 2, timeout=WAIT_MS)
    return seen


def through_station_pack(
    db: Database,
    printer: TcpPrinterEmulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> list[str]:
    """``station pack --weigh --labels --json`` with the session on standard input."""
    config = tmp_path / "cli.toml"
    config.write_text(CONFIG.format(kg=BOX_KG, url=printer.url))
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(SESSION) + "\n"))
    args = ["--config", str(config), "--db", str(db.path), "pack", "--user", "BADGE-ALICE"]
    capsys.readouterr()
    assert main([*args, "--json", "--weigh", "--labels"]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return ["held" if "held" in a else str(a["verdict"]) for a in answers]


def through_the_bench(db: Database, printer: TcpPrinterEmulator) -> list[str]:
    """The pack bench itself, fed by the emulated scale's driver, labels as a subscriber."""
    settings = bench_settings(db, printer)
    service = PackService(
        db,
        Interpreter(settings.barcodes),
        settings.packing,
        settings.station_name,
        approver=badge_and_pin_approver(db),
        proof=ProofOptions.from_settings(settings),
    )
    bench = PackBench(service, Interpreter(settings.barcodes))
    printers = ConfiguredPrinters(settings.devices.printer, build_registry())
    queue = PrintQueue(db, printers, settings.station_name)
    labels = LabelCompletion(db, settings, queue)

    def queue_labels(outcome: Outcome, user: UserRef | None) -> None:
        labels.after(outcome, user.id if user is not None else None)

    bench.subscribe(queue_labels)
    updates: list[ScaleUpdate] = []
    settled = threading.Event()

    def heard(update: ScaleUpdate) -> None:
        updates.append(update)
        if update.accepted:
            settled.set()

    scale = build_registry().scale(settings.devices.scale, Listeners(on_reading=heard))
    scale.start()
    seen: list[str] = []
    try:
        assert settled.wait(WAIT_MS / 1000)
        bench.scan("BADGE-ALICE")
        for code in SESSION:
            while updates:
                weighed = bench.reading(updates.pop(0))
                if weighed is not None:
                    seen.append(weighed.label)
            reply = bench.scan(code)
            if reply is not None:
                seen.append(reply.label)
                assert isinstance(reply.result, Held | Outcome)
    finally:
        scale.stop()
        service.close()
        printers.close()
    return seen


def test_the_window_station_pack_and_the_bench_give_the_same_outcomes(
    qtbot: QtBot,
    tmp_path: Path,
    printer: TcpPrinterEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dbs = [build_ui_db(tmp_path / f"{name}.sqlite") for name in ("window", "cli", "bench")]
    try:
        window = through_the_window(qtbot, dbs[0], printer)
        cli = through_station_pack(dbs[1], printer, tmp_path, monkeypatch, capsys)
        direct = through_the_bench(dbs[2], printer)
        assert window == cli == direct == EXPECTED
        for db in dbs:
            # The close weighed the box (a pass), and the order's labels were queued.
            assert rows(db, "SELECT weight_g, decision FROM weight_readings") == [(495.0, "pass")]
            assert labels_of(db) == ["shipping", "packing-slip"]
            held = rows(db, "SELECT count(*) FROM scans WHERE raw = ?", MUG)
            assert held == [(2,)]  # the held-back mug was never stored
    finally:
        for db in dbs:
            db.close()
