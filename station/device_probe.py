"""One-off device checks for the devices screen: read a weight, print a test label, take a frame.

Each check takes the role's config dataclass as the screen has it (edited, perhaps not saved),
does its I/O on the caller's thread (the screen runs it on a worker, never on the GUI thread)
and either returns what the device gave or raises :class:`ProbeError` with the cause in words
a technician acts on: the port is missing, permission denied, no answer within the time-out,
connection refused, the printer's own reason. The checks go through the same drivers the
running station uses; an ``emulated`` kind starts its emulator for the check and closes it.
"""

from __future__ import annotations

import glob
import queue
import re
import time
from dataclasses import dataclass

from drivers.base import DeviceState, DeviceStatus
from drivers.camera.model import CameraError, Image
from drivers.registry import (
    NONE,
    SCALE_PROTOCOLS,
    CameraDeviceConfig,
    DeviceConfigError,
    Listeners,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    build_registry,
)
from drivers.scale.model import ScaleError, ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from drivers.transport.serial_port import PortInfo, list_ports

SCALE_TIMEOUT_S = 5.0
CAMERA_TIMEOUT_S = 10.0

_NO_WEIGHT = {
    ScaleState.OVERLOAD: "the scale is overloaded",
    ScaleState.UNDERLOAD: "the scale is under its range (is the platter on?)",
    ScaleState.FAULT: "the scale reports a fault",
    ScaleState.NEGATIVE: "the scale shows a weight below zero (zero it, or put the platter on)",
    ScaleState.MOVING: "the scale is moving and sends no weight until it settles",
    ScaleState.UNKNOWN: "the scale sent a weight that cannot be read (is the protocol right?)",
}


class ProbeError(Exception):
    """A device check that did not give its answer; the message says why."""


@dataclass(frozen=True)
class Detected:
    """What this machine offers to choose from: serial ports and camera devices."""

    ports: tuple[PortInfo, ...]
    cameras: tuple[str, ...]


def detect() -> Detected:
    """Serial ports (pyserial's list) and video devices; opens nothing."""
    cameras = tuple(sorted(glob.glob("/dev/video*")))
    return Detected(tuple(list_ports()), cameras)


def with_hint(message: str) -> str:
    """Add the usual fix to the errors a technician meets most (and say the cause once:
    pyserial repeats the port and the errno in its own words)."""
    message = re.sub(r"\[Errno \d+\] ", "", message)
    message = re.sub(r"(cannot open port (\S+): )could not open port \2: ", r"\1", message)
    if "Permission denied" in message:
        return message + " (on Linux: add the user to the dialout group, then log in again)"
    if "No such file or directory" in message:
        return message + " (the port is missing: is the device plugged in? choose a detected port)"
    if "Connection refused" in message:
        return message + " (nothing listens there: check the host and port, and the printer)"
    return message


# --- scale ------------------------------------------------------------------------------


def read_scale(config: ScaleDeviceConfig, timeout_s: float = SCALE_TIMEOUT_S) -> ScaleReading:
    """One reading from the scale ``config`` describes; ProbeError when none comes."""
    if config.kind == NONE:
        raise ProbeError("no scale is configured (kind none)")
    try:
        if config.kind in SCALE_PROTOCOLS:
            return _read_serial(config, config.port, SCALE_PROTOCOLS[config.kind], timeout_s)
        return _read_through_driver(config, timeout_s)
    except ScaleError as exc:
        raise ProbeError(with_hint(exc.message)) from exc
    except (DeviceConfigError, ValueError) as exc:
        raise ProbeError(str(exc)) from exc
    except OSError as exc:
        raise ProbeError(with_hint(f"cannot start the scale: {exc}")) from exc


def _read_serial(
    config: ScaleDeviceConfig, port: str, protocol: str, timeout_s: float
) -> ScaleReading:
    from drivers.scale.driver import ScaleConfig
    from drivers.scale.oneshot import read_weight

    scale = ScaleConfig(
        port=port,
        protocol=protocol,
        baudrate=config.baud or None,
        unit=config.unit or None,
        name=config.name,
    )
    return read_weight(scale, stable=False, timeout_s=timeout_s)


def _read_through_driver(config: ScaleDeviceConfig, timeout_s: float) -> ScaleReading:
    """HID and emulated scales: the registry's device, started until its first reading."""
    events: queue.Queue[ScaleUpdate | DeviceStatus] = queue.Queue()
    device = build_registry().scale(config, Listeners(on_status=events.put, on_reading=events.put))
    deadline = time.monotonic() + timeout_s
    try:
        device.start()
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = events.get(timeout=left)
            except queue.Empty:
                break
            if isinstance(event, ScaleUpdate):
                return event.reading
            if event.state in (DeviceState.ERROR, DeviceState.RECONNECTING):
                # The driver would retry; the first failure is the answer here.
                raise ProbeError(with_hint(event.reason.split("; retrying")[0]))
    finally:
        device.stop()
    raise ProbeError(f"no answer from the scale ({device.where}) within {timeout_s:g} s")


def describe_reading(reading: ScaleReading) -> str:
    """A reading in words: the weight and whether it is stable, or why there is none."""
    if reading.weight_g is not None and reading.state in (ScaleState.STABLE, ScaleState.MOVING):
        return f"{reading.weight_g:g} g  {reading.state.value}"
    why = _NO_WEIGHT.get(reading.state, f"the scale reports {reading.state}")
    detail = f" ({reading.detail})" if reading.detail else ""
    return f"no weight: {why}{detail}"


# --- printer ----------------------------------------------------------------------------


def print_test(config: PrinterDeviceConfig) -> str:
    """Send the test label (ZPL) or receipt (ESC/POS); what was done, or ProbeError."""
    from drivers.printer.factory import test_print
    from drivers.printer.lp import LpPrinter

    if config.kind == NONE:
        raise ProbeError("no printer is configured (kind none)")
    language = config.kind if config.kind in ("zpl", "escpos") else config.language
    try:
        data = test_print(language, dpi=config.dpi, profile=config.profile or "TM-T88III")
        device = build_registry().printer(config, Listeners())
    except (DeviceConfigError, ValueError) as exc:
        raise ProbeError(str(exc)) from exc
    except OSError as exc:
        raise ProbeError(f"cannot start the printer: {exc}") from exc
    try:
        driver = device.driver
        if isinstance(driver, LpPrinter):
            # A spooler says nothing of the printer: the person asked for this print.
            result = driver.print_bytes(data, raw=True)
        else:
            result = driver.print_job(data)
    finally:
        device.stop()
    if not result.sent:
        raise ProbeError(with_hint(f"the printer did not take the test print: {result.reason}"))
    what = "label" if language == "zpl" else "receipt"
    return f"test {what} sent to {device.where}: {result.reason}"


# --- camera -----------------------------------------------------------------------------


def grab_frame(config: CameraDeviceConfig, timeout_s: float = CAMERA_TIMEOUT_S) -> Image:
    """One frame from the camera ``config`` describes (after a few, for the exposure)."""
    from drivers.camera.oneshot import take_snapshot

    if config.kind == NONE:
        raise ProbeError("no camera is configured (kind none)")
    if not config.source.strip():
        raise ProbeError("the camera has no source: give an index, a device path or a file")
    try:
        return take_snapshot(config.source.strip(), skip=2, timeout_s=timeout_s)
    except CameraError as exc:
        raise ProbeError(with_hint(str(exc))) from exc
