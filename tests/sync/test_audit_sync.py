"""The audit log reaches the hub: a real hub on 127.0.0.1 stores every entry after a sync.

Each audit entry is an ``audit.recorded`` outbox event written in the entry's own
transaction, so the hub's copy of a station's audit trail is the station's log, entry for
entry, with the names of the people (user ids are local to a station).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from station.audit import AUDIT_EVENT
from station.db.models import Role
from station.hub.models import HubEvent, HubStation
from station.packing.verdicts import Verdict
from station.photos import PhotoStore
from station.privacy import PrivacyPurge, RetentionPolicy
from station.users import create_user
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.station.packfixtures import FIXED_NOW, TEE

Make = Callable[[str], StationUnderTest]


def test_the_hub_stores_every_audit_entry_after_a_sync(
    hub: HubUnderTest, make_station: Make, tmp_path: Path
) -> None:
    bench = make_station("bench-1")
    bench.sync()
    with bench.db.session() as s:
        create_user(s, "alice", Role.PACKER, badge="BADGE-ALICE")
        create_user(s, "sam", Role.SUPERVISOR, badge="BADGE-SAM")
        s.commit()
    svc = bench.service()
    assert svc.scan("BADGE-ALICE").verdict is Verdict.USER_CHANGED
    svc.scan("SO-1001")
    refused = svc.short_ship(1, 2, "out_of_stock", "BADGE-ALICE")
    assert refused.verdict is Verdict.NEEDS_SUPERVISOR
    approved = svc.short_ship(1, 2, "out_of_stock", "BADGE-SAM")
    assert approved.verdict is Verdict.EXCEPTION_RECORDED
    svc.scan(TEE)
    assert svc.complete().verdict is Verdict.COMPLETED
    PrivacyPurge(
        bench.db,
        RetentionPolicy(),
        "bench-1",
        carrier_folder=tmp_path / "carrier",
        photos=PhotoStore(tmp_path / "photos"),
    ).run(FIXED_NOW + timedelta(days=31))  # Ada Lovelace's address goes
    report = bench.sync()
    assert (report.rejected, report.pending) == (0, 0)

    con = sqlite3.connect(bench.db.path)
    try:
        local = con.execute("SELECT id, action, user_id FROM audit_log ORDER BY id").fetchall()
    finally:
        con.close()
    assert [a for _, a, _ in local] == ["user.login", "approve.short_ship", "privacy.purge"]
    with hub.db.read() as s:
        stored = s.execute(
            select(HubEvent.payload, HubEvent.status)
            .join(HubStation, HubStation.id == HubEvent.station_id)
            .where(HubStation.name == "bench-1", HubEvent.type == AUDIT_EVENT)
            .order_by(HubEvent.station_seq)
        ).all()
    assert [status for _, status in stored] == ["acked"] * 3
    payloads = [p if isinstance(p, dict) else json.loads(p) for p, _ in stored]
    assert [(p["audit_id"], p["action"], p["user_id"]) for p in payloads] == local
    approval = payloads[1]
    assert (approval["user"], approval["role"], approval["station"]) == (
        "sam",
        "supervisor",
        "bench-1",
    )
    assert approval["detail"]["reason"] == "out_of_stock"
    assert approval["detail"]["requested_by"] == local[0][2]  # alice, who asked
    assert payloads[2]["detail"]["order_numbers"] == ["SO-1001"]
