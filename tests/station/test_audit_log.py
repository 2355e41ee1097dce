"""The audit log: append-only in the database, and every entry also an outbox event.

Real SQLite: the triggers of migration 0006 are tried through a plain sqlite3 connection (what
a script or the sqlite3 shell would use), and the pairing of entries with ``audit.recorded``
events is checked after the overrides, exceptions and other audited actions the station has.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from station.audit import AUDIT_EVENT
from station.db import Database, open_database
from station.db.migrate import backup_sqlite
from station.outbox import outbox_gaps
from station.packing.verdicts import Verdict
from station.photos import PhotoStore
from station.privacy import PrivacyPurge, RetentionPolicy
from station.returns.verdicts import ReturnVerdict
from tests.station.packfixtures import FIXED_NOW, MUG, make_service
from tests.station.proof.prooffixtures import prove, rows, stable
from tests.station.returns.returnfixtures import inspector, packed_db

ROOT = Path(__file__).resolve().parents[2]
SEALED = {
    "packaging_intact": True,
    "accessories": True,
    "functions": None,
    "cosmetic_damage": False,
    "hygiene_seal": None,
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("audit") / "template.sqlite"
    packed_db(path).close()
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Iterator[Database]:
    database = open_database(backup_sqlite(template, tmp_path / "a.sqlite"))
    yield database
    database.close()


def test_an_entry_cannot_be_changed_or_deleted(db: Database) -> None:
    svc = make_service(db)
    try:
        assert svc.scan("BADGE-ALICE").verdict is Verdict.USER_CHANGED
    finally:
        svc.close()
    con = sqlite3.connect(db.path)
    try:
        before = con.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
        assert before
        with pytest.raises(sqlite3.IntegrityError, match="append-only: an entry cannot be changed"):
            con.execute("UPDATE audit_log SET user_id = NULL")
        with pytest.raises(sqlite3.IntegrityError, match="append-only: an entry cannot be deleted"):
            con.execute("DELETE FROM audit_log")
        con.rollback()
        assert con.execute("SELECT * FROM audit_log ORDER BY id").fetchall() == before
        # Appending is what the log is for.
        con.execute(
            "INSERT INTO audit_log (at, station, action) VALUES ('2026-11-24', 'bench-1', 'x')"
        )
    finally:
        con.close()


def test_every_override_exception_and_purge_is_audited_and_sent(
    db: Database, tmp_path: Path
) -> None:
    pack = prove(db, tmp_path)
    try:
        pack.scan("BADGE-ALICE")  # user.login
        pack.scan("SO-1007")
        assert pack.set_quantity(20, "BADGE-SAM").verdict is Verdict.QUANTITY_SET
        assert pack.short_ship(1, 10, "out_of_stock", "BADGE-SAM 9999").verdict is (
            Verdict.EXCEPTION_RECORDED
        )
        damaged = pack.report_damage(1, "broken", "BADGE-SUE", replaced=False)
        assert damaged.verdict is Verdict.EXCEPTION_RECORDED
        pack.scan("BOX-M")
        pack.record_weight(stable(50))
        assert pack.override_weight("BADGE-SAM", "scale drift").verdict is Verdict.WEIGHT_OVERRIDE
    finally:
        pack.close()
    returns = inspector(db)
    try:
        returns.scan("BADGE-ALICE")  # a packer: refused, not audited
        returns.scan("BADGE-SAM")
        returns.scan("RMA-5001")
        unit = returns.scan(MUG).item
        assert unit is not None
        returns.assess(unit.id, SEALED)
        over = returns.override(unit.id, "liquidate", "none", "scuffed", approver="BADGE-SUE")
        assert over.verdict is ReturnVerdict.OVERRIDDEN
    finally:
        returns.close()
    purge = PrivacyPurge(
        db,
        RetentionPolicy(),
        "bench-1",
        carrier_folder=tmp_path / "carrier",
        photos=PhotoStore(tmp_path / "photos"),
    )
    purge.run(FIXED_NOW + timedelta(days=40))
    actions = [str(a[0]) for a in rows(db, "SELECT action FROM audit_log ORDER BY id")]
    for wanted in (
        "user.login",
        "approve.quantity",
        "approve.short_ship",
        "approve.damaged_short",
        "approve.weight_override",
        "approve.disposition_override",
        "privacy.purge",
    ):
        assert wanted in actions, wanted
    # One event per entry, carrying it whole, and the outbox still without a gap.
    entries = rows(db, "SELECT id, action, user_id, detail FROM audit_log ORDER BY id")
    events = [
        json.loads(str(p[0]))
        for p in rows(db, "SELECT payload FROM outbox WHERE type = ? ORDER BY id", AUDIT_EVENT)
    ]
    assert [(e["audit_id"], e["action"], e["user_id"]) for e in events] == [
        (a[0], a[1], a[2]) for a in entries
    ]
    assert [e["detail"] for e in events] == [json.loads(str(a[3])) for a in entries]
    sue = next(e for e in events if e["action"] == "approve.disposition_override")
    assert (sue["user"], sue["role"], sue["station"]) == ("sue", "supervisor", "returns-1")
    con = sqlite3.connect(db.path)
    try:
        assert outbox_gaps(con.cursor()) == []
    finally:
        con.close()


def test_audit_entries_are_written_only_through_station_audit() -> None:
    # A writer that added AuditEntry rows itself would skip the hub's copy of the entry.
    offenders = []
    for path in sorted((ROOT / "station").rglob("*.py")):
        if path.name in ("audit.py", "models.py") or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bAuditEntry\(|INSERT INTO audit_log", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
