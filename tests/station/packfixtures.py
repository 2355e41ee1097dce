"""A small, hand-written catalog and order book for the pack engine tests (real SQLite)."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from station.barcodes import Interpreter
from station.config import BarcodeSettings, PackingSettings
from station.credentials import hash_badge
from station.db import Database, open_database
from station.db.models import (
    BoxType,
    KitComponent,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    ProductBarcode,
    Role,
    Tracking,
    User,
)
from station.gtin import barcode_key, with_check_digit
from station.packing.approvals import badge_and_pin_approver
from station.packing.bench import Reply
from station.packing.lock import OrderLocks
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Outcome
from station.user_ref import UserRef
from station.users import hash_pin

# GTIN-13s with valid check digits, one per product.
MUG = with_check_digit("400000000001")
TEE = with_check_digit("400000000002")
PHONE = with_check_digit("400000000003")  # serial-tracked
VITAMINS = with_check_digit("400000000004")  # lot + expiry
GLUE = with_check_digit("400000000005")  # lot only
KIT = with_check_digit("400000000006")  # kit: 1 bowl + 2 spoons
BOWL = with_check_digit("400000000007")
SPOON = with_check_digit("400000000008")
STRAY = with_check_digit("400000000009")  # in the catalog, in no order

FIXED_NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@functools.cache
def badge(code: str) -> dict[str, str]:
    """The stored columns of a badge (hashed once per test run: scrypt is slow on purpose)."""
    tag, slow = hash_badge(code)
    return {"badge_tag": tag, "badge_hash": slow}


def _product(sku: str, code: str, tracking: Tracking = Tracking.NONE, **kw: object) -> Product:
    p = Product(sku=sku, name=sku.title(), unit_weight_g=100.0, tracking=tracking, **kw)
    p.barcodes.append(ProductBarcode(code=barcode_key(code), raw=code))
    return p


def build_db(path: Path) -> Database:
    """A database holding the products above, a few orders, users and boxes."""
    db = open_database(path)
    with db.session() as s:
        products = {
            "mug": _product("MUG", MUG),
            "tee": _product("TEE", TEE),
            "phone": _product("PHONE", PHONE, Tracking.SERIAL),
            "vitamins": _product("VITAMINS", VITAMINS, Tracking.LOT_EXPIRY),
            "glue": _product("GLUE", GLUE, Tracking.LOT),
            "kit": _product("KIT", KIT, is_kit=True),
            "bowl": _product("BOWL", BOWL),
            "spoon": _product("SPOON", SPOON),
            "stray": _product("STRAY", STRAY),
        }
        products["mug"].barcodes.append(ProductBarcode(code="INT-MUG-01", raw="INT-MUG-01"))
        s.add_all(products.values())
        s.flush()
        s.add_all(
            [
                KitComponent(
                    kit_id=products["kit"].id, component_id=products["bowl"].id, quantity=1
                ),
                KitComponent(
                    kit_id=products["kit"].id, component_id=products["spoon"].id, quantity=2
                ),
            ]
        )

        def order(number: str, lines: list[tuple[str, int]], **kw: object) -> None:
            o = Order(number=number, **kw)
            for n, (key, qty) in enumerate(lines, start=1):
                o.lines.append(OrderLine(line_no=n, product_id=products[key].id, quantity=qty))
            s.add(o)

        order("SO-1001", [("mug", 2), ("tee", 1)], tote="TOTE-7")
        order("SO-1002", [("phone", 2)])
        order("SO-1003", [("vitamins", 1), ("glue", 1)])
        order("SO-1004", [("kit", 1)])
        order("SO-1005", [("mug", 1)], status=OrderStatus.ON_HOLD)
        order("SO-1006", [("mug", 1)], status=OrderStatus.CANCELLED)
        order("SO-1007", [("mug", 30)])
        order("SO-1008", [("phone", 1)])
        s.add_all(
            [
                User(name="alice", role=Role.PACKER, **badge("BADGE-ALICE")),
                User(
                    name="sam",
                    role=Role.SUPERVISOR,
                    pin_hash=hash_pin("9999"),
                    **badge("BADGE-SAM"),
                ),
                User(name="sue", role=Role.SUPERVISOR, **badge("BADGE-SUE")),
                BoxType(
                    code="BOX-M",
                    name="Medium box",
                    inner_length_mm=300,
                    inner_width_mm=200,
                    inner_height_mm=150,
                    tare_g=180,
                    max_weight_g=10000,
                ),
            ]
        )
        s.commit()
    return db


def make_service(
    db: Database,
    *,
    station: str = "bench-1",
    packing: PackingSettings | None = None,
    now: datetime = FIXED_NOW,
    approver: Callable[[str], UserRef | None] | None = None,
    proof: ProofOptions | None = None,
    locks: OrderLocks | None = None,
) -> PackService:
    """A pack service on ``db`` with a fixed clock."""
    return PackService(
        db,
        Interpreter(BarcodeSettings()),
        packing or PackingSettings(),
        station,
        clock=lambda: now,
        approver=approver or badge_and_pin_approver(db),
        proof=proof,
        locks=locks,
    )


def result(reply: Reply | None) -> Outcome:
    """The bench's answer, which must be an outcome (not held, not None)."""
    assert reply is not None and isinstance(reply.result, Outcome), reply
    return reply.result


def rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    """What ``sql`` reads from the station's file, on a connection of its own."""
    con = sqlite3.connect(db.path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
