"""What came back is in the order's evidence record (issue 20, point 9): the RMA, its
inspection, each unit's checklist, reasons, grade, disposition, refund, override with its
approver, and the unit's photos (with their hash), as ``station evidence ORDER --json`` gives
them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from station.cli.main import main
from station.db import Database
from station.evidence import gather
from station.photos import PhotoStore
from station.returns.service import InspectionService
from station.returns.verdicts import ReturnVerdict as V
from tests.station.packfixtures import PHONE

SCRATCHED = {
    "packaging_intact": False,
    "accessories": True,
    "functions": True,
    "cosmetic_damage": True,
    "hygiene_seal": None,
}


def test_the_evidence_record_holds_inspections_grades_refunds_and_photos(
    db: Database, svc: InspectionService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert svc.scan("RMA-5002").verdict is V.RMA_OPENED
    svc.scan(PHONE)
    first = svc.scan("SN-A")
    assert first.item is not None
    item = first.item.id
    graded = svc.assess(item, SCRATCHED, observed_reason="no_fault_found")
    assert graded.item is not None and graded.item.grade == "D"
    photos = tmp_path / "photos"
    shot = svc.add_photo(item, np.full((120, 160, 3), 200, np.uint8), PhotoStore(photos))
    assert shot.verdict is V.PHOTO_TAKEN
    over = svc.override(item, "resell_open_box", "partial", "box only", 70, approver="BADGE-SAM")
    assert over.verdict is V.OVERRIDDEN, over.message
    assert svc.dispose(item).verdict is V.DISPOSED

    with db.session() as s:
        record = gather(s, "SO-1002", photos)
    assert record is not None
    [rma] = record.returns
    inspections = rma["inspections"]
    assert isinstance(inspections, list)
    assert (rma["rma"], rma["status"]) == ("RMA-5002", "receiving")
    assert rma["announced"] == [{"sku": "PHONE", "quantity": 2, "reason": "defective"}]
    [inspection] = inspections
    assert inspection["status"] == "open"
    [unit] = inspection["units"]
    assert unit["sku"] == "PHONE" and unit["serial"] == "SN-A"
    assert (unit["customer_reason"], unit["observed_reason"]) == ("defective", "no_fault_found")
    assert unit["checklist"] == SCRATCHED and unit["grade"] == "D"
    assert (unit["disposition"], unit["refund"], unit["refund_pct"]) == (
        "resell_open_box",
        "partial",
        70,
    )
    assert (unit["override_reason"], unit["override_approved_by"], unit["status"]) == (
        "box only",
        "sam",
        "disposed",
    )
    assert unit["recommended"]["disposition"] == "return_to_vendor"
    [photo] = unit["photos"]
    assert photo["present"] is True and len(str(photo["sha256"])) == 64
    assert {"name": "sam", "role": "supervisor", "did": ["approved"]} in record.users

    # The same through the command line: its JSON, and its text for a person.
    assert main(["--db", str(db.path), "evidence", "SO-1002", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    unit_json = printed["returns"][0]["inspections"][0]["units"][0]
    assert (unit_json["grade"], unit_json["refund_pct"]) == ("D", 70)
    assert main(["--db", str(db.path), "evidence", "SO-1002"]) == 0
    text = capsys.readouterr().out
    assert "Return RMA-5002" in text
    assert "PHONE SN-A grade D: resell_open_box, partial 70% (disposed" in text
    assert "approved by sam: box only" in text
