"""``station devices``: the technician's tool to see each device of a bench work.

    station devices list [--json]
    station devices scale read (--port URL_OR_PATH --protocol P | --hid VID:PID) [--stable] ...
    station devices scanner listen --port URL_OR_PATH [--baud N] --count N [--timeout S]
    station devices printer status --url URL --language {zpl,escpos} [--json]
    station devices printer test --url URL --language {zpl,escpos}
    station devices camera snapshot --source SRC -o FILE [--skip N] [--timeout S]

Names and JSON keys are an interface (scripts and support notes use them): keep them stable.
Exit status: 0 when the device did what was asked, 1 when it did not (the reason is printed:
port missing, permission denied, time-out, refused...), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from drivers.base import DeviceState, DeviceStatus, TransportError
from drivers.registry import SCALE_PROTOCOLS, describe, parse_vid_pid
from drivers.scale.model import ScaleError, ScaleReading, ScaleState
from station.config import Settings

_NO_WEIGHT = {
    ScaleState.OVERLOAD: "the scale is overloaded",
    ScaleState.UNDERLOAD: "the scale is under its range (is the platter on?)",
    ScaleState.FAULT: "the scale reports a fault",
    ScaleState.NEGATIVE: "the scale shows a weight below zero (zero it, or put the platter on)",
    ScaleState.MOVING: "the scale is moving and sends no weight until it settles (try --stable)",
    ScaleState.UNKNOWN: "the scale sent a weight that cannot be read",
}
CAMERA_INDICES = range(4)


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``devices`` and its sub-commands to the ``station`` parser."""
    parser = sub.add_parser("devices", help="list and test scanners, scales, printers, cameras")
    groups = parser.add_subparsers(dest="device", required=True, metavar="DEVICE")

    listing = groups.add_parser("list", help="serial ports, configured devices, cameras")
    listing.add_argument("--json", action="store_true", help="one JSON object")
    listing.set_defaults(handler=run_list)

    scale = groups.add_parser("scale", help="read a scale").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    read = scale.add_parser("read", help="read one weight")
    where = read.add_mutually_exclusive_group(required=True)
    where.add_argument("--port", help="serial device path or pyserial URL (socket://...)")
    where.add_argument("--hid", metavar="VID:PID", help="USB HID POS scale, ids in hex")
    read.add_argument("--protocol", choices=list(SCALE_PROTOCOLS), help="required with --port")
    read.add_argument("--baud", type=int, help="the protocol's default if not given")
    read.add_argument("--unit", choices=("kg", "lb", "g"), help="toledo8217: the scale's unit")
    read.add_argument("--stable", action="store_true", help="wait for a stable weight")
    read.add_argument("--timeout", type=float, default=5.0, metavar="S", help="default 5")
    read.add_argument("--json", action="store_true")
    read.set_defaults(handler=run_scale_read)

    scanner = groups.add_parser("scanner", help="read a serial scanner").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    listen = scanner.add_parser("listen", help="print scans as they arrive")
    listen.add_argument("--port", required=True, help="serial device path or pyserial URL")
    listen.add_argument("--baud", type=int, default=9600)
    listen.add_argument("--count", type=int, default=1, metavar="N", help="scans to wait for")
    listen.add_argument("--timeout", type=float, default=30.0, metavar="S", help="default 30")
    listen.add_argument("--json", action="store_true", help="one JSON line per scan")
    listen.set_defaults(handler=run_scanner_listen)

    printer = groups.add_parser("printer", help="ask or test a printer").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    for name, handler, help_text in (
        ("status", run_printer_status, "the printer's own status"),
        ("test", run_printer_test, "print a test label (ZPL) or receipt (ESC/POS)"),
    ):
        cmd = printer.add_parser(name, help=help_text)
        cmd.add_argument("--url", required=True, help="tcp://HOST:PORT, serial:PATH, file:PATH")
        cmd.add_argument("--language", required=True, choices=("zpl", "escpos"))
        cmd.add_argument("--timeout", type=float, default=3.0, metavar="S", help="default 3")
        cmd.set_defaults(handler=handler)
    printer.choices["status"].add_argument("--json", action="store_true")
    printer.choices["test"].add_argument(
        "--force", action="store_true", help="print even if the status is unknown (file: URLs)"
    )

    camera = groups.add_parser("camera", help="take a still from a camera")
    actions = camera.add_subparsers(dest="action", required=True, metavar="ACTION")
    snap = actions.add_parser("snapshot", help="save one full-resolution frame")
    snap.add_argument("--source", required=True, help="camera index, stream URL or video file")
    snap.add_argument("-o", "--output", required=True, type=Path, help="image file (.jpg, .png)")
    snap.add_argument(
        "--skip", type=int, default=5, metavar="N", help="frames to let pass first (exposure)"
    )
    snap.add_argument("--timeout", type=float, default=10.0, metavar="S", help="default 10")
    snap.set_defaults(handler=run_snapshot)


