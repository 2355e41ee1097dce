"""USB HID point-of-sale scales read through hidapi (the ``hidapi`` package, module ``hid``).

``hid`` is imported when the driver connects, not at import time: a station without a HID
scale needs neither the package nor its libusb/hidraw back-end, and the status bar says what
is missing instead of the station failing to start.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Protocol, cast

from drivers.backoff import Backoff
from drivers.base import StatusListener, TransportError
from drivers.scale import hidpos
from drivers.scale.model import CodecError, CommandReply, ScaleReading
from drivers.scale.worker import DeviceUnavailableError, ReadingListener, ScaleWorker

_REPORT_SIZE = 64  # hidapi wants a buffer size; scale reports are 6 bytes
_FIRST_REPORT_MS = 1000
_DRAIN_MS = 20
_MAX_DRAIN = 32


class HidDevice(Protocol):
    """The part of ``hid.device`` the driver uses."""

    def open_path(self, path: bytes) -> None: ...

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]: ...

    def write(self, buff: bytes) -> int: ...

    def close(self) -> None: ...


class HidApi(Protocol):
    """The part of the ``hid`` module the driver uses."""

    def device(self) -> HidDevice: ...

    def enumerate(self, vendor_id: int = 0, product_id: int = 0) -> list[dict[str, Any]]: ...


def _import_hid() -> HidApi:
    try:
        import hid
    except ImportError as exc:
        raise DeviceUnavailableError(
            "USB HID scales need the hidapi package (pip install hidapi), which is not "
            f"installed: {exc}"
        ) from exc
    return cast(HidApi, hid)


class HidScaleDriver(ScaleWorker):
    """A USB HID POS scale polled on a worker thread.

    Finds the first known scale (or the configured vendor/product id), reads input reports,
    and zeroes with output report ``02 02``.
    """

    def __init__(
        self,
        on_reading: ReadingListener,
        on_status: StatusListener,
        *,
        vendor_id: int | None = None,
        product_id: int | None = None,
        hid_api: Callable[[], HidApi] = _import_hid,
        poll_interval_s: float = 0.2,
        stable_count: int = 3,
        backoff: Backoff | None = None,
        name: str = "scale",
    ) -> None:
        super().__init__(
            name,
            on_reading,
            on_status,
            poll_interval_s=poll_interval_s,
            stable_count=stable_count,
            backoff=backoff or Backoff(),
        )
        self._wanted = (vendor_id, product_id)
        self._hid_api = hid_api
        self._device: HidDevice | None = None
        self._label = ""
        self._last: ScaleReading | None = None

    def zero(self) -> Future[CommandReply]:
        """Queue a zero (output report 2, value 2)."""
        return self.submit(self._zero)

    def _zero(self) -> CommandReply:
        device = self._require_device()
        try:
            written = device.write(hidpos.ZERO_REPORT)
        except OSError as exc:
            raise TransportError(f"{self._label} vanished: {exc}") from exc
        if written < 0:
            return CommandReply(False, "the scale refused the zero report", "")
        return CommandReply(True, "zero report sent", hidpos.ZERO_REPORT.hex(" "))

    def _connect(self) -> None:
        hid = self._hid_api()
        info = self._find(hid)
        self._label = f"{info.get('product_string') or 'HID scale'} ({_vid_pid(info)})"
        device = hid.device()
        try:
            device.open_path(info["path"])
        except OSError as exc:
            raise TransportError(f"cannot open {self._label}: {exc}") from exc
        self._device = device
        # The first report after opening can be one the scale queued long ago: read it and
        # throw it away, and take the second as the current state.
        self._read(_FIRST_REPORT_MS)
        self._last = self._read(_FIRST_REPORT_MS)
        if self._last is None:
            raise TransportError(f"{self._label} sent no report within {_FIRST_REPORT_MS} ms")

    def _find(self, hid: HidApi) -> dict[str, Any]:
        vendor_id, product_id = self._wanted
        for info in hid.enumerate(vendor_id or 0, product_id or 0):
            key = (info.get("vendor_id"), info.get("product_id"))
            if vendor_id is not None or key in hidpos.KNOWN_DEVICES:
                return info
        wanted = (
            f"{vendor_id:04x}:{product_id or 0:04x}"
            if vendor_id is not None
            else ", ".join(f"{v:04x}:{p:04x} {n}" for (v, p), n in hidpos.KNOWN_DEVICES.items())
        )
        raise DeviceUnavailableError(f"no USB HID scale found (looked for {wanted})")

    def _disconnect(self) -> None:
        if self._device is not None:
            self._device.close()
            self._device = None

    def _poll_once(self) -> ScaleReading | None:
        # Scales send a report when their state changes, not on request: take the newest
        # report waiting, or repeat the last one (the state has not changed since).
        for _ in range(_MAX_DRAIN):  # bounded: a scale that streams must not stall commands
            reading = self._read(_DRAIN_MS)
            if reading is None:
                break
            self._last = reading
        if self._last is not None:
            self._connected()
        return self._last

    def _read(self, timeout_ms: int) -> ScaleReading | None:
        device = self._require_device()
        try:
            report = device.read(_REPORT_SIZE, timeout_ms)
        except (OSError, ValueError) as exc:
            raise TransportError(f"{self._label} vanished (unplugged?): {exc}") from exc
        if not report:
            return None
        try:
            return hidpos.decode(bytes(report))
        except CodecError:
            return None  # another report of the device (not scale data): not ours to read

    def _require_device(self) -> HidDevice:
        if self._device is None:
            raise TransportError(f"scale {self.name} is not connected")
        return self._device


def _vid_pid(info: dict[str, Any]) -> str:
    return f"{info.get('vendor_id', 0):04x}:{info.get('product_id', 0):04x}"
