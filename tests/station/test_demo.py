"""Demo data: valid barcodes, a realistic mix, determinism, and loading through the importers."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station.db import Database, open_database, table_counts
from station.db.models import (
    BoxType,
    CustomsLine,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    ProductBarcode,
    Role,
    User,
)
from station.gtin import is_valid_gtin, looks_like_gtin
from station.tools.demo import (
    BOXES,
    DemoProduct,
    make_catalog,
    seed_demo,
    write_catalog,
    write_orders,
)
from station.users import create_user, find_by_badge, find_by_pin

EU = {"DE", "FR", "NL", "AT", "IT", "ES", "PL", "DK", "BE", "SE"}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "s.sqlite")
    yield database
    database.close()


@pytest.fixture(scope="module")
def catalog() -> list[DemoProduct]:
    return make_catalog(1000, seed=5)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_catalog_barcodes_are_valid_and_varied(tmp_path: Path) -> None:
    products = write_catalog(tmp_path / "c.csv", 1000, seed=5)
    rows = read_csv(tmp_path / "c.csv")
    assert len(rows) == len(products) == 1000
    codes = [code for row in rows for code in row["barcode"].split("|")]
    gtins = [c for c in codes if looks_like_gtin(c)]
    assert gtins and all(is_valid_gtin(c) for c in gtins)
    assert len(codes) == len(set(codes))  # no barcode on two products
    by_length = Counter(len(c) for c in gtins)
    assert by_length[13] == 1000  # every product has a GTIN-13 ...
    assert all(c.startswith("200") for c in gtins if len(c) == 13)  # ... never a real one
    assert 80 <= by_length[12] <= 230  # some have a UPC-A too (15 %)
    internal = [c for c in codes if not looks_like_gtin(c)]
    assert internal and all(re.fullmatch(r"INT-\d{6}", c) for c in internal)
    several = [row for row in rows if "|" in row["barcode"]]
    assert len(several) > 200


def test_catalog_mix_of_tracking_kits_and_measures(catalog: list[DemoProduct]) -> None:
    tracking = Counter(p.tracking for p in catalog)
    assert 0.06 <= tracking["serial"] / len(catalog) <= 0.14
    lots = tracking["lot"] + tracking["lot_expiry"]
    assert 0.06 <= lots / len(catalog) <= 0.14
    assert tracking["lot"] > 0 and tracking["lot_expiry"] > 0
    kits = [p for p in catalog if p.components]
    assert 2 <= len(kits) <= 40
    by_sku = {p.sku: p for p in catalog}
    for kit in kits:
        assert 2 <= len(kit.components) <= 3
        assert all(sku in by_sku and not by_sku[sku].components for sku, _ in kit.components)
        assert all(q >= 1 for _, q in kit.components)
        assert kit.weight_g > sum(by_sku[s].weight_g * q for s, q in kit.components)
    plain = [p for p in catalog if not p.components]
    assert all(20 <= p.weight_g <= 2000 for p in plain)
    assert all(min(p.dims_mm) > 0 for p in catalog)
    assert all(p.name and p.hs_code.isdigit() and len(p.origin_country) == 2 for p in catalog)
    assert len({p.sku for p in catalog}) == len(catalog)
    assert len({p.name for p in catalog}) > 300  # realistic variety, not "Product 17"


def test_generation_is_deterministic_per_seed(tmp_path: Path) -> None:
    a = write_catalog(tmp_path / "a.csv", 50, seed=9)
    b = write_catalog(tmp_path / "b.csv", 50, seed=9)
    write_catalog(tmp_path / "c.csv", 50, seed=10)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()
    write_orders(tmp_path / "o1.csv", 30, a, seed=9)
    write_orders(tmp_path / "o2.csv", 30, b, seed=9)
    assert (tmp_path / "o1.csv").read_bytes() == (tmp_path / "o2.csv").read_bytes()


def test_orders_file_has_the_promised_mix(tmp_path: Path, catalog: list[DemoProduct]) -> None:
    lines = write_orders(tmp_path / "o.csv", 3000, catalog, seed=5)
    rows = read_csv(tmp_path / "o.csv")
    assert len(rows) == lines
    skus = {p.sku for p in catalog}
    assert all(row["sku"] in skus for row in rows)
    orders: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        orders.setdefault(row["order_number"], []).append(row)
    assert len(orders) == 3000
    assert sorted(orders) == [f"SO-{n}" for n in range(100001, 103001)]
    assert 2.0 <= lines / 3000 <= 3.0
    firsts = [group[0] for group in orders.values()]
    statuses = Counter(r["status"] for r in firsts)
    assert statuses["on_hold"] > 5 and statuses["cancelled"] > 5
    assert statuses["open"] > 2800
    gifts = sum(1 for r in firsts if r["gift_note"])
    assert 0.06 <= gifts / 3000 <= 0.14
    quantities = Counter(int(r["quantity"]) for r in rows)
    assert quantities[1] > len(rows) * 0.7 and sum(quantities.values()) > quantities[1]
    assert max(quantities) >= 6  # a few multi-unit lines
    cross = [n for n, group in orders.items() if group[0]["country"] not in EU]
    assert 0.06 <= len(cross) / 3000 <= 0.14
    by_sku = {p.sku: p for p in catalog}
    for number, group in orders.items():
        for row in group:
            if number in cross:
                product = by_sku[row["sku"]]
                assert row["hs_code"] == product.hs_code
                assert row["origin_country"] == product.origin_country
                assert float(row["customs_value"]) == product.unit_value
            else:
                assert row["hs_code"] == row["customs_value"] == ""
    totes = [r["tote"] for r in firsts if r["tote"]]
    assert len(totes) == len(set(totes)) > 500
    assert all(re.fullmatch(r"TOTE-\d{1,6}", t) for t in totes)
    assert all(r["status"] == "open" for r in firsts if r["tote"])
    assert {r["priority"] for r in firsts} == {"0", "1", "2"}
    assert all("@" in r["email"] and r["email"].isascii() for r in firsts)


def test_orders_over_bare_skus_leave_customs_details_to_the_catalog(tmp_path: Path) -> None:
    write_orders(tmp_path / "o.csv", 400, ["A-1", "B-2"], seed=1)
    rows = read_csv(tmp_path / "o.csv")
    cross = [r for r in rows if r["hs_code"]]
    assert cross
    assert all(r["origin_country"] == r["customs_value"] == "" for r in cross)
    assert {r["sku"] for r in rows} == {"A-1", "B-2"}


def test_orders_numbering_and_busy_totes(tmp_path: Path) -> None:
    busy = {f"TOTE-{n}" for n in range(1, 1_000_000, 2)}  # every odd tote is taken
    write_orders(tmp_path / "o.csv", 300, ["A"], seed=2, first_number=200500, busy_totes=busy)
    rows = read_csv(tmp_path / "o.csv")
    assert rows[0]["order_number"] == "SO-200500"
    assert rows[-1]["order_number"] == "SO-200799"
    totes = {r["tote"] for r in rows if r["tote"]}
    assert totes and not totes & busy


def test_seed_demo_loads_everything_through_the_importers(db: Database) -> None:
    summary = seed_demo(db, orders=400, products=120, seed=3)
    assert summary.catalog.created == 120
    assert summary.orders is not None and summary.orders.created == 400
    assert (summary.box_types_created, summary.users_created) == (len(BOXES), 5)
    assert (summary.first_order, summary.last_order) == ("SO-100001", "SO-100400")
    assert "120 products, 400 orders (SO-100001..SO-100400)" in str(summary)
    counts = table_counts(db, "products", "orders", "box_types", "users", "audit_log")
    assert counts == {"products": 120, "orders": 400, "box_types": 5, "users": 5, "audit_log": 2}
    with db.session() as s:
        codes = s.scalars(select(ProductBarcode.raw)).all()
        assert all(is_valid_gtin(c) for c in codes if looks_like_gtin(c))
        assert s.scalar(select(func.count()).select_from(Product).where(Product.is_kit)) == 3
        assert (s.scalar(select(func.count()).select_from(CustomsLine)) or 0) > 0
        gifts = s.scalar(select(func.count()).where(Order.gift_note.is_not(None))) or 0
        assert gifts > 10
        lines = s.scalar(select(func.count()).select_from(OrderLine))
        assert lines == summary.orders.details["lines"]
        boxes = {b.code: b for b in s.scalars(select(BoxType))}
        assert set(boxes) == {"BOX-ENV", "BOX-S", "BOX-M", "BOX-L", "BOX-XL"}
        m = boxes["BOX-M"]
        assert (m.inner_length_mm, m.inner_width_mm, m.inner_height_mm) == (350, 250, 150)
        assert m.tare_g < m.max_weight_g
        for name, role, badge, pin in (
            ("alice", Role.PACKER, "BADGE-ALICE", "1111"),
            ("bob", Role.PACKER, "BADGE-BOB", "2222"),
            ("ines", Role.INSPECTOR, "BADGE-INES", "3333"),
            ("sam", Role.SUPERVISOR, "BADGE-SAM", "9999"),
            ("ada", Role.ADMIN, "BADGE-ADA", "0000"),
        ):
            user = find_by_badge(s, badge)
            assert user is not None and (user.name, user.role) == (name, role)
            by_pin = find_by_pin(s, pin, [role])
            assert by_pin is not None and by_pin.name == name


def test_seed_demo_again_adds_orders_and_keeps_users(db: Database) -> None:
    seed_demo(db, orders=50, products=30, seed=3)
    with db.session() as s:
        # An order packed since the first run must not block the second.
        first = s.scalars(select(Order).where(Order.number == "SO-100001")).one()
        first.status = OrderStatus.PACKED
        s.commit()
    again = seed_demo(db, orders=20, products=30, seed=3)
    assert (again.first_order, again.last_order) == ("SO-100051", "SO-100070")
    assert again.catalog.updated == 30 and again.catalog.created == 0
    assert (again.box_types_created, again.users_created) == (0, 0)
    assert table_counts(db, "orders", "users", "box_types") == {
        "orders": 70,
        "users": 5,
        "box_types": 5,
    }
    with db.session() as s:
        # A packed order's tote may be handed out again; active orders never share one.
        active = (OrderStatus.OPEN, OrderStatus.ON_HOLD, OrderStatus.IN_PROGRESS)
        totes = s.scalars(
            select(Order.tote).where(Order.tote.is_not(None), Order.status.in_(active))
        ).all()
        assert len(totes) == len(set(totes)) > 5


def test_seed_demo_does_not_take_a_pin_a_real_user_has(db: Database) -> None:
    with db.session() as s:
        create_user(s, "real", Role.PACKER, pin="1111")
        s.commit()
    summary = seed_demo(db, orders=0, products=12, seed=1)
    assert summary.orders is None
    assert summary.users_created == 5
    with db.session() as s:
        alice = s.scalars(select(User).where(User.name == "alice")).one()
        assert alice.pin_hash is None and find_by_badge(s, "BADGE-ALICE") is alice
        real = find_by_pin(s, "1111", [Role.PACKER])
        assert real is not None and real.name == "real"


@pytest.mark.slow
def test_generating_many_orders_writes_them_all(tmp_path: Path) -> None:
    # Speed is not asserted here (no time limits in tests); 20,000 orders take about 0.4 s.
    products = write_catalog(tmp_path / "c.csv", 5000, seed=1)
    lines = write_orders(tmp_path / "o.csv", 20_000, products, seed=1)
    assert lines > 40_000