def run_snapshot(args: argparse.Namespace, settings: Settings) -> int:
    """``camera snapshot``, done with the decoding commands (station/cli/decode.py); imported
    here, not at start, since it brings OpenCV (a second to load on a bench PC)."""
    from station.cli import decode

    return decode.run_snapshot(args, settings)


# --- list -------------------------------------------------------------------------------


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    """Serial ports, the configured devices, and cameras found."""
    from drivers.transport.serial_port import list_ports

    devices = settings.devices
    ports = [
        {"device": p.device, "description": p.description, "vid_pid": p.vid_pid}
        | recognised(p.vid_pid, p.device)
        for p in list_ports()
    ]
    configured = [
        {"role": role, "kind": config.kind, "name": config.name, "where": describe(config)}
        for role, config in (
            ("scanner", devices.scanner),
            ("scale", devices.scale),
            ("printer", devices.printer),
            ("camera", devices.camera),
        )
    ]
    cameras = find_cameras()
    if args.json:
        _print_json({"serial_ports": ports, "configured": configured, "cameras": cameras})
        return 0
    print("Serial ports:")
    for port in ports:
        print(f"  {port['device']:24} {port['vid_pid'] or '-':10} {port['description']}")
        if port["model"]:
            print(f"    recognised: {port['model']}; suggested settings:")
            print("      " + str(port["settings"]).replace("\n", "\n      "))
    if not ports:
        print("  (none found)")
    print("Configured devices:")
    for dev in configured:
        print(f"  {dev['role']:8} {dev['kind']:11} {dev['where']}")
    print("Cameras:")
    for cam in cameras:
        print(f"  index {cam['index']}: {cam['width']}x{cam['height']}")
    if not cameras:
        print(f"  (none found at indices {CAMERA_INDICES.start}-{CAMERA_INDICES.stop - 1})")
    return 0


def recognised(vid_pid: str | None, port: str) -> dict[str, str | None]:
    """``model`` and suggested ``settings`` of a known USB device (docs/hardware.md), else None."""
    from drivers.registry.known_models import recognise

    model = recognise(vid_pid, port) if vid_pid else None
    if model is None:
        return {"model": None, "settings": None}
    return {"model": model.name, "settings": model.settings}


def find_cameras(indices: Sequence[int] = CAMERA_INDICES) -> list[dict[str, int]]:
    """Cameras OpenCV can open at ``indices``, with their frame size; [] without OpenCV."""
    # On Linux an index is /dev/videoN: skip the missing ones rather than have OpenCV try each
    # back-end and log a warning per failure, and with none, do not load OpenCV at all.
    if sys.platform.startswith("linux"):
        indices = [i for i in indices if Path(f"/dev/video{i}").exists()]
    if not indices:
        return []
    try:
        import cv2
    except ImportError:
        return []
    found: list[dict[str, int]] = []
    for index in indices:
        capture = cv2.VideoCapture(index)
        try:
            if capture.isOpened():
                width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
                height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
                found.append({"index": index, "width": width, "height": height})
        finally:
            capture.release()
    return found


