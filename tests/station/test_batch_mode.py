"""Single-item batch mode through the bench object: the item scanned names its order.

The fixtures' catalog plus single-unit orders of a mug with different priorities and ages
(and a tote of them), packed by ``PackBench`` on a real SQLite database, with and without a
scale.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from station.barcodes import Interpreter
from station.cli.main import main as station_main
from station.config import BarcodeSettings, ConfigError, PackingSettings, load_settings
from station.db import Database
from station.db.models import Order, OrderLine, Product
from station.packing.bench import PackBench
from station.packing.proof import ProofOptions
from station.packing.verdicts import Verdict
from tests.station.packfixtures import MUG, TEE, build_db, make_service, result, rows

BATCH = PackingSettings(single_item_batch=True)
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def add_orders(db: Database, *orders: tuple[str, str, int, int, str | None]) -> None:
    """(number, sku, priority, minutes after T0 it came in, tote) single-unit orders."""
    with db.session() as s:
        ids = {p.sku: p.id for p in s.query(Product)}
        for number, sku, priority, minutes, tote in orders:
            o = Order(
                number=number,
                priority=priority,
                created_at=T0 + timedelta(minutes=minutes),
                tote=tote,
            )
            o.lines.append(OrderLine(line_no=1, product_id=ids[sku], quantity=1))
            s.add(o)
        s.commit()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = build_db(tmp_path / "b.sqlite")
    add_orders(
        database,
        ("SO-2001", "MUG", 0, 0, None),  # oldest, normal priority
        ("SO-2002", "MUG", 5, 30, None),  # urgent: first although newer
        ("SO-2004", "MUG", 0, 10, None),  # same age as SO-2003: the tie rule decides
        ("SO-2003", "MUG", 0, 10, None),
        ("SO-2010", "TEE", 0, 0, None),
    )
    yield database
    database.close()


def bench_on(db: Database, *, packing: PackingSettings = BATCH, weighs: bool = False) -> PackBench:
    svc = make_service(db, packing=packing, proof=ProofOptions(require_weight=weighs))
    return PackBench(svc, Interpreter(BarcodeSettings()))


def test_a_scanned_item_picks_its_order_and_completes_it(db: Database) -> None:
    bench = bench_on(db)
    picked = []
    for _ in range(4):
        done = result(bench.scan(MUG))  # one scan per order, nothing else
        assert done.verdict is Verdict.COMPLETED, done
        picked.append(done.order_number)
    # Priority first, then age, then the order number (the default tie rule).
    assert picked == ["SO-2002", "SO-2001", "SO-2003", "SO-2004"]
    counted = rows(
        db,
        "SELECT o.number, s.verdict FROM scans s JOIN pack_sessions ps ON ps.id = s.session_id"
        " JOIN orders o ON o.id = ps.order_id WHERE s.verdict = 'accepted' ORDER BY s.id",
    )
    assert counted == [(n, "accepted") for n in picked]  # the scan counted into its order
    status = {
        str(n): str(st)
        for n, st in rows(db, "SELECT number, status FROM orders WHERE number LIKE 'SO-200%'")
    }
    assert set(status.values()) == {"packed"}
    # SO-1005 (on hold), SO-1006 (cancelled), SO-1007 (30 mugs) are never picked.
    last = result(bench.scan(MUG))
    assert last.verdict is Verdict.NO_ORDER_OPEN
    assert "no single-item order waits for MUG" in last.message
    bench.service.close()


def test_the_tie_rule_comes_from_the_configuration(db: Database, tmp_path: Path) -> None:
    bench = bench_on(
        db, packing=PackingSettings(single_item_batch=True, batch_tie_break="import_order")
    )
    order = [result(bench.scan(MUG)).order_number for _ in range(3)]
    assert order == ["SO-2002", "SO-2001", "SO-2004"]  # SO-2004 came in before SO-2003
    bench.service.close()
    bad = tmp_path / "bad.toml"
    bad.write_text('[packing]\nsingle_item_batch = true\nbatch_tie_break = "random"\n')
    with pytest.raises(ConfigError, match="batch_tie_break: expected order_number or"):
        load_settings(bad, env={})


def test_an_order_open_at_another_bench_is_not_picked(db: Database) -> None:
    other = make_service(db, station="bench-2")
    assert other.scan("SO-2002").verdict is Verdict.ORDER_OPENED
    bench = bench_on(db)
    assert result(bench.scan(MUG)).order_number == "SO-2001"
    other.close()
    bench.service.close()


def test_with_a_scale_the_passing_weight_completes_it(db: Database) -> None:
    bench = bench_on(db, weighs=True)
    counted = result(bench.scan(MUG, at=1.0))
    assert (counted.verdict, counted.order_number) == (Verdict.ACCEPTED, "SO-2002")
    expected = bench.service.expected_weight()
    assert expected is not None
    grams = expected.expected_g
    reading = ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams:.0f} g", unit_raw="g")
    assert bench.reading(ScaleUpdate(reading, False, 2.0)) is None  # settling
    done = result(bench.reading(ScaleUpdate(reading, True, 2.5)))
    assert (done.verdict, done.order_number) == (Verdict.COMPLETED, "SO-2002")
    # A weight out of tolerance stops it: the packer sees the mismatch, nothing completes.
    assert result(bench.scan(MUG, at=3.0)).order_number == "SO-2001"
    heavy = ScaleReading(ScaleState.STABLE, grams * 3, 1.0, "S S heavy", unit_raw="g")
    bench.reading(ScaleUpdate(heavy, False, 4.0))
    stopped = result(bench.reading(ScaleUpdate(heavy, True, 4.5)))
    assert stopped.verdict is Verdict.WEIGHT_MISMATCH and bench.state is not None
    bench.service.close()


def test_a_tote_of_single_item_orders(db: Database) -> None:
    add_orders(
        db,
        ("SO-3001", "MUG", 0, 0, "TOTE-9"),
        ("SO-3002", "TEE", 0, 1, "TOTE-9"),
        ("SO-3003", "MUG", 0, 2, "TOTE-9"),
    )
    bench = bench_on(db)
    tote = result(bench.scan("TOTE-9"))
    assert tote.verdict is Verdict.BATCH_TOTE and "3 single-item orders" in tote.message
    # Only the tote's orders are picked (SO-2002 is more urgent, but not in the tote).
    picked = [result(bench.scan(code)).order_number for code in (TEE, MUG, MUG)]
    assert picked == ["SO-3002", "SO-3001", "SO-3003"]
    # The tote is done: the next mug picks from every order again.
    assert result(bench.scan(MUG)).order_number == "SO-2002"
    # A tote holding a multi-item order opens as before.
    assert result(bench.scan("TOTE-7")).verdict is Verdict.ORDER_OPENED
    bench.service.close()


def test_off_by_default(db: Database) -> None:
    bench = bench_on(db, packing=PackingSettings())
    assert result(bench.scan(MUG)).verdict is Verdict.NO_ORDER_OPEN
    assert rows(db, "SELECT count(*) FROM pack_sessions") == [(0,)]
    bench.service.close()


def test_bench_batch_packs_the_same_orders_both_ways(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["bench", "batch", "--orders", "12", "--dir", str(tmp_path), "--video-seconds", "1"]
    assert station_main([*args, "--json"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (figures["scans_per_order"], figures["keys_per_order"]) == (1.0, 0.0)
    assert (figures["one_by_one_scans_per_order"], figures["one_by_one_keys_per_order"]) == (2, 1)
    for key in ("station_p50_ms", "station_p99_ms", "one_by_one_station_p50_ms"):
        assert figures[key] > 0
    # Camera frames dropped per minute, video off and recording (the real driver, 1 s each).
    assert figures["frames_dropped_video_off"] >= 0 and figures["frames_dropped_video_on"] >= 0
    assert figures["video_frames_written"] > 0
    # Both databases packed the same orders, in batch mode without an order scan.
    packed = []
    for way in ("batch", "one_by_one"):
        con = sqlite3.connect(tmp_path / f"{way}.sqlite")
        packed.append(
            con.execute("SELECT number FROM orders WHERE status = 'packed' ORDER BY 1").fetchall()
        )
        kinds = dict(con.execute("SELECT kind, count(*) FROM scans GROUP BY kind").fetchall())
        con.close()
        assert kinds.get("order", 0) == (0 if way == "batch" else 17)  # 12 + 5 warm-up
    assert packed[0] == packed[1] and len(packed[0]) == 17
