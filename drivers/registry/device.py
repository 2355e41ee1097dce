"""What a factory returns: a built :class:`Device`, and the :class:`Listeners` it reports to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeAlias, TypeVar

from drivers.base import ScanListener, StatusListener

if TYPE_CHECKING:
    from drivers.camera.model import Frame

    # Driver modules are imported by the factories that use them: loading the settings (every
    # command does) must not pay for python-escpos, pyserial and the emulators.
    from drivers.printer.escpos_printer import EscposPrinter
    from drivers.printer.lp import LpPrinter
    from drivers.printer.model import PrinterStatus
    from drivers.printer.zpl import ZplPrinter
    from drivers.scale.worker import ReadingListener
    from drivers.scanner.serial_scanner import SerialScanner


def _ignore(*_args: object) -> None:
    return None


PrinterStatusListener: TypeAlias = "Callable[[str, PrinterStatus], None]"
# (role of the camera: "scanner" or "camera", frame); on the capture thread, so it must be quick.
RoleFrameListener: TypeAlias = "Callable[[str, Frame], None]"


@dataclass(frozen=True)
class Listeners:
    """Where drivers report; called on the drivers' threads (the Qt bridge moves them)."""

    on_status: StatusListener = _ignore
    on_scan: ScanListener = _ignore
    on_reading: ReadingListener = _ignore
    on_printer_status: PrinterStatusListener = _ignore
    on_frame: RoleFrameListener = _ignore  # every captured frame, e.g. for a live preview


_D_co = TypeVar("_D_co", covariant=True)


@dataclass(frozen=True, eq=False)
class Device(Generic[_D_co]):
    """A built device: its driver (not started), where it is, and how to run and release it.

    ``stop()`` stops the driver and then closes what the factory started for it (an
    emulator), so it must be called even for a device that was never started.
    ``emulator`` is the emulator of an ``emulated`` kind (tests and the demo drive it).
    """

    role: str
    kind: str
    name: str
    where: str
    driver: _D_co
    start: Callable[[], None] = _ignore
    stop: Callable[[], None] = _ignore
    emulator: object | None = None


class CameraDriver(Protocol):
    """A camera driver runs on its own thread between ``start()`` and ``stop()``."""

    def start(self) -> None:
        """Open the source and start capturing."""

    def stop(self) -> None:
        """Stop capturing and release the source."""


# None: a keyboard wedge, which the window reads itself.
ScannerDriver: TypeAlias = "SerialScanner | CameraDriver | None"
PrinterDriver: TypeAlias = "ZplPrinter | EscposPrinter | LpPrinter"


def _stop_then(stop: Callable[[], None], release: Callable[[], None]) -> Callable[[], None]:
    """Stop the driver first (so it does not see its emulator vanish as an unplug), then
    release the emulator, even if stopping failed."""

    def both() -> None:
        try:
            stop()
        finally:
            release()

    return both