# --- scale ------------------------------------------------------------------------------


def run_scale_read(args: argparse.Namespace, settings: Settings) -> int:
    """Read one weight (or wait for a stable one) and print it, or why there is none."""
    try:
        reading = _read_hid(args) if args.hid else _read_serial(args)
    except _UsageError as exc:
        print(f"station devices scale read: {exc}", file=sys.stderr)
        return 2
    except ScaleError as exc:
        return _scale_failed(args, _with_hint(exc.message), exc.state, exc.raw)
    if reading.weight_g is None or reading.state not in (ScaleState.STABLE, ScaleState.MOVING):
        why = _NO_WEIGHT.get(reading.state, f"the scale reports {reading.state}")
        detail = f" ({reading.detail})" if reading.detail else ""
        return _scale_failed(args, why + detail, reading.state, reading.raw)
    if args.json:
        _print_json(
            {
                "weight_g": reading.weight_g,
                "stable": reading.stable,
                "state": reading.state.value,
                "raw": reading.raw,
            }
        )
    else:
        print(f"{reading.weight_g:g} g  {reading.state.value}  (scale sent {reading.raw!r})")
    return 0


class _UsageError(Exception):
    """Arguments that do not go together; exit status 2."""


def _read_serial(args: argparse.Namespace) -> ScaleReading:
    from drivers.scale.driver import ScaleConfig
    from drivers.scale.oneshot import read_weight

    if args.protocol is None:
        raise _UsageError(f"--port needs --protocol ({', '.join(SCALE_PROTOCOLS)})")
    config = ScaleConfig(
        port=args.port, protocol=SCALE_PROTOCOLS[args.protocol], baudrate=args.baud, unit=args.unit
    )
    try:
        config.serial_protocol()
    except ValueError as exc:
        raise _UsageError(f"{exc} (--unit)") from exc
    return read_weight(config, stable=args.stable, timeout_s=args.timeout)


def _read_hid(args: argparse.Namespace) -> ScaleReading:
    """One reading through the HID driver's own thread: HID scales report, they are not asked."""
    from drivers.backoff import Backoff
    from drivers.scale.hid_driver import HidScaleDriver
    from drivers.scale.worker import ScaleUpdate

    try:
        vendor_id, product_id = parse_vid_pid(args.hid)
    except ValueError as exc:
        raise _UsageError(f"--hid: {exc}") from exc
    events: queue.Queue[ScaleUpdate | DeviceStatus] = queue.Queue()
    driver = HidScaleDriver(
        events.put,
        events.put,
        vendor_id=vendor_id,
        product_id=product_id,
        # No retries worth waiting for: the first failure is the answer.
        backoff=Backoff(first_s=args.timeout, cap_s=args.timeout),
        name=args.hid,
    )
    deadline = time.monotonic() + args.timeout
    last: ScaleReading | None = None
    driver.start()
    try:
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = events.get(timeout=left)
            except queue.Empty:
                break
            if isinstance(event, DeviceStatus):
                if event.state in (DeviceState.ERROR, DeviceState.RECONNECTING):
                    raise ScaleError(event.reason.split("; retrying")[0])
                continue
            last = event.reading
            if event.accepted or not args.stable or last.state not in _STILL_SETTLING:
                return last
    finally:
        driver.stop()
    if last is None:
        raise ScaleError(f"no report from the HID scale {args.hid} within {args.timeout:g} s")
    raise ScaleError(f"no stable weight within {args.timeout:g} s", last.state, last.raw)


# With --stable these are worth waiting out; any other state is the answer.
_STILL_SETTLING = (ScaleState.STABLE, ScaleState.MOVING)


