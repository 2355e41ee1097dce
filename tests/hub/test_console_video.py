"""The pack video on the evidence page: recorded and stored at a bench, synced as a blob,
listed beside the photos and downloaded through the order's record, every download audited."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

import cv2
import numpy as np
from sqlalchemy import select

from station.hub.console.models import ConsoleAudit
from station.video.codec import MJPEG
from station.video.recorder import Recording, Take
from station.video.store import store_video
from tests.hub.consoleclient import Browsers, browsers
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.station.packfixtures import MUG, TEE

__all__ = ["browsers"]  # the fixture


def pack_with_video(station: StationUnderTest) -> str:
    """SO-1001 packed by the real engine and its video stored as the recorder does; synced."""
    station.sync()
    svc = station.service()
    for code in ("SO-1001", MUG, MUG, TEE):
        svc.scan(code)
    assert svc.complete().message == "order SO-1001 packed"
    station.photo_dir.mkdir(parents=True, exist_ok=True)
    path = station.photo_dir.parent / "take.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 5.0, (64, 48))
    for n in range(3):
        writer.write(np.full((48, 64, 3), 40 * n, np.uint8))
    writer.release()
    take = Take("SO-1001", "alice", None, datetime.now(UTC))
    recording = Recording(take, path, MJPEG, 3, 64, 48, 0.6, cut=False, completed=True)
    stored = store_video(station.db, station.photo_dir, recording, station.name)
    station.sync()
    return stored.sha256


def test_the_pack_video_is_listed_and_downloads_as_the_bench_recorded_it(
    hub: HubUnderTest, make_station: Callable[[str], StationUnderTest], browsers: Browsers
) -> None:
    sha = pack_with_video(make_station("bench-1"))
    agent = browsers.user("cara", "customer_service")
    html = agent.get("/console/orders/SO-1001").text
    link = f'href="/console/orders/SO-1001/videos/{sha}" download'
    assert link in html
    assert "Download the pack video</a> recorded by alice" in html
    assert "0.6 s, 64×48, mjpeg" in html

    video = agent.get(f"/console/orders/SO-1001/videos/{sha}")
    assert video.status_code == 200
    assert video.headers["content-type"] == "video/x-msvideo"
    assert f'filename="video-SO-1001-{sha[:12]}.avi"' in video.headers["content-disposition"]
    assert video.headers["content-disposition"].startswith("attachment")
    assert hashlib.sha256(video.content).hexdigest() == sha

    # Only through the record that names it: not another order's, not a photo's route.
    assert agent.get(f"/console/orders/SO-1002/videos/{sha}").status_code == 404
    assert agent.get(f"/console/orders/SO-1001/photos/{sha}").status_code == 404
    assert agent.get(f"/console/orders/SO-1001/videos/{'0' * 64}").status_code == 404

    pdf = agent.get("/console/orders/SO-1001/evidence.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    with hub.db.read() as s:
        trail = s.execute(
            select(ConsoleAudit.action, ConsoleAudit.subject)
            .where(ConsoleAudit.action == "download_video")
            .order_by(ConsoleAudit.id)
        ).all()
    assert [tuple(t) for t in trail] == [("download_video", f"SO-1001 {sha[:12]}")]
