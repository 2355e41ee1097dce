"""The whole demo: catalog and orders through the importers, plus box types and users."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Integer, cast, func, select

from station.db import Database
from station.db.models import BoxType, Order, OrderStatus, Role, User
from station.importers import ImportReport, import_catalog, import_orders
from station.tools.demo.catalog import write_catalog
from station.tools.demo.orders import FIRST_ORDER_NUMBER, write_orders
from station.users import badge_owners, create_user


@dataclass(frozen=True)
class DemoBox:
    """A box type the demo bench stocks."""

    code: str
    name: str
    inner_mm: tuple[float, float, float]
    tare_g: float
    max_weight_g: float


BOXES = (
    DemoBox("BOX-ENV", "Padded envelope C4", (320, 230, 25), 35, 1000),
    DemoBox("BOX-S", "Small box", (250, 175, 100), 120, 5000),
    DemoBox("BOX-M", "Medium box", (350, 250, 150), 220, 10000),
    DemoBox("BOX-L", "Large box", (450, 350, 250), 400, 20000),
    DemoBox("BOX-XL", "Extra large box", (600, 400, 400), 700, 31500),
)
# (name, role, badge, PIN)
USERS = (
    ("alice", Role.PACKER, "BADGE-ALICE", "1111"),
    ("bob", Role.PACKER, "BADGE-BOB", "2222"),
    ("ines", Role.INSPECTOR, "BADGE-INES", "3333"),
    ("sam", Role.SUPERVISOR, "BADGE-SAM", "9999"),
    ("ada", Role.ADMIN, "BADGE-ADA", "0000"),
)


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`seed_demo` loaded."""

    catalog: ImportReport
    orders: ImportReport | None
    box_types_created: int
    users_created: int
    seconds: float
    first_order: str | None = None
    last_order: str | None = None

    def __str__(self) -> str:
        orders = self.orders.created if self.orders else 0
        lines = self.orders.details.get("lines", 0) if self.orders else 0
        span = f" ({self.first_order}..{self.last_order})" if self.first_order else ""
        return (
            f"demo data: {self.catalog.created + self.catalog.updated} products, "
            f"{orders} orders{span} with {lines} lines, {self.box_types_created} box types "
            f"and {self.users_created} users added in {self.seconds:.1f} s"
        )


def seed_demo(
    db: Database, orders: int, products: int = 200, seed: int = 1, *, station: str = "demo"
) -> DemoSummary:
    """Load demo products, orders, box types and users into ``db``.

    Products with the same seed are re-imported (updated); orders are numbered after the
    highest ``SO-`` number already present, so running it again adds orders rather than
    colliding with ones already packed. Existing box types and users are left alone.
    """
    if products < 1:
        raise ValueError("the demo needs at least one product")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="station-demo-") as tmp:
        folder = Path(tmp)
        catalog = write_catalog(folder / "catalog.csv", products, seed)
        catalog_report = import_catalog(db, folder / "catalog.csv", station=station)
        orders_report = None
        first = last = None
        if orders > 0:
            start, busy = _order_numbering(db)
            write_orders(
                folder / "orders.csv", orders, catalog, seed, first_number=start, busy_totes=busy
            )
            orders_report = import_orders(db, folder / "orders.csv", station=station)
            first, last = f"SO-{start}", f"SO-{start + orders - 1}"
    boxes, users = _fixtures(db)
    return DemoSummary(
        catalog=catalog_report,
        orders=orders_report,
        box_types_created=boxes,
        users_created=users,
        seconds=time.perf_counter() - started,
        first_order=first,
        last_order=last,
    )


def _order_numbering(db: Database) -> tuple[int, set[str]]:
    """The next free SO- number and the totes held by orders still to be packed."""
    with db.session() as session:
        highest = session.scalar(
            select(func.max(cast(func.substr(Order.number, 4), Integer))).where(
                Order.number.like("SO-%")
            )
        )
        busy = set(
            session.scalars(
                select(Order.tote).where(
                    Order.tote.is_not(None),
                    Order.status.in_(
                        (OrderStatus.OPEN, OrderStatus.IN_PROGRESS, OrderStatus.ON_HOLD)
                    ),
                )
            )
        )
    start = max(FIRST_ORDER_NUMBER, (highest or 0) + 1)
    return start, {t for t in busy if t}


def _fixtures(db: Database) -> tuple[int, int]:
    """Add the box types and users that are missing; return how many of each were added."""
    with db.session() as session:
        codes = set(session.scalars(select(BoxType.code)))
        boxes = 0
        for box in BOXES:
            if box.code in codes:
                continue
            length, width, height = box.inner_mm
            session.add(
                BoxType(
                    code=box.code,
                    name=box.name,
                    inner_length_mm=length,
                    inner_width_mm=width,
                    inner_height_mm=height,
                    tare_g=box.tare_g,
                    max_weight_g=box.max_weight_g,
                )
            )
            boxes += 1
        names = set(session.scalars(select(User.name)))
        users = 0
        for name, role, badge, pin in USERS:
            if name in names or badge_owners(session, badge):
                continue
            try:
                create_user(session, name, role, pin=pin, badge=badge)
            except ValueError:
                # A real user already chose that PIN: add the demo user without one.
                create_user(session, name, role, badge=badge)
            users += 1
        session.commit()
    return boxes, users
