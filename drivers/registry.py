"""Device kinds built from configuration: an explicit table, made by a function.

``build_registry()`` returns plain dicts from kind name to factory, one dict per role
(scanner, scale, printer, camera). Nothing is registered as an import side effect: what a
station can drive is what this function lists, and a test can build its own table.

Each factory takes the role's config dataclass (below; ``station.config`` loads them from the
``[devices.*]`` tables) and the listeners the driver reports to, and returns a
:class:`Device`: the driver, not started, with what it owns. The ``emulated`` kinds start the
matching emulator at once (a pty for a scale or scanner, a TCP port on 127.0.0.1 for a
printer) and point the real driver at it, so the demo station shows a live weight and a
printer status through the same code a bench with hardware runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, Protocol, TypeAlias, TypeVar

from drivers.base import DeviceState, DeviceStatus, ScanListener, StatusListener

if TYPE_CHECKING:
    # Driver modules are imported by the factories that use them: loading the settings (every
    # command does) must not pay for python-escpos, pyserial and the emulators.
    from drivers.printer.escpos_printer import EscposPrinter
    from drivers.printer.lp import LpPrinter
    from drivers.printer.model import PrinterStatus
    from drivers.printer.zpl import ZplPrinter
    from drivers.scale.driver import ScaleConfig
    from drivers.scale.worker import ReadingListener, ScaleWorker
    from drivers.scanner.framing import FramingConfig
    from drivers.scanner.serial_scanner import SerialScanner

log = logging.getLogger(__name__)

# The names people and configuration use, mapped to the scale drivers' own protocol names.
SCALE_PROTOCOLS: dict[str, str] = {"mt-sics": "mtsics", "nci": "nci", "toledo8217": "8217"}
NONE = "none"  # a role the station does without (no camera, say)


class DeviceConfigError(ValueError):
    """A device configuration that cannot be built; the message names the setting."""


# --- configuration ------------------------------------------------------------------------
# Flat dataclasses of TOML-friendly values: 0 and "" mean "the protocol's default" or "not
# set", because TOML has no null. Every default builds the demo's emulated device.


@dataclass(frozen=True)
class ScannerDeviceConfig:
    """``[devices.scanner]``: kind serial, wedge, camera, emulated or none."""

    kind: str = "emulated"
    port: str = ""  # serial: device path, /dev/serial/by-id link or pyserial URL
    baud: int = 9600
    suffix: str = "auto"  # cr, lf, crlf, tab or auto (CR, LF and CR LF alike)
    source: str = "0"  # camera: index, URL, video file or image sequence
    engine: str = "zxing"  # camera: the live path decodes with zxing-cpp
    name: str = "scanner"


@dataclass(frozen=True)
class ScaleDeviceConfig:
    """``[devices.scale]``: kind mt-sics, nci, toledo8217, hid, emulated or none."""

    kind: str = "emulated"
    port: str = ""  # serial kinds: device path or pyserial URL
    hid: str = ""  # hid: VID:PID in hex; empty finds the first known scale
    protocol: str = "mt-sics"  # emulated: the protocol the emulator speaks
    baud: int = 0  # 0: the protocol's default
    unit: str = "kg"  # toledo8217 sends no unit: what the scale is set to
    poll_interval_s: float = 0.2
    stable_count: int = 3
    demo_weight: str = "1.250"  # emulated: what the platter shows, in ``unit``
    name: str = "scale"


@dataclass(frozen=True)
class PrinterDeviceConfig:
    """``[devices.printer]``: kind zpl, escpos, lp, emulated or none."""

    kind: str = "emulated"
    url: str = ""  # tcp://HOST:PORT, serial:PATH, file:PATH, usb:VID:PID, cups:QUEUE; lp: queue
    language: str = "zpl"  # emulated: what the emulator answers; lp: not used
    dpi: int = 203
    profile: str = ""  # escpos: python-escpos printer profile, e.g. TM-T88III
    timeout_s: float = 3.0
    status_interval_s: float = 30.0  # 0: ask once at start only
    name: str = "printer"


@dataclass(frozen=True)
class CameraDeviceConfig:
    """``[devices.camera]``: kind opencv or none (the demo has no camera): the photo camera.

    A camera that scans is configured as ``[devices.scanner]`` kind ``camera``; give the two
    different sources, since one device opened twice gives frames to only one of them.
    """

    kind: str = NONE
    source: str = "0"  # index, URL, video file or image sequence (frames/%03d.png)
    name: str = "camera"


AnyDeviceConfig = ScannerDeviceConfig | ScaleDeviceConfig | PrinterDeviceConfig | CameraDeviceConfig


# --- what a factory returns ---------------------------------------------------------------


def _ignore(*_args: object) -> None:
    return None


PrinterStatusListener: TypeAlias = "Callable[[str, PrinterStatus], None]"


@dataclass(frozen=True)
class Listeners:
    """Where drivers report; called on the drivers' threads (the Qt bridge moves them)."""

    on_status: StatusListener = _ignore
    on_scan: ScanListener = _ignore
    on_reading: ReadingListener = _ignore
    on_printer_status: PrinterStatusListener = _ignore


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
_C = TypeVar("_C")
_R = TypeVar("_R")
Factory = Callable[[_C, Listeners], Device[_R]]


