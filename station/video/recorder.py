"""Frames to a video file on a thread of its own: the camera and the bench never wait for it.

The camera thread hands every frame to :meth:`VideoRecorder.offer`, which only swaps it into
a one-frame slot under a lock (what the preview feed and the camera scanner do too), so
capture, live decoding and the preview go on at their own pace whatever the encoder does. The
recorder's thread takes the newest frame at most ``fps`` times a second, scales it to
``width``, burns in the order, packer and time (:mod:`station.video.overlay`) and writes it.
A frame replaced in the slot before the recorder took it is the recorder's loss only
(counted in ``skipped``), never the decoder's or the preview's.

:meth:`begin` and :meth:`end` are queued and handled in order on the same thread, so the
bench's subscriber returns at once. The file is capped at ``max_mb``: once the next frame
might pass the cap no more are written and the recording says it was cut (the pack goes on).
A finished recording with at least one frame goes to ``on_done`` (on the recorder's thread);
one without any frame (the camera gone) is dropped and logged.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np

from drivers.camera.model import Frame
from station.config import VideoSettings
from station.ids import uuid7
from station.video.codec import Codec, choose_codec
from station.video.overlay import burn_in, fit

log = logging.getLogger(__name__)

MB = 1024 * 1024
THREAD_NAME = "pack-video"
NICE = 10  # how much lower than the rest of the station the encoder runs (Linux)
MJPEG_QUALITY = 75  # OpenCV's default of 95 doubles the file for nothing a dispute needs
# What a container adds besides the frames (AVI: headers, and 16 bytes of index per frame,
# written when the file is closed).
_CONTAINER_BYTES = 8192
_INDEX_BYTES_PER_FRAME = 32

Wall = Callable[[], datetime]


@dataclass(frozen=True)
class Take:
    """What a recording shows: the order, who packed it, and when it started (UTC)."""

    order: str
    user: str | None
    user_id: int | None
    started: datetime


@dataclass(frozen=True)
class Recording:
    """A finished video file, not yet stored: where it is and what it holds."""

    take: Take
    path: Path
    codec: Codec
    frames: int
    width: int
    height: int
    duration_s: float
    cut: bool
    """The size cap was reached: frames after it were not written."""
    completed: bool
    """Ended by the order's completion (False: another order was opened, or the bench closed)."""


@dataclass(frozen=True)
class _Begin:
    take: Take
    monotonic: float


@dataclass(frozen=True)
class _End:
    completed: bool


class _Writing:
    """One recording in progress (recorder thread only)."""

    def __init__(self, take: Take, path: Path, codec: Codec, origin: float) -> None:
        self.take = take
        self.path = path
        self.codec = codec
        self.origin = origin  # monotonic time of ``take.started``
        self.writer: cv2.VideoWriter | None = None
        self.size = (0, 0)
        self.frames = 0
        self.first = 0.0
        self.last = 0.0
        self.cut = False
        self.failed = False


