"""Catalog columns of issue 18: ``instructions``, ``image`` (a file path here; URLs are the
hub's), ``confirm_instruction`` and ``hazmat``, into a real SQLite file; every mistake named
by row and column, and a refused file changes nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.db import Database, open_database
from station.importers import ImportFailed, import_catalog
from station.pictures import MAX_IMAGE_BYTES
from tests.station.packinfo_fixtures import tiny_png
from tests.station.test_importers import EAN_CAP, EAN_EAR, EAN_KIT, EAN_MUG, dump, write

HEADER = "sku,name,barcode,weight_g,instructions,image,confirm_instruction,hazmat"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "s.sqlite")
    yield database
    database.close()


def stored(db: Database) -> list[tuple[object, ...]]:
    with db.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.exec_driver_sql(
                "SELECT sku, instructions, image_sha256, confirm_instruction, hazmat"
                " FROM products ORDER BY sku"
            )
        ]


def test_instructions_picture_confirm_step_and_hazmat_are_imported(
    db: Database, tmp_path: Path
) -> None:
    png = tiny_png()
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "mug.png").write_bytes(png)
    sha = hashlib.sha256(png).hexdigest()
    content = f"""{HEADER}
MUG,Mug,{EAN_MUG},350,"Fragile: bubble wrap, handle up",pics/mug.png,yes,
CUP,Cup,{EAN_CAP},200,,pics/mug.png,no,
PWR,Power bank,{EAN_EAR},180,,,,un 3481
"""
    report = import_catalog(db, write(tmp_path / "c.csv", content))
    assert report.created == 3
    assert stored(db) == [
        ("CUP", None, sha, 0, None),
        ("MUG", "Fragile: bubble wrap, handle up", sha, 1, None),
        ("PWR", None, None, 0, "UN3481"),
    ]
    with db.engine.connect() as conn:
        images = list(conn.exec_driver_sql("SELECT sha256, media_type, data FROM product_images"))
    assert [tuple(r) for r in images] == [(sha, "image/png", png)]  # one copy for two SKUs
    # JSON takes true/false; importing the same picture again stores nothing twice.
    picture = str(tmp_path / "pics" / "mug.png")
    items = [
        {"sku": "MUG", "name": "Mug", "barcode": EAN_MUG, "weight_g": 350, "image": picture,
         "confirm_instruction": True},
    ]  # fmt: skip
    import_catalog(db, write(tmp_path / "c.json", json.dumps(items)))
    assert stored(db)[1] == ("MUG", None, sha, 1, None)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM product_images").scalar() == 1


def test_bad_pictures_steps_and_hazmat_are_named_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("not a picture")
    (tmp_path / "huge.png").write_bytes(tiny_png()[:8] + b"\0" * MAX_IMAGE_BYTES)
    content = f"""{HEADER}
A,A,{EAN_MUG},1,,notes.txt,,
B,B,{EAN_CAP},1,,missing.png,maybe,
C,C,{EAN_EAR},1,,https://cdn.example.com/c.png,,lithium
D,D,{EAN_KIT},1,,huge.png,,
"""
    before = dump(db)
    with pytest.raises(ImportFailed) as excinfo:
        import_catalog(db, write(tmp_path / "bad.csv", content))
    problems = excinfo.value.problems
    assert problems[0] == "row 1: image: the picture is not a PNG or JPEG file"
    assert problems[1].startswith("row 2: image: cannot read missing.png: ")
    assert problems[2:] == [
        "row 2: confirm_instruction: expected yes or no ('maybe')",
        "row 3: image: a URL is fetched by the hub: import this catalog there",
        "row 3: hazmat: expected a UN number such as UN3481 ('lithium')",
        f"row 4: image: huge.png: {MAX_IMAGE_BYTES + 8} bytes; at most {MAX_IMAGE_BYTES}",
    ]
    assert dump(db) == before
