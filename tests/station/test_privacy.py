"""Personal data retention on a real database: orders shipped 31 and 29 days ago.

SO-1001 (Ada Lovelace, gift note, RMA note, carrier label, printed labels) shipped 31 days
ago; SO-1008 (Bob Builder) 29 days ago. With the default 30 days, a purge removes Ada's data
and leaves Bob's; a dry run reports the same counts and changes nothing; the evidence record
of SO-1001 still holds its scans and weights, without her name.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.orm import Session

from station.cli.main import main
from station.db import Database
from station.db.models import Order, Photo, PrintJob, PrintJobStatus, Rma, ShipTo
from station.evidence import gather
from station.labels.carrier import store_carrier_label
from station.packing.verdicts import Verdict
from station.photos import PhotoStore
from station.printing.jobs import UnknownJobError
from station.printing.queue import PrintQueue
from station.privacy import DailyPurge, PrivacyPurge, RetentionPolicy
from station.returns.rmas import upsert_rmas
from tests.station.packfixtures import MUG, PHONE, TEE, build_db, make_service
from tests.station.returns.returnfixtures import no_printer

NOW = datetime.now(UTC).replace(microsecond=0)
OLD = NOW - timedelta(days=31)
RECENT = NOW - timedelta(days=29)
LABEL = b"^XA^FO50,50^FDAda Lovelace^FS^FO50,100^FD1 St James Sq^FS^XZ"


def pack(db: Database, when: datetime, scans: list[str]) -> None:
    svc = make_service(db, now=when)
    try:
        for code in scans:
            svc.scan(code)
        assert svc.complete().verdict is Verdict.COMPLETED
    finally:
        svc.close()


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "carrier-labels", tmp_path / "photos"


@pytest.fixture
def db(tmp_path: Path, folders: tuple[Path, Path]) -> Iterator[Database]:
    carrier, photos = folders
    database = build_db(tmp_path / "station.sqlite")
    digest = store_carrier_label(carrier, LABEL, "zpl")
    with database.session() as s:
        for number, name, note in (
            ("SO-1001", "Ada Lovelace", "Happy birthday, Ada"),
            ("SO-1008", "Bob Builder", None),
        ):
            to = ShipTo(
                customer_name=name,
                email=f"{name.split()[0].lower()}@example.org",
                phone="+44 20 7946 0000",
                street1="1 St James Sq",
                city="London",
                postcode="SW1Y 4JU",
                country="GB",
            )
            order = s.query(Order).filter_by(number=number).one()
            order.ship_to = to
            order.gift_note = note
        ada = s.query(Order).filter_by(number="SO-1001").one()
        ada.carrier_label_format, ada.carrier_label_sha256 = "zpl", digest
        upsert_rmas(s, [{"number": "RMA-7001", "order_number": "SO-1001", "items": []}])
        s.flush()
        s.query(Rma).one().note = "customer phoned from +44 20 7946 0000"
        s.commit()
    pack(database, OLD, ["BADGE-ALICE", "SO-1001", MUG, MUG, TEE])
    pack(database, RECENT, ["BADGE-ALICE", "SO-1008", PHONE, "SN-C"])
    with database.session() as s:
        for number, when in (("SO-1001", OLD), ("SO-1008", RECENT)):
            order_id = s.query(Order.id).filter_by(number=number).scalar()
            s.add(
                PrintJob(
                    job_key=f"order:{order_id}:packing_slip",
                    order_id=order_id,
                    template="packing_slip",
                    language="zpl",
                    printer="tcp://127.0.0.1:9100",
                    payload=LABEL,
                    payload_sha256="0" * 64,
                    status=PrintJobStatus.DONE,
                    created_at=when,
                    updated_at=when,
                    done_at=when,
                )
            )
        stored = PhotoStore(photos).store(np.full((60, 80, 3), 128, np.uint8), ["SO-1001"])
        for age in (100, 10):  # one past the 90-day photo retention, one within it
            s.add(
                Photo(
                    sha256=f"{stored.sha256[:-2]}{age:02d}",
                    kind="completion",
                    path=stored.path if age == 100 else f"kept-{age}.jpg",
                    width=stored.width,
                    height=stored.height,
                    size_bytes=stored.size_bytes,
                    created_at=NOW - timedelta(days=age),
                )
            )
        s.commit()
    # Copies the migrations took before upgrading (as station.db.migrate names them).
    for age, rev in ((31, "0004"), (29, "0005")):
        old = database.path.with_name(f"{database.path.name}.{rev}.20261024T000000Z.bak")
        old.write_bytes(b"SQLite format 3\x00 with Ada Lovelace in it")
        stamp = (NOW - timedelta(days=age)).timestamp()
        os.utime(old, (stamp, stamp))
    yield database
    database.close()


def purger(db: Database, folders: tuple[Path, Path]) -> PrivacyPurge:
    carrier, photos = folders
    return PrivacyPurge(
        db, RetentionPolicy(), "bench-1", carrier_folder=carrier, photos=PhotoStore(photos)
    )


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(db.path)
    try:
        return {
            table: con.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("ship_to", "orders", "rmas", "print_jobs", "photos", "audit_log")
        }
    finally:
        con.close()


def test_a_dry_run_reports_and_changes_nothing(db: Database, folders: tuple[Path, Path]) -> None:
    before = snapshot(db)
    report = purger(db, folders).run(NOW, dry_run=True)
    assert report.dry_run and report.order_numbers == ["SO-1001"]
    counts = (
        report.orders,
        report.ship_to,
        report.gift_notes,
        report.rma_notes,
        report.label_jobs,
        report.carrier_labels,
        report.photos,
        report.backups,
    )
    assert counts == (1, 1, 1, 1, 1, 1, 1, 1)
    assert snapshot(db) == before
    assert any(folders[0].iterdir()) and len(list(folders[1].rglob("*.jpg"))) == 1


def test_the_purge_clears_only_what_shipped_more_than_30_days_ago(
    db: Database, folders: tuple[Path, Path]
) -> None:
    dry = purger(db, folders).run(NOW, dry_run=True)
    report = purger(db, folders).run(NOW)
    assert not report.dry_run and report.audit_id is not None
    assert {**report.to_json(), "dry_run": True, "audit_id": None} == dry.to_json()
    with Session(db.engine) as s:
        ada = s.query(Order).filter_by(number="SO-1001").one()
        bob = s.query(Order).filter_by(number="SO-1008").one()
        assert (ada.ship_to_id, ada.gift_note) == (None, None)
        assert ada.carrier_label_sha256 is not None  # the hash stays: which label it was
        assert bob.ship_to is not None and bob.ship_to.customer_name == "Bob Builder"
        assert [t.customer_name for t in s.query(ShipTo)] == ["Bob Builder"]
        jobs = {j.order_id: j for j in s.query(PrintJob)}
        assert jobs[ada.id].payload == b"" and jobs[ada.id].payload_sha256 == "0" * 64
        assert jobs[bob.id].payload == LABEL
        ada_job, bob_job = jobs[ada.id].id, jobs[bob.id].id
        assert s.query(Photo).filter(Photo.purged_at.is_not(None)).count() == 1
    con = sqlite3.connect(db.path)
    try:
        assert con.execute("SELECT note FROM rmas").fetchall() == [(None,)]
        (detail,) = con.execute(
            "SELECT detail FROM audit_log WHERE action = 'privacy.purge'"
        ).fetchone()
    finally:
        con.close()
    assert json.loads(detail)["order_numbers"] == ["SO-1001"]
    assert not any(folders[0].iterdir())
    assert list(folders[1].rglob("*.jpg")) == []
    backups = sorted(p.name.split(".")[2] for p in db.path.parent.glob("*.bak"))
    assert backups == ["0005"]  # the 29-day-old copy stays
    # A purged label cannot be reprinted as an empty job; Bob's still can.
    queue = PrintQueue(db, no_printer, "bench-1")
    with pytest.raises(UnknownJobError, match=r"label was removed after \[privacy\] label_days"):
        queue.reprint(ada_job, None)
    assert queue.reprint(bob_job, None) > bob_job
    # Nothing is left to purge: a second run finds nothing.
    again = purger(db, folders).run(NOW)
    assert (again.orders, again.label_jobs, again.photos) == (0, 0, 0)


def test_the_evidence_of_a_purged_order_still_answers_without_names(
    db: Database, folders: tuple[Path, Path]
) -> None:
    with Session(db.engine) as s:
        before = gather(s, "SO-1001", folders[1])
    purger(db, folders).run(NOW)
    with Session(db.engine) as s:
        after = gather(s, "SO-1001", folders[1])
    assert before is not None and after is not None
    # The record proves the pack from scans, weights, photos' hashes and print jobs' states:
    # none of it was personal, so none of it changed.
    assert after.to_json() == before.to_json()
    accepted = [sc for p in after.packages for sc in p.scans if sc["verdict"] == "accepted"]
    assert len(accepted) == 3
    assert [label["template"] for label in after.labels] == ["packing_slip"]
    assert "Ada" not in json.dumps(after.to_json())


def test_cli_dry_run_then_purge(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "station.toml"
    config.write_text(f'[photos]\nfolder = "{tmp_path / "photos"}"\n', encoding="utf-8")
    args = ["--config", str(config), "--db", str(db.path), "privacy", "purge"]
    assert main([*args, "--dry-run", "--json"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "would remove:" and "SO-1001" in out[-2]
    assert json.loads(out[-1])["orders"] == 1
    assert main([*args, "--user", "BADGE-SAM"]) == 2
    assert "sam (supervisor) may not purge personal data" in capsys.readouterr().err
    assert main([*args, "--json"]) == 0
    done = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert (done["dry_run"], done["orders"], done["carrier_labels"]) == (False, 1, 1)


def test_the_daily_purge_runs_once_a_day_across_restarts(
    db: Database, folders: tuple[Path, Path]
) -> None:
    clock = [NOW]
    daily = DailyPurge(db, purger(db, folders), clock=lambda: clock[0])
    first = daily.run_if_due()
    assert first is not None and first.orders == 1
    clock[0] += timedelta(hours=23)
    # Another station process on the same database (a restart) reads when it last ran.
    assert DailyPurge(db, purger(db, folders), clock=lambda: clock[0]).run_if_due() is None
    clock[0] += timedelta(hours=2)
    second = daily.run_if_due()
    assert second is not None and second.order_numbers == ["SO-1008"]  # now 30 days + 1 h
    # As a thread: the first check runs at start.
    clock[0] += timedelta(days=1)
    thread = DailyPurge(db, purger(db, folders), clock=lambda: clock[0]).start()
    thread.stop()
    assert daily.last_run() == clock[0]
