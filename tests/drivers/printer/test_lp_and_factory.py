"""lp for CUPS queues (with a stand-in lp script), and the helpers the CLI calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drivers.printer.emulator import TcpPrinterEmulator
from drivers.printer.escpos_printer import EscposPrinter
from drivers.printer.factory import make_printer, printer_status, test_print
from drivers.printer.lp import LpPrinter
from drivers.printer.testprint import test_label, test_receipt
from drivers.printer.zpl import ZplPrinter

from .conftest import TIMEOUT


def fake_lp(folder: Path, *, exit_code: int = 0, stderr: str = "") -> Path:
    """An executable that records its arguments and standard input, as lp would get them."""
    script = folder / "lp"
    script.write_text(
        "#!/bin/sh\n"
        'printf "%s\\n" "$@" > "$0.args"\n'
        'cat > "$0.stdin"\n'
        f'[ {exit_code} -eq 0 ] && echo "request id is office-3 (1 file(s))"\n'
        f'[ -n "{stderr}" ] && echo "{stderr}" >&2\n'
        f"exit {exit_code}\n"
    )
    script.chmod(0o755)
    return script


def test_lp_prints_a_pdf_file(tmp_path: Path) -> None:
    lp = fake_lp(tmp_path)
    pdf = tmp_path / "label.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    result = LpPrinter("office", lp_command=str(lp)).print_file(pdf)
    assert (result.sent, result.reason) == (
        True,
        "queued on office: request id is office-3 (1 file(s))",
    )
    assert (tmp_path / "lp.args").read_text().splitlines() == ["-d", "office", "--", str(pdf)]
    assert (tmp_path / "lp.stdin").read_bytes() == b""


def test_lp_failure_carries_lp_message(tmp_path: Path) -> None:
    lp = fake_lp(tmp_path, exit_code=1, stderr="lp: The printer or class does not exist.")
    result = LpPrinter("nope", lp_command=str(lp)).print_bytes(b"^XA^XZ")
    assert result.sent is False
    assert result.reason == "lp -d nope failed: lp: The printer or class does not exist."


def test_lp_absent_is_a_clear_error(tmp_path: Path) -> None:
    result = LpPrinter("office", lp_command=str(tmp_path / "no-lp-here")).print_file(tmp_path)
    assert result.sent is False
    assert result.reason.startswith(f"the '{tmp_path / 'no-lp-here'}' command was not found")
    assert "cups-client" in result.reason


def test_lp_status_is_unknown() -> None:
    status = LpPrinter("office").status()
    assert status.ready is None
    assert status.reason == "a CUPS queue gives no printer status"


def test_make_printer_picks_the_driver() -> None:
    assert isinstance(make_printer("tcp://127.0.0.1:9100", "zpl"), ZplPrinter)
    assert isinstance(make_printer("serial:/dev/ttyS0", "escpos"), EscposPrinter)
    with pytest.raises(ValueError, match="unknown printer language 'pcl'"):
        make_printer("tcp://127.0.0.1:9100", "pcl")
    with pytest.raises(ValueError, match="unknown printer scheme 'lpt'"):
        make_printer("lpt:1", "zpl")


def test_printer_status_json_for_the_cli(zpl_tcp: TcpPrinterEmulator) -> None:
    zpl_tcp.state.head_open = True
    status = printer_status(zpl_tcp.url, "zpl", timeout=TIMEOUT)
    shown = json.loads(json.dumps(status.as_cli_json()))
    assert shown == {
        "online": False,
        "paper_out": False,
        "head_open": True,
        "paused": False,
        "ribbon_out": False,
        "raw": status.raw,
    }


def test_printer_status_unknown_is_null(closed_port: int) -> None:
    status = printer_status(f"tcp://127.0.0.1:{closed_port}", "escpos", timeout=TIMEOUT)
    assert json.loads(json.dumps(status.as_cli_json())) == {
        "online": None,
        "paper_out": None,
        "head_open": None,
        "paused": None,
        "ribbon_out": None,
        "raw": "",
    }


def test_test_print_by_language(zpl_tcp: TcpPrinterEmulator) -> None:
    assert test_print("zpl") == test_label()
    assert test_print("zpl", dpi=300) == test_label(dpi=300)
    assert test_print("escpos") == test_receipt()
    result = make_printer(zpl_tcp.url, "zpl", timeout=TIMEOUT).print_job(test_print("zpl"))
    assert result.sent
    assert zpl_tcp.wait_for_jobs(1, timeout=5) == [test_label()]
