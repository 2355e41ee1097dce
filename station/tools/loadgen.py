"""Synthetic stations for load: a backlog written straight into the outbox, timed syncs.

The backlog has the shape the pack engine writes (``pack.started``, ``scan.recorded`` with its
full payload, ``photo.taken`` naming a photo file, ``pack.completed``), written in one
transaction through ``station.outbox`` rather than by packing thousands of orders, which would
measure packing. The syncs are the real ones (``Syncer``); only the push is timed on top.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from station.db import Database, open_database
from station.outbox import append_event
from station.sync import protocol as p
from station.sync.backlog import pending_count
from station.sync.client import HubClient, HubRefused, HubUnavailable, Timeouts
from station.sync.cycle import CycleReport, Syncer, SyncError
from station.sync.enroll import enroll_station
from station.sync.pull import pull_changes
from station.sync.push import DEFAULT_BATCH, push_outbox
from station.sync.state import Enrolment

PACK = 50  # events per pack: started, scans, a photo (while photos last), completed
PHOTO_BYTES = 100_000


class TimedClient(HubClient):
    """A hub client that notes how long each push took (milliseconds)."""

    def __init__(
        self, base_url: str, token: str, *, timeouts: Timeouts, push_ms: list[float]
    ) -> None:
        super().__init__(base_url, token, timeouts=timeouts)
        self._push_ms = push_ms

    def push(self, request: p.PushRequest) -> p.PushResponse:
        """Push, timed."""
        started = time.perf_counter()
        try:
            return super().push(request)
        finally:
            self._push_ms.append((time.perf_counter() - started) * 1000)


class TimedSyncer(Syncer):
    """A syncer whose pushes are timed into ``push_ms`` (plain HTTP on loopback)."""

    def __init__(self, db: Database, photo_dir: Path, *, batch: int, push_ms: list[float]) -> None:
        super().__init__(db, photo_dir, batch=batch, timeouts=Timeouts(read=120.0))
        self.push_ms = push_ms

    def client(self, enrolment: Enrolment) -> HubClient:
        """The enrolled hub's client, timing its pushes."""
        return TimedClient(
            enrolment.url, enrolment.token, timeouts=self.timeouts, push_ms=self.push_ms
        )


def write_backlog(
    db: Database, station: str, events: int, photos: int, photo_dir: Path
) -> list[str]:
    """``events`` outbox events in packs of ``PACK`` (``photos`` of them with a photo file);
    returns the order numbers packed, which the hub must know."""
    rng = random.Random(f"{station}-{events}")
    photo_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    orders: list[str] = []
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        for i in range(events):
            at = i % PACK
            if at == 0:
                orders.append(f"BENCH-{station}-{len(orders) + 1:05d}")
            order = orders[-1]
            base: dict[str, object] = {"station": station, "order": order, "user": "bench"}
            if at == 0:
                append_event(cur, "pack.started", {**base, "tote": None}, now)
            elif at == PACK - 1 or i == events - 1:
                append_event(cur, "pack.completed", {**base, "packages": 1}, now)
            elif at == PACK - 2 and photos > 0:
                photos -= 1
                data = rng.randbytes(PHOTO_BYTES)
                sha = hashlib.sha256(data).hexdigest()
                (photo_dir / f"{sha}.jpg").write_bytes(data)
                append_event(cur, "photo.taken", {**base, "sha256": sha}, now, [sha])
            else:
                append_event(cur, "scan.recorded", {**base, **_scan(rng, i)}, now)
        cur.execute("COMMIT")
    finally:
        raw.close()
    return orders


def _scan(rng: random.Random, i: int) -> dict[str, object]:
    return {
        "scan_id": i,
        "package": 1,
        "raw": f"40{rng.randrange(10**10, 10**11)}",
        "symbology": "]E0",
        "kind": "gtin",
        "verdict": "accepted",
        "sku": f"SKU-{rng.randrange(1000):04d}",
        "quantity": 1,
        "serial": None,
        "lot": None,
        "expiry": None,
        "at": datetime.now(UTC).isoformat(),
    }


@dataclass
class LoadStation:
    """A station database with a backlog, enrolled with the hub under test."""

    name: str
    db: Database
    photo_dir: Path
    events: int
    orders: list[str]
    push_ms: list[float] = field(default_factory=list)
    errors: int = 0

    @classmethod
    def create(
        cls, folder: Path, template: Path, name: str, hub_url: str, code: str, events: int,
        photos: int,
    ) -> LoadStation:  # fmt: skip
        """A copy of the migrated ``template`` database, enrolled, with its backlog."""
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, folder / "station.sqlite")
        db = open_database(folder / "station.sqlite")
        enroll_station(db, hub_url, code, name)
        orders = write_backlog(db, name, events, photos, folder / "photos")
        return cls(name, db, folder / "photos", events, orders)

    def pull(self) -> int:
        """Pull the hub's feed without pushing anything (the set-up before timing)."""
        syncer = Syncer(self.db, self.photo_dir)
        with syncer.client(syncer.enrolment()) as client:
            return pull_changes(self.db, client).pulled

    def sync(self, batch: int = DEFAULT_BATCH) -> CycleReport | None:
        """One cycle; a failure (or a rejected event: all of ours are valid) is an error."""
        syncer = TimedSyncer(self.db, self.photo_dir, batch=batch, push_ms=self.push_ms)
        try:
            report = syncer.run_cycle()
        except (HubUnavailable, HubRefused, SyncError):
            self.errors += 1
            return None
        if report.push_failure is not None:
            self.errors += 1
            return None
        self.errors += report.rejected
        return report

    def push(self, batch: int = DEFAULT_BATCH) -> bool:
        """Push the outbox, no pull; False (an error) if the round ended early."""
        syncer = TimedSyncer(self.db, self.photo_dir, batch=batch, push_ms=self.push_ms)
        enrolment = syncer.enrolment()
        try:
            with syncer.client(enrolment) as client:
                report = push_outbox(self.db, client, self.name, self.photo_dir, batch=batch)
        except (HubUnavailable, HubRefused):
            self.errors += 1
            return False
        self.errors += report.rejected
        return True

    def drain(
        self,
        batch: int = DEFAULT_BATCH,
        start: threading.Barrier | None = None,
        *,
        pull: bool = True,
    ) -> float:
        """Sync (or only push) until nothing is pending, giving up after 20 failures; returns
        the seconds it took."""
        if start is not None:
            start.wait()
        started = time.perf_counter()
        failures = 0
        while failures < 20:
            if pull:
                report = self.sync(batch)
                done = report is not None and report.pending == 0
            else:
                done = self.push(batch) and pending_count(self.db) == 0
            if done:
                break
            failures += 1
        return time.perf_counter() - started