def _scale_failed(args: argparse.Namespace, error: str, state: ScaleState, raw: str) -> int:
    if args.json:
        shown = None if state is ScaleState.UNKNOWN else state.value
        _print_json({"error": error, "state": shown, "raw": raw})
    else:
        print(f"no weight: {error}", file=sys.stderr)
    return 1


# --- scanner ----------------------------------------------------------------------------


def run_scanner_listen(args: argparse.Namespace, settings: Settings) -> int:
    """Print ``--count`` scans, each with its interpretation, or say why they did not come."""
    from drivers.scanner.framing import aim_symbology
    from drivers.scanner.serial_scanner import iter_scans

    if args.count < 1:
        print("station devices scanner listen: --count must be at least 1", file=sys.stderr)
        return 2
    from station.barcodes import Interpreter  # biip's tables take a third of a second

    interpreter = Interpreter(settings.barcodes)
    got = 0
    try:
        # Each scan is printed as it arrives, not when the count is reached.
        for data in iter_scans(args.port, args.baud, args.count, args.timeout):
            got += 1
            meaning = interpreter.interpret(data).to_json()
            if args.json:
                symbology = aim_symbology(data)
                _print_json({"data": data, "symbology": symbology, "interpretation": meaning})
            else:
                print(f"{data.replace(chr(29), '<GS>')}  ->  {meaning['kind']}", flush=True)
    except TransportError as exc:
        print(f"scanner: {_with_hint(str(exc))}", file=sys.stderr)
        return 1
    if got < args.count:
        print(
            f"scanner: time-out: {got} of {args.count} scan(s) within {args.timeout:g} s "
            f"on {args.port} (is the scanner's suffix CR, LF or CR LF, and the baud rate right?)",
            file=sys.stderr,
        )
        return 1
    return 0


# --- printer ----------------------------------------------------------------------------


def run_printer_status(args: argparse.Namespace, settings: Settings) -> int:
    """Print the printer's own status; exit 0 only when it said it is ready."""
    from drivers.printer.factory import printer_status
    from drivers.printer.model import refusal_reason

    try:
        status = printer_status(args.url, args.language, timeout=args.timeout)
    except ValueError as exc:
        print(f"station devices printer status: {exc}", file=sys.stderr)
        return 2
    if args.json:
        _print_json(status.as_cli_json())
    else:
        for key, value in status.as_cli_json().items():
            if key != "raw":
                shown = "unknown" if value is None else ("yes" if value else "no")
                print(f"{key.replace('_', ' '):11} {shown}")
        print(f"{'printer':11} {status.reason}")
    refusal = refusal_reason(status)
    if refusal is not None:
        print(f"printer not ready: {refusal}", file=sys.stderr)
        return 1
    return 0


def run_printer_test(args: argparse.Namespace, settings: Settings) -> int:
    """Send the test label or receipt, unless the printer says it cannot print it."""
    from drivers.printer.factory import make_printer, test_print

    try:
        printer = make_printer(args.url, args.language, timeout=args.timeout)
    except ValueError as exc:
        print(f"station devices printer test: {exc}", file=sys.stderr)
        return 2
    result = printer.print_job(test_print(args.language), force=args.force)
    if not result.sent:
        print(f"printer refused the test print: {result.reason}", file=sys.stderr)
        return 1
    what = "label" if args.language == "zpl" else "receipt"
    print(f"test {what} sent to {args.url}: {result.reason}")
    return 0


# --- helpers ----------------------------------------------------------------------------


def _with_hint(message: str) -> str:
    """Add the usual fix to the errors a technician meets most."""
    if "Permission denied" in message:
        return message + " (on Linux: add the user to the dialout group, then log in again)"
    if "No such file or directory" in message:
        return message + " (see `station devices list` for the ports this system has)"
    return message


def _print_json(value: object) -> None:
    # ensure_ascii=False keeps text readable; control characters such as GS stay escaped.
    print(json.dumps(value, ensure_ascii=False), flush=True)
