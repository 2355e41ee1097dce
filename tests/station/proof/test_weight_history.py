"""Weight by history (``station.packing.history``) through the pack bench, the real engine and
SQLite: after three verified packs of a SKU set in a box, a package of that set is judged by
their mean and spread, the answer says which rule judged it, and the catalog is only offered a
proposal.

Fixture catalog: MUG weighs 100 g, BOX-M 180 g, packing material 15 g: one mug in BOX-M is
expected at 295 g ± 20 g. The real packs here weigh about 312 g (more void fill than the
catalog knows): 322 g fails the expected weight and passes the history.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from station.barcodes import Interpreter
from station.cli.main import main
from station.config import BarcodeSettings, WeightSettings
from station.db import Database
from station.db.models import Order, OrderLine, Product
from station.packing import history
from station.packing.bench import PackBench
from station.packing.proof import ProofOptions
from station.packing.verdicts import Outcome, Verdict
from tests.station.packfixtures import MUG, TEE, make_service
from tests.station.proof.prooffixtures import rows


@pytest.fixture
def bench(db: Database) -> Iterator[PackBench]:
    with db.session() as s:
        mug = s.query(Product).filter_by(sku="MUG").one()
        for n in range(1, 9):
            o = Order(number=f"SO-{2000 + n}")
            o.lines.append(OrderLine(line_no=1, product_id=mug.id, quantity=1))
            s.add(o)
        s.commit()
    svc = make_service(db, proof=ProofOptions(require_weight=True))
    yield PackBench(svc, Interpreter(BarcodeSettings()), clock=lambda: float(next(TICKS)))
    svc.close()


TICKS = itertools.count(1000)  # the monotonic clock of scans and readings alike


def weigh(bench: PackBench, grams: float) -> Outcome:
    """The platter empty (the last box lifted off), then a stable reading that settled after
    the last scan: the package's weighing."""
    empty = ScaleReading(ScaleState.STABLE, 0.0, 1.0, "S S 0.000 kg")
    assert bench.reading(ScaleUpdate(empty, True, float(next(TICKS)))) is None
    reading = ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams / 1000:.3f} kg")
    reply = bench.reading(ScaleUpdate(reading, True, float(next(TICKS))))
    assert reply is not None and isinstance(reply.result, Outcome)
    return reply.result


def pack_one(bench: PackBench, number: str, grams: float, box: str | None = "BOX-M") -> Outcome:
    """Open, box (None: no box scanned), scan one mug, weigh; complete when the weight passed."""
    for code in (number, box, MUG) if box else (number, MUG):
        reply = bench.scan(code)
        assert reply is not None and isinstance(reply.result, Outcome)
        assert reply.result.severity.value != "error", reply.result.message
    outcome = weigh(bench, grams)
    if outcome.verdict is Verdict.WEIGHT_PASS:
        done = bench.scan("CMD-COMPLETE")
        assert done is not None and isinstance(done.result, Outcome)
        assert done.result.verdict is Verdict.COMPLETED
    return outcome


def test_three_verified_packs_make_the_history_that_judges_the_fourth(
    bench: PackBench, db: Database
) -> None:
    first = [pack_one(bench, f"SO-{2000 + n}", g) for n, g in ((1, 310), (2, 312), (3, 314))]
    assert [o.extra["rule"] for o in first] == ["expected"] * 3
    assert all(o.verdict is Verdict.WEIGHT_PASS for o in first)
    assert rows(db, "SELECT signature, box, weight_g FROM weight_history ORDER BY package_id") == [
        ("MUG*1", "BOX-M", 310.0),
        ("MUG*1", "BOX-M", 312.0),
        ("MUG*1", "BOX-M", 314.0),
    ]

    # 322 g: 27 g over the expected 295 g (± 20 g), 10 g over the history's 312 g: within 5 %
    # of it (15.6 g), so a pass, by history.
    passed = pack_one(bench, "SO-2004", 322)
    assert passed.verdict is Verdict.WEIGHT_PASS, passed.message
    assert passed.extra["rule"] == "history" and passed.extra["history_packs"] == 3
    assert passed.extra["expected_g"] == 312 and passed.extra["tolerance_g"] == pytest.approx(15.6)
    assert "3 packs of this set in BOX-M" in passed.message

    # 340 g: 28 g over the mean of four packs (314.5 g): more than 5 %, 2 σ and 10 g.
    flagged = pack_one(bench, "SO-2005", 340)
    assert flagged.verdict is Verdict.WEIGHT_MISMATCH
    assert flagged.extra["rule"] == "history" and flagged.extra["history_packs"] == 4
    assert flagged.message.startswith("weight mismatch by history:")
    stored = rows(db, "SELECT expected_g, decision FROM weight_readings ORDER BY id DESC LIMIT 1")
    assert stored == [(314.5, "fail")]
    # The failed package joins nothing; a supervisor's override makes it a verified pack.
    assert bench.acknowledge().label == "confirmed"
    assert len(rows(db, "SELECT 1 FROM weight_history")) == 4
    assert bench.override_weight("BADGE-SAM", "gift wrap").label == "weight_override"
    assert rows(db, "SELECT weight_g FROM weight_history ORDER BY package_id DESC LIMIT 1") == [
        (340.0,)
    ]


