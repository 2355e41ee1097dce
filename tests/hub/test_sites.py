"""Sites on a real hub: orders of a site go only to that site's stations; the default site
takes everything unassigned, so a single-site shop configures nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from station.db import open_database
from station.db.models import Order
from station.hub.admin import enrol_code
from station.hub.sites import SiteError, list_sites, put_site
from station.importers import ImportFailed
from station.sync.enroll import enroll_station
from station.sync.state import CURSOR, set_setting
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.hub.templates import Templates
from tests.pgcluster import BOTH

NORTH = {
    "name": "North micro-hub",
    "street1": "2 Quay",
    "city": "Groningen",
    "postcode": "9711",
    "country": "NL",
}
SITE_ORDERS = (
    "order_number,sku,quantity,site\nSO-2001,MUG,1,north\nSO-2002,TEE,1,\nSO-2003,MUG,1,main\n"
)


def _orders(station: StationUnderTest) -> set[str]:
    with station.db.session() as s:
        numbers = {str(n) for n in s.scalars(select(Order.number))}
        s.rollback()
    return numbers


def _station_at(
    hub: HubUnderTest, tmp_path: Path, templates: Templates, name: str, site: str
) -> StationUnderTest:
    folder = tmp_path / "stations" / name
    db = open_database(templates.station(folder / "station.sqlite"))
    enroll_station(db, hub.url, enrol_code(hub.db, name, site=site), name)
    return StationUnderTest(name, db, folder / "photos", hub.url)


@BOTH
def test_a_station_pulls_only_its_sites_orders(
    hub: HubUnderTest,
    make_station: Callable[[str], StationUnderTest],
    tmp_path: Path,
    templates: Templates,
) -> None:
    with hub.db.write() as s:
        put_site(s, "north", "North", NORTH)
    hub.load("orders", SITE_ORDERS)
    default = make_station("bench-main")
    north = _station_at(hub, tmp_path, templates, "bench-north", "north")
    try:
        default.sync()
        north.sync()
        assert _orders(north) == {"SO-2001"}
        main_orders = _orders(default)
        assert {"SO-2002", "SO-2003", "SO-1001"} <= main_orders
        assert "SO-2001" not in main_orders
        with north.db.session() as s:
            assert s.scalar(select(Order.site).where(Order.number == "SO-2001")) == "north"
            s.rollback()
    finally:
        north.close()


def test_an_unknown_site_refuses_the_file(hub: HubUnderTest) -> None:
    with pytest.raises(ImportFailed) as refused:
        hub.load("orders", "order_number,sku,quantity,site\nSO-3001,MUG,1,south\n")
    assert refused.value.problems == ["site: unknown site 'south' (known: main)"]


def test_the_default_site_exists_and_sites_are_checked(hub: HubUnderTest) -> None:
    with hub.db.write() as s:
        assert [(x["code"], x["default"]) for x in list_sites(s)] == [("main", True)]
        with pytest.raises(SiteError, match="lacks city, postcode"):
            put_site(s, "east", "East", {"name": "E", "street1": "x", "country": "NL"})
        put_site(s, "north", "North", NORTH, make_default=True)
        assert [(x["code"], x["default"]) for x in list_sites(s)] == [
            ("main", False),
            ("north", True),
        ]
    with pytest.raises(SiteError, match="unknown site 'south'"):
        enrol_code(hub.db, "bench-x", site="south")


def test_site_commands_and_enrolment_at_a_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from station.cli.main import main

    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    assert main(["hub", "site", "set", "north", "--name", "North", "--street1", "2 Quay",
                 "--city", "Groningen", "--country", "NL", "--db", url]) == 1  # fmt: skip
    assert "lacks postcode" in capsys.readouterr().err
    assert main(["hub", "site", "set", "north", "--name", "North", "--street1", "2 Quay",
                 "--city", "Groningen", "--postcode", "9711", "--country", "NL",
                 "--db", url]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["hub", "site", "list", "--db", url]) == 0
    sites = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(s["code"], s["default"]) for s in sites] == [("main", True), ("north", False)]
    assert sites[1]["ship_from"]["postcode"] == "9711"
    assert main(["hub", "enroll-code", "--station", "b", "--site", "south", "--db", url]) == 1
    assert "unknown site 'south'" in capsys.readouterr().err
    assert main(["hub", "enroll-code", "--station", "b", "--site", "north", "--db", url]) == 0


@BOTH
def test_an_order_moved_to_another_site_leaves_the_old_sites_stations(
    hub: HubUnderTest,
    make_station: Callable[[str], StationUnderTest],
    tmp_path: Path,
    templates: Templates,
) -> None:
    with hub.db.write() as s:
        put_site(s, "north", "North", NORTH)
    hub.load("orders", SITE_ORDERS)
    default = make_station("bench-main")
    north = _station_at(hub, tmp_path, templates, "bench-north", "north")
    try:
        default.sync()
        north.sync()
        assert "SO-2001" in _orders(north) and "SO-2001" not in _orders(default)
        # SO-2001 moves to the default site: north's station drops it (a tombstone in its
        # feed), the default site's station receives it whole.
        hub.load("orders", "order_number,sku,quantity,site\nSO-2001,MUG,1,main\n")
        north.sync()
        default.sync()
        assert "SO-2001" not in _orders(north)
        assert "SO-2001" in _orders(default)
        # And back: the default site's station drops it, north has it again.
        hub.load("orders", "order_number,sku,quantity,site\nSO-2001,MUG,1,north\n")
        north.sync()
        default.sync()
        assert "SO-2001" in _orders(north)
        assert "SO-2001" not in _orders(default)
        # A rebuild (no cursor) of the default site's station receives only its own orders.
        with default.db.session() as s:
            set_setting(s, CURSOR, None)
            s.commit()
        default.sync()
        assert "SO-2001" not in _orders(default) and "SO-2002" in _orders(default)
    finally:
        north.close()
