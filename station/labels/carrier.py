"""Carrier-supplied labels (ZPL or PDF): stored on disk by SHA-256, printed as supplied.

The order row holds the format and the hash (``carrier_label_format``/``_sha256``); the
file is ``<folder>/<sha256>.<format>``. The bytes go to the printer unchanged: a carrier
certifies its own label, and a re-rendered one could lose what its scanners expect.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from station.config import Settings
from station.db.models import Order
from station.labels.errors import LabelError

CARRIER_FORMATS = ("zpl", "pdf")


@dataclass(frozen=True)
class SuppliedLabel:
    """A carrier's label: its format and its bytes, exactly as the carrier sent them."""

    format: str
    data: bytes


def carrier_label_folder(settings: Settings) -> Path:
    """Where carrier labels are kept: beside the database."""
    return settings.db_path.parent / "carrier-labels"


def store_carrier_label(folder: Path, data: bytes, fmt: str) -> str:
    """Write ``data`` under its SHA-256 (atomically) and return the hash for the order."""
    if fmt not in CARRIER_FORMATS:
        raise LabelError(f"carrier label format must be zpl or pdf, not {fmt!r}")
    digest = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}.{fmt}"
    if not target.exists():
        partial = target.with_suffix(f".{fmt}.part")
        partial.write_bytes(data)
        os.replace(partial, target)  # never a half-written label under its final name
    return digest


def supplied_label(order: Order, folder: Path) -> SuppliedLabel:
    """The carrier's label of ``order``, checked against its hash, bytes unchanged."""
    fmt, digest = order.carrier_label_format, order.carrier_label_sha256
    if not fmt or not digest:
        raise LabelError(f"order {order.number} has no carrier-supplied label")
    if fmt not in CARRIER_FORMATS:
        raise LabelError(f"order {order.number}: unknown carrier label format {fmt!r}")
    path = folder / f"{digest}.{fmt}"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LabelError(f"order {order.number}: carrier label file {path} is missing") from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise LabelError(f"order {order.number}: carrier label {path} does not match its hash")
    return SuppliedLabel(fmt, data)
