"""The camera as a barcode scanner: live decoding on its own thread, newest frame first.

The camera thread hands every frame to :meth:`CameraScanner.submit`, which only swaps it
into a one-frame slot and returns, so capture never waits for decoding. The decoding thread
takes whatever frame is newest; frames that arrived meanwhile are dropped and counted. When
decoding keeps up (the live path's median is well under 33 ms) nothing is dropped; when it
does not (a slow machine, a cluttered scene), the scanner falls behind by one frame at most,
never by a growing queue. Reads pass :class:`drivers.camera.confirm.Confirmer` before
``on_code`` hears of them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from drivers.camera.capture import Frame
from drivers.camera.confirm import Confirmer
from drivers.camera.decode import Decoded
from drivers.camera.live import LiveDecoder

log = logging.getLogger(__name__)

CodeListener = Callable[[Decoded], None]


class CameraScanner:
    """Decodes submitted frames on a worker thread; reports confirmed codes to ``on_code``."""

    def __init__(
        self,
        on_code: CodeListener,
        *,
        decoder: LiveDecoder | None = None,
        confirmer: Confirmer | None = None,
        name: str = "camera",
    ) -> None:
        self._on_code = on_code
        self._decoder = decoder or LiveDecoder()
        self._confirmer = confirmer or Confirmer()
        self._name = name
        self._slot: Frame | None = None
        self._ready = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._busy = False  # a frame is being decoded (for drain)
        self.decoded = 0
        """Frames decoded so far."""
        self.skipped = 0
        """Frames dropped because a newer one arrived before they were decoded."""

    def start(self) -> None:
        """Start the decoding thread."""
        if self._thread is not None:
            raise RuntimeError(f"camera scanner {self._name} already started")
        thread_name = f"camera-decode-{self._name}"
        self._thread = threading.Thread(target=self._run, name=thread_name, daemon=True)
        self._thread.start()

    def submit(self, frame: Frame) -> None:
        """Offer a frame (from the camera thread); replaces one not decoded yet."""
        with self._ready:
            if self._slot is not None:
                self.skipped += 1
            self._slot = frame
            self._ready.notify()

    def drain(self, timeout_s: float = 5.0) -> bool:
        """Wait until the offered frame was taken and decoded (tests); False on time-out."""
        with self._ready:
            return self._ready.wait_for(lambda: self._slot is None and not self._busy, timeout_s)

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop decoding and join the thread; a frame still waiting is dropped."""
        with self._ready:
            self._stopping = True
            self._ready.notify_all()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                raise RuntimeError(f"camera scanner {self._name} did not stop in {timeout_s} s")

    def _run(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: self._slot is not None or self._stopping)
                if self._stopping:
                    return
                frame, self._slot = self._slot, None
                self._busy = True
            assert frame is not None
            try:
                self._decode(frame)
            finally:
                with self._ready:
                    self._busy = False
                    self._ready.notify_all()

    def _decode(self, frame: Frame) -> None:
        try:
            reads = self._decoder.read(frame.gray())
        except Exception:  # one bad frame must not end live scanning
            log.exception("camera %s: decoding frame %d failed", self._name, frame.index)
            return
        self.decoded += 1
        for code in self._confirmer.feed(frame.index, reads):
            try:
                self._on_code(code)
            except Exception:
                log.exception("camera %s: code listener failed", self._name)
