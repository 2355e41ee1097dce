"""Helpers of the simulate tests: pack an order of the test book, read rows back."""

from __future__ import annotations

import sqlite3

from drivers.printer.factory import Printer
from station.db import Database
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Verdict
from tests.station.packfixtures import GLUE, KIT, MUG, TEE, VITAMINS

# What a packer scans for each order of the test book (commands included).
SCANS = {
    "SO-1001": ["SO-1001", MUG, "CMD-NEWBOX", MUG, TEE],
    "SO-1003": ["SO-1003", VITAMINS, "LOT-V1", "301231", GLUE, "LOT-G1"],
    "SO-1004": ["SO-1004", KIT],
}


def pack(svc: PackService, number: str) -> Outcome:
    """Pack ``number`` (no weight required) and complete it."""
    for code in SCANS[number]:
        outcome = svc.scan(code)
        asked = outcome.awaiting in ("serial", "lot", "expiry")
        assert asked or outcome.severity.value in ("ok", "info"), outcome.message
    done = svc.complete()
    assert done.verdict is Verdict.COMPLETED, done.message
    return done


def no_printer(printer: str, language: str) -> Printer:
    """A printer factory for queues that are never sent (no worker runs)."""
    raise AssertionError(f"nothing should print here ({printer}, {language})")


def rows(db: Database, sql: str, *args: object) -> list[tuple[object, ...]]:
    """Rows of a query on a separate connection."""
    con = sqlite3.connect(db.path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()
