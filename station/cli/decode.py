"""``station decode`` and ``station devices camera snapshot``: barcodes in images, a camera still.

    station decode IMAGE... [--engine zxing|zbar] [--json]
    station devices camera snapshot --source SRC -o FILE [--skip N] [--timeout S]

``decode`` reads every code in each image (zxing-cpp with all its formats and thorough
defaults: a still is not in a hurry; when that finds nothing, the live path, which also
reads a tilted linear code), keeps what passes the guards every reported code passes
(:mod:`drivers.camera.guards`: a linear read must span a quarter of its bars' height) and
says what the station makes of it: each code's text
goes to :class:`station.barcodes.Interpreter` with its AIM prefix, as a scanner would send
it, so GS1-128 and GS1 DataMatrix are recognised as GS1. With ``--json``, one line per image:
``{"file", "codes": [{"format", "text", "symbology", "gtin", "gs1"}]}``; GS characters stay
in ``text`` (JSON escapes them as ``\\u001d``). A missing or unreadable file gives
``{"file", "error", "codes": []}``, the other files are still read, and the exit status is 1.
An image of any size is read, down to 1x1 px (zxing-cpp reads a linear code from one row).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from drivers.camera.capture import CameraError
from drivers.camera.decode import Decoded, Decoder, ZbarUnavailableError, ZxingDecoder
from drivers.camera.guards import plausible
from drivers.camera.live import LiveDecoder, LiveOptions
from drivers.camera.oneshot import take_snapshot
from station.barcodes import Interpreter
from station.config import Settings


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``decode`` to the ``station`` parser."""
    p = sub.add_parser("decode", help="read the barcodes in image files")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="PNG, JPEG, BMP, TIFF...")
    p.add_argument("--engine", choices=("zxing", "zbar"), default="zxing")
    p.add_argument("--json", action="store_true", help="one JSON object per image")
    p.set_defaults(handler=run_decode)


class _StillDecoder:
    """zxing-cpp, thorough, every format; if it finds nothing, the live path's upright crops.

    zxing-cpp scans linear codes along rows and columns only, so a photo of a shipping label
    held at 25 degrees reads as nothing; the live path turns such a code upright first. Both
    report only what passes the guards the camera's reports pass
    (:func:`drivers.camera.guards.plausible`).
    """

    def __init__(self) -> None:
        self._zxing = ZxingDecoder(formats=None)

    def decode(self, gray: np.ndarray[Any, np.dtype[np.uint8]]) -> list[Decoded]:
        found = plausible(gray, self._zxing.decode(gray))
        if found:
            return found
        return LiveDecoder(LiveOptions(budget_ms=None)).read(gray)  # no hint from another image


class _GuardedDecoder:
    """Another engine's reads, through the same guards."""

    def __init__(self, engine: Decoder) -> None:
        self._engine = engine

    def decode(self, gray: np.ndarray[Any, np.dtype[np.uint8]]) -> list[Decoded]:
        return plausible(gray, self._engine.decode(gray))


def _decoder(engine: str) -> Decoder:
    if engine == "zbar":
        from drivers.camera.decode import ZbarDecoder

        return _GuardedDecoder(ZbarDecoder())
    return _StillDecoder()


def _load(path: Path) -> np.ndarray[Any, np.dtype[np.uint8]] | str:
    """The image in grey, or why it cannot be read."""
    if not path.exists():
        return "no such file"
    if path.is_dir():
        return "is a directory"
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        return "not an image OpenCV can read"
    return np.ascontiguousarray(image, np.uint8)


def describe(code: Decoded, interpreter: Interpreter) -> dict[str, object]:
    """One code as ``station decode --json`` prints it."""
    meaning = interpreter.interpret(code.scanned)
    return {
        "format": code.format,
        "text": code.text,
        "symbology": code.symbology,
        "gtin": meaning.gtin,
        "gs1": dict(meaning.ai),
    }


def run_decode(args: argparse.Namespace, settings: Settings) -> int:
    """Decode each image; exit 1 if any could not be read."""
    try:
        decoder = _decoder(args.engine)
    except ZbarUnavailableError as exc:
        print(f"station decode: {exc}", file=sys.stderr)
        return 1
    interpreter = Interpreter(settings.barcodes)
    failed = False
    for name in args.images:
        loaded = _load(Path(name))
        if isinstance(loaded, str):
            failed = True
            _print_error(name, loaded, as_json=args.json)
            continue
        try:
            found = decoder.decode(loaded)
        except (cv2.error, ValueError) as exc:
            # The cause of every such failure seen is fixed in the decoder; should another
            # image still trip OpenCV or zxing-cpp, it is this file's error, not the run's.
            failed = True
            _print_error(name, f"cannot decode this image ({_last_line(exc)})", as_json=args.json)
            continue
        codes = [describe(code, interpreter) for code in found]
        if args.json:
            _print_json({"file": name, "codes": codes})
            continue
        if not codes:
            print(f"{name}: no barcode found", flush=True)
        for code in codes:
            text = str(code["text"]).replace("\x1d", "<GS>")
            gtin = f"  GTIN {code['gtin']}" if code["gtin"] else ""
            print(f"{name}: {code['format']} {code['symbology'] or ''} {text}{gtin}", flush=True)
    return 1 if failed else 0


def run_snapshot(args: argparse.Namespace, settings: Settings) -> int:
    """Save one full-resolution frame from ``--source`` to ``--output``."""
    try:
        image = take_snapshot(args.source, skip=args.skip, timeout_s=args.timeout)
    except CameraError as exc:
        print(f"camera: {exc}", file=sys.stderr)
        return 1
    try:
        written = cv2.imwrite(str(args.output), image)
    except cv2.error as exc:  # an extension OpenCV does not know raises instead of False
        print(f"camera: cannot write {args.output}: {exc}", file=sys.stderr)
        return 1
    if not written:
        print(f"camera: cannot write {args.output}", file=sys.stderr)
        return 1
    height, width = image.shape[:2]
    print(f"saved a {width}x{height} still from {args.source} to {args.output}")
    return 0


def _last_line(exc: Exception) -> str:
    # OpenCV's message ends with the assertion that failed, after its source location.
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


def _print_error(name: str, reason: str, *, as_json: bool) -> None:
    if as_json:
        _print_json({"file": name, "error": f"{name}: {reason}", "codes": []})
    else:
        print(f"{name}: error: {reason}", file=sys.stderr, flush=True)


def _print_json(value: object) -> None:
    # ensure_ascii=False keeps text readable; control characters such as GS stay escaped.
    print(json.dumps(value, ensure_ascii=False), flush=True)
