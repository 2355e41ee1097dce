"""The emulator itself: job splitting, queries split across reads, answers per state."""

from __future__ import annotations

import os
import select
import socket

from drivers.printer.emulator import Language, PtyPrinterEmulator, TcpPrinterEmulator
from drivers.printer.emulator_protocol import (
    DEFAULT_HISTORY,
    AnswerMode,
    PrinterCore,
    PrinterState,
    escpos_status_byte,
    zpl_host_status,
)


def test_zpl_answer_has_the_manual_layout() -> None:
    state = PrinterState(paper_out=True, paused=True, buffer_full=True, head_open=True)
    state.ribbon_out = True
    assert zpl_host_status(state) == (
        b"\x02030,1,1,1218,000,1,0,0,000,0,0,0\x03\r\n"
        b"\x02001,0,1,1,0,2,6,0,00000000,1,000\x03\r\n"
        b"\x021234,0\x03\r\n"
    )


def test_escpos_bytes_per_state() -> None:
    assert [escpos_status_byte(PrinterState(), n) for n in (1, 2, 3, 4)] == [b"\x12"] * 4
    out = PrinterState(paper_out=True)
    assert [escpos_status_byte(out, n) for n in (1, 2, 4)] == [b"\x1a", b"\x32", b"\x72"]
    assert escpos_status_byte(PrinterState(paper_near_end=True), 4) == b"\x1e"
    cover = PrinterState(head_open=True)
    assert [escpos_status_byte(cover, n) for n in (1, 2)] == [b"\x1a", b"\x16"]


def test_query_split_across_reads_is_still_answered() -> None:
    core = PrinterCore(Language.ZPL)
    assert core.feed(b"^XA^XZ~") == b""
    assert core.feed(b"H") == b""
    assert core.feed(b"S^XA") == zpl_host_status(core.state)
    core.end_job()
    assert core.jobs == [b"^XA^XZ", b"^XA"]
    assert core.queries == [b"~HS"]


def test_tilde_that_is_not_a_query_stays_in_the_job() -> None:
    core = PrinterCore(Language.ZPL)
    core.feed(b"~JA")
    core.feed(b"^XA~")
    core.end_job()
    assert core.jobs == [b"~JA^XA~"]


def test_escpos_query_split_and_unknown_n() -> None:
    core = PrinterCore(Language.ESCPOS)
    assert core.feed(b"\x1b@text\x10") == b""
    assert core.feed(b"\x04") == b""
    assert core.feed(b"\x04more") == b"\x12"
    assert core.feed(b"\x10\x04\x09") == b""  # n out of range: no answer, as a printer does
    core.end_job()
    assert core.jobs == [b"\x1b@text", b"more"]


def test_answer_modes() -> None:
    zpl = PrinterCore(Language.ZPL, PrinterState(answer=AnswerMode.TORN))
    torn = zpl.feed(b"~HS")
    assert torn.count(b"\x03\r\n") == 1 and len(torn) == 51
    zpl.state.answer = AnswerMode.SILENT
    assert zpl.feed(b"~HS") == b""
    escpos = PrinterCore(Language.ESCPOS, PrinterState(answer=AnswerMode.TORN))
    assert escpos.feed(b"\x10\x04\x01\x10\x04\x04") == b"\x12"


def test_tcp_emulator_splits_jobs_by_connection() -> None:
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        for job in (b"first", b"second"):
            with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
                sock.sendall(job)
        assert emulator.wait_for_jobs(2, timeout=5) == [b"first", b"second"]


def test_pty_emulator_answers_and_splits_on_idle() -> None:
    with PtyPrinterEmulator(Language.ESCPOS, idle_gap=0.05) as emulator:
        fd = os.open(emulator.port, os.O_RDWR | os.O_NOCTTY)
        try:
            os.write(fd, b"\x10\x04\x01")
            assert select.select([fd], [], [], 5)[0] == [fd]
            assert os.read(fd, 10) == b"\x12"
            os.write(fd, b"job one")
            assert emulator.wait_for_jobs(1, timeout=5) == [b"job one"]
        finally:
            os.close(fd)
    assert emulator.core.queries == [b"\x10\x04\x01"]


def test_only_the_last_jobs_and_queries_are_kept_and_all_are_counted() -> None:
    core = PrinterCore(Language.ZPL, history=8)
    for n in range(100):
        core.feed(f"^XA^FD{n}^FS^XZ".encode() + b"~HS")
    assert core.jobs == [f"^XA^FD{n}^FS^XZ".encode() for n in range(92, 100)]
    assert core.queries == [b"~HS"] * 8
    assert (core.jobs_received, core.queries_received) == (100, 100)
    # Waiting counts every job received, not the ones kept.
    assert len(core.wait_for_jobs(100, timeout=0)) == 8
    assert len(core.wait_for_queries(100, timeout=0)) == 8


def test_a_tcp_printer_keeps_a_bounded_history_by_default() -> None:
    with TcpPrinterEmulator(Language.ZPL) as printer:
        for n in range(80):
            with socket.create_connection(("127.0.0.1", printer.port)) as conn:
                conn.sendall(f"^XA^FD{n}^FS^XZ".encode())
        received = printer.wait_for_jobs(80, timeout=10)
        assert printer.core.jobs_received == 80
        assert received[-1] == b"^XA^FD79^FS^XZ" and len(received) == DEFAULT_HISTORY < 80
