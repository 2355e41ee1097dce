"""The ESC/POS driver: DLE EOT status against the emulator, content through python-escpos."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.printer.emulator import AnswerMode, PtyPrinterEmulator, TcpPrinterEmulator
from drivers.printer.escpos_printer import EscposPrinter
from drivers.printer.testprint import SAMPLE_GS1, SAMPLE_SSCC, test_label, test_receipt

from .conftest import TIMEOUT

Emulator = TcpPrinterEmulator | PtyPrinterEmulator
RECEIPT = b"\x1b@Hello\n\x1dV\x00"


@pytest.fixture(params=["tcp", "pty"])
def escpos(request: pytest.FixtureRequest) -> Emulator:
    emulator: Emulator = request.getfixturevalue(f"escpos_{request.param}")
    return emulator


def test_status_ready(escpos: Emulator) -> None:
    status = EscposPrinter(escpos.url, timeout=TIMEOUT).status()
    assert (status.online, status.paper_out, status.head_open, status.paper_near_end) == (
        True,
        False,
        False,
        False,
    )
    assert status.raw == "1=12 2=12 4=12"
    assert status.reason == "ready"
    assert escpos.core.queries == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04"]


def test_paper_out(escpos: Emulator) -> None:
    escpos.state.paper_out = True
    status = EscposPrinter(escpos.url, timeout=TIMEOUT).status()
    assert (status.online, status.paper_out) == (False, True)
    assert status.raw == "1=1a 2=32 4=72"
    assert status.reason == "paper out"


def test_paper_near_end_still_prints(escpos: Emulator) -> None:
    escpos.state.paper_near_end = True
    printer = EscposPrinter(escpos.url, timeout=TIMEOUT)
    status = printer.status()
    assert (status.paper_near_end, status.paper_out, status.ready) == (True, False, True)
    assert status.raw == "1=12 2=12 4=1e"
    assert status.reason == "paper near end"
    assert printer.print_job(RECEIPT).sent
    assert escpos.wait_for_jobs(1, timeout=5) == [RECEIPT]


def test_offline(escpos: Emulator) -> None:
    escpos.state.offline = True
    result = EscposPrinter(escpos.url, timeout=TIMEOUT).print_job(RECEIPT)
    assert (result.sent, result.reason) == (False, "printer offline")
    assert escpos.wait_for_jobs(1, timeout=0.3) == []


def test_cover_open_refuses(escpos: Emulator) -> None:
    escpos.state.head_open = True
    result = EscposPrinter(escpos.url, timeout=TIMEOUT).print_job(RECEIPT)
    assert (result.sent, result.reason) == (False, "cover open")


def test_no_reply_is_unknown_not_paper_ok(escpos: Emulator) -> None:
    escpos.state.answer = AnswerMode.SILENT
    printer = EscposPrinter(escpos.url, timeout=TIMEOUT)
    status = printer.status()
    assert (status.online, status.paper_out, status.head_open) == (None, None, None)
    assert status.reason == "no answer to DLE EOT 1 (printer off, busy, or not ESC/POS)"
    # One unanswered query is enough to know; the other two are not waited for.
    assert escpos.core.queries == [b"\x10\x04\x01"]
    result = printer.print_job(RECEIPT)
    assert result.sent is False
    assert result.reason.startswith("printer status unknown: no answer to DLE EOT 1")


def test_partial_answer_is_unknown(escpos: Emulator) -> None:
    escpos.state.answer = AnswerMode.TORN  # answers DLE EOT 1 only
    status = EscposPrinter(escpos.url, timeout=TIMEOUT).status()
    assert status.online is None
    assert status.reason == "no answer to DLE EOT 2; no answer to DLE EOT 4"


def test_garbage_answer_is_unknown(escpos: Emulator) -> None:
    escpos.state.answer = AnswerMode.GARBAGE
    status = EscposPrinter(escpos.url, timeout=TIMEOUT).status()
    assert status.ready is None
    assert status.reason.startswith("unreadable answer 00 to DLE EOT 1")


def test_test_receipt_through_network_backend_arrives_exactly(
    escpos_tcp: TcpPrinterEmulator,
) -> None:
    receipt = test_receipt()
    result = EscposPrinter(escpos_tcp.url, timeout=TIMEOUT).print_job(receipt)
    assert (result.sent, result.reason) == (True, "sent")
    # The status exchange and the job use separate connections; the job is exactly ours.
    assert escpos_tcp.wait_for_jobs(1, timeout=5) == [receipt]


def test_receipt_through_serial_backend_arrives_exactly(escpos_pty: PtyPrinterEmulator) -> None:
    result = EscposPrinter(escpos_pty.url, timeout=TIMEOUT).print_job(RECEIPT)
    assert (result.sent, result.reason) == (True, "sent")
    assert escpos_pty.wait_for_jobs(1, timeout=5) == [RECEIPT]


def test_connection_refused_has_a_clear_reason(closed_port: int) -> None:
    printer = EscposPrinter(f"tcp://127.0.0.1:{closed_port}", timeout=TIMEOUT)
    expected = f"connection refused by 127.0.0.1:{closed_port} (printer off, or wrong port?)"
    assert printer.status().reason == expected
    assert printer.print_job(RECEIPT).reason == f"printer status unknown: {expected}"
    forced = printer.print_job(RECEIPT, force=True)
    assert (forced.sent, forced.reason) == (False, expected)


def test_file_target_appends_exact_bytes(tmp_path: Path) -> None:
    spool = tmp_path / "receipts.bin"
    spool.write_bytes(b"earlier job")
    printer = EscposPrinter(f"file:{spool}")
    assert printer.status().online is None
    assert printer.print_job(RECEIPT).sent is False
    assert printer.print_job(RECEIPT, force=True).sent
    assert spool.read_bytes() == b"earlier job" + RECEIPT


def test_usb_without_pyusb_says_what_is_missing() -> None:
    printer = EscposPrinter("usb:04b8:0202")
    assert printer.status().reason.startswith("status is not read over usb:")
    result = printer.print_job(RECEIPT, force=True)
    assert result.sent is False
    assert result.reason == "usb:04b8:0202: printing over USB needs the pyusb package and libusb"


def test_test_receipt_exact_bytes() -> None:
    esc, gs = b"\x1b", b"\x1d"
    expected = (
        esc + b"@"  # initialise
        + esc + b"!\x00" + esc + b"!\x00"  # python-escpos resets the mode before styling
        + esc + b"!\x30"  # double height + double width
        + esc + b"E\x01"  # bold on
        + esc + b"a\x01"  # centre
        + esc + b"t\x00"  # code page 0 (PC437) for the first text
        + b"PACK STATION\n"
        + esc + b"!\x00" + esc + b"!\x00" + esc + b"!\x00"  # normal size
        + esc + b"E\x00"  # bold off
        + esc + b"a\x00"  # left
        + b"Printer test receipt\n"
        + b"012345678901234567890123456789012345678901\n"
        + b"\n"
        + esc + b"a\x01"  # centre the barcode
        + gs + b"h\x40"  # height 64 dots
        + gs + b"w\x02"  # module width 2
        + gs + b"f\x00"  # HRI font A
        + gs + b"H\x02"  # HRI below
        + gs + b"kI\x0e" + b"{BPACK-TEST-01"  # function B, CODE128 (73), 14 bytes, code set B
        + esc + b"a\x00"
        + b"End of test receipt\n"
        + esc + b"d\x06"  # feed 6 lines to the cutter
        + gs + b"V\x00"  # full cut
    )  # fmt: skip
    assert test_receipt() == expected


def test_test_label_content() -> None:
    label = test_label()
    assert label.startswith(b"^XA\n^CI28\n^PW812^LL1218\n")
    assert label.endswith(b"^XZ\n")
    assert b"^BCN,200,N,N,N^FD>;>800" + SAMPLE_SSCC.encode() + b"^FS" in label
    assert b"^BXN,8,200,0,0,1,_^FD_1" + SAMPLE_GS1.encode() + b"^FS" in label
    assert test_label(dpi=300).startswith(b"^XA\n^CI28\n^PW1218^LL1827\n")
    assert test_label(title="A^B~C").count(b"^FDA B C^FS") == 1
    with pytest.raises(ValueError, match="dpi must be 203 or 300"):
        test_label(dpi=600)


def test_sample_codes_have_valid_check_digits() -> None:
    def check_ok(digits: str) -> bool:
        total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
        return (10 - total % 10) % 10 == int(digits[-1])

    assert check_ok(SAMPLE_SSCC)
    assert check_ok(SAMPLE_GS1[2:16])