@dataclass(frozen=True)
class Registry:
    """Device factories by role and kind; see ``build_registry``."""

    scanners: dict[str, Factory[ScannerDeviceConfig, ScannerDriver]]
    scales: dict[str, Factory[ScaleDeviceConfig, ScaleWorker]]
    printers: dict[str, Factory[PrinterDeviceConfig, PrinterDriver]]
    cameras: dict[str, Factory[CameraDeviceConfig, CameraDriver]] = field(default_factory=dict)

    def kinds(self, role: str) -> tuple[str, ...]:
        """The kinds known for ``role`` (``"scanner"``, ``"scale"``, ...), ``none`` included."""
        names = {
            "scanner": list(self.scanners),
            "scale": list(self.scales),
            "printer": list(self.printers),
            "camera": list(self.cameras),
        }
        return (*names[role], NONE)

    def scanner(self, config: ScannerDeviceConfig, listeners: Listeners) -> Device[ScannerDriver]:
        """Build the configured scanner (not started)."""
        return _pick(self.scanners, "scanner", config.kind)(config, listeners)

    def scale(self, config: ScaleDeviceConfig, listeners: Listeners) -> Device[ScaleWorker]:
        """Build the configured scale (not started)."""
        return _pick(self.scales, "scale", config.kind)(config, listeners)

    def printer(self, config: PrinterDeviceConfig, listeners: Listeners) -> Device[PrinterDriver]:
        """Build the configured printer (its status watch not started)."""
        return _pick(self.printers, "printer", config.kind)(config, listeners)

    def camera(self, config: CameraDeviceConfig, listeners: Listeners) -> Device[CameraDriver]:
        """Build the configured camera (not started)."""
        return _pick(self.cameras, "camera", config.kind)(config, listeners)

    def build(self, config: AnyDeviceConfig, listeners: Listeners) -> Device[object]:
        """Build the device ``config`` describes, whatever its role (not started)."""
        if isinstance(config, ScannerDeviceConfig):
            return self.scanner(config, listeners)
        if isinstance(config, ScaleDeviceConfig):
            return self.scale(config, listeners)
        if isinstance(config, PrinterDeviceConfig):
            return self.printer(config, listeners)
        return self.camera(config, listeners)


def build_devices(
    registry: Registry, configs: Sequence[AnyDeviceConfig], listeners: Listeners
) -> tuple[list[Device[object]], list[DeviceStatus]]:
    """Build each configured device (kind ``none`` skipped), none started.

    A device that cannot be built (a bad setting, no pty on this system) does not stop the
    others: it comes back as an ERROR status with the reason, for the status bar.
    """
    devices: list[Device[object]] = []
    failures: list[DeviceStatus] = []
    for config in configs:
        if config.kind == NONE:
            continue
        try:
            devices.append(registry.build(config, listeners))
        except (DeviceConfigError, OSError) as exc:
            failures.append(DeviceStatus(config.name, DeviceState.ERROR, str(exc)))
    return devices, failures


def _pick(table: dict[str, _R], role: str, kind: str) -> _R:
    try:
        return table[kind]
    except KeyError:
        known = ", ".join(table) or "none"
        raise DeviceConfigError(f"[devices.{role}] kind {kind!r} is unknown; use {known}") from None


def build_registry() -> Registry:
    """The device kinds this station can drive."""
    scales: dict[str, Factory[ScaleDeviceConfig, ScaleWorker]] = {
        kind: _serial_scale for kind in SCALE_PROTOCOLS
    }
    scales |= {"hid": _hid_scale, "emulated": _emulated_scale}
    return Registry(
        scanners={
            "serial": _serial_scanner,
            "wedge": _wedge_scanner,
            "camera": _camera_scanner,
            "emulated": _emulated_scanner,
        },
        scales=scales,
        printers={
            "zpl": _printer,
            "escpos": _printer,
            "lp": _lp_printer,
            "emulated": _emulated_printer,
        },
        cameras={"opencv": _opencv_camera},
    )


