"""Any shop's order number opens its order at the bench, whether or not it matches the order
pattern: through the pack bench (``station.packing.bench``) and ``station pack``, on orders
imported by the real importer."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.barcodes import Interpreter
from station.config import BarcodeSettings
from station.db import Database
from station.importers import import_orders
from station.packing.bench import PackBench
from tests.station.packfixtures import MUG, TEE, build_db, make_service
from tests.station.simulate.packing import rows

# Numbers as shops send them: Shopify's "#1001", WooCommerce's "1001", an ERP's "SO-JP-1";
# "INT-MUG-01" is also the mug's own barcode.
SHOP_ORDERS = (
    "order_number,sku,quantity\n#1001,MUG,1\n1001,TEE,1\nSO-JP-1,MUG,1\nINT-MUG-01,TEE,1\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = build_db(tmp_path / "bench.sqlite")
    orders = tmp_path / "shop-orders.csv"
    orders.write_text(SHOP_ORDERS)
    import_orders(database, orders, station="bench-1")
    yield database
    database.close()


@pytest.fixture
def bench(db: Database) -> Iterator[PackBench]:
    service = make_service(db)
    yield PackBench(service, Interpreter(BarcodeSettings()))
    service.close()


def _label(bench: PackBench, code: str) -> str:
    reply = bench.scan(code)
    assert reply is not None
    return reply.label


def test_a_shops_order_number_opens_its_order_when_scanned(bench: PackBench, db: Database) -> None:
    assert _label(bench, "BADGE-ALICE") == "user_changed"
    assert _label(bench, "SO-JP-1") == "order_opened"
    assert bench.state is not None and bench.state.order_number == "SO-JP-1"
    assert _label(bench, MUG) == "accepted"
    # Scanned while another order is open, it switches like an order-pattern scan does.
    assert _label(bench, "#1001") == "order_opened"
    assert bench.state is not None and bench.state.order_number == "#1001"
    assert _label(bench, "1001") == "order_opened"
    assert bench.state is not None and bench.state.order_number == "1001"
    assert _label(bench, TEE) == "accepted"
    # Stored as the order scans they are.
    kinds = rows(db, "SELECT raw, interpretation FROM scans WHERE verdict = 'order_opened'")
    assert [(raw, json.loads(str(i))["kind"]) for raw, i in kinds] == [
        ("SO-JP-1", "order"),
        ("#1001", "order"),
        ("1001", "order"),
    ]


def test_a_product_barcode_wins_over_the_same_order_number_and_typing_opens_it(
    bench: PackBench,
) -> None:
    bench.scan("BADGE-ALICE")
    # No order open: the mug's barcode is the mug, not the order numbered like it.
    assert _label(bench, "INT-MUG-01") == "no_order_open"
    bench.acknowledge()
    # Chosen from the order list (open_order), the number opens it whatever it looks like.
    typed = bench.open_order("INT-MUG-01")
    assert typed.label == "order_opened"
    assert bench.state is not None and bench.state.order_number == "INT-MUG-01"
    # Neither a prefix nor a different case opens anything: numbers match exactly.
    assert _label(bench, "SO-JP") == "unknown_code"
    bench.acknowledge()
    assert _label(bench, "so-jp-1") == "unknown_code"


def test_station_pack_opens_a_shops_order_by_its_number(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from station.cli.main import main

    config = tmp_path / "station.toml"
    config.write_text('[station]\nname = "bench-1"\n')
    scans = ["BADGE-ALICE", "SO-JP-1", MUG, "BOX-M", "CMD-COMPLETE"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(scans) + "\n"))
    assert main(["--config", str(config), "--db", str(db.path), "pack"]) == 0
    verdicts = [str(v) for (v,) in rows(db, "SELECT verdict FROM scans ORDER BY id")]
    assert verdicts == ["user_changed", "order_opened", "accepted", "box_selected", "completed"]
    assert rows(db, "SELECT status FROM orders WHERE number = 'SO-JP-1'") == [("packed",)]
