"""Kits at the pack bench (``station.packing.kits``) through ``PackBench``, the real engine and
SQLite: components go to the kit begun, one kit is finished before the next where the
configuration says so, and the rows the screen lists show the kit's components in place of its
parent line while it is put together.

Fixture catalog: KIT is 1 × BOWL + 2 × SPOON; SO-3001 holds two kits.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station.barcodes import Interpreter
from station.config import BarcodeSettings, PackingSettings
from station.db import Database
from station.db.models import Order, OrderLine, Product
from station.packing.bench import PackBench
from station.packing.kits import shown_lines
from station.packing.verdicts import Outcome, Verdict
from tests.station.packfixtures import BOWL, KIT, SPOON, build_db, make_service


def two_kits(db: Database) -> None:
    with db.session() as s:
        kit = s.query(Product).filter_by(sku="KIT").one()
        o = Order(number="SO-3001")
        o.lines.append(OrderLine(line_no=1, product_id=kit.id, quantity=2))
        s.add(o)
        s.commit()


def make_bench(tmp_path: Path, one_at_a_time: bool) -> Iterator[PackBench]:
    db = build_db(tmp_path / "kits.sqlite")
    two_kits(db)
    svc = make_service(db, packing=PackingSettings(kits_one_at_a_time=one_at_a_time))
    yield PackBench(svc, Interpreter(BarcodeSettings()))
    svc.close()
    db.close()


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[PackBench]:
    yield from make_bench(tmp_path, one_at_a_time=True)


@pytest.fixture
def loose(tmp_path: Path) -> Iterator[PackBench]:
    yield from make_bench(tmp_path, one_at_a_time=False)


def scan(bench: PackBench, code: str) -> Outcome:
    reply = bench.scan(code)
    assert reply is not None and isinstance(reply.result, Outcome), reply
    return reply.result


def test_the_next_kit_waits_until_the_begun_one_is_whole(strict: PackBench) -> None:
    assert scan(strict, "SO-3001").verdict is Verdict.ORDER_OPENED
    assert scan(strict, BOWL).verdict is Verdict.ACCEPTED
    refused = scan(strict, BOWL)  # a second bowl would begin the second kit
    assert refused.verdict is Verdict.KIT_UNFINISHED
    assert refused.message == "finish kit KIT first: it still needs 2 × SPOON"
    assert refused.lines[0].partial == "1/3 components"  # nothing counted
    assert scan(strict, "CMD-CONFIRM").verdict is Verdict.CONFIRMED
    assert scan(strict, SPOON).verdict is Verdict.ACCEPTED
    whole = scan(strict, SPOON)
    assert whole.verdict is Verdict.ACCEPTED and whole.lines[0].packed == 1
    # The first kit is whole: the second may begin, with either component.
    assert scan(strict, SPOON).verdict is Verdict.ACCEPTED
    assert scan(strict, BOWL).verdict is Verdict.ACCEPTED
    # A whole (pre-assembled) kit scanned now would leave the begun one half built.
    assert scan(strict, KIT).verdict is Verdict.KIT_UNFINISHED


def test_without_the_rule_components_of_two_kits_mix(loose: PackBench) -> None:
    scan(loose, "SO-3001")
    assert [scan(loose, c).verdict for c in (BOWL, BOWL, SPOON)] == [Verdict.ACCEPTED] * 3


def test_the_kit_begun_lists_its_components_instead_of_its_line(strict: PackBench) -> None:
    opened = scan(strict, "SO-3001")
    assert [(r.sku, r.packed, r.expected) for r in shown_lines(opened.lines)] == [("KIT", 0, 2)]
    one = scan(strict, BOWL)
    rows = shown_lines(one.lines)
    assert [(r.sku, r.packed, r.expected, r.done) for r in rows] == [
        ("BOWL", 1, 1, True),
        ("SPOON", 0, 2, False),
    ]
    assert rows[0].name == "Bowl · KIT 1/2" and rows[0].partial == "then 1 more"
    assert {r.line_id for r in rows} == {one.lines[0].line_id}
    scan(strict, SPOON)
    whole = scan(strict, SPOON)  # the first kit is whole: the parent line again, 1 of 2
    assert [(r.sku, r.packed) for r in shown_lines(whole.lines)] == [("KIT", 1)]
    for code in (BOWL, SPOON, SPOON):
        last = scan(strict, code)
    assert [(r.sku, r.packed, r.done) for r in shown_lines(last.lines)] == [("KIT", 2, True)]
