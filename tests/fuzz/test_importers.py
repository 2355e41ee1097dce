"""CSV and JSON import under fuzzing: a file is imported, or refused with ImportFailed naming
each problem (``file:``, ``header:`` or ``row N:``) and leaving the database as it was.

tests/station/test_importers.py checks every problem kind by example; here valid files are
damaged at random (cells replaced with hostile values, columns lost or doubled, rows too
long, bytes that are not UTF-8) and arbitrary JSON documents are offered, against one real
SQLite database per test that keeps whatever earlier examples imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from station.db import Database, open_database
from station.db.models import Base
from station.gtin import with_check_digit
from station.importers import ImportFailed, import_catalog, import_orders
from tests.fuzz.budget import counted, fuzz_settings

PROBLEM = re.compile(r"(file|header|row [0-9]+): .+", re.DOTALL)

CATALOG_COLUMNS = ["sku", "name", "barcode", "weight_g", "length_mm", "width_mm", "height_mm",
                   "tracking", "category", "unit_value", "hs_code", "origin_country",
                   "kit_components"]  # fmt: skip
CATALOG_ROWS = [
    ["MUG-1", "Mug", "4006381333931", "350", "120", "90", "100", "none", "home", "9.99",
     "691200", "PT", ""],
    ["TEE-M", "Tee", "036000291452|INT-77", "180", "", "", "", "", "apparel", "19.95", "", "", ""],
    ["KIT-1", "Kit", with_check_digit("200000000001"), "600", "", "", "", "", "", "", "", "",
     "MUG-1:2|TEE-M:1"],
]  # fmt: skip
ORDER_COLUMNS = ["order_number", "customer_name", "street1", "city", "postcode", "country",
                 "sku", "quantity", "tote", "priority", "currency", "customs_value",
                 "gift_note"]  # fmt: skip
ORDER_ROWS = [
    ["SO-1", "Ada", "1 Main St", "Leiden", "2311", "NL", "MUG-1", "2", "TOTE-1", "1", "EUR",
     "9.99", "happy birthday"],
    ["SO-1", "", "", "", "", "", "TEE-M", "1", "", "", "", "", ""],
    ["SO-2", "Bob", "2 High St", "York", "YO1", "GB", "KIT-1", "1", "", "", "", "", ""],
]  # fmt: skip

HOSTILE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", " ", "nan", "inf", "-inf", "1e999", "-1", "-0", "0", "1_000", "1,5", "٣", "²",
         "9" * 5000, "1" * 40, "x" * 10_000, "\x00", "'; DROP TABLE products; --", "MUG-1",
         "MUG-1:0", "MUG-1:-1", "KIT-1:1", "|", "::", "4006381333932", "XX", "EURO"]
    ),
)  # fmt: skip


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.engine.connect() as conn:
        return {
            table.name: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table.name}"))]
            for table in Base.metadata.sorted_tables
        }


def to_csv(columns: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([columns, *rows])
    return out.getvalue()


@st.composite
def damaged_csv(draw: st.DrawFn, columns: list[str], rows: list[list[str]]) -> bytes:
    columns, rows = list(columns), [list(r) for r in rows]
    for _ in range(draw(st.integers(1, 4))):
        damage = draw(st.sampled_from(["cell", "cell", "cell", "header", "drop", "long", "dup"]))
        if damage == "cell":
            row = draw(st.sampled_from(rows))
            row[draw(st.integers(0, len(row) - 1))] = draw(HOSTILE)
        elif damage == "header":
            columns[draw(st.integers(0, len(columns) - 1))] = draw(HOSTILE)
        elif damage == "drop":
            at = draw(st.integers(0, len(columns) - 1))
            del columns[at]
        elif damage == "long":
            draw(st.sampled_from(rows)).append(draw(HOSTILE))
        else:
            rows.append(list(draw(st.sampled_from(rows))))
    data = to_csv(columns, rows).encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | HOSTILE
    | st.integers(min_value=10**18, max_value=10**40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def damaged_json(draw: st.DrawFn, columns: list[str], rows: list[list[str]]) -> bytes:
    kind = draw(st.sampled_from(["objects", "objects", "any", "deep", "text"]))
    if kind == "any":
        return json.dumps(draw(JSON)).encode()
    if kind == "deep":
        depth = draw(st.sampled_from([10, 999, 5000]))
        return ("[" * depth + "]" * depth).encode()
    if kind == "text":
        return draw(st.binary(max_size=200))
    objects: list[dict[str, Any]] = [
        {c: v for c, v in zip(columns, row, strict=True) if v} for row in rows
    ]
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(objects))
        target[draw(st.sampled_from([*columns, "lines", "barcodes", "extra"]))] = draw(JSON)
    return json.dumps(objects).encode()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "station.sqlite")
    yield database
    database.close()


def attempt(db: Database, importer: Any, path: Path, data: bytes) -> None:
    """Import ``data``; refused means every problem named and nothing changed."""
    path.write_bytes(data)
    before = dump(db)
    try:
        report = importer(db, path)
    except ImportFailed as exc:
        assert exc.problems, "refused without a reason"
        for line in exc.problems:
            assert PROBLEM.fullmatch(line), line
        assert dump(db) == before, "a refused file changed the database"
    else:
        assert report.rows >= 0


@given(data=st.one_of(damaged_csv(CATALOG_COLUMNS, CATALOG_ROWS), st.binary(max_size=300)))
@fuzz_settings(weight=0.5)
@counted("import: catalog CSV")
def test_catalog_csv(db: Database, tmp_path: Path, data: bytes) -> None:
    attempt(db, import_catalog, tmp_path / "catalog.csv", data)


@given(data=damaged_json(CATALOG_COLUMNS, CATALOG_ROWS))
@fuzz_settings(weight=0.5)
@counted("import: catalog JSON")
def test_catalog_json(db: Database, tmp_path: Path, data: bytes) -> None:
    attempt(db, import_catalog, tmp_path / "catalog.json", data)


@pytest.fixture
def catalog_db(db: Database, tmp_path: Path) -> Database:
    source = tmp_path / "base.csv"
    source.write_text(to_csv(CATALOG_COLUMNS, CATALOG_ROWS), encoding="utf-8")
    import_catalog(db, source)
    return db


@given(data=damaged_csv(ORDER_COLUMNS, ORDER_ROWS))
@fuzz_settings(weight=0.5)
@counted("import: orders CSV")
def test_orders_csv(catalog_db: Database, tmp_path: Path, data: bytes) -> None:
    attempt(catalog_db, import_orders, tmp_path / "orders.csv", data)


@given(data=damaged_json(ORDER_COLUMNS, ORDER_ROWS))
@fuzz_settings(weight=0.5)
@counted("import: orders JSON")
def test_orders_json(catalog_db: Database, tmp_path: Path, data: bytes) -> None:
    attempt(catalog_db, import_orders, tmp_path / "orders.json", data)


# --- what the fuzzing found, kept as examples ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        # json.loads raised RecursionError, not ImportFailed.
        ("orders.json", "[" * 5000 + "]" * 5000, "file: not valid JSON: nested too deeply"),
        # An integer of more than 4300 digits: ValueError from json.loads.
        ("orders.json", "[" + "9" * 5000 + "]", "file: not valid JSON: Exceeds the limit"),
        # A 20-digit quantity passed the checks and failed the insert with OverflowError.
        (
            "orders.csv",
            to_csv(["order_number", "sku", "quantity"], [["SO-9", "MUG-1", "9" * 20]]),
            "row 1: quantity: too large (99999999999999999999)",
        ),
        # int() of 5000 digits raised ValueError inside the quantity parser.
        (
            "orders.csv",
            to_csv(["order_number", "sku", "quantity"], [["SO-9", "MUG-1", "9" * 5000]]),
            "row 1: quantity: too large (999999999999999999999999...)",
        ),
        (
            "orders.json",
            '[{"order_number": "SO-9", "lines": [{"sku": "MUG-1", "quantity": 1e20}]}]',
            "row 1: lines[0].quantity: too large (100000000000000000000)",
        ),
    ],
)
def test_found_by_fuzzing(
    catalog_db: Database, tmp_path: Path, name: str, content: str, problem: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = dump(catalog_db)
    with pytest.raises(ImportFailed) as refused:
        import_orders(catalog_db, path)
    assert any(line.startswith(problem) for line in refused.value.problems), refused.value.problems
    assert dump(catalog_db) == before
