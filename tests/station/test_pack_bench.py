"""The pack bench itself (``station.packing.bench``), without Qt, on the real engine and
database: the acknowledgement rule, and the outcomes it announces to its subscribers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station.barcodes import Command, Interpreter
from station.config import BarcodeSettings
from station.db import Database
from station.packing.bench import Held, PackBench
from station.packing.verdicts import Outcome, Verdict
from station.user_ref import UserRef
from tests.station.packfixtures import MUG, STRAY, TEE, build_db, make_service
from tests.station.simulate.packing import rows


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = build_db(tmp_path / "bench.sqlite")
    yield database
    database.close()


@pytest.fixture
def bench(db: Database) -> Iterator[PackBench]:
    service = make_service(db)
    yield PackBench(service, Interpreter(BarcodeSettings()))
    service.close()


def test_after_a_red_verdict_everything_is_held_until_confirmed(
    bench: PackBench, db: Database
) -> None:
    bench.scan("BADGE-ALICE")
    bench.scan("SO-1001")
    wrong = bench.scan(STRAY)
    assert wrong is not None and wrong.pending and wrong.label == "wrong_item"
    held = [
        bench.scan(MUG),
        bench.command(Command.UNDO, "Undo"),
        bench.open_order("SO-1002"),
        bench.weigh("Weigh", "nothing"),
    ]
    assert [r.result for r in held if r is not None] == [
        Held(MUG),
        Held("Undo"),
        Held("SO-1002"),
        Held("Weigh"),
    ]
    assert bench.scan("") is None  # the Enter of a scan on its own is nothing
    assert bench.pending
    confirmed = bench.scan("CMD-CONFIRM")
    assert confirmed is not None and confirmed.label == "confirmed" and not confirmed.pending
    counted = bench.scan(MUG)
    assert counted is not None and counted.label == "accepted"
    # Nothing held back was stored; the wrong item and the confirmation were.
    raws = [r for (r,) in rows(db, "SELECT raw FROM scans ORDER BY id")]
    assert raws == ["BADGE-ALICE", "SO-1001", STRAY, "CMD-CONFIRM", MUG]


def test_the_acknowledge_key_is_stored_like_the_confirm_barcode(bench: PackBench) -> None:
    bench.scan("SO-1001")
    bench.scan("NOT-A-CODE")
    assert bench.pending
    acknowledged = bench.acknowledge()
    assert acknowledged.label == "confirmed" and not bench.pending


def test_subscribers_hear_every_committed_outcome_and_nothing_held(bench: PackBench) -> None:
    heard: list[tuple[str, str | None]] = []

    def listener(outcome: Outcome, user: UserRef | None) -> None:
        heard.append((outcome.verdict.value, user.name if user else None))

    unsubscribe = bench.subscribe(listener)
    for code in ("BADGE-ALICE", "SO-1001", STRAY, MUG, "CMD-CONFIRM", MUG, MUG, TEE):
        bench.scan(code)
    done = bench.command(Command.COMPLETE, "Complete")
    assert isinstance(done.result, Outcome) and done.result.verdict is Verdict.COMPLETED
    unsubscribe()
    bench.scan("SO-1002")
    assert heard == [
        ("user_changed", "alice"),
        ("order_opened", "alice"),
        ("wrong_item", "alice"),
        ("confirmed", "alice"),
        ("accepted", "alice"),
        ("accepted", "alice"),
        ("accepted", "alice"),
        ("completed", "alice"),
    ]
