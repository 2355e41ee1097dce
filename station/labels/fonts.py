"""The Noto fonts the project ships (``resources/fonts``) and which one draws a character.

A label's text is split into runs, each drawn by the first font that has all of its
characters: Noto Sans for Latin, Greek and Cyrillic, then Hebrew, Arabic, Thai and the CJK
subset. A character none of them has is refused with its code point, never drawn as ``?``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from station.labels.errors import LabelError
from station.resource_files import resource_dir

FONT_DIR = resource_dir("fonts")
# In order of preference: the first font that has a character draws it.
FONT_FILES = (
    "NotoSans-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansThai-Regular.ttf",
    "NotoSansCJKjp-Regular-subset.otf",
)
# Characters that draw nothing and need no glyph of their own (joiners, direction marks);
# control characters are skipped too.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\ufeff")


@dataclass(frozen=True)
class Run:
    """Consecutive characters drawn by one font."""

    font: Path
    text: str


@cache
def _coverage(path: Path) -> frozenset[int]:
    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def font_paths(folder: Path = FONT_DIR) -> tuple[Path, ...]:
    """The shipped fonts in order of preference."""
    return tuple(folder / name for name in FONT_FILES)


def font_for(ch: str, folder: Path = FONT_DIR) -> Path | None:
    """The first shipped font with a glyph for ``ch``, or None."""
    for path in font_paths(folder):
        if ord(ch) in _coverage(path):
            return path
    return None


def runs(text: str, folder: Path = FONT_DIR) -> list[Run]:
    """``text`` (NFC) as runs of one font each, in logical order.

    A character the current run's font also has stays in the run, so spaces, digits and
    punctuation between CJK or Arabic words do not break a run (its shaping needs the whole
    word group). LabelError names the first character no shipped font has.
    """
    out: list[Run] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _INVISIBLE or unicodedata.category(ch) == "Cc":
            if out:
                out[-1] = Run(out[-1].font, out[-1].text + ch)
            continue
        if out and ord(ch) in _coverage(out[-1].font):
            out[-1] = Run(out[-1].font, out[-1].text + ch)
            continue
        path = font_for(ch, folder)
        if path is None:
            name = unicodedata.name(ch, "unnamed")
            raise LabelError(
                f"no font for U+{ord(ch):04X} {name} ({ch!r}) in {text!r}: "
                f"the label fonts cover Latin, Greek, Cyrillic, Hebrew, Arabic, Thai and CJK"
            )
        out.append(Run(path, ch))
    return out


def is_rtl(text: str) -> bool:
    """True when the first strong character of ``text`` is right-to-left (Hebrew, Arabic)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False
