"""The ``carrier_label`` import column: a carrier-supplied label, checked before it is kept.

A CSV cell names a file (relative to the imported file's folder, or absolute); a JSON value
is a file name or the label itself in base64. The bytes must be a ZPL label (``^XA`` ..
``^XZ``) or a PDF (``%PDF-`` .. ``%%EOF``): a label the printer cannot use is refused at
import with the reason, never found out at the bench. The bytes are kept unchanged
(``station.labels.carrier``): a carrier certifies its own label.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from station.importers.common import FieldError

MAX_LABEL_BYTES = 5 * 1024 * 1024  # a 4x6 PDF label is ~50 kB; more is not a label


def label_format(data: bytes) -> str:
    """``zpl`` or ``pdf`` by the label's own bytes; FieldError for anything else."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-1024:]:
            raise FieldError("a PDF label that is cut short (no %%EOF)")
        return "pdf"
    text = data.lstrip()
    if text.startswith(b"^XA"):
        if b"^XZ" not in text:
            raise FieldError("a ZPL label that is cut short (no ^XZ)")
        return "zpl"
    raise FieldError("not a ZPL (^XA..^XZ) or PDF label")


def read_label(value: object, folder: Path, *, allow_base64: bool) -> tuple[str, bytes]:
    """The label a cell gives: (format, bytes), or FieldError naming what is wrong."""
    if not isinstance(value, str) or not value.strip():
        raise FieldError("expected a file name" + (" or base64" if allow_base64 else ""))
    given = value.strip()
    if allow_base64 and len(given) > 255:  # longer than any file name: the label itself
        try:
            data = base64.b64decode(given, validate=True)
        except (binascii.Error, ValueError):
            raise FieldError("not valid base64") from None
        if len(data) > MAX_LABEL_BYTES:
            raise FieldError(f"larger than {MAX_LABEL_BYTES // (1024 * 1024)} MB")
        return label_format(data), data
    path = Path(given)
    if not path.is_absolute():
        path = folder / path
    try:
        size = path.stat().st_size
        if size > MAX_LABEL_BYTES:
            raise FieldError(f"{given}: larger than {MAX_LABEL_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise FieldError(f"{given}: no such file") from None
    except (IsADirectoryError, PermissionError) as exc:
        raise FieldError(f"{given}: {exc.strerror}") from None
    try:
        return label_format(data), data
    except FieldError as exc:
        raise FieldError(f"{given}: {exc}") from None
