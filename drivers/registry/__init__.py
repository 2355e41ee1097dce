"""Device kinds built from configuration: an explicit table, made by a function.

``build_registry()`` returns plain dicts from kind name to factory, one dict per role
(scanner, scale, printer, camera). Nothing is registered as an import side effect: what a
station can drive is what this function lists, and a test can build its own table.

Each factory takes the role's config dataclass (``config``; ``station.config`` loads them from
the ``[devices.*]`` tables) and the listeners the driver reports to, and returns a
:class:`Device`: the driver, not started, with what it owns. The ``emulated`` kinds start the
matching emulator at once (a pty for a scale or scanner, a TCP port on 127.0.0.1 for a
printer) and point the real driver at it, so the demo station shows a live weight and a
printer status through the same code a bench with hardware runs.

The package holds the registry here and the rest in modules named for it: ``config`` (the
dataclasses, ``describe``), ``device`` (what a factory returns), and the factories by role in
``scanners``, ``scales``, ``printers`` (with ``PrinterWatch``) and ``cameras``. Each factory
imports its driver modules when it runs, so importing this package stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from drivers.base import DeviceState, DeviceStatus
from drivers.registry.cameras import _camera_scanner, _opencv_camera
from drivers.registry.config import (
    NONE,
    SCALE_PROTOCOLS,
    AnyDeviceConfig,
    CameraDeviceConfig,
    DeviceConfigError,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
    describe,
    parse_vid_pid,
)
from drivers.registry.device import (
    CameraDriver,
    Device,
    Listeners,
    PrinterDriver,
    PrinterStatusListener,
    ScannerDriver,
)
from drivers.registry.printers import PrinterWatch, _emulated_printer, _lp_printer, _printer
from drivers.registry.scales import _emulated_scale, _hid_scale, _serial_scale
from drivers.registry.scanners import _emulated_scanner, _serial_scanner, _wedge_scanner

if TYPE_CHECKING:
    from drivers.scale.worker import ScaleWorker

__all__ = [
    "NONE",
    "SCALE_PROTOCOLS",
    "AnyDeviceConfig",
    "CameraDeviceConfig",
    "CameraDriver",
    "Device",
    "DeviceConfigError",
    "Factory",
    "Listeners",
    "PrinterDeviceConfig",
    "PrinterDriver",
    "PrinterStatusListener",
    "PrinterWatch",
    "Registry",
    "ScaleDeviceConfig",
    "ScannerDeviceConfig",
    "ScannerDriver",
    "build_devices",
    "build_registry",
    "describe",
    "parse_vid_pid",
]

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
