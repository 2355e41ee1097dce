"""Product pictures named by the catalog's ``image`` column: a file path, or a URL the hub
fetches (``station.hub.image_fetch``), checked for size and type and kept by SHA-256.

A station importing a catalog itself reads files only: fetching from the internet is the
hub's job, where the hosts it may reach are configured. A path is relative to the catalog
file's folder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from station.importers.common import FieldError, optional_text
from station.pictures import MAX_IMAGE_BYTES, media_type_of

Fetch = Callable[[str], bytes]  # URL -> its bytes; raises FieldError naming the cause


@dataclass(frozen=True)
class ImageData:
    """A checked picture: its bytes, their SHA-256 and media type."""

    sha256: str
    media_type: str
    data: bytes


def checked_image(data: bytes) -> ImageData:
    """``data`` as an :class:`ImageData`, or FieldError if too large or not PNG/JPEG."""
    if len(data) > MAX_IMAGE_BYTES:
        raise FieldError(f"the picture is {len(data)} bytes; at most {MAX_IMAGE_BYTES}")
    if not data:
        raise FieldError("the picture is empty")
    media = media_type_of(data)
    if media is None:
        raise FieldError("the picture is not a PNG or JPEG file")
    return ImageData(hashlib.sha256(data).hexdigest(), media, data)


def is_url(ref: str) -> bool:
    """True for an address (``scheme://``; the fetcher takes http(s) only); else a path."""
    scheme, sep, _ = ref.partition("://")
    return bool(sep) and scheme.isascii() and scheme.isalpha()


class ImageLoader:
    """Loads each distinct ``image`` value of one import once (many SKUs share a picture)."""

    def __init__(self, base: Path, fetch: Fetch | None = None) -> None:
        self._base = base
        self._fetch = fetch
        self._loaded: dict[str, ImageData | FieldError] = {}
        self.images: dict[str, ImageData] = {}  # by SHA-256: what the import stores

    def load(self, value: object) -> ImageData | None:
        """The picture ``value`` names (None when empty); FieldError naming the cause."""
        ref = optional_text(value, 2000)
        if ref is None:
            return None
        result = self._loaded.get(ref)
        if result is None:
            try:
                result = checked_image(self._read(ref))
            except FieldError as exc:
                result = exc
            self._loaded[ref] = result
        if isinstance(result, FieldError):
            raise result
        self.images[result.sha256] = result
        return result

    def _read(self, ref: str) -> bytes:
        if is_url(ref):
            if self._fetch is None:
                raise FieldError("a URL is fetched by the hub: import this catalog there")
            return self._fetch(ref)
        path = Path(ref).expanduser()
        if not path.is_absolute():
            path = self._base / path
        try:
            size = path.stat().st_size
            if size > MAX_IMAGE_BYTES:  # before reading it: a huge file costs no memory
                raise FieldError(f"{ref}: {size} bytes; at most {MAX_IMAGE_BYTES}")
            return path.read_bytes()
        except OSError as exc:
            raise FieldError(f"cannot read {ref}: {exc.strerror or exc}") from None