# --- scanners ----------------------------------------------------------------------------

_SUFFIX_BYTES = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "tab": b"\t", "auto": b"\r"}


def _framing(config: ScannerDeviceConfig) -> FramingConfig:
    from drivers.scanner.framing import FramingConfig, Suffix

    try:
        return FramingConfig(suffix=Suffix(config.suffix))
    except ValueError:
        choices = ", ".join(s.value for s in Suffix)
        raise DeviceConfigError(
            f"[devices.scanner] suffix {config.suffix!r} is unknown; use {choices}"
        ) from None


def _serial_scanner(config: ScannerDeviceConfig, listeners: Listeners) -> Device[ScannerDriver]:
    from drivers.scanner.serial_scanner import SerialScanner

    port = _required(config.port, "scanner", "port", "/dev/ttyACM0")
    scanner = SerialScanner(
        port,
        on_scan=listeners.on_scan,
        on_status=listeners.on_status,
        baudrate=config.baud,
        framing=_framing(config),
        name=config.name,
    )
    return Device(
        "scanner", config.kind, config.name, describe(config), scanner, scanner.start, scanner.stop
    )


def _wedge_scanner(config: ScannerDeviceConfig, listeners: Listeners) -> Device[ScannerDriver]:
    # A keyboard-wedge scanner types into the application: the Qt event filter in ui/ reads
    # it, so there is nothing to open here; the entry exists so the kind is a known one.
    return Device("scanner", config.kind, config.name, describe(config), None)


def _emulated_scanner(config: ScannerDeviceConfig, listeners: Listeners) -> Device[ScannerDriver]:
    from drivers.scanner.emulator import SerialScannerEmulator
    from drivers.scanner.serial_scanner import SerialScanner

    framing = _framing(config)
    emulator = SerialScannerEmulator(suffix=_SUFFIX_BYTES[framing.suffix.value])
    scanner = SerialScanner(
        emulator.path,
        on_scan=listeners.on_scan,
        on_status=listeners.on_status,
        baudrate=config.baud,
        framing=framing,
        name=config.name,
    )
    return Device(
        "scanner",
        config.kind,
        config.name,
        f"emulated serial scanner on {emulator.path}",
        scanner,
        scanner.start,
        _stop_then(scanner.stop, emulator.close),
        emulator,
    )


# --- scales ------------------------------------------------------------------------------


def parse_vid_pid(text: str) -> tuple[int, int]:
    """``"0922:8003"`` -> ``(0x0922, 0x8003)``; ValueError says what was expected."""
    vid, sep, pid = text.strip().partition(":")
    try:
        if not sep:
            raise ValueError(text)
        ids = int(vid, 16), int(pid, 16)
    except ValueError:
        raise ValueError(f"{text!r} is not VID:PID in hex, e.g. 0922:8003") from None
    if not all(0 <= i <= 0xFFFF for i in ids):
        raise ValueError(f"{text!r}: vendor and product ids are 4 hex digits at most")
    return ids


def _scale_config(config: ScaleDeviceConfig, port: str, protocol: str) -> ScaleConfig:
    from drivers.scale.driver import ScaleConfig

    scale = ScaleConfig(
        port=port,
        protocol=protocol,
        baudrate=config.baud or None,
        unit=config.unit or None,
        name=config.name,
        stable_count=config.stable_count,
        poll_interval_s=config.poll_interval_s,
    )
    try:
        scale.serial_protocol()  # the 8217 needs a unit: say so now, not on the first poll
    except ValueError as exc:
        raise DeviceConfigError(f"[devices.scale] {exc}") from exc
    return scale


def _serial_scale(config: ScaleDeviceConfig, listeners: Listeners) -> Device[ScaleWorker]:
    from drivers.scale.driver import ScaleDriver

    port = _required(config.port, "scale", "port", "/dev/ttyUSB0")
    scale = _scale_config(config, port, SCALE_PROTOCOLS[config.kind])
    driver = ScaleDriver.from_config(scale, listeners.on_reading, listeners.on_status)
    return Device(
        "scale", config.kind, config.name, describe(config), driver, driver.start, driver.stop
    )


