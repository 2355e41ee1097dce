"""The network page's orders per site and state: kept with every order write, equal to a
recount of the orders themselves through imports, packing, site moves, cancellations and
deletions (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from station.hub import admin
from station.hub.db import MIGRATIONS, upgrade_hub
from station.hub.feed import delete_records, lock_feed
from station.hub.order_counts import counts, recount
from station.hub.sites import put_site
from tests.hub.consoleclient import Browsers, browsers
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.pgcluster import BOTH
from tests.station.packfixtures import MUG, TEE

__all__ = ["browsers"]  # the fixture

NORTH = {
    "name": "North",
    "street1": "1 North St",
    "city": "Oslo",
    "postcode": "0150",
    "country": "NO",
}


def assert_kept(hub: HubUnderTest) -> dict[tuple[str, str], int]:
    with hub.db.read() as s:
        kept, counted = counts(s), recount(s)
    assert kept == counted
    return kept


@BOTH
def test_the_kept_counts_equal_a_recount_through_every_kind_of_order_write(
    hub: HubUnderTest, make_station: Callable[[str], StationUnderTest], browsers: Browsers
) -> None:
    # The fixture's four orders (SO-1001..1004) are open at no site: the default one.
    assert assert_kept(hub) == {("", "open"): 4}
    with hub.db.write() as s:
        put_site(s, "north", "North", NORTH)
    hub.load("orders", "order_number,sku,quantity,site\nSO-2001,MUG,1,north\nSO-2002,TEE,1,\n")
    assert assert_kept(hub) == {("", "open"): 5, ("north", "open"): 1}

    bench = make_station("bench-1")
    bench.sync()
    svc = bench.service()
    for code in ("SO-1001", MUG, MUG, TEE):
        svc.scan(code)
    svc.complete()
    bench.sync()  # the hub marks SO-1001 packed from the bench's events
    assert assert_kept(hub) == {("", "open"): 4, ("", "packed"): 1, ("north", "open"): 1}

    # Site moves (also naming the default site outright), a cancellation, a deletion.
    hub.load(
        "orders",
        "order_number,sku,quantity,site,status\n"
        "SO-2001,MUG,1,main,\nSO-1002,MUG,1,north,\nSO-1003,TEE,1,,cancelled\n",
    )
    admin.delete(hub.db, "order", ["SO-1004", "SO-1001"])
    kept = assert_kept(hub)
    assert kept == {
        ("", "open"): 1,
        ("main", "open"): 1,
        ("north", "open"): 1,
        ("", "cancelled"): 1,
    }
    admin.delete(hub.db, "order", ["SO-1004"])  # already a tombstone: counts nothing twice
    assert assert_kept(hub) == kept

    # The page adds the orders without a site to the default site's.
    html = browsers.user("dan", "supervisor").get("/console/network").text
    assert "<td>main</td><td>open</td><td>2</td>" in html
    assert "<td>main</td><td>cancelled</td><td>1</td>" in html
    assert "<td>north</td><td>open</td><td>1</td>" in html
    assert "packed" not in html.split("Orders per site and state", 1)[1].split("</table>", 1)[0]


@BOTH
def test_a_write_that_rolls_back_moves_no_count(hub: HubUnderTest) -> None:
    before = assert_kept(hub)
    try:
        with hub.db.write() as s:
            lock_feed(s)
            delete_records(s, "order", ["SO-1001"])
            raise RuntimeError("abandoned")
    except RuntimeError:
        pass
    assert assert_kept(hub) == before


def test_the_migration_counts_the_orders_a_hub_already_holds(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, "0011")  # before the counts existed
    rows = [
        ("order", "SO-1", False, {"status": "open"}),
        ("order", "SO-2", False, {"status": "packed", "site": "north"}),
        ("order", "SO-3", False, {"status": "packed", "site": "north"}),
        ("order", "SO-4", True, None),  # a tombstone counts nowhere
        ("product", "MUG", False, {"sku": "MUG"}),
    ]
    with engine.begin() as conn:
        for seq, (entity, key, deleted, data) in enumerate(rows, 1):
            conn.execute(
                text(
                    "INSERT INTO hub_records (entity, key, change_seq, deleted, data, updated_at)"
                    " VALUES (:e, :k, :seq, :d, :data, CURRENT_TIMESTAMP)"
                ),
                {"e": entity, "k": key, "seq": seq, "d": deleted, "data": json.dumps(data)},
            )
    upgrade_hub(engine)
    with Session(engine) as s:
        assert counts(s) == recount(s) == {("", "open"): 1, ("north", "packed"): 2}
    engine.dispose()
