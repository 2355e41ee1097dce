"""A video of every pack: a subscriber of the pack bench and a listener of the camera.

Like auto-print and the sync nudge, it lives beside the pack flow, not in it: the bench
announces each committed outcome (:meth:`PackVideo.after`), the camera driver hands each frame
(:meth:`PackVideo.offer`). An outcome naming an order other than the one being recorded (an
order opened, resumed, or picked by an item in batch mode) starts a take of it; the order's
completion ends the take, and the recorder's thread stores the file
(:mod:`station.video.store`). Both calls return at once: encoding, hashing and the database
row happen on the recorder's thread, so the packer's verdict never waits for the video, and
a bench whose camera is gone packs as before (the take has no frame and leaves no file).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from drivers.camera.model import Frame
from station.config import Settings, VideoSettings
from station.db import Database
from station.packing.verdicts import Outcome, Verdict
from station.user_ref import UserRef
from station.video.recorder import Recording, VideoRecorder, Wall
from station.video.store import StoredVideo, store_video

log = logging.getLogger(__name__)

WORK_FOLDER = ".recording"  # inside the photo folder: same disk, so storing is a rename


class PackVideo:
    """Records each pack from order open to complete (see the module docstring)."""

    def __init__(
        self,
        db: Database,
        video: VideoSettings,
        photo_dir: Path,
        station: str,
        *,
        wall: Wall = lambda: datetime.now(UTC),
    ) -> None:
        self._db = db
        self._photo_dir = photo_dir
        self._station = station
        self._order: str | None = None  # the order being recorded (bench thread)
        self.recorder = VideoRecorder(video, photo_dir / WORK_FOLDER, self._store, wall=wall)
        self._lock = threading.Lock()
        self.stored: list[StoredVideo] = []
        """Videos stored since start (newest last)."""
        self.on_stored: Callable[[StoredVideo], None] | None = None
        """Called on the recorder's thread after each video is stored (the sync nudge)."""

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> PackVideo:
        """The pack video of ``[video]``, stored in the photo folder."""
        return cls(db, settings.video, settings.photo_dir, settings.station_name)

    def start(self) -> None:
        """Start the recorder's thread."""
        self.recorder.start()

    def stop(self) -> None:
        """End a take still open (stored, as not completed) and stop the recorder."""
        self.recorder.stop()

    def offer(self, frame: Frame) -> None:
        """A camera frame (camera thread); returns at once."""
        self.recorder.offer(frame)

    def after(self, outcome: Outcome, user: UserRef | None) -> None:
        """A committed outcome of the bench (bench thread): start or end a take."""
        if outcome.verdict is Verdict.COMPLETED:
            if self._order is not None:
                self._order = None
                self.recorder.end(completed=True)
            return
        number = outcome.order_number
        if number is not None and number != self._order:
            self._order = number
            self.recorder.begin(number, user.name if user else None, user.id if user else None)

    def _store(self, recording: Recording) -> None:
        # The recorder's thread: file and row, never the bench's.
        try:
            stored = store_video(self._db, self._photo_dir, recording, self._station)
        except OSError as exc:
            log.error("pack video of %s not stored: %s", recording.take.order, exc)
            return
        with self._lock:
            self.stored.append(stored)
        if self.on_stored is not None:
            self.on_stored(stored)