def _hid_scale(config: ScaleDeviceConfig, listeners: Listeners) -> Device[ScaleWorker]:
    from drivers.scale.hid_driver import HidScaleDriver

    vendor_id = product_id = None
    if config.hid:
        try:
            vendor_id, product_id = parse_vid_pid(config.hid)
        except ValueError as exc:
            raise DeviceConfigError(f"[devices.scale] hid: {exc}") from exc
    driver = HidScaleDriver(
        listeners.on_reading,
        listeners.on_status,
        vendor_id=vendor_id,
        product_id=product_id,
        poll_interval_s=config.poll_interval_s,
        stable_count=config.stable_count,
        name=config.name,
    )
    return Device(
        "scale", config.kind, config.name, describe(config), driver, driver.start, driver.stop
    )


def _emulated_scale(config: ScaleDeviceConfig, listeners: Listeners) -> Device[ScaleWorker]:
    from drivers.scale.driver import ScaleDriver
    from drivers.scale.emulator import ScaleEmulator

    if config.protocol not in SCALE_PROTOCOLS:
        known = ", ".join(SCALE_PROTOCOLS)
        raise DeviceConfigError(
            f"[devices.scale] protocol {config.protocol!r} is unknown; use {known}"
        )
    protocol = SCALE_PROTOCOLS[config.protocol]
    emulator = ScaleEmulator(protocol, weight=config.demo_weight, unit=config.unit or "kg")
    try:
        scale = _scale_config(config, emulator.port, protocol)
        driver = ScaleDriver.from_config(scale, listeners.on_reading, listeners.on_status)
    except BaseException:
        emulator.close()
        raise
    emulator.start()
    return Device(
        "scale",
        config.kind,
        config.name,
        f"emulated {config.protocol} scale on {emulator.port}",
        driver,
        driver.start,
        _stop_then(driver.stop, emulator.close),
        emulator,
    )


# --- printers ----------------------------------------------------------------------------


def _printer_driver(config: PrinterDeviceConfig, url: str, language: str) -> PrinterDriver:
    from drivers.printer.escpos_printer import EscposPrinter
    from drivers.printer.zpl import ZplPrinter

    try:
        if language == "zpl":
            return ZplPrinter(url, timeout=config.timeout_s)
        return EscposPrinter(url, profile=config.profile or None, timeout=config.timeout_s)
    except ValueError as exc:
        raise DeviceConfigError(f"[devices.printer] url: {exc}") from exc


def _printer(config: PrinterDeviceConfig, listeners: Listeners) -> Device[PrinterDriver]:
    url = _required(config.url, "printer", "url", "tcp://192.168.1.50:9100")
    driver = _printer_driver(config, url, config.kind)
    watch = PrinterWatch(config.name, driver, config.status_interval_s, listeners)
    return Device(
        "printer", config.kind, config.name, describe(config), driver, watch.start, watch.stop
    )


def _lp_printer(config: PrinterDeviceConfig, listeners: Listeners) -> Device[PrinterDriver]:
    from drivers.printer.lp import LpPrinter

    queue = _required(config.url, "printer", "url", "cups:Office").removeprefix("cups:")
    driver = LpPrinter(queue)

    def start() -> None:
        # A spooler never tells the printer's state: asking it again and again would only
        # repeat "unknown", so the status bar says once what it is.
        listeners.on_status(DeviceStatus(config.name, DeviceState.CONNECTED, describe(config)))

    return Device("printer", config.kind, config.name, describe(config), driver, start)


def _emulated_printer(config: PrinterDeviceConfig, listeners: Listeners) -> Device[PrinterDriver]:
    from drivers.printer.emulator import Language, TcpPrinterEmulator

    try:
        language = Language(config.language)
    except ValueError:
        raise DeviceConfigError(
            f"[devices.printer] language {config.language!r} is unknown; use zpl or escpos"
        ) from None
    emulator = TcpPrinterEmulator(language)
    driver = _printer_driver(config, emulator.url, language.value)
    watch = PrinterWatch(config.name, driver, config.status_interval_s, listeners)
    return Device(
        "printer",
        config.kind,
        config.name,
        f"emulated {language.value} printer at {emulator.url}",
        driver,
        watch.start,
        _stop_then(watch.stop, emulator.close),
        emulator,
    )


