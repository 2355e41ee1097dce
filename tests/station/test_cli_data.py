"""``station demo-data``, ``station import`` and ``station orders list``, in process and as a
real subprocess; with the order queries behind them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from station.cli.main import main
from station.db import open_database, table_counts
from station.db.models import AuditEntry, Order, OrderStatus
from station.gtin import with_check_digit
from station.orders import find_order, list_orders

EAN_A = with_check_digit("200000000101")
EAN_B = with_check_digit("200000000102")
CATALOG = f"sku,name,barcode,weight_g\nA-1,Mug,{EAN_A},350\nB-1,Tee,{EAN_B},180\n"
ORDERS = """order_number,priority,status,tote,sku,quantity
SO-1,0,open,TOTE-1,A-1,2
SO-1,0,open,TOTE-1,B-1,1
SO-2,5,open,,A-1,1
SO-3,0,on_hold,,B-1,4
SO-4,1,cancelled,TOTE-1,A-1,1
"""


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No user configuration file and a known station name, whatever the machine has.
    monkeypatch.setenv("STATION_NAME", "cli-test")
    monkeypatch.delenv("STATION_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "s.sqlite"


def run(db_path: Path, *args: str) -> int:
    return main(["--db", str(db_path), *args])


def load(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "o.csv").write_text(ORDERS, encoding="utf-8")
    assert run(db_path, "import", "catalog", str(tmp_path / "c.csv")) == 0
    assert run(db_path, "import", "orders", str(tmp_path / "o.csv")) == 0


def test_import_prints_the_report(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "c.csv").write_text(CATALOG, encoding="utf-8")
    assert run(db_path, "import", "catalog", str(tmp_path / "c.csv")) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"imported 2 rows from {tmp_path / 'c.csv'}: 2 products created")
    (tmp_path / "o.csv").write_text(ORDERS, encoding="utf-8")
    assert run(db_path, "import", "orders", str(tmp_path / "o.csv")) == 0
    out = capsys.readouterr().out
    assert "4 orders created, 0 updated, 5 lines" in out
    db = open_database(db_path)
    try:
        assert table_counts(db, "products", "orders", "order_lines") == {
            "products": 2,
            "orders": 4,
            "order_lines": 5,
        }
        with db.session() as s:
            stations = s.scalars(select(AuditEntry.station)).all()
            assert stations == ["cli-test", "cli-test"]
    finally:
        db.close()


def test_import_refusal_prints_every_problem_and_changes_nothing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load(db_path, tmp_path)
    capsys.readouterr()
    db = open_database(db_path)
    tables = ("products", "product_barcodes", "orders", "order_lines", "ship_to", "audit_log")
    before = table_counts(db, *tables)
    db.close()
    bad = tmp_path / "bad.csv"
    bad.write_text("order_number,sku,quantity\nSO-9,A-1,x\nSO-9,X-1,1\n", encoding="utf-8")
    assert run(db_path, "import", "orders", str(bad)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"station: database {db_path}",
        "row 1: quantity: not a whole number ('x')",
        "row 2: sku: unknown SKU 'X-1'",
        f"station: {bad} refused (2 problem(s)); nothing was imported",
    ]
    db = open_database(db_path)
    assert table_counts(db, *tables) == before
    db.close()
    (tmp_path / "c.xlsx").write_bytes(b"PK")
    assert run(db_path, "import", "catalog", str(tmp_path / "c.xlsx")) == 1
    assert capsys.readouterr().err.splitlines()[1] == (
        "file: unknown format '.xlsx'; use .csv or .json"
    )


def test_import_json_by_extension(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load(db_path, tmp_path)
    orders = [{"order_number": "SO-20", "lines": [{"sku": "B-1", "quantity": 3}]}]
    (tmp_path / "o.json").write_text(json.dumps(orders), encoding="utf-8")
    capsys.readouterr()
    assert run(db_path, "import", "orders", str(tmp_path / "o.json")) == 0
    assert "1 orders created" in capsys.readouterr().out


def test_orders_list_json_is_most_urgent_first(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load(db_path, tmp_path)
    capsys.readouterr()
    assert run(db_path, "orders", "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["number"], r["status"], r["lines"], r["units"], r["priority"]) for r in rows] == [
        ("SO-2", "open", 1, 1, 5),
        ("SO-4", "cancelled", 1, 1, 1),
        ("SO-1", "open", 2, 3, 0),
        ("SO-3", "on_hold", 1, 4, 0),
    ]
    so1 = rows[2]
    assert (so1["channel"], so1["tote"], so1["ship_method"]) == ("web", "TOTE-1", "standard")
    assert so1["created_at"].endswith("+00:00")

    assert run(db_path, "orders", "list", "--json", "--status", "open", "--limit", "1") == 0
    assert [r["number"] for r in json.loads(capsys.readouterr().out)] == ["SO-2"]
    assert run(db_path, "orders", "list", "--json", "--status", "packed") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_orders_list_table(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db_path, "orders", "list") == 0
    assert capsys.readouterr().out == "no orders\n"
    load(db_path, tmp_path)
    capsys.readouterr()
    assert run(db_path, "orders", "list", "--status", "open") == 0
    assert capsys.readouterr().out.splitlines() == [
        "NUMBER  STATUS  PRI  CHANNEL  TOTE    LINES  UNITS",
        "SO-2    open      5  web      -           1      1",
        "SO-1    open      0  web      TOTE-1      2      3",
    ]


def test_bad_arguments_exit_2(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ("orders", "list", "--limit", "0"),
        ("orders", "list", "--status", "lost"),
        ("demo-data",),
        ("demo-data", "--orders", "-1"),
        ("demo-data", "--orders", "5", "--products", "0"),
        ("import", "stock", "x.csv"),
    ):
        with pytest.raises(SystemExit) as exit_info:
            run(db_path, *args)
        assert exit_info.value.code == 2, args
    assert "must be at least 1" in capsys.readouterr().err


def test_demo_data_prints_a_summary_line(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db_path, "demo-data", "--orders", "120", "--products", "40", "--seed", "4") == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert out[0].startswith("demo data: 40 products, 120 orders (SO-100001..SO-100120) with ")
    assert "5 box types and 5 users added" in out[0]
    db = open_database(db_path)
    try:
        assert table_counts(db, "products", "orders", "users", "box_types") == {
            "products": 40,
            "orders": 120,
            "users": 5,
            "box_types": 5,
        }
    finally:
        db.close()


def test_find_order_by_number_or_tote(db_path: Path, tmp_path: Path) -> None:
    load(db_path, tmp_path)
    db = open_database(db_path)
    try:
        with db.session() as s:
            assert (order := find_order(s, "SO-3")) is not None and order.number == "SO-3"
            # TOTE-1 was also on the cancelled SO-4: the order still to be packed wins.
            assert (order := find_order(s, " TOTE-1\r\n")) is not None and order.number == "SO-1"
            assert find_order(s, "TOTE-99") is None
            assert find_order(s, "") is None
            so1 = s.scalars(select(Order).where(Order.number == "SO-1")).one()
            so1.status = OrderStatus.PACKED
            s.commit()
        with db.session() as s:
            # Nothing active in the tote any more: the newest order that held it.
            assert (order := find_order(s, "TOTE-1")) is not None and order.number == "SO-4"
            summaries = list_orders(s, status=OrderStatus.PACKED)
            assert [(o.number, o.lines, o.units) for o in summaries] == [("SO-1", 2, 3)]
            assert list_orders(s, limit=0) == []
            with pytest.raises(ValueError, match="'lost' is not a valid OrderStatus"):
                list_orders(s, status="lost")
    finally:
        db.close()


def test_the_console_command_runs_as_a_real_process(tmp_path: Path) -> None:
    db_path = tmp_path / "p.sqlite"
    env = {**os.environ, "STATION_NAME": "subprocess", "XDG_CONFIG_HOME": str(tmp_path)}
    env.pop("STATION_DB", None)
    command = [sys.executable, "-m", "station.cli.main", "--db", str(db_path)]
    demo = subprocess.run(
        [*command, "demo-data", "--orders", "30", "--products", "15"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.startswith("demo data: 15 products, 30 orders")
    listed = subprocess.run(
        [*command, "orders", "list", "--json", "--limit", "100"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 30
    assert {r["number"] for r in rows} == {f"SO-{n}" for n in range(100001, 100031)}
    assert sum(r["lines"] for r in rows) >= 30
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,name,barcode,weight_g\nZ-1,Zed,5901234123458,1\n", encoding="utf-8")
    refused = subprocess.run(
        [*command, "import", "catalog", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[1] == (
        "row 1: barcode: GTIN check digit is wrong (5901234123458)"
    )
