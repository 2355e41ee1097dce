"""What each device role is configured with, and how a configuration reads in words.

Flat dataclasses of TOML-friendly values (``station.config`` loads them from the
``[devices.*]`` tables): 0 and "" mean "the protocol's default" or "not set", because TOML
has no null. Every default builds the demo's emulated device. Nothing here opens a device.
"""

from __future__ import annotations

from dataclasses import dataclass

# The names people and configuration use, mapped to the scale drivers' own protocol names.
SCALE_PROTOCOLS: dict[str, str] = {"mt-sics": "mtsics", "nci": "nci", "toledo8217": "8217"}
NONE = "none"  # a role the station does without (no camera, say)


class DeviceConfigError(ValueError):
    """A device configuration that cannot be built; the message names the setting."""


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


def _required(value: str, role: str, key: str, example: str) -> str:
    if not value.strip():
        raise DeviceConfigError(
            f"[devices.{role}] {key} is required for this kind, e.g. {example!r}"
        )
    return value.strip()


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
