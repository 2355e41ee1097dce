"""Scanner factories: serial, keyboard wedge and emulated (the camera scanner is in cameras)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drivers.registry.config import DeviceConfigError, ScannerDeviceConfig, _required, describe
from drivers.registry.device import Device, Listeners, ScannerDriver, _stop_then

if TYPE_CHECKING:
    from drivers.scanner.framing import FramingConfig

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