class PrinterWatch:
    """Asks a printer for its status on a thread of its own: at start, then every interval.

    Reports the status both as it is (``on_printer_status``) and as a device state: CONNECTED
    when the printer said it is ready, ERROR with its reason otherwise (silence included:
    unknown is never "fine"). ``interval_s`` <= 0 asks once.
    """

    def __init__(
        self, name: str, printer: PrinterDriver, interval_s: float, listeners: Listeners
    ) -> None:
        self.name = name
        self._printer = printer
        self._interval_s = interval_s
        self._listeners = listeners
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start asking."""
        if self._thread is not None:
            raise RuntimeError(f"printer {self.name} status watch already started")
        self._thread = threading.Thread(target=self._run, name=f"printer-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop asking; waits for a query in progress up to ``timeout_s``."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("printer %s: status query still running at stop", self.name)

    def _run(self) -> None:
        from drivers.printer.model import refusal_reason

        while not self._stopping.is_set():
            status = self._printer.status()
            if self._stopping.is_set():
                return  # the station is closing: nobody wants this answer any more
            refusal = refusal_reason(status)
            state = DeviceState.CONNECTED if refusal is None else DeviceState.ERROR
            try:
                self._listeners.on_printer_status(self.name, status)
                self._listeners.on_status(
                    DeviceStatus(self.name, state, refusal or status.reason or "ready")
                )
            except Exception:  # a listener's bug must not end the watch
                log.exception("printer %s: status listener failed", self.name)
            if self._interval_s <= 0 or self._stopping.wait(self._interval_s):
                return


# --- cameras -----------------------------------------------------------------------------


def _camera_scanner(config: ScannerDeviceConfig, listeners: Listeners) -> Device[ScannerDriver]:
    from drivers.camera.capture import Camera, CameraConfig
    from drivers.camera.decode import Decoded
    from drivers.camera.scanner import CameraScanner

    if config.engine != "zxing":
        raise DeviceConfigError(
            f"[devices.scanner] engine {config.engine!r}: live camera scanning decodes with "
            "zxing-cpp only (engine = 'zxing'); zbar is offered by `station decode`"
        )

    def on_code(code: Decoded) -> None:
        # As a serial scanner set to send AIM identifiers would: prefix and text.
        listeners.on_scan(code.scanned, code.symbology)

    scanner = CameraScanner(on_code, name=config.name)
    camera = Camera(
        CameraConfig(config.source, name=config.name), scanner.submit, listeners.on_status
    )

    def start() -> None:
        scanner.start()
        try:
            camera.start()
        except BaseException:
            scanner.stop()
            raise

    # The camera stops first, so no frame arrives for a decoder that is gone.
    stop = _stop_then(camera.stop, scanner.stop)
    return Device("scanner", config.kind, config.name, describe(config), scanner, start, stop)


def _opencv_camera(config: CameraDeviceConfig, listeners: Listeners) -> Device[CameraDriver]:
    from drivers.camera.capture import Camera, CameraConfig

    # Frames are not passed on: the photo proof takes camera.snapshot() when it needs one.
    camera = Camera(CameraConfig(config.source, name=config.name), _ignore, listeners.on_status)
    return Device(
        "camera", config.kind, config.name, describe(config), camera, camera.start, camera.stop
    )


# --- helpers -----------------------------------------------------------------------------


def _required(value: str, role: str, key: str, example: str) -> str:
    if not value.strip():
        raise DeviceConfigError(
            f"[devices.{role}] {key} is required for this kind, e.g. {example!r}"
        )
    return value.strip()


def _stop_then(stop: Callable[[], None], release: Callable[[], None]) -> Callable[[], None]:
    """Stop the driver first (so it does not see its emulator vanish as an unplug), then
    release the emulator, even if stopping failed."""

    def both() -> None:
        try:
            stop()
        finally:
            release()

    return both


def describe(config: AnyDeviceConfig) -> str:
    """Where a configured device is, in words, without opening or starting anything."""
    kind = config.kind
    if kind == NONE:
        return "not configured"
    if isinstance(config, ScannerDeviceConfig):
        return {
            "serial": f"{config.port} at {config.baud} baud",
            "wedge": "keyboard wedge (read by the window)",
            "camera": f"camera {config.source} ({config.engine})",
            "emulated": "emulated serial scanner on a pty",
        }.get(kind, kind)
    if isinstance(config, ScaleDeviceConfig):
        if kind == "hid":
            return f"USB HID scale {config.hid or '(first known scale)'}"
        if kind == "emulated":
            return f"emulated {config.protocol} scale on a pty"
        baud = f" at {config.baud} baud" if config.baud else ""
        return f"{config.port} ({kind}{baud})"
    if isinstance(config, PrinterDeviceConfig):
        if kind == "lp":
            return f"CUPS queue {config.url.removeprefix('cups:')} (no printer status)"
        if kind == "emulated":
            return f"emulated {config.language} printer on 127.0.0.1"
        return config.url
    return f"OpenCV source {config.source}"
