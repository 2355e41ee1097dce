"""Fixtures of the simulate tests: the pack engine's order book made shippable, settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from station.config import Settings
from station.db import Database
from station.db.models import CustomsLine, Order, ShipTo
from tests.station.packfixtures import build_db

STATION = "bench-1"


def _ship_to(country: str) -> ShipTo:
    return ShipTo(
        customer_name="Ann Smit",
        street1="Keizersgracht 1",
        city="Amsterdam" if country == "NL" else "Austin",
        postcode="1015 CJ" if country == "NL" else "78701",
        country=country,
    )


def build_shippable_db(path: Path) -> Database:
    """``packfixtures.build_db`` with addresses: SO-1001 domestic (NL), SO-1003 a gift,
    SO-1004 to the US with a customs line, SO-1007 (30 mugs) domestic."""
    db = build_db(path)
    with db.session() as s:
        orders = {o.number: o for o in s.scalars(select(Order))}
        for number, country in (("SO-1001", "NL"), ("SO-1003", "NL"), ("SO-1004", "US")):
            orders[number].ship_to = _ship_to(country)
        orders["SO-1007"].ship_to = _ship_to("NL")
        orders["SO-1003"].gift_note = "Happy birthday!"
        orders["SO-1004"].customs_lines.append(
            CustomsLine(
                description="Kitchen set",
                hs_code="691200",
                origin_country="DE",
                quantity=1,
                value=25.0,
                currency="EUR",
                weight_g=300.0,
            )
        )
        s.commit()
    return db


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """The shippable order book (every product 100 g, box BOX-M of 180 g)."""
    database = build_shippable_db(tmp_path / "pack.sqlite")
    yield database
    database.close()


@pytest.fixture
def settings(db: Database) -> Settings:
    """Default settings on the test database: an emulated ZPL printer named "printer"."""
    return Settings(station_name=STATION, db_path=db.path)
