"""``station devices ...`` end to end: the real CLI and drivers against emulators on a real
pty or TCP socket, output read back as the technician (or a script) would."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.printer.emulator import AnswerMode, Language, TcpPrinterEmulator
from drivers.printer.testprint import test_label, test_receipt
from drivers.scale.emulator import ScaleEmulator
from drivers.scanner.emulator import SerialScannerEmulator
from station.cli.main import main
from station.config import ConfigError, load_settings

GS1_SCAN = "]d2010950110153000310LOT42\x1d17251231"  # GS1 DataMatrix, GS after the lot
ORDER_SCAN = "SO-1001"


@pytest.fixture
def scale() -> Iterator[Callable[..., ScaleEmulator]]:
    started: list[ScaleEmulator] = []

    def start(protocol: str = "mtsics", weight: str = "1.234", unit: str = "kg") -> ScaleEmulator:
        emulator = ScaleEmulator(protocol, weight=weight, unit=unit)
        emulator.start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.close()


@pytest.fixture
def zpl_printer() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        yield emulator


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def scale_read(
    capsys: pytest.CaptureFixture[str], port: str, *extra: str
) -> tuple[int, dict[str, Any]]:
    status, out, _ = run(capsys, "devices", "scale", "read", "--port", port, "--json", *extra)
    return status, json.loads(out)


# --- scale ------------------------------------------------------------------------------


def test_scale_read_prints_a_stable_weight(scale, capsys):
    emulator = scale()
    status, shown = scale_read(capsys, emulator.port, "--protocol", "mt-sics", "--stable")
    assert status == 0
    assert shown == {"weight_g": 1234.0, "stable": True, "state": "stable", "raw": shown["raw"]}
    assert "1.234" in shown["raw"]


def test_scale_read_maps_toledo8217_and_takes_the_unit(scale, capsys):
    emulator = scale("8217", weight="2.50", unit="lb")
    status, shown = scale_read(capsys, emulator.port, "--protocol", "toledo8217", "--unit", "lb")
    assert status == 0
    assert shown["weight_g"] == pytest.approx(1133.981, abs=0.001)


def test_scale_read_toledo8217_without_unit_is_a_usage_error(scale, capsys):
    emulator = scale("8217")
    status, _, err = run(
        capsys, "devices", "scale", "read", "--port", emulator.port, "--protocol", "toledo8217"
    )
    assert status == 2
    assert "--unit" in err


def test_stable_times_out_on_a_moving_scale(scale, capsys):
    emulator = scale()
    emulator.set_moving("1.200")
    started = time.monotonic()
    status, shown = scale_read(
        capsys, emulator.port, "--protocol", "mt-sics", "--stable", "--timeout", "0.6"
    )
    assert time.monotonic() - started < 3.0
    assert status == 1
    assert shown["error"].startswith("no stable weight within 0.6 s")
    assert shown["state"] == "moving"
    assert set(shown) == {"error", "state", "raw"}


def test_overload_is_an_error_not_a_weight(scale, capsys):
    emulator = scale("nci")
    emulator.set_overload()
    status, shown = scale_read(capsys, emulator.port, "--protocol", "nci")
    assert status == 1
    assert shown["state"] == "overload"
    assert "overloaded" in shown["error"]
    assert shown["raw"]


def test_negative_is_an_error_not_a_weight(scale, capsys):
    emulator = scale()
    emulator.set_negative()
    status, shown = scale_read(capsys, emulator.port, "--protocol", "mt-sics")
    assert (status, shown["state"]) == (1, "negative")


def test_no_answer_names_the_cause(scale, capsys):
    emulator = scale()
    emulator.set_silent(True)
    status, shown = scale_read(capsys, emulator.port, "--protocol", "mt-sics", "--timeout", "0.5")
    assert status == 1
    assert shown["error"].startswith(f"no answer from the scale on {emulator.port}")
    assert shown["state"] is None


def test_only_garbage_names_the_cause(scale, capsys):
    # An NCI scale asked in MT-SICS answers frames no MT-SICS reply looks like.
    emulator = scale("nci")
    status, shown = scale_read(capsys, emulator.port, "--protocol", "mt-sics", "--timeout", "0.5")
    assert status == 1
    assert shown["error"].startswith("only unreadable bytes")
    assert shown["raw"] == "\n?\r\x03"


def test_a_scale_that_answers_once_with_noise_is_asked_again(scale, capsys):
    # Issue 12 point 13: this gave up after 1 s with "only unreadable bytes".
    emulator = scale()
    emulator.glitch(b"\xff\x00#@!")
    status, shown = scale_read(
        capsys, emulator.port, "--protocol", "mt-sics", "--stable", "--timeout", "5"
    )
    assert status == 0
    assert (shown["weight_g"], shown["state"]) == (1234.0, "stable")
    assert len(emulator.commands) == 4  # the glitched one, then three agreeing readings


def test_a_missing_port_is_named(tmp_path, capsys):
    status, shown = scale_read(capsys, str(tmp_path / "ttyUSB9"), "--protocol", "nci")
    assert status == 1
    assert f"cannot open port {tmp_path / 'ttyUSB9'}" in shown["error"]
    assert "No such file or directory" in shown["error"]


def test_a_hid_scale_that_is_not_there(capsys):
    status, out, _ = run(capsys, "devices", "scale", "read", "--hid", "0922:8003", "--json")
    assert status == 1
    error = json.loads(out)["error"]
    # Either hidapi finds no such device, or its back-end is missing: both say so.
    assert "0922:8003" in error or "hidapi" in error


def test_scale_read_text_output(scale, capsys):
    emulator = scale(weight="0.500")
    status, out, _ = run(
        capsys, "devices", "scale", "read", "--port", emulator.port, "--protocol", "mt-sics"
    )
    assert status == 0
    assert out.startswith("500 g  stable")


# --- scanner ----------------------------------------------------------------------------


@pytest.fixture
def repeating_scanner() -> Iterator[SerialScannerEmulator]:
    """A scanner sending the same two scans until the test ends: opening a port flushes what
    arrived before, so the listener takes the first two whole frames after it opened."""
    done = threading.Event()
    with SerialScannerEmulator(suffix=b"\r\n") as emulator:
        frames = (GS1_SCAN + "\r\n" + ORDER_SCAN + "\r\n").encode()

        def repeat() -> None:
            while not done.wait(0.05):
                emulator.write(frames)  # one write: a flush never splits the pair

        thread = threading.Thread(target=repeat)
        thread.start()
        try:
            yield emulator
        finally:
            done.set()
            thread.join(5)


def test_scanner_listen_prints_one_json_line_per_scan(repeating_scanner, capsys):
    status, out, _ = run(
        capsys, "devices", "scanner", "listen", "--port", repeating_scanner.path,
        "--count", "2", "--timeout", "5", "--json",
    )  # fmt: skip
    assert status == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["data"] == GS1_SCAN  # GS kept, suffix gone
    assert first["symbology"] == "]d2"
    assert first["interpretation"]["gtin"] == "09501101530003"
    assert first["interpretation"]["lot"] == "LOT42"
    assert second == {
        "data": ORDER_SCAN,
        "symbology": None,
        "interpretation": second["interpretation"],
    }
    assert second["interpretation"]["kind"] == "order"


def test_scanner_listen_prints_each_scan_as_it_arrives(capsys):
    """An installer pulling the trigger sees the scan at once, not when --count is reached."""
    result: list[int] = []
    with SerialScannerEmulator(suffix=b"\r\n") as emulator:
        argv = ["devices", "scanner", "listen", "--port", emulator.path, "--count", "5"]
        listener = threading.Thread(target=lambda: result.append(main([*argv, "--timeout", "3"])))
        listener.start()
        seen = ""
        deadline = time.monotonic() + 5
        # Opening the port flushes what came before, so repeat until the listener shows it.
        while not seen and time.monotonic() < deadline:
            emulator.send(ORDER_SCAN)
            time.sleep(0.05)
            seen = capsys.readouterr().out
        still_listening = listener.is_alive()
        listener.join(10)
    assert seen.startswith(f"{ORDER_SCAN}  ->  order")
    assert still_listening  # printed while it was still waiting for the other four
    assert result == [1]  # then timed out: fewer than five scans came


def test_scanner_listen_times_out_with_the_reason(capsys):
    with SerialScannerEmulator() as emulator:
        status, out, err = run(
            capsys, "devices", "scanner", "listen", "--port", emulator.path, "--timeout", "0.3"
        )
    assert status == 1
    assert out == ""
    assert "time-out: 0 of 1 scan(s) within 0.3 s" in err


def test_scanner_listen_on_a_missing_port(tmp_path, capsys):
    status, _, err = run(
        capsys, "devices", "scanner", "listen", "--port", str(tmp_path / "ttyACM7")
    )
    assert status == 1
    assert f"cannot open port {tmp_path / 'ttyACM7'}" in err


# --- printer ----------------------------------------------------------------------------


def printer_status(capsys, url: str, language: str = "zpl") -> tuple[int, dict[str, Any], str]:
    status, out, err = run(
        capsys, "devices", "printer", "status", "--url", url, "--language", language,
        "--timeout", "0.5", "--json",
    )  # fmt: skip
    return status, json.loads(out), err


def test_printer_status_ready(zpl_printer, capsys):
    status, shown, _ = printer_status(capsys, zpl_printer.url)
    assert status == 0
    assert shown == {
        "online": True,
        "paper_out": False,
        "head_open": False,
        "paused": False,
        "ribbon_out": False,
        "raw": shown["raw"],
    }
    assert shown["raw"]


def test_printer_status_paper_out(zpl_printer, capsys):
    zpl_printer.state.paper_out = True
    status, shown, err = printer_status(capsys, zpl_printer.url)
    assert status == 1
    assert shown["paper_out"] is True
    assert "paper out" in err


def test_a_silent_printer_is_unknown_not_fine(zpl_printer, capsys):
    zpl_printer.state.answer = AnswerMode.SILENT
    status, shown, err = printer_status(capsys, zpl_printer.url)
    assert status == 1
    assert {key: shown[key] for key in shown if key != "raw"} == dict.fromkeys(
        ("online", "paper_out", "head_open", "paused", "ribbon_out")
    )
    assert "unknown" in err


def test_printer_status_of_an_escpos_printer_in_text(capsys):
    with TcpPrinterEmulator(Language.ESCPOS) as emulator:
        status, out, _ = run(
            capsys, "devices", "printer", "status", "--url", emulator.url,
            "--language", "escpos", "--timeout", "0.5",
        )  # fmt: skip
    assert status == 0
    assert "paper out   no" in out


def test_printer_test_sends_the_label(zpl_printer, capsys):
    status, out, _ = run(
        capsys, "devices", "printer", "test", "--url", zpl_printer.url, "--language", "zpl"
    )
    assert status == 0
    assert "test label sent" in out
    assert zpl_printer.wait_for_jobs(1, timeout=5) == [test_label()]


def test_printer_test_sends_the_receipt(capsys):
    with TcpPrinterEmulator(Language.ESCPOS) as emulator:
        status, _, _ = run(
            capsys, "devices", "printer", "test", "--url", emulator.url, "--language", "escpos"
        )
        assert status == 0
        assert emulator.wait_for_jobs(1, timeout=5) == [test_receipt()]


def test_printer_test_is_refused_with_the_printers_reason(zpl_printer, capsys):
    zpl_printer.state.head_open = True
    status, _, err = run(
        capsys, "devices", "printer", "test", "--url", zpl_printer.url, "--language", "zpl",
        "--timeout", "0.5",
    )  # fmt: skip
    assert status == 1
    assert "print head open" in err
    assert zpl_printer.jobs == []


def test_a_bad_printer_url_is_a_usage_error(capsys):
    status, _, err = run(
        capsys, "devices", "printer", "status", "--url", "lpt:1", "--language", "zpl"
    )
    assert status == 2
    assert "unknown printer scheme 'lpt'" in err


# --- list and configuration ---------------------------------------------------------------


def test_list_shows_ports_configured_devices_and_cameras(capsys):
    status, out, _ = run(capsys, "devices", "list", "--json")
    assert status == 0
    shown = json.loads(out)
    assert set(shown) == {"serial_ports", "configured", "cameras"}
    assert [(d["role"], d["kind"]) for d in shown["configured"]] == [
        ("scanner", "emulated"),
        ("scale", "emulated"),
        ("printer", "emulated"),
        ("camera", "none"),
    ]
    status, out, _ = run(capsys, "devices", "list")
    assert status == 0
    assert "Configured devices:" in out


def test_list_shows_a_configured_scale(tmp_path: Path, capsys):
    config = tmp_path / "station.toml"
    config.write_text('[devices.scale]\nkind = "nci"\nport = "/dev/ttyUSB3"\nbaud = 9600\n')
    status, out, _ = run(capsys, "--config", str(config), "devices", "list", "--json")
    assert status == 0
    scale = json.loads(out)["configured"][1]
    assert scale["where"] == "/dev/ttyUSB3 (nci at 9600 baud)"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[devices.scale]\nkind = "scale-o-matic"', "[devices.scale] kind: 'scale-o-matic' is"),
        ("[devices]\nscale = 3", "[devices.scale] must be a table"),
        ('[devices.printer]\ntimeout_s = "3"', "[devices.printer] timeout_s: expected float"),
        ("[devices.fax]\nkind = 'g3'", "[devices] fax: unknown device"),
        ('[devices.scanner]\nport_name = "x"', "[devices.scanner] port_name: unknown setting"),
    ],
)
def test_device_settings_errors_name_the_setting(tmp_path: Path, toml: str, message: str):
    config = tmp_path / "station.toml"
    config.write_text(toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value).startswith(message)
