"""Batch mode with a scale: the passing weighing and the completion are one transaction,
and each is announced only after that COMMIT (issue 18, the batch p99)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from station.db import Database
from station.packing.bench import PackBench
from station.packing.verdicts import Outcome, Verdict
from station.user_ref import UserRef
from tests.station.packfixtures import MUG, build_db, result
from tests.station.test_batch_mode import add_orders, bench_on


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = build_db(tmp_path / "c.sqlite")
    add_orders(database, ("SO-3001", "MUG", 0, 0, None), ("SO-3002", "MUG", 0, 5, None))
    yield database
    database.close()


def seen(db: Database) -> tuple[object, ...]:
    """What another connection sees: SO-3001's status and how many weighings it has."""
    con = sqlite3.connect(db.path)
    try:
        row: tuple[object, ...] = con.execute(
            "SELECT o.status, (SELECT count(*) FROM weight_readings w JOIN packages p"
            " ON p.id = w.package_id JOIN pack_sessions ps ON ps.id = p.session_id"
            " WHERE ps.order_id = o.id) FROM orders o WHERE o.number = 'SO-3001'"
        ).fetchone()
        return row
    finally:
        con.close()


def box_on(bench: PackBench, factor: float = 1.0) -> tuple[ScaleUpdate, ScaleUpdate]:
    expected = bench.service.expected_weight()
    assert expected is not None
    grams = expected.expected_g * factor
    reading = ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams:.0f} g", unit_raw="g")
    return ScaleUpdate(reading, False, 2.0), ScaleUpdate(reading, True, 2.5)


def test_the_pass_and_the_completion_commit_together_before_either_is_announced(
    db: Database,
) -> None:
    bench = bench_on(db, weighs=True)
    heard: list[tuple[Verdict, tuple[object, ...]]] = []

    def listener(outcome: Outcome, _user: UserRef | None) -> None:
        heard.append((outcome.verdict, seen(db)))

    bench.subscribe(listener)
    assert result(bench.scan(MUG, at=1.0)).order_number == "SO-3001"
    settling, settled = box_on(bench)
    assert bench.reading(settling) is None
    done = result(bench.reading(settled))
    assert done.verdict is Verdict.COMPLETED and bench.state is None
    # Both were committed (the order packed, its weighing stored) when the pass was heard.
    assert heard[1:] == [
        (Verdict.WEIGHT_PASS, ("packed", 1)),
        (Verdict.COMPLETED, ("packed", 1)),
    ]
    bench.service.close()


def test_a_failed_completion_keeps_neither(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    bench = bench_on(db, weighs=True)
    assert result(bench.scan(MUG, at=1.0)).order_number == "SO-3001"
    settling, settled = box_on(bench)
    bench.reading(settling)

    def broken(*_args: object) -> Outcome:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(bench.service, "run_command", broken)
    with pytest.raises(sqlite3.OperationalError):
        bench.reading(settled)
    assert seen(db) == ("in_progress", 0)  # the weighing went with the completion
    state = bench.state
    assert state is not None and state.order_number == "SO-3001"  # read back as stored
    monkeypatch.undo()
    bench.service.close()
