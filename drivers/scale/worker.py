"""The thread every scale driver runs on: connect, poll, run queued commands, reconnect.

All device I/O happens on this one thread (never the caller's), so commands and polls never
interleave on the wire. Readings and status changes are reported through plain callbacks,
called on this thread; the Qt bridge in ``ui/`` moves them to the GUI thread.
"""

from __future__ import annotations

import abc
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TypeVar

from drivers.backoff import Backoff
from drivers.base import DeviceState, DeviceStatus, StatusListener, TransportError
from drivers.scale.link import StoppingError
from drivers.scale.model import CommandReply, ScaleError, ScaleReading
from drivers.scale.stable import StableWeightRule

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScaleUpdate:
    """A reading, and whether the stable-weight rule accepts it as a weight to act on.

    ``at`` is when the driver received the reading (``time.monotonic()``): whoever acts on it
    later, on another thread, judges it by this time and not by when it arrived there.
    """

    reading: ScaleReading
    accepted: bool
    at: float = field(default_factory=time.monotonic)


ReadingListener = Callable[[ScaleUpdate], None]


class DeviceUnavailableError(Exception):
    """The device cannot be used as configured (missing package, no device found): ERROR,
    retried with the back-off in case someone installs or plugs it in."""


_Job = tuple[Callable[[], CommandReply], Future[CommandReply]]
_T = TypeVar("_T")


class ScaleWorker(abc.ABC):
    """Thread, status reporting, reconnect back-off and command queue shared by scale drivers.

    Subclasses say how to connect, poll once and disconnect; ``_connect`` and ``_poll_once``
    raise TransportError when the device is gone, which starts a reconnect.
    """

    def __init__(
        self,
        name: str,
        on_reading: ReadingListener,
        on_status: StatusListener,
        *,
        poll_interval_s: float,
        stable_count: int,
        backoff: Backoff,
    ) -> None:
        self.name = name
        self._on_reading = on_reading
        self._on_status = on_status
        self._poll_interval_s = poll_interval_s
        self._backoff = backoff
        self.rule = StableWeightRule(stable_count)
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._online = threading.Event()  # connected: commands are accepted
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_status: DeviceStatus | None = None
        self._failures = 0

    def start(self) -> None:
        """Start the worker thread."""
        if self._thread is not None:
            raise RuntimeError(f"scale {self.name} already started")
        self._thread = threading.Thread(target=self._run, name=f"scale-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop polling, close the device and join the thread; pending commands fail."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                raise RuntimeError(f"scale {self.name} worker did not stop in {timeout_s} s")
        self._fail_pending("the scale driver stopped")

    def submit(self, job: Callable[[], CommandReply]) -> Future[CommandReply]:
        """Queue ``job`` for the worker thread, which runs it between two polls."""
        future: Future[CommandReply] = Future()
        if self._stopping.is_set() or self._thread is None:
            future.set_exception(ScaleError(f"scale {self.name} is not running"))
            return future
        if not self._online.is_set():
            # Fail now rather than run a zero minutes later, after a reconnect, on a
            # different load.
            last = self._last_status
            why = f": {last.reason}" if last is not None and last.reason else ""
            future.set_exception(ScaleError(f"scale {self.name} is not connected{why}"))
            return future
        self._jobs.put((job, future))
        self._wake.set()
        return future

    @abc.abstractmethod
    def _connect(self) -> None: ...

    @abc.abstractmethod
    def _poll_once(self) -> ScaleReading | None:
        """Read the scale once; None when there is nothing to report (status already set)."""

    @abc.abstractmethod
    def _disconnect(self) -> None: ...

    def _report(self, state: DeviceState, reason: str) -> None:
        status = DeviceStatus(self.name, state, reason)
        if status != self._last_status:  # report changes, not every poll
            self._last_status = status
            self._call(self._on_status, status)

    def _connected(self) -> None:
        self._failures = 0
        self._report(DeviceState.CONNECTED, "")

    def _run(self) -> None:
        self._report(DeviceState.CONNECTING, "")
        while not self._stopping.is_set():
            try:
                self._connect()
                self.rule.reset()
                self._online.set()
                self._serve()
            except StoppingError:
                pass
            except DeviceUnavailableError as exc:
                self._retry_later(str(exc), DeviceState.ERROR)
            except TransportError as exc:
                self._retry_later(str(exc))
            except Exception as exc:  # a bug must not kill the thread the station relies on
                log.exception("scale %s worker failed", self.name)
                self._retry_later(f"internal error: {exc!r}")
            finally:
                self._online.clear()
                self._disconnect()
                self._fail_pending(f"scale {self.name} lost its connection")
        self._report(DeviceState.DISCONNECTED, "stopped")

    def _retry_later(self, reason: str, state: DeviceState = DeviceState.RECONNECTING) -> None:
        self._failures += 1
        delay = self._backoff.delay(self._failures)
        self._report(state, f"{reason}; retrying in {delay:g} s")
        self._stopping.wait(delay)

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                job, future = self._jobs.get_nowait()
            except queue.Empty:
                reading = self._poll_once()
                if reading is not None:
                    at = time.monotonic()
                    accepted = self.rule.feed(reading, at) is not None
                    self._call(self._on_reading, ScaleUpdate(reading, accepted, at))
                self._wake.wait(self._poll_interval_s)
                self._wake.clear()
                continue
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except ScaleError as exc:
                future.set_exception(exc)
            except BaseException as exc:
                # Callers of zero()/tare() get ScaleError whatever went wrong; the worker
                # reconnects (port gone) or stops.
                future.set_exception(ScaleError(str(exc) or repr(exc)))
                raise
            # A zero or tare changes the weight: earlier readings must not count towards it.
            self.rule.reset()

    def _fail_pending(self, reason: str) -> None:
        while True:
            try:
                _, future = self._jobs.get_nowait()
            except queue.Empty:
                return
            if future.set_running_or_notify_cancel():
                future.set_exception(ScaleError(reason))

    def _call(self, listener: Callable[[_T], None], value: _T) -> None:
        try:
            listener(value)
        except Exception:  # a listener's bug must not stop the scale
            log.exception("scale %s: listener %r failed", self.name, listener)
