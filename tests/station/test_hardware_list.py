"""Issue 17, point 6: docs/hardware.md's settings work. Each block loads as station settings;
serial scales, serial scanners and network printers are run through the real drivers
(``station devices ... --json``) against the matching emulator on a real pty or socket."""

from __future__ import annotations

import json
import re
import threading
import tomllib
from pathlib import Path

import pytest

from drivers.printer.emulator import Language, TcpPrinterEmulator
from drivers.registry.known_models import recognise
from drivers.scale.emulator import ScaleEmulator
from drivers.scale.hidpos import KNOWN_DEVICES
from drivers.scanner.emulator import SerialScannerEmulator
from drivers.transport import serial_port
from station.cli.main import main
from station.config import load_settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "hardware.md"
BLOCK = re.compile(r"^### (?P<model>.+?)\n.*?```toml\n(?P<toml>.*?)```", re.M | re.S)
EMULATED_SCALE = {"mt-sics": "mtsics", "nci": "nci", "toledo8217": "8217"}
SUFFIX = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "auto": b"\r"}
ENTRIES = [(m["model"], m["toml"]) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def test_the_list_has_the_models_the_issue_names() -> None:
    models = " ".join(model for model, _ in ENTRIES)
    for name in ("ZD421", "ZD621", "GK420d", "TM-T88", "DS2208", "Voyager", "Xenon", "serial",
                 "PS60", "BC60", "6702U", "Dymo M25", "MT-SICS", "webcam"):  # fmt: skip
        assert name in models, name


SECTION = re.compile(r"^### (?P<model>.+?)\n(?P<body>.*?)(?=^##|\Z)", re.M | re.S)
SECTIONS = {m["model"]: m["body"] for m in SECTION.finditer(DOC.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("model", list(SECTIONS))
def test_each_entry_names_its_sources_and_what_is_unconfirmed(model: str) -> None:
    # Every setting is either traced to a published page (named by address) or plainly
    # marked as not confirmed: a technician must know which is which.
    body = SECTIONS[model]
    assert re.search(r"^- Confirmed[^:]*: .*https?://", body, re.M | re.S), model
    assert "\n- Not confirmed" in body, model


def test_the_brecknell_6702u_is_a_usb_serial_nci_scale() -> None:
    # Its service manual: "COM1 is a USB port used as a virtual RS-232 port" (not HID).
    (block,) = [toml for model, toml in ENTRIES if "6702U" in model]
    assert tomllib.loads(block)["devices"]["scale"]["kind"] == "nci"
    assert "virtual RS-232" in SECTIONS[next(m for m in SECTIONS if "6702U" in m)]


def test_every_recognised_id_row_names_its_source() -> None:
    text = DOC.read_text(encoding="utf-8").split("## USB ids the station recognises")[1]
    rows = [line for line in text.splitlines() if re.match(r"^\| [0-9a-f]{4}:", line)]
    assert len(rows) == 9
    for row in rows:
        vid_pid, _name, source = (cell.strip() for cell in row.strip("|").split("|"))
        assert source, vid_pid
        first = vid_pid.split(",")[0].split(" ")[0]
        assert recognise(first.replace("any", "0001")) is not None, first


@pytest.mark.parametrize(("model", "toml"), ENTRIES, ids=[m for m, _ in ENTRIES])
def test_each_entry_works_against_its_emulator(
    model: str, toml: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "station.toml"
    (role, table), = tomllib.loads(toml)["devices"].items()  # fmt: skip
    kind = table["kind"]
    if kind in EMULATED_SCALE:
        unit = table.get("unit", "kg")
        with_emulator = ScaleEmulator(EMULATED_SCALE[kind], weight="1.250", unit=unit)
        with_emulator.start()
        try:
            config.write_text(toml.replace("PORT", with_emulator.port))
            scale = load_settings(config, env={}).devices.scale
            argv = ["devices", "scale", "read", "--port", scale.port, "--protocol", scale.kind,
                    "--baud", str(scale.baud), "--stable", "--json"]  # fmt: skip
            if scale.kind == "toledo8217":
                argv += ["--unit", scale.unit]
            status, out = run(capsys, *argv)
        finally:
            with_emulator.close()
        assert status == 0, out
        assert json.loads(out)["stable"] is True
    elif role == "scanner" and kind == "serial":
        done = threading.Event()
        with SerialScannerEmulator(suffix=SUFFIX[table["suffix"]]) as scanner_emulator:
            config.write_text(toml.replace("PORT", scanner_emulator.path))
            scanner = load_settings(config, env={}).devices.scanner

            def repeat() -> None:
                while not done.wait(0.05):
                    scanner_emulator.send("SO-1001")

            thread = threading.Thread(target=repeat)
            thread.start()
            try:
                status, out = run(
                    capsys, "devices", "scanner", "listen", "--port", scanner.port,
                    "--baud", str(scanner.baud), "--count", "1", "--json",
                )  # fmt: skip
            finally:
                done.set()
                thread.join(5)
        assert status == 0, out
        assert json.loads(out)["data"] == "SO-1001"
    elif role == "printer":
        with TcpPrinterEmulator(Language(kind)) as emulator:
            config.write_text(toml.replace("tcp://HOST:9100", emulator.url))
            printer = load_settings(config, env={}).devices.printer
            status, out = run(capsys, "devices", "printer", "status", "--url", printer.url,
                              "--language", printer.kind, "--json")  # fmt: skip
        assert status == 0, out
        assert json.loads(out)["online"] is True
    else:  # keyboard wedge, HID scale, webcam: no emulator of their own; the settings load
        config.write_text(toml)
        devices = load_settings(config, env={}).devices
        assert getattr(devices, role).kind == kind
        if kind == "hid":
            vid, pid = (int(part, 16) for part in table["hid"].split(":"))
            assert (vid, pid) in KNOWN_DEVICES


def test_devices_list_names_a_recognised_usb_device(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The one stand-in: the operating system's list of ports (no USB adapter here).
    adapter = serial_port.PortInfo("/dev/ttyUSB0", "FT232R USB UART", "0403:6001")
    monkeypatch.setattr(serial_port, "list_ports", lambda: [adapter])
    status, out = run(capsys, "devices", "list", "--json")
    assert status == 0
    (port,) = json.loads(out)["serial_ports"]
    assert port["model"] == "FTDI FT232R USB-serial adapter"
    assert 'port = "/dev/ttyUSB0"' in port["settings"]
    status, out = run(capsys, "devices", "list")
    assert "recognised: FTDI FT232R USB-serial adapter; suggested settings:" in out


def test_the_recognised_ids_are_in_the_list() -> None:
    text = DOC.read_text(encoding="utf-8")
    for vid_pid in ("0eb8:f000", "0922:8004", "04b8:0202", "0403:6001"):
        assert vid_pid in text
        model = recognise(vid_pid)
        assert model is not None and tomllib.loads(model.settings.replace("PORT", "x"))
    zebra = recognise("0A5F:0120")
    assert zebra is not None and 'url = "usb:0a5f:0120"' in zebra.settings
    assert recognise("1234:5678") is None
