"""Emulated printers on real sockets and ptys, closed after each test."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from drivers.printer.emulator import Language, PtyPrinterEmulator, TcpPrinterEmulator

# Short enough that silence costs little, long enough for a loaded CI machine to answer.
TIMEOUT = 0.5


@pytest.fixture
def zpl_tcp() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        yield emulator


@pytest.fixture
def zpl_pty() -> Iterator[PtyPrinterEmulator]:
    with PtyPrinterEmulator(Language.ZPL) as emulator:
        yield emulator


@pytest.fixture
def escpos_tcp() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(Language.ESCPOS) as emulator:
        yield emulator


@pytest.fixture
def escpos_pty() -> Iterator[PtyPrinterEmulator]:
    with PtyPrinterEmulator(Language.ESCPOS) as emulator:
        yield emulator


@pytest.fixture
def closed_port() -> int:
    """A local port nobody listens on (bound, then released), for "connection refused"."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