class VideoRecorder:
    """Writes the frames of each take to a file on its own thread (see the module docstring)."""

    def __init__(
        self,
        settings: VideoSettings,
        folder: Path,
        on_done: Callable[[Recording], None],
        *,
        wall: Wall = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.folder = folder
        self._on_done = on_done
        self._wall = wall
        self._period = 1.0 / settings.fps
        self._cap_bytes = int(settings.max_mb * MB)
        self._cv = threading.Condition()
        self._slot: Frame | None = None
        self._wanted = False  # a take is begun (offer keeps frames only then)
        self._commands: deque[_Begin | _End] = deque()
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._codec: Codec | None = None
        self._writing: _Writing | None = None
        self._due = 0.0
        self.offered = 0
        """Frames offered while a take was begun."""
        self.written = 0
        """Frames written to files so far."""
        self.skipped = 0
        """Frames replaced in the slot before the recorder took them (its loss only)."""

    # --- any thread ------------------------------------------------------------------------

    def offer(self, frame: Frame) -> None:
        """A camera frame (camera thread): kept only while a take is begun; never waits."""
        with self._cv:
            if not self._wanted:
                return
            self.offered += 1
            if self._slot is not None:
                self.skipped += 1
            self._slot = frame
            self._cv.notify_all()

    def begin(self, order: str, user: str | None = None, user_id: int | None = None) -> None:
        """Start recording ``order`` (ending a take still open, as not completed)."""
        take = Take(order, user, user_id, self._wall())
        with self._cv:
            self._wanted = True
            self._commands.append(_Begin(take, time.monotonic()))
            self._cv.notify_all()

    def end(self, *, completed: bool) -> None:
        """End the open take (nothing if none); its file goes to ``on_done``."""
        with self._cv:
            self._wanted = False
            self._slot = None
            self._commands.append(_End(completed))
            self._cv.notify_all()

    def start(self) -> None:
        """Start the recorder's thread."""
        if self._thread is not None:
            raise RuntimeError("video recorder already started")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """End an open take (not completed), finish what is queued, join the thread."""
        self.end(completed=False)
        with self._cv:
            self._stopping = True
            self._cv.notify_all()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout_s)
            if thread.is_alive():
                raise RuntimeError(f"video recorder did not stop in {timeout_s} s")

    def idle(self, timeout_s: float = 10.0) -> bool:
        """Wait until every queued begin and end, and the frame offered, are handled (tests);
        False on time-out."""
        with self._cv:
            return self._cv.wait_for(
                lambda: not self._commands and not self._busy and self._slot is None, timeout_s
            )

    # --- the recorder's thread ---------------------------------------------------------------

    def _run(self) -> None:
        _yield_cpu()
        while True:
            with self._cv:
                self._cv.wait_for(
                    lambda: self._stopping or bool(self._commands) or self._slot is not None
                )
                command = self._commands.popleft() if self._commands else None
                frame = None
                if command is None:
                    frame, self._slot = self._slot, None
                    if frame is None:  # stopping, nothing left to do
                        return
                self._busy = True
            try:
                if isinstance(command, _Begin):
                    self._open(command)
                elif isinstance(command, _End):
                    self._close(command.completed)
                elif frame is not None:
                    self._frame(frame)
            except Exception:  # one bad frame or file must not end the recorder
                log.exception("pack video: recording failed")
            finally:
                with self._cv:
                    self._busy = False
                    self._cv.notify_all()

    def _open(self, begin: _Begin) -> None:
        self._close(completed=False)
        if self._codec is None:
            self._codec = choose_codec(self.settings.codec)  # probed once, on this thread
        path = self.folder / f"{uuid7()}{self._codec.suffix}"
        self._writing = _Writing(begin.take, path, self._codec, begin.monotonic)
        self._due = 0.0

    def _frame(self, frame: Frame) -> None:
        rec = self._writing
        if rec is None or rec.cut or rec.failed:
            return
        now = frame.monotonic
        if now < rec.origin:
            return  # captured before this take began: the order before's, not this one's
        if now < self._due - self._period / 10:  # a tenth: a camera's jitter is not a skip
            return  # faster than the video's frame rate: not needed
        late = now - self._due >= self._period
        self._due = now + self._period if late else self._due + self._period
        image = fit(frame.image, self.settings.width)
        if rec.writer is None:
            height, width = image.shape[:2]
            rec.size = (width, height)
            fourcc = cv2.VideoWriter.fourcc(*rec.codec.fourcc)
            rec.writer = cv2.VideoWriter(str(rec.path), fourcc, self.settings.fps, rec.size)
            if not rec.writer.isOpened():
                rec.failed = True
                log.error("pack video: cannot write %s with %s", rec.path, rec.codec.fourcc)
                return
            if rec.codec.fourcc == "MJPG":
                rec.writer.set(cv2.VIDEOWRITER_PROP_QUALITY, MJPEG_QUALITY)
            rec.first = now
        elif (image.shape[1], image.shape[0]) != rec.size:  # the camera came back at another size
            image = np.asarray(cv2.resize(image, rec.size, interpolation=cv2.INTER_AREA), np.uint8)
        if self._would_pass_cap(rec):
            rec.cut = True
            cap = self.settings.max_mb
            log.warning("pack video: %s reached %g MB; not recording more", rec.take.order, cap)
            return
        shot = rec.take.started + timedelta(seconds=now - rec.origin)
        rec.writer.write(burn_in(image.copy(), caption(rec.take, shot)))
        rec.frames += 1
        rec.last = now
        self.written += 1

    def _would_pass_cap(self, rec: _Writing) -> bool:
        """True if one more frame (as big as the biggest so far, twice over) might pass the cap."""
        if rec.frames == 0:
            return False
        try:
            size = os.stat(rec.path).st_size
        except OSError:
            size = 0
        per_frame = size / rec.frames if size else 0
        closing = _CONTAINER_BYTES + _INDEX_BYTES_PER_FRAME * (rec.frames + 1)
        return size + 2 * per_frame + closing > self._cap_bytes

    def _close(self, completed: bool) -> None:
        rec, self._writing = self._writing, None
        if rec is None:
            return
        if rec.writer is not None:
            rec.writer.release()
        if rec.frames == 0 or rec.failed:
            rec.path.unlink(missing_ok=True)
            why = "the camera gave no frame" if rec.frames == 0 else "it could not be written"
            log.warning("pack video: %s has no video (%s)", rec.take.order, why)
            return
        recording = Recording(
            take=rec.take,
            path=rec.path,
            codec=rec.codec,
            frames=rec.frames,
            width=rec.size[0],
            height=rec.size[1],
            duration_s=max(rec.last - rec.first, 0.0) + self._period,
            cut=rec.cut,
            completed=completed,
        )
        try:
            self._on_done(recording)
        finally:
            recording.path.unlink(missing_ok=True)  # stored under its hash, or given up


def _yield_cpu() -> None:
    """Linux: lower this thread's priority (only this thread's: Linux nices threads one by
    one), so on a busy bench PC the live decoder and the preview get the cores first and the
    video, which may lag, takes what is left. Elsewhere the thread runs at normal priority."""
    if sys.platform != "linux":
        return
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + NICE))
    except OSError as exc:  # a sandbox may refuse; the video still records
        log.info("pack video: cannot lower the recorder's priority: %s", exc)


def caption(take: Take, shot: datetime) -> str:
    """The line burnt into a frame: order, packer and the frame's local time."""
    local = shot.astimezone()
    who = take.user or "-"
    return f"{take.order}  {who}  {local:%Y-%m-%d %H:%M:%S %Z}".strip()
