"""``station hub import``: the station's formats and rules, validated by the station's importers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.db import open_database
from station.hub.db import HubDatabase, open_hub_database
from station.hub.feed import get_record, put_records
from station.hub.imports import import_catalog_file, import_orders_file, import_rmas_file
from station.importers import ImportFailed, import_catalog
from tests.hub.hubfixtures import CATALOG_CSV, ORDERS_CSV
from tests.station.packfixtures import MUG, TEE


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubDatabase]:
    db = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    yield db
    db.close()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def record(hub: HubDatabase, entity: str, key: str) -> dict[str, object] | None:
    with hub.read() as s:
        return get_record(s, entity, key)


def load_basics(hub: HubDatabase, tmp_path: Path) -> None:
    import_catalog_file(hub, write(tmp_path, "c.csv", CATALOG_CSV))
    import_orders_file(hub, write(tmp_path, "o.csv", ORDERS_CSV))


def test_catalog_records_carry_barcode_keys_and_kits(hub: HubDatabase, tmp_path: Path) -> None:
    report = import_catalog_file(hub, write(tmp_path, "c.csv", CATALOG_CSV))
    assert (report.rows, report.created, report.updated) == (4, 4, 0)
    mug = record(hub, "product", "MUG")
    assert mug is not None
    assert mug["barcodes"] == [
        {"code": MUG.zfill(14), "raw": MUG},
        {"code": "INT-MUG-01", "raw": "INT-MUG-01"},
    ]
    assert (mug["unit_weight_g"], mug["tracking"]) == (350.0, "none")
    kit = "sku,name,barcode,weight_g,kit_components\nSET,Set,INT-SET,600,MUG:1|TEE:2\n"
    again = import_catalog_file(hub, write(tmp_path, "k.csv", kit))
    assert (again.created, again.updated) == (1, 0)
    kit_record = record(hub, "product", "SET")
    assert kit_record is not None and kit_record["is_kit"] is True
    assert kit_record["components"] == [
        {"sku": "MUG", "quantity": 1},
        {"sku": "TEE", "quantity": 2},
    ]


def test_a_refused_file_gives_the_station_importers_problems_and_changes_nothing(
    hub: HubDatabase, tmp_path: Path
) -> None:
    import_catalog_file(hub, write(tmp_path, "c.csv", CATALOG_CSV))
    bad = f"sku,name,barcode,weight_g\nNEW,New,{TEE},10\nBAD,Bad,4006381333932,x\n"
    path = write(tmp_path, "bad.csv", bad)
    with pytest.raises(ImportFailed) as at_hub:
        import_catalog_file(hub, path)
    # The same file against a station holding the same catalog: the same problems.
    station = open_database(tmp_path / "station.sqlite")
    try:
        import_catalog(station, write(tmp_path, "c2.csv", CATALOG_CSV))
        with pytest.raises(ImportFailed) as at_station:
            import_catalog(station, path)
    finally:
        station.close()
    assert at_hub.value.problems == at_station.value.problems
    assert "row 1: barcode: " in at_hub.value.problems[0] and "TEE" in at_hub.value.problems[0]
    assert record(hub, "product", "NEW") is None


def test_orders_reference_the_catalog_and_can_be_cancelled_centrally(
    hub: HubDatabase, tmp_path: Path
) -> None:
    load_basics(hub, tmp_path)
    order = record(hub, "order", "SO-1001")
    assert order is not None
    assert order["lines"] == [
        {"line_no": 1, "sku": "MUG", "quantity": 2},
        {"line_no": 2, "sku": "TEE", "quantity": 1},
    ]
    assert order["status"] == "open"
    with pytest.raises(ImportFailed) as unknown:
        import_orders_file(
            hub, write(tmp_path, "u.csv", "order_number,sku,quantity\nSO-9,NOPE,1\n")
        )
    assert unknown.value.problems == ["row 1: sku: unknown SKU 'NOPE'"]
    cancel = "order_number,sku,quantity,status\nSO-1002,MUG,1,cancelled\n"
    report = import_orders_file(hub, write(tmp_path, "x.csv", cancel))
    assert (report.created, report.updated) == (0, 1)
    assert (record(hub, "order", "SO-1002") or {})["status"] == "cancelled"


def test_a_packed_order_cannot_be_reimported(hub: HubDatabase, tmp_path: Path) -> None:
    load_basics(hub, tmp_path)
    with hub.write() as s:
        order = get_record(s, "order", "SO-1003")
        assert order is not None
        put_records(s, "order", [("SO-1003", {**order, "status": "packed", "packed_by": "b-1"})])
    with pytest.raises(ImportFailed) as refused:
        import_orders_file(
            hub,
            write(tmp_path, "p.csv", "order_number,sku,quantity,status\nSO-1003,TEE,1,cancelled\n"),
        )
    assert refused.value.problems == ["row 1: order_number: order SO-1003 is already packed"]


def test_rmas_name_a_known_order_and_its_items(hub: HubDatabase, tmp_path: Path) -> None:
    load_basics(hub, tmp_path)
    good = (
        "rma_number,order_number,sku,quantity,reason,return_label\n"
        "RMA-1,SO-1001,MUG,1,broken,RL-1\n"
        "RMA-1,SO-1001,TEE,1,,\n"
    )
    report = import_rmas_file(hub, write(tmp_path, "r.csv", good))
    assert (report.rows, report.created, report.updated) == (2, 1, 0)
    assert record(hub, "rma", "RMA-1") == {
        "number": "RMA-1",
        "order_number": "SO-1001",
        "status": "open",
        "return_label": "RL-1",
        "tracking_number": None,
        "note": None,
        "station": None,
        "items": [
            {"sku": "MUG", "quantity": 1, "reason": "broken", "note": None},
            {"sku": "TEE", "quantity": 1, "reason": None, "note": None},
        ],
    }
    as_json = json.dumps(
        [
            {
                "rma_number": "RMA-1",
                "order_number": "SO-1001",
                "status": "cancelled",
                "items": [{"sku": "MUG", "quantity": 2}],
            }
        ]
    )
    assert import_rmas_file(hub, write(tmp_path, "r.json", as_json)).updated == 1
    bad = (
        "rma_number,order_number,sku,quantity,status,return_label\n"
        "RMA-2,SO-404,MUG,1,,\n"
        "RMA-3,SO-1002,TEE,1,,\n"
        "RMA-4,SO-1002,MUG,5,,\n"
        "RMA-5,SO-1002,MUG,1,received,\n"
        "RMA-6,SO-1002,MUG,1,,RL-6\n"
        "RMA-6,SO-1002,MUG,1,,RL-7\n"
    )
    with pytest.raises(ImportFailed) as refused:
        import_rmas_file(hub, write(tmp_path, "bad.csv", bad))
    assert refused.value.problems == [
        "row 1: order_number: unknown order 'SO-404'",
        "row 2: sku: 'TEE' is not on order SO-1002",
        "row 3: quantity: 5 is more than the 1 ordered",
        "row 4: status: not one of open, cancelled ('received')",
        "row 6: return_label: 'RL-7' conflicts with 'RL-6' on row 5",
        "row 6: quantity: 2 is more than the 1 ordered",
    ]
    assert (record(hub, "rma", "RMA-1") or {})["status"] == "cancelled"
