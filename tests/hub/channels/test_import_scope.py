"""A shop's batch is checked against only the hub orders it names (``OrderScope``), and still
by every rule: a started order is not replaced, a tote holds one order, a re-import keeps
what the stations reported, and orders outside the scope are left as they are."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from station.hub.db import HubDatabase, open_hub_database
from station.hub.feed import get_record, lock_feed, put_records
from station.hub.imports import OrderScope, import_catalog_file, import_orders_file
from station.hub.imports import import_orders_in as import_in
from station.importers import ImportFailed, ImportReport
from tests.hub.hubfixtures import CATALOG_CSV, ORDERS_CSV


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubDatabase]:
    db = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    (tmp_path / "c.csv").write_text(CATALOG_CSV, encoding="utf-8")
    (tmp_path / "o.csv").write_text(ORDERS_CSV, encoding="utf-8")
    import_catalog_file(db, tmp_path / "c.csv")
    import_orders_file(db, tmp_path / "o.csv")  # SO-1001 (in TOTE-7) to SO-1004
    yield db
    db.close()


def scoped_import(hub: HubDatabase, tmp_path: Path, orders: list[dict[str, Any]]) -> ImportReport:
    """Import ``orders`` as a channel does: a JSON file and the scope it names."""
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(orders), encoding="utf-8")
    scope = OrderScope(
        frozenset(o["order_number"] for o in orders),
        frozenset(o["tote"] for o in orders if o.get("tote")),
    )
    with hub.write() as s:
        lock_feed(s)
        return import_in(s, path, scope)


def order(hub: HubDatabase, number: str) -> dict[str, Any]:
    with hub.read() as s:
        found = get_record(s, "order", number)
    assert found is not None
    return found


def test_a_started_order_in_the_batch_is_still_refused(hub: HubDatabase, tmp_path: Path) -> None:
    with hub.write() as s:
        put_records(s, "order", [("SO-1003", {**order(hub, "SO-1003"), "status": "packed"})])
    with pytest.raises(ImportFailed) as refused:
        scoped_import(
            hub, tmp_path, [{"order_number": "SO-1003", "lines": [{"sku": "TEE", "quantity": 2}]}]
        )
    assert refused.value.problems == ["row 1: order_number: order SO-1003 is already packed"]
    assert order(hub, "SO-1003")["lines"][0]["quantity"] == 1


def test_a_tote_held_by_an_order_outside_the_batch_is_still_refused(
    hub: HubDatabase, tmp_path: Path
) -> None:
    batch = [{"order_number": "W-1", "tote": "TOTE-7", "lines": [{"sku": "MUG", "quantity": 1}]}]
    with pytest.raises(ImportFailed) as refused:
        scoped_import(hub, tmp_path, batch)
    assert refused.value.problems == ["row 1: tote: TOTE-7 holds order SO-1001, still to be packed"]


def test_a_reimport_keeps_what_the_stations_reported_and_leaves_the_rest(
    hub: HubDatabase, tmp_path: Path
) -> None:
    with hub.write() as s:
        put_records(s, "order", [("SO-1002", {**order(hub, "SO-1002"), "packed_by": "b-1"})])
    untouched = order(hub, "SO-1004")
    report = scoped_import(
        hub,
        tmp_path,
        [
            {"order_number": "SO-1002", "lines": [{"sku": "MUG", "quantity": 3}]},
            {"order_number": "W-2", "lines": [{"sku": "TEE", "quantity": 1}]},
        ],
    )
    assert (report.created, report.updated) == (1, 1)
    again = order(hub, "SO-1002")
    assert (again["packed_by"], again["lines"][0]["quantity"]) == ("b-1", 3)
    assert [(x["sku"], x["quantity"]) for x in order(hub, "W-2")["lines"]] == [("TEE", 1)]
    assert order(hub, "SO-1004") == untouched
