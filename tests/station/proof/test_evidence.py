"""The evidence record of a packed order, through ``station evidence``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from station.cli.main import main
from station.db import Database
from station.db.models import Order, Package, PrintJob, PrintJobStatus
from station.packing.verdicts import Verdict
from station.photos import PhotoStore
from tests.station.packfixtures import FIXED_NOW, MUG, TEE
from tests.station.proof.prooffixtures import prove, stable

PACKAGE_KEYS = {
    "no",
    "sscc",
    "box",
    "weight_g",
    "expected_weight_g",
    "weight_status",
    "carrier",
    "opened_at",
    "closed_at",
    "scans",
    "weights",
    "photos",
    "labels",
}


def pack_with_proof(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path, photo_mode="required", camera=True)
    svc.scan("BADGE-ALICE")
    svc.scan("SO-1001")
    svc.scan(MUG)
    svc.scan(TEE)
    assert svc.short_ship(1, 1, "out_of_stock", approver="BADGE-SAM").verdict is (
        Verdict.EXCEPTION_RECORDED
    )
    svc.scan("BOX-M")
    svc.record_weight(stable(250))  # 200 + 180 + 15 = 395 expected
    svc.override_weight("BADGE-SUE", "scale at the bench reads low")
    assert svc.complete().verdict is Verdict.COMPLETED
    svc.close()
    with db.session() as s:
        order = s.scalars(select(Order).where(Order.number == "SO-1001")).one()
        package = s.scalars(select(Package).where(Package.order_id == order.id)).one()
        for copy, status in ((1, PrintJobStatus.FAILED), (2, PrintJobStatus.DONE)):
            s.add(
                PrintJob(
                    job_key=f"package:{package.id}:shipping",
                    copy=copy,
                    order_id=order.id,
                    package_id=package.id,
                    template="shipping",
                    language="zpl",
                    printer="tcp://127.0.0.1:9100",
                    payload=b"^XA^XZ",
                    payload_sha256="0" * 64,
                    status=status,
                    last_error="paper out" if copy == 1 else None,
                )
            )
        s.commit()


def evidence(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["--db", str(db.path), "evidence", *args])
    captured = capsys.readouterr()
    return status, captured.out if status == 0 else captured.err


def test_evidence_json_of_a_packed_order(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack_with_proof(db, tmp_path)
    status, out = evidence(db, capsys, "SO-1001", "--json")
    assert status == 0
    record = json.loads(out)
    assert {"order", "packages", "exceptions", "users"} <= set(record)
    assert record["order"] == "SO-1001" and record["status"] == "packed"
    (package,) = record["packages"]
    assert set(package) == PACKAGE_KEYS
    assert (package["no"], package["box"], package["weight_status"]) == (1, "BOX-M", "override")
    assert (package["weight_g"], package["expected_weight_g"]) == (250.0, 395.0)
    scans = package["scans"]
    assert [s["verdict"] for s in scans][:3] == ["order_opened", "accepted", "accepted"]
    assert scans[1]["user"] == "alice" and scans[1]["raw"] == MUG and scans[1]["sku"] == "MUG"
    assert scans[0]["at"] == FIXED_NOW.isoformat()
    decisions = [(w["decision"], w["approved_by"]) for w in package["weights"]]
    assert decisions == [("fail", None), ("override", "sue")]
    (photo,) = package["photos"]
    assert photo["present"] is True and len(photo["sha256"]) == 64
    assert Path(photo["path"]).is_file()
    (label,) = package["labels"]
    assert (label["template"], label["status"], label["copies"]) == ("shipping", "done", 2)
    kinds = [(e["kind"], e["sku"], e["approved_by"]) for e in record["exceptions"]]
    assert kinds == [("short_ship", "MUG", "sam"), ("weight_override", None, "sue")]
    users = {u["name"]: (u["role"], u["did"]) for u in record["users"]}
    assert users["alice"][0] == "packer" and "scanned" in users["alice"][1]
    assert users["sue"] == ("supervisor", ["approved"])


def test_evidence_text_and_a_purged_photo(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack_with_proof(db, tmp_path)
    PhotoStore(tmp_path / "photos").purge(db, retention_days=0, now=FIXED_NOW.replace(year=2027))
    status, out = evidence(db, capsys, "SO-1001")
    assert status == 0
    assert out.startswith("Order SO-1001 (packed)")
    assert "Package 1  box BOX-M" in out and "weight 250 g (expected 395 g, override)" in out
    assert "approved by sue" in out and "purged 2027-" in out
    assert "label" in out and "shipping" in out and "x2" in out
    assert "Users: " in out and "alice (packer)" in out
    status, out = evidence(db, capsys, "SO-1001", "--json")
    assert json.loads(out)["packages"][0]["photos"][0]["present"] is False


def test_unknown_order_exits_1(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    status, err = evidence(db, capsys, "SO-4040")
    assert status == 1 and "no order 'SO-4040'" in err
