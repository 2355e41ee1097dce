"""The simulated bench's devices: emulators on a pty and a TCP port, each read by its driver.

Used by ``station simulate`` (``station.tools.simulate.packer.Packer``) and ``station bench pack``.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from contextlib import ExitStack
from decimal import Decimal

import numpy as np

from drivers.base import DeviceState, DeviceStatus
from drivers.printer.emulator import Language, TcpPrinterEmulator
from drivers.registry import (
    Listeners,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
    build_registry,
)
from drivers.scale.emulator import ScaleEmulator
from drivers.scale.worker import ScaleUpdate
from drivers.scanner.emulator import SerialScannerEmulator
from station.config import Settings
from station.db import Database
from station.photos import Image
from station.printing.printers import ConfiguredPrinters
from station.printing.queue import PrinterFactory, PrintQueue
from station.printing.worker import PrintWorker

DEVICE_TIMEOUT_S = 10.0  # a device that answers nothing in this long fails the run


class SimulationError(RuntimeError):
    """The engine answered something the simulated packer did not expect (a real finding)."""


class UnsettledError(SimulationError):
    """The scale did not settle at the weight put on it in time; ``last`` is what it said
    last (None if nothing), for the weighing to be recorded as unsettled and retried."""

    def __init__(self, grams: float, last: ScaleUpdate | None) -> None:
        super().__init__(f"the scale driver never settled at {grams:.0f} g")
        self.last = last


class Rig:
    """The bench's devices, emulated, each read through its real driver.

    A serial scanner on a pty, an MT-SICS scale on a pty (polled by the scale driver, weights
    taken by its stable-weight rule), a camera frame, and a ZPL or ESC/POS printer on a TCP
    port that the print queue's worker sends to. Jobs name the printer ``printer`` (the
    bench's configured name), so they look exactly like the bench's own. ``wrap`` lets the
    benchmark see the printer driver the worker uses. ``close()`` stops everything.
    """

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        printer: str,
        language: str,
        frame_size: tuple[int, int] = (1280, 720),
        seed: int = 1,
        wrap: Callable[[PrinterFactory], PrinterFactory] | None = None,
        settle_s: float = DEVICE_TIMEOUT_S,
    ) -> None:
        self._stack = ExitStack()
        self._scans: queue.Queue[str] = queue.Queue()
        self._stable = threading.Condition()
        self._accepted: ScaleUpdate | None = None  # the newest reading the rule accepted
        self._last: ScaleUpdate | None = None  # the newest reading of any kind
        self.settle_s = settle_s
        self._scanner_up = threading.Event()
        self._frame = synthetic_frame(*frame_size, seed=seed)
        registry = build_registry()
        try:
            scanner = registry.scanner(
                ScannerDeviceConfig(kind="emulated", name="sim-scanner"),
                Listeners(on_scan=self._on_scan, on_status=self._on_status),
            )
            self._stack.callback(scanner.stop)
            assert isinstance(scanner.emulator, SerialScannerEmulator)
            self.scanner = scanner.emulator
            scale = registry.scale(
                ScaleDeviceConfig(
                    kind="emulated",
                    protocol="mt-sics",
                    unit="kg",
                    poll_interval_s=0.02,
                    stable_count=settings.weight.stable_readings,
                    demo_weight="0.000",
                    name="sim-scale",
                ),
                Listeners(on_reading=self._on_reading),
            )
            self._stack.callback(scale.stop)
            assert isinstance(scale.emulator, ScaleEmulator)
            self.scale = scale.emulator
            self.printer = self._stack.enter_context(TcpPrinterEmulator(Language(language)))
            config = PrinterDeviceConfig(
                kind=language, url=self.printer.url, name=printer, status_interval_s=0
            )
            printers = ConfiguredPrinters(config, registry)
            self._stack.callback(printers.close)
            factory: PrinterFactory = wrap(printers) if wrap else printers
            self.queue = PrintQueue(db, factory, settings.station_name)
            self.worker = PrintWorker(self.queue, poll_s=0.05, max_backoff_s=0.5)
            scanner.start()
            scale.start()
            if not self._scanner_up.wait(DEVICE_TIMEOUT_S):
                raise SimulationError("the emulated scanner did not connect")
        except BaseException:
            self._stack.close()
            raise

    def start_printing(self) -> None:
        """Start the print worker (``WorkerBusyError`` when the station app runs one)."""
        self.worker.start()
        self._stack.callback(self.worker.stop)

    def close(self) -> None:
        """Stop the worker, the drivers and the emulators (in the reverse order)."""
        self._stack.close()

    def scan(self, code: str) -> str:
        """Send ``code`` from the emulated scanner; what the driver delivered."""
        self.scanner.send(code)
        try:
            return self._scans.get(timeout=DEVICE_TIMEOUT_S)
        except queue.Empty:
            raise SimulationError(f"the scanner driver never delivered {code!r}") from None

    def put_on_scale(self, grams: float) -> float:
        """What the platter shows from now on (1 g resolution, as an MT-SICS kg display); the
        grams as displayed (what a settled reading will say)."""
        shown = f"{max(grams, 0.0) / 1000:.3f}"
        self.scale.set_weight(shown)
        # The display's own rounding, not round(grams): 1891.5 g may show as 1.891 kg.
        return float(Decimal(shown) * 1000)

    def weigh(self, grams: float) -> ScaleUpdate:
        """Put ``grams`` on the scale and wait for the stable-weight rule to accept it."""
        return self.stable_reading(self.put_on_scale(grams))

    def stable_reading(self, grams: float) -> ScaleUpdate:
        """The reading the driver's stable-weight rule accepted at ``grams`` (waits for it);
        :class:`UnsettledError` when none came within ``settle_s``."""

        def settled() -> bool:
            r = self._accepted.reading if self._accepted is not None else None
            return r is not None and r.weight_g is not None and abs(r.weight_g - grams) < 0.5

        with self._stable:
            if not self._stable.wait_for(settled, self.settle_s):
                raise UnsettledError(grams, self._last)
            assert self._accepted is not None
            return self._accepted

    def snapshot(self) -> Image:
        """The camera's newest frame (the same generated picture each time)."""
        return self._frame

    def _on_scan(self, data: str, _symbology: str | None) -> None:
        self._scans.put(data)

    def _on_status(self, status: DeviceStatus) -> None:
        if status.state is DeviceState.CONNECTED:
            self._scanner_up.set()

    def _on_reading(self, update: ScaleUpdate) -> None:
        with self._stable:
            self._last = update
            if update.accepted:
                self._accepted = update
                self._stable.notify_all()


def synthetic_frame(width: int, height: int, *, seed: int) -> Image:
    """A BGR picture with gradients, a grid and sensor noise: something for JPEG to encode."""
    y, x = np.mgrid[0:height, 0:width]
    image = np.empty((height, width, 3), np.uint8)
    image[..., 0] = (x * 255 // width).astype(np.uint8)
    image[..., 1] = (y * 255 // height).astype(np.uint8)
    image[..., 2] = ((x // 48 + y // 48) % 2 * 160).astype(np.uint8)
    noise = np.random.default_rng(seed).integers(0, 24, (height, width, 3), dtype=np.uint8)
    image |= noise  # cheap texture; stays within uint8
    return image
