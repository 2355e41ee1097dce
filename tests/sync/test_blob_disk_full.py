"""The hub's blob folder full (issue 12, point 6): a clear 507, a degraded health, and the
station's cycle still pulls, so an order cancelled at the hub is blocked at the bench.

The folder is a real 4 MB tmpfs filled to the last byte where this machine lets the test
mount one (root); else a disk simulated full where the hub's store meets it, the ``fsync`` of
a file in the blob folder (the rest of the write path is the real one). The hub is real on
127.0.0.1; the station syncs through its real client.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from station.hub.context import Limits
from station.packing.verdicts import Verdict
from station.sync.client import HubClient, HubStorageFull
from station.sync.state import load_enrolment
from station.sync.worker import SyncWorker
from tests.hub.hubfixtures import (
    CATALOG_CSV,
    ORDERS_CSV,
    HubUnderTest,
    StationUnderTest,
    start_hub,
)
from tests.station.test_disk_full import fill, small_tmpfs
from tests.sync.events import add_event
from tests.sync.test_pull import order_status

Disk = tuple[Path, Callable[[], None], Callable[[], None]]  # folder, fill it, make room


@pytest.fixture(params=["tmpfs", "simulated"])
def blob_disk(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Disk]:
    """The hub's blob folder, a way to fill its disk and a way to make room again."""
    folder = tmp_path / "hub" / "blobs"  # where start_hub puts it
    folder.parent.mkdir()
    if request.param == "tmpfs":
        with small_tmpfs(folder) as disk:
            if disk is None:
                pytest.skip("cannot mount a tmpfs here (needs root); the simulated disk stands")
            fillers: list[Path] = []
            yield disk, lambda: fillers.append(fill(disk)), lambda: fillers.pop().unlink()
        return
    real_fsync = os.fsync

    def full(fd: int) -> None:
        # Only files in the blob folder meet the full disk; the databases write as usual.
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(folder)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    yield (
        folder,
        lambda: monkeypatch.setattr(os, "fsync", full),
        lambda: monkeypatch.setattr(os, "fsync", real_fsync),
    )


@pytest.fixture
def hub(blob_disk: Disk, tmp_path: Path) -> Iterator[HubUnderTest]:
    """A real hub whose blob folder is ``blob_disk``, with the test catalog and orders."""
    with ExitStack() as stack:
        hub = start_hub(stack, tmp_path / "hub", Limits(blob_reserve_bytes=256 * 1024))
        hub.load("catalog", CATALOG_CSV)
        hub.load("orders", ORDERS_CSV)
        yield hub


def health(hub: HubUnderTest) -> dict[str, Any]:
    answer = httpx.get(f"{hub.url}/v1/health", timeout=5)
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def photo(station: StationUnderTest, size: int = 700_000) -> tuple[str, bytes]:
    data = os.urandom(size)
    sha = hashlib.sha256(data).hexdigest()
    station.photo_dir.mkdir(parents=True, exist_ok=True)
    (station.photo_dir / f"{sha}.jpg").write_bytes(data)
    return sha, data


def partial_size(folder: Path, sha: str) -> int:
    part = folder / "partial" / sha
    return part.stat().st_size if part.exists() else 0


def test_a_full_blob_disk_is_507_and_degraded_and_the_station_still_pulls(
    hub: HubUnderTest,
    blob_disk: Disk,
    station_factory: Callable[[HubUnderTest, str], StationUnderTest],
) -> None:
    folder, fill_disk, make_room = blob_disk
    a = station_factory(hub, "bench-1")
    assert a.sync().pulled > 0
    assert order_status(a, "SO-1003") == "open"
    assert health(hub)["status"] == "ok"

    # A photo taken at the bench; the hub's disk fills; the office cancels SO-1003.
    sha, data = photo(a)
    add_event(a.db, "photo.taken", {"station": "bench-1", "order": "SO-1002"}, [sha])
    fill_disk()
    hub.load("orders", "order_number,sku,quantity,status\nSO-1003,TEE,1,cancelled\n")

    report = a.sync()
    # The push could not go (its photo first), and said why ...
    assert isinstance(report.push_failure, HubStorageFull)
    assert "storage full" in str(report.push_failure)
    assert report.pending == 1 and report.pushed == 0
    # ... but the pull ran all the same: the cancellation is at the bench.
    assert [(b.number, b.status) for b in report.blocked] == [("SO-1003", "cancelled")]
    assert order_status(a, "SO-1003") == "cancelled"
    assert a.service().scan("SO-1003").verdict is Verdict.NOT_PACKABLE

    # The hub's own answer: 507 with a body that names the cause; nothing half-written kept.
    enrolment = load_enrolment(a.db)
    assert enrolment is not None
    before = partial_size(folder, sha)
    answer = httpx.put(
        f"{hub.url}/v1/blobs/{sha}",
        params={"offset": before, "size": len(data)},
        content=data[before : before + 200_000],
        headers={"Authorization": f"Bearer {enrolment.token}"},
        timeout=10,
    )
    assert answer.status_code == 507
    body = answer.json()
    assert body["error"] == "storage_full" and "full" in body["message"]
    assert body["offset"] == before == partial_size(folder, sha)
    state = health(hub)
    assert state["status"] == "degraded"
    assert any("full" in problem for problem in state["problems"])

    # Room again: the photo and its event go, the hub is healthy.
    make_room()
    report = a.sync()
    # (the photo's event, and the refused scan of SO-1003 the bench recorded meanwhile)
    assert report.push_failure is None and report.blobs == 1
    assert report.pending == 0 and report.pushed >= 1
    assert (folder / sha[:2] / sha).read_bytes() == data
    healthy = health(hub)
    assert (healthy["status"], healthy["problems"]) == ("ok", [])


def test_the_worker_shows_the_push_failure_and_the_pulled_block(
    hub: HubUnderTest,
    blob_disk: Disk,
    station_factory: Callable[[HubUnderTest, str], StationUnderTest],
) -> None:
    _, fill_disk, _ = blob_disk
    a = station_factory(hub, "bench-1")
    a.sync()
    sha, _ = photo(a)
    add_event(a.db, "photo.taken", {"station": "bench-1"}, [sha])
    fill_disk()
    hub.load("orders", "order_number,sku,quantity,status\nSO-1004,MUG,1,cancelled\n")
    worker = SyncWorker(a.syncer())
    assert worker.run_once() is not None
    status = worker.status
    assert status.online is True and status.pending == 1
    assert status.last_error is not None and "storage full" in status.last_error
    assert [b.number for b in status.blocked] == ["SO-1004"]


def test_client_of_a_full_hub_is_told_storage_full(
    hub: HubUnderTest,
    blob_disk: Disk,
    station_factory: Callable[[HubUnderTest, str], StationUnderTest],
) -> None:
    _, fill_disk, _ = blob_disk
    a = station_factory(hub, "bench-1")
    sha, data = photo(a, 300_000)
    enrolment = load_enrolment(a.db)
    assert enrolment is not None
    fill_disk()
    with HubClient(enrolment.url, enrolment.token) as client, pytest.raises(HubStorageFull):
        client.upload_chunk(sha, 0, len(data), data)
