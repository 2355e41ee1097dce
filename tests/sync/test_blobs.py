"""Photos go to the hub first: content-addressed, resumable, verified by hash."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import select

from station.hub.context import Limits
from station.hub.models import HubBlob, HubEvent
from station.sync.client import HubClient, HubRefused
from station.sync.protocol import PushRequest
from station.sync.state import load_enrolment
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest, start_hub
from tests.sync.events import add_event, outbox_events

Make = Callable[[str], StationUnderTest]


def photo(station: StationUnderTest, size: int = 700_000) -> tuple[str, bytes]:
    """A photo file in the station's folder, named by its SHA-256."""
    data = os.urandom(size)
    sha = hashlib.sha256(data).hexdigest()
    station.photo_dir.mkdir(parents=True, exist_ok=True)
    (station.photo_dir / f"{sha}.jpg").write_bytes(data)
    return sha, data


def client_of(station: StationUnderTest) -> HubClient:
    enrolment = load_enrolment(station.db)
    assert enrolment is not None
    return HubClient(enrolment.url, enrolment.token)


def stored(hub: HubUnderTest, sha: str) -> bytes | None:
    path = hub.folder / "blobs" / sha[:2] / sha
    return path.read_bytes() if path.exists() else None


def test_photos_go_up_before_the_event_that_names_them(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    sha, data = photo(a)
    add_event(a.db, "photo.taken", {"station": "bench-1", "order": "SO-1001"}, [sha])
    report = a.sync()
    assert (report.pushed, report.blobs) == (1, 1)
    assert stored(hub, sha) == data
    with hub.db.read() as s:
        assert s.execute(select(HubBlob.size).where(HubBlob.sha256 == sha)).scalar_one() == len(
            data
        )
        assert s.execute(select(HubEvent.blob_hashes)).scalar_one() == [sha]


def test_an_interrupted_upload_resumes_from_the_hubs_offset(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    sha, data = photo(a)
    with client_of(a) as client:
        # An earlier attempt got 300,000 bytes through before the link dropped.
        first = client.upload_chunk(sha, 0, len(data), data[:300_000])
        assert (first.offset, first.complete) == (300_000, False)
        assert [(m.sha256, m.offset) for m in client.missing_blobs([sha])] == [(sha, 300_000)]
        # A chunk sent again from a stale offset is refused with where the upload stands.
        with pytest.raises(HubRefused) as stale:
            client.upload_chunk(sha, 0, len(data), data[:1000])
        assert (stale.value.status, stale.value.body.offset) == (409, 300_000)
    add_event(a.db, "photo.taken", {"station": "bench-1"}, [sha])
    assert a.sync().blobs == 1
    assert stored(hub, sha) == data


def test_bytes_that_do_not_match_their_hash_are_refused(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    sha, data = photo(a, 1000)
    damaged = bytes([data[0] ^ 0xFF]) + data[1:]
    with client_of(a) as client:
        with pytest.raises(HubRefused) as refused:
            client.upload_chunk(sha, 0, len(data), damaged)
        assert (refused.value.status, refused.value.error) == (422, "hash_mismatch")
        assert [(m.sha256, m.offset) for m in client.missing_blobs([sha])] == [(sha, 0)]
        # An event naming a blob the hub lacks is refused as a whole until it is sent.
        add_event(a.db, "photo.taken", {"station": "bench-1"}, [sha])
        with pytest.raises(HubRefused) as missing:
            client.push(PushRequest(station="bench-1", events=outbox_events(a.db)))
        assert (missing.value.error, missing.value.body.missing) == ("missing_blobs", [sha])
    assert stored(hub, sha) is None
    assert a.sync().pushed == 1
    assert stored(hub, sha) == data


def test_a_photo_lost_at_the_station_does_not_block_the_queue(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    sha, _ = photo(a, 1000)
    (a.photo_dir / f"{sha}.jpg").write_bytes(b"overwritten by something else")
    gone = hashlib.sha256(b"never stored").hexdigest()
    add_event(a.db, "photo.taken", {"station": "bench-1"}, [sha, gone])
    add_event(a.db, "note.added", {"station": "bench-1"})
    report = a.sync()
    assert (report.pushed, report.pending, report.blobs) == (2, 0, 0)
    assert stored(hub, sha) is None


def test_a_blob_over_the_size_limit_is_refused(
    tmp_path: Path, station_factory: Callable[[HubUnderTest, str], StationUnderTest]
) -> None:
    with ExitStack() as stack:
        small = start_hub(
            stack, tmp_path / "small", Limits(max_blob_bytes=1000, max_chunk_bytes=500)
        )
        a = station_factory(small, "bench-1")
        sha, data = photo(a, 2000)
        with client_of(a) as client:
            with pytest.raises(HubRefused) as blob:
                client.upload_chunk(sha, 0, len(data), data[:400])
            with pytest.raises(HubRefused) as chunk:
                client.upload_chunk(sha, 0, 900, data[:900])
        assert (blob.value.status, blob.value.error) == (413, "too_large")
        assert (chunk.value.status, chunk.value.error) == (413, "too_large")
        # The station cannot ever send it: the event goes without it instead of blocking.
        add_event(a.db, "photo.taken", {"station": "bench-1"}, [sha])
        report = a.sync()
        assert (report.pushed, report.blobs, report.pending) == (1, 0, 0)
