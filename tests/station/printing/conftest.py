"""A real station database, a real ZPL printer emulator on 127.0.0.1, the real driver."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from drivers.printer.emulator import Language, TcpPrinterEmulator
from drivers.printer.factory import Printer, make_printer
from station.db import Database, open_database
from station.db.models import OutboxEvent
from station.printing.queue import PrintQueue

STATION = "bench-1"
# Short enough that silence costs little, long enough for a loaded CI machine to answer.
DRIVER_TIMEOUT = 0.5
POLL_S = 0.02
MAX_BACKOFF_S = 0.1


def label(n: int) -> bytes:
    """A small, distinct ZPL label."""
    return f"^XA^FO50,50^A0N,40,40^FDlabel {n}^FS^XZ".encode()


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll ``condition`` until it holds; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def test_printers(printer: str, language: str) -> Printer:
    """The real driver for the job's URL, with a short time-out."""
    return make_printer(printer, language, timeout=DRIVER_TIMEOUT)


test_printers.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def events(db: Database, prefix: str = "print.") -> list[tuple[str, dict[str, object]]]:
    """Outbox events of the print queue, in ``station_seq`` order."""
    with db.session() as s:
        rows = s.scalars(select(OutboxEvent).order_by(OutboxEvent.station_seq)).all()
        return [(e.type, e.payload) for e in rows if e.type.startswith(prefix)]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "station.sqlite")
    yield database
    database.close()


@pytest.fixture
def printer() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        yield emulator


@pytest.fixture
def queue(db: Database) -> PrintQueue:
    return PrintQueue(db, test_printers, STATION)
