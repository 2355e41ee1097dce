"""The ZPL driver against the emulated printer over a real TCP socket and a real pty."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from drivers.printer.emulator import AnswerMode, PtyPrinterEmulator, TcpPrinterEmulator
from drivers.printer.lp import LpPrinter
from drivers.printer.zpl import ZplPrinter

from .conftest import TIMEOUT

LABEL = b"^XA^PW812^LL1218^FO50,50^A0N,40,40^FDOrder 1042^FS^XZ"
Emulator = TcpPrinterEmulator | PtyPrinterEmulator


@pytest.fixture(params=["tcp", "pty"])
def zpl(request: pytest.FixtureRequest) -> Emulator:
    emulator: Emulator = request.getfixturevalue(f"zpl_{request.param}")
    return emulator


def test_job_bytes_arrive_exactly(zpl: Emulator) -> None:
    result = ZplPrinter(zpl.url, timeout=TIMEOUT).print_job(LABEL)
    assert result.sent is True
    assert result.reason == "sent"
    assert result.status is not None and result.status.ready is True
    assert zpl.wait_for_jobs(1, timeout=5) == [LABEL]
    assert zpl.core.queries == [b"~HS"]


def test_large_binary_job_arrives_exactly(zpl: Emulator) -> None:
    # ~DG graphics and fonts are binary and large; nothing may be lost or re-encoded.
    job = b"^XA" + bytes(b for b in range(256) if b != ord("~")) * 400 + b"^XZ"
    assert ZplPrinter(zpl.url, timeout=TIMEOUT).print_job(job).sent
    assert b"".join(zpl.wait_for_jobs(1, timeout=5)) == job


def test_status_ready(zpl: Emulator) -> None:
    status = ZplPrinter(zpl.url, timeout=TIMEOUT).status()
    assert (status.online, status.paper_out, status.head_open, status.paused) == (
        True,
        False,
        False,
        False,
    )
    assert (status.ribbon_out, status.buffer_full) == (False, False)
    assert status.reason == "ready"


@pytest.mark.parametrize(
    ("flag", "reason"),
    [
        ("paper_out", "paper out"),
        ("head_open", "print head open"),
        ("paused", "paused"),
        ("ribbon_out", "ribbon out"),
    ],
)
def test_problem_refuses_job(zpl: Emulator, flag: str, reason: str) -> None:
    setattr(zpl.state, flag, True)
    result = ZplPrinter(zpl.url, timeout=TIMEOUT).print_job(LABEL)
    assert result.sent is False
    assert result.reason == reason
    assert result.status is not None and getattr(result.status, flag) is True
    zpl.core.wait_for_queries(1, timeout=5)
    assert zpl.wait_for_jobs(1, timeout=0.3) == []


def test_buffer_full_is_reported_and_does_not_refuse(zpl: Emulator) -> None:
    zpl.state.buffer_full = True
    printer = ZplPrinter(zpl.url, timeout=TIMEOUT)
    assert printer.status().buffer_full is True
    assert printer.print_job(LABEL).sent


def test_forced_job_skips_the_check(zpl: Emulator) -> None:
    zpl.state.paper_out = True
    result = ZplPrinter(zpl.url, timeout=TIMEOUT).print_job(LABEL, force=True)
    assert (result.sent, result.forced, result.status) == (True, True, None)
    assert zpl.wait_for_jobs(1, timeout=5) == [LABEL]
    assert zpl.core.queries == []


def test_silent_printer_is_unknown_not_fine(zpl: Emulator) -> None:
    zpl.state.answer = AnswerMode.SILENT
    printer = ZplPrinter(zpl.url, timeout=TIMEOUT)
    started = time.monotonic()
    status = printer.status()
    assert time.monotonic() - started < TIMEOUT + 2
    assert status.reason == "no answer to ~HS (printer may be in error)"
    assert (status.online, status.paper_out, status.head_open, status.paused) == (None,) * 4
    result = printer.print_job(LABEL)
    assert result.sent is False
    assert result.reason == "printer status unknown: no answer to ~HS (printer may be in error)"
    assert zpl.wait_for_jobs(1, timeout=0.3) == []


def test_torn_answer_is_unknown(zpl: Emulator) -> None:
    zpl.state.answer = AnswerMode.TORN
    status = ZplPrinter(zpl.url, timeout=TIMEOUT).status()
    assert status.paper_out is False
    assert status.head_open is None
    assert status.ready is None
    assert status.reason == "answer to ~HS cut off after 1 of 3 lines"


def test_garbage_answer_is_unknown(zpl: Emulator) -> None:
    zpl.state.answer = AnswerMode.GARBAGE
    result = ZplPrinter(zpl.url, timeout=TIMEOUT).print_job(LABEL)
    assert result.sent is False
    assert result.reason == (
        "printer status unknown: unreadable answer to ~HS (no <STX>...<ETX> line)"
    )


def test_state_change_between_jobs(zpl: Emulator) -> None:
    printer = ZplPrinter(zpl.url, timeout=TIMEOUT)
    assert printer.print_job(b"^XA^FD1^FS^XZ").sent
    zpl.wait_for_jobs(1, timeout=5)
    zpl.state.head_open = True
    assert printer.print_job(b"^XA^FD2^FS^XZ").reason == "print head open"
    zpl.state.head_open = False
    assert printer.print_job(b"^XA^FD3^FS^XZ").sent
    assert zpl.wait_for_jobs(2, timeout=5) == [b"^XA^FD1^FS^XZ", b"^XA^FD3^FS^XZ"]


def test_connection_refused_has_a_clear_reason(closed_port: int) -> None:
    printer = ZplPrinter(f"tcp://127.0.0.1:{closed_port}", timeout=TIMEOUT)
    expected = f"connection refused by 127.0.0.1:{closed_port} (printer off, or wrong port?)"
    result = printer.print_job(LABEL)
    assert (result.sent, result.reason) == (False, expected)
    status = printer.status()
    assert status.reason == expected
    assert status.online is None


def test_send_needs_no_status(zpl_tcp: TcpPrinterEmulator) -> None:
    zpl_tcp.state.answer = AnswerMode.SILENT
    ZplPrinter(zpl_tcp.url, timeout=TIMEOUT).send(LABEL)
    assert zpl_tcp.wait_for_jobs(1, timeout=5) == [LABEL]


def test_file_printer_writes_exact_bytes_only_when_forced(tmp_path: Path) -> None:
    spool = tmp_path / "zebra.zpl"
    printer = ZplPrinter(f"file:{spool}", timeout=TIMEOUT)
    refused = printer.print_job(LABEL)
    assert refused.sent is False
    assert refused.reason == (
        f"printer status unknown: {spool} is written to only and gives no status"
    )
    assert printer.status().online is None
    assert printer.print_job(LABEL, force=True).sent
    assert printer.print_job(LABEL, force=True).sent
    assert spool.read_bytes() == LABEL + LABEL


def test_usb_url_is_refused_for_zpl() -> None:
    with pytest.raises(ValueError, match="usb:VID:PID is for ESC/POS printers"):
        ZplPrinter("usb:0a5f:0084")


def test_cups_queue_status_is_unknown_and_lp_gets_raw_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_lp = tmp_path / "lp"
    fake_lp.write_text(
        '#!/bin/sh\nprintf "%s\\n" "$@" > "$0.args"\ncat > "$0.stdin"\n'
        'echo "request id is zebra-7 (0 file(s))"\n'
    )
    fake_lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{Path('/usr/bin')}:{Path('/bin')}")
    printer = ZplPrinter("cups:zebra", timeout=TIMEOUT)
    assert printer.status().reason == "a CUPS queue gives no printer status"
    assert printer.print_job(LABEL).reason == (
        "printer status unknown: a CUPS queue gives no printer status"
    )
    result = printer.print_job(LABEL, force=True)
    assert (result.sent, result.reason) == (
        True,
        "queued on zebra: request id is zebra-7 (0 file(s))",
    )
    assert (tmp_path / "lp.args").read_text().split("\n")[:-1] == ["-d", "zebra", "-o", "raw"]
    assert (tmp_path / "lp.stdin").read_bytes() == LABEL
    assert LpPrinter("zebra").command(raw=False, path=Path("/tmp/a.pdf")) == [
        "lp",
        "-d",
        "zebra",
        "--",
        "/tmp/a.pdf",
    ]
