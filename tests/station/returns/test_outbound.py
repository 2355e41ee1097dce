"""What was shipped, beside what came back: serials, lots, boxes from the pack records."""

from __future__ import annotations

from station.db import Database
from station.returns.outbound import shipped


def test_serials_lots_and_boxes_of_a_packed_order(db: Database) -> None:
    phones = shipped(db, "SO-1002", db.path.parent / "photos")
    assert phones is not None and phones.status == "packed"
    assert phones.serials == {"PHONE": ("SN-A", "SN-B")}
    assert phones.units == {"PHONE": 2}
    assert [(p.no, p.units) for p in phones.packages] == [(1, 2)]
    assert phones.evidence is not None and phones.evidence.order == "SO-1002"
    assert "evidence" not in phones.to_json()
    lots = shipped(db, "SO-1003", db.path.parent / "photos")
    assert lots is not None and lots.lots == {"VITAMINS": ("LOT-V1",), "GLUE": ("LOT-G1",)}


def test_an_order_never_packed_or_unknown(db: Database) -> None:
    waiting = shipped(db, "SO-1005", db.path.parent / "photos")
    assert waiting is not None and waiting.packages == () and waiting.packed_by is None
    assert shipped(db, "SO-0000", db.path.parent / "photos") is None