def test_a_flag_inside_two_sigma_or_the_floor_is_not_raised(db: Database) -> None:
    """All three limits must be exceeded: each alone lets the package pass."""
    s = WeightSettings()
    key = history.PackKey("MUG*1", "BOX-M")
    wide = history.Spread(packs=5, mean_g=300.0, sd_g=12.0)  # 2 σ = 24 g > 5 % = 15 g
    assert history.judge(wide, key, 320, s).status.value == "pass"
    assert history.judge(wide, key, 325, s).status.value == "fail"
    light = history.Spread(packs=5, mean_g=100.0, sd_g=1.0)  # 5 % = 5 g < floor 10 g
    assert history.judge(light, key, 108, s).status.value == "pass"
    assert history.judge(light, key, 111, s).status.value == "fail"


def test_other_sets_and_boxes_keep_the_expected_weight(bench: PackBench, db: Database) -> None:
    for n, g in ((1, 310), (2, 312), (3, 314)):
        pack_one(bench, f"SO-{2000 + n}", g)
    # The same mug in a box not scanned is another box: the expected weight judges it.
    other = pack_one(bench, "SO-2004", 300, box=None)
    assert other.extra["rule"] == "expected" and other.verdict is Verdict.WEIGHT_PASS
    # Two mugs and a tee: another SKU set.
    for code in ("SO-1001", "BOX-M", MUG, MUG, TEE):
        bench.scan(code)
    assert weigh(bench, 500).extra["rule"] == "expected"


def test_a_package_changed_after_its_pass_leaves_the_history(
    bench: PackBench, db: Database
) -> None:
    for code in ("SO-1001", "BOX-M", MUG, MUG, TEE):
        bench.scan(code)
    assert weigh(bench, 500).verdict is Verdict.WEIGHT_PASS
    assert len(rows(db, "SELECT 1 FROM weight_history")) == 1
    assert bench.scan("CMD-UNDO") is not None  # the tee comes out again
    assert rows(db, "SELECT 1 FROM weight_history") == []


def test_the_catalog_is_offered_the_learned_weight_never_changed(
    bench: PackBench, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n, g in ((1, 310), (2, 312), (3, 314)):
        pack_one(bench, f"SO-{2000 + n}", g)
    con = db.engine.raw_connection()
    try:
        found = history.proposals(con.cursor(), WeightSettings())  # type: ignore[arg-type]
    finally:
        con.close()
    # (312 - 180 tare - 15 packing) / 1 mug
    assert found == [history.Proposal("MUG", 117.0, 3, 100.0, False)]
    assert rows(db, "SELECT unit_weight_g, weight_estimated FROM products WHERE sku = 'MUG'") == [
        (100.0, 0)
    ]
    # The supervisor's review: the command lists it, beside the catalog's 100 g.
    assert main(["--db", str(tmp_path / "pack.sqlite"), "catalog", "weights", "--proposed"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["SKU", "PROPOSED", "CATALOG", "DIFF", "PACKS"]
    assert table[1].split() == ["MUG", "117.0", "g", "100.0", "g", "+17.0", "g", "3"]
    assert (
        main(["--db", str(tmp_path / "pack.sqlite"), "catalog", "weights", "--proposed", "--json"])
        == 0
    )
    assert json.loads(capsys.readouterr().out)[0]["difference_g"] == 17.0
