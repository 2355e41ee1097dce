"""Text for ESC/POS printers: a code page per text run where one covers it, raster otherwise.

A receipt printer's fonts hold one 8-bit code page at a time (``ESC t n``); the profile of
python-escpos says which pages a model has. A line whose characters the pages cover (Latin
with diacritics, Greek, Cyrillic) is sent as text, switching the page between runs; a line
with a script that needs shaping or right-to-left order (Arabic, Hebrew, Thai) or a multibyte
set (CJK) is drawn from the shipped Noto fonts and sent as a raster image (``GS v 0``).
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from escpos.printer import Dummy

from station.labels.errors import LabelError

DEFAULT_PROFILE = "TM-T88III"
# Multibyte or right-to-left or combining-mark pages: text in them needs more than a byte
# per character in logical order, so such text goes as raster instead.
_SKIPPED = frozenset({"CP932", "CP862", "CP864", "CP720", "CP1255", "CP1256", "CP874"})


def _codec(name: str) -> str | None:
    candidate = name.lower().replace("iso_", "iso").replace("-", "_")
    try:
        return codecs.lookup(candidate).name
    except LookupError:
        return None


def _code_page_text(ch: str) -> bool:
    """Characters a single-byte page may carry: Latin, Greek, Cyrillic and punctuation."""
    o = ord(ch)
    return o < 0x0530 or 0x1E00 <= o < 0x2100


@dataclass(frozen=True)
class EscposProfile:
    """What one receipt printer model can print: its dots, columns and code pages."""

    name: str
    dots_per_line: int
    dpi: int
    columns: int  # of font A, 12 x 24 dots
    code_pages: tuple[tuple[int, str], ...]  # (ESC t number, Python codec), in preference

    @property
    def cell(self) -> int:
        """Dots of one font A column."""
        return max(self.dots_per_line // self.columns, 1)


def escpos_profile(name: str = DEFAULT_PROFILE, dots_per_line: int = 0) -> EscposProfile:
    """The profile of python-escpos printer model ``name`` (``dots_per_line`` overrides)."""
    try:
        data = Dummy(profile=name).profile.profile_data
    except Exception as exc:  # python-escpos raises its own NotSupported for an unknown name
        raise LabelError(f"unknown ESC/POS printer profile {name!r}: {exc}") from None
    media = data.get("media", {})
    pixels = media.get("width", {}).get("pixels")
    dots = dots_per_line or (pixels if isinstance(pixels, int) else 512)
    dpi = media.get("dpi")
    pages = []
    for number, page in data.get("codePages", {}).items():
        codec = None if page in _SKIPPED else _codec(str(page))
        if codec is not None:
            pages.append((int(number), codec))
    columns = int(data.get("fonts", {}).get("0", {}).get("columns", 42))
    return EscposProfile(name, dots, dpi if isinstance(dpi, int) else 203, columns, tuple(pages))


def encode_runs(text: str, profile: EscposProfile) -> list[tuple[int, bytes]] | None:
    """``text`` as (code page, bytes) runs, or None when no page covers a character.

    The page in use is kept while it covers the next character, so a name in Polish is one
    run where the printer has CP852, or switches only around the letters another page has.
    """
    text = unicodedata.normalize("NFC", text)
    runs: list[tuple[int, bytes]] = []
    for ch in text:
        if not _code_page_text(ch):
            return None
        if runs:
            number, data = runs[-1]
            codec = dict(profile.code_pages)[number]
            try:
                runs[-1] = (number, data + ch.encode(codec))
                continue
            except UnicodeEncodeError:
                pass
        for number, codec in profile.code_pages:
            try:
                runs.append((number, ch.encode(codec)))
                break
            except UnicodeEncodeError:
                continue
        else:
            return None
    return runs
