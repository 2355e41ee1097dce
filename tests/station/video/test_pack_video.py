"""A video of each pack: the real camera driver on an emulated camera, the real bench, a real
database, and the hub on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from station.barcodes import Command, Interpreter
from station.cli.evidence import format_text
from station.config import BarcodeSettings, VideoSettings
from station.db import Database
from station.db.engine import reader
from station.evidence import gather
from station.hub.models import HubEvent
from station.packing.bench import PackBench
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Verdict
from station.video.overlay import band_height
from station.video.pack_video import WORK_FOLDER, PackVideo
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.station.packfixtures import MUG, TEE, build_db, make_service, rows
from tests.station.video.videofixtures import (
    SIZE,
    camera_file,
    read_video,
    running_camera,
    wait_until,
)

SETTINGS = VideoSettings(enabled=True, fps=10.0)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """The pack engine's test database."""
    database = build_db(tmp_path / "pack.sqlite")
    yield database
    database.close()


def pack(
    bench: PackBench, order: str, items: tuple[str, ...], recorded: Callable[[], bool]
) -> Outcome:
    """Sign in, open ``order``, let the camera run a moment, scan ``items``, complete."""
    for code in ("BADGE-ALICE", order):
        reply = bench.scan(code)
        assert reply is not None and not reply.pending
    wait_until(recorded, "frames recorded while the order is open")
    for code in items:
        reply = bench.scan(code)
        assert reply is not None and isinstance(reply.result, Outcome)
        assert reply.result.verdict is Verdict.ACCEPTED
    done = bench.command(Command.COMPLETE, "complete").result
    assert isinstance(done, Outcome)
    return done


def recording_bench(svc: PackService, video: PackVideo) -> PackBench:
    bench = PackBench(svc, Interpreter(BarcodeSettings()))
    bench.subscribe(video.after)
    return bench


def test_a_pack_is_recorded_from_open_to_complete_with_order_user_and_time_burnt_in(
    db: Database, tmp_path: Path
) -> None:
    photos = tmp_path / "photos"
    video = PackVideo(db, SETTINGS, photos, "bench-1")
    video.start()
    svc = make_service(db)
    bench = recording_bench(svc, video)
    try:
        with running_camera(camera_file(tmp_path / "camera.avi"), video.offer):
            done = pack(bench, "SO-1001", (MUG, MUG, TEE), lambda: video.recorder.written >= 5)
            assert done.verdict is Verdict.COMPLETED  # answered before the video is stored
            wait_until(lambda: bool(video.stored), "the video stored")
    finally:
        video.stop()
        svc.close()
    ((sha, path, order_id, user_id, width, height, size),) = rows(
        db,
        "SELECT sha256, path, order_id, user_id, width, height, size_bytes FROM photos"
        " WHERE kind = 'video'",
    )
    file = photos / str(path)
    data = file.read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha and len(data) == size
    assert str(path) == f"{str(sha)[:2]}/{sha}{file.suffix}" and file.suffix in (".mp4", ".avi")
    assert rows(db, "SELECT id FROM orders WHERE number = 'SO-1001'") == [(order_id,)]
    assert rows(db, "SELECT name FROM users WHERE id = " + str(user_id)) == [("alice",)]
    # The file decodes with OpenCV, at the camera's size, with the text band burnt in.
    frames = read_video(file)
    assert len(frames) >= 5 and (width, height) == SIZE
    assert {f.shape for f in frames} == {(SIZE[1], SIZE[0], 3)}
    band = band_height(SIZE[0])
    for image in frames:
        top = image[:band].astype(int).mean(axis=2)
        # Black band, white letters: mostly dark, some bright (the text), none of the scene.
        assert (top < 40).mean() > 0.6 and (top > 180).sum() > 100
        assert image[band + 4 :].mean() > 60  # the scene below is untouched
    # Referenced by the evidence record, and by an event that names the blob.
    with Session(reader(db.engine)) as s:
        record = gather(s, "SO-1001", photos)
    assert record is not None
    (entry,) = record.videos
    assert (entry["sha256"], entry["present"], entry["user"]) == (sha, True, "alice")
    assert f"Video {entry['at']}  alice  {sha}  on disk: {file}" in format_text(record)
    alice = {"name": "alice", "role": "packer", "did": ["packed", "recorded on video", "scanned"]}
    assert alice in record.users
    ((payload, blobs),) = rows(
        db, "SELECT payload, blob_hashes FROM outbox WHERE type = 'video.recorded'"
    )
    event = json.loads(str(payload))
    assert json.loads(str(blobs)) == [sha]
    assert (event["order"], event["user"], event["completed"], event["cut"]) == (
        "SO-1001", "alice", True, False,
    )  # fmt: skip
    assert event["frames"] == len(frames)
    assert not list((photos / WORK_FOLDER).iterdir())  # nothing left half-written


def test_a_pack_with_the_camera_gone_still_completes_and_leaves_no_video(
    db: Database, tmp_path: Path
) -> None:
    photos = tmp_path / "photos"
    video = PackVideo(db, SETTINGS, photos, "bench-1")
    video.start()
    svc = make_service(db)
    bench = recording_bench(svc, video)
    try:
        # The bench's camera is unplugged: the driver reports an error and delivers nothing.
        with running_camera(tmp_path / "unplugged.avi", video.offer):
            done = pack(bench, "SO-1001", (MUG, MUG, TEE), lambda: True)
        assert done.verdict is Verdict.COMPLETED
        assert video.recorder.idle()
    finally:
        video.stop()
        svc.close()
    assert rows(db, "SELECT status FROM orders WHERE number = 'SO-1001'") == [("packed",)]
    assert rows(db, "SELECT count(*) FROM photos") == [(0,)]
    assert rows(db, "SELECT count(*) FROM outbox WHERE type = 'video.recorded'") == [(0,)]
    assert not list((photos / WORK_FOLDER).iterdir())


def test_the_hub_has_the_video_after_sync(
    hub: HubUnderTest, make_station: Callable[[str], StationUnderTest], tmp_path: Path
) -> None:
    station = make_station("bench-1")
    station.sync()  # the orders come from the hub
    video = PackVideo(station.db, SETTINGS, station.photo_dir, "bench-1")
    video.start()
    bench = recording_bench(station.service(), video)
    try:
        with running_camera(camera_file(tmp_path / "camera.avi"), video.offer):
            opened = bench.scan("SO-1003")
            assert opened is not None and isinstance(opened.result, Outcome)
            wait_until(lambda: video.recorder.written >= 3, "frames recorded")
            assert bench.scan(TEE) is not None
            done = bench.command(Command.COMPLETE, "complete").result
            assert isinstance(done, Outcome) and done.verdict is Verdict.COMPLETED
            wait_until(lambda: bool(video.stored), "the video stored")
    finally:
        video.stop()
    (stored,) = video.stored
    data = (station.photo_dir / stored.path).read_bytes()
    report = station.sync()
    assert report.blobs == 1
    assert (hub.folder / "blobs" / stored.sha256[:2] / stored.sha256).read_bytes() == data
    with hub.db.read() as s:
        hashes = s.execute(
            select(HubEvent.blob_hashes).where(HubEvent.type == "video.recorded")
        ).scalar_one()
    assert hashes == [stored.sha256]
