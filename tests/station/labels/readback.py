"""Reading labels back, written apart from the renderers: ZPL fields and ^GF graphics, an
ESC/POS parser, and text drawn again straight from the Noto font files for comparison."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from escpos.printer import Dummy
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).resolve().parents[3] / "resources" / "fonts"
# The shipped fonts in the order the renderer prefers them (resources/fonts/README.md).
FONT_ORDER = [
    "NotoSans-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansThai-Regular.ttf",
    "NotoSansCJKjp-Regular-subset.otf",
]


# --- text drawn again from the font file --------------------------------------------------
@cache
def _cmap(name: str) -> frozenset[int]:
    with TTFont(FONTS / name, lazy=True) as font:
        return frozenset(font.getBestCmap())


def font_of(text: str) -> Path:
    """The one shipped font that has every letter of a single-script sample."""
    letters = [ord(ch) for ch in text if ch.isalpha()]
    for name in FONT_ORDER:
        if all(c in _cmap(name) for c in letters):
            return FONTS / name
    raise AssertionError(f"no shipped font has all of {text!r}")


def reference_text(text: str, height: int) -> Image.Image:
    """``text`` as a printer of ``height``-dot lines shows it: 0.85 height a em, baseline one
    em down, 0.3 em below it, one bit a dot, in the paragraph direction of its script."""
    em = max(round(height * 0.85), 1)
    font = ImageFont.truetype(str(font_of(text)), em, layout_engine=ImageFont.Layout.RAQM)
    rtl = any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)
    direction = "rtl" if rtl else "ltr"
    width = max(round(font.getlength(text, direction=direction)), 1)
    image = Image.new("L", (width, max(round(em * 1.3), height)), 255)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    draw.text((0, em), text, font=font, fill=0, anchor="ls", direction=direction)
    return image.point(lambda v: 255 if v >= 128 else 0).convert("1")


def ink(image: Image.Image) -> Image.Image:
    """The image cropped to its black pixels (1-bit, 0 = black)."""
    gray = image.convert("L")
    box = Image.eval(gray, lambda v: 255 - v).getbbox()
    assert box is not None, "nothing drawn"
    return gray.crop(box).point(lambda v: 255 if v >= 128 else 0).convert("1")


def same_bitmap(a: Image.Image, b: Image.Image) -> bool:
    """True when two drawings have the same ink, pixel for pixel."""
    ia, ib = ink(a), ink(b)
    return ia.size == ib.size and ia.tobytes() == ib.tobytes()


# --- ZPL -------------------------------------------------------------------------------
@dataclass
class ZplField:
    """One ^FO field: position, and its text (^FD after ^FH) or its ^GF bitmap."""

    x: int
    y: int
    text: str | None = None
    graphic: Image.Image | None = None
    commands: str = ""


def _unhex(data: str) -> str:
    raw = re.sub(r"_([0-9A-Fa-f]{2})", lambda m: chr(int(m[1], 16)), data)
    return raw.replace("\\\\", "\\")


def decode_gf(row_bytes: int, total: int, data: str) -> Image.Image:
    """A ^GFA bitmap (ZPL's compressed ASCII hex) as an image, black = 0."""
    width_hex = row_bytes * 2
    rows: list[str] = []
    counts = {**{chr(ord("G") + i): i + 1 for i in range(19)},
              **{chr(ord("g") + i): 20 * (i + 1) for i in range(20)}}  # fmt: skip
    current = ""
    repeat = 0
    for ch in data.replace("\n", ""):
        if ch in counts:
            repeat += counts[ch]
        elif ch == ",":
            rows.append(current.ljust(width_hex, "0"))
            current = ""
        elif ch == "!":
            rows.append(current.ljust(width_hex, "F"))
            current = ""
        elif ch == ":":
            rows.append(rows[-1])
        else:
            current += ch * (repeat or 1)
            repeat = 0
            if len(current) == width_hex:
                rows.append(current)
                current = ""
    raw = bytes.fromhex("".join(rows))
    assert len(raw) == total, (len(raw), total)
    height = total // row_bytes
    bits = Image.frombytes("1", (row_bytes * 8, height), raw)
    return Image.eval(bits.convert("L"), lambda v: 255 - v).convert("1")  # 1 bits print


def zpl_fields(zpl: bytes) -> list[ZplField]:
    """Every ^FO ... ^FS field of a ZPL format."""
    out = []
    for match in re.finditer(rb"\^FO(\d+),(\d+)(.*?)\^FS", zpl, re.S):
        body = match[3].decode()
        f = ZplField(int(match[1]), int(match[2]), commands=body)
        gf = re.search(r"\^GFA,(\d+),(\d+),(\d+),(.*)$", body, re.S)
        if gf:
            f.graphic = decode_gf(int(gf[3]), int(gf[1]), gf[4])
        fd = re.search(r"\^FD(.*)$", body, re.S)
        if fd:
            f.text = _unhex(fd[1]) if "^FH_" in body else fd[1]
        out.append(f)
    return out


# --- ESC/POS ----------------------------------------------------------------------------
@dataclass
class Escpos:
    """What an ESC/POS job prints: text lines, raster images, barcodes, and whether it cut."""

    lines: list[str] = field(default_factory=list)
    images: list[Image.Image] = field(default_factory=list)
    barcodes: list[tuple[str, int, int]] = field(default_factory=list)  # data, module, height
    cut: bool = False
    pages: set[int] = field(default_factory=set)


def _codecs(profile: str) -> dict[int, str]:
    pages = Dummy(profile=profile).profile.profile_data["codePages"]
    out = {}
    for number, name in pages.items():
        try:
            out[int(number)] = codecs.lookup(name.lower().replace("iso_", "iso")).name
        except LookupError:
            continue
    return out


def code128_text(data: bytes) -> str:
    """The characters a GS k Code 128 encodes: {A/{B/{C code sets, {1 = FNC1 (as GS)."""
    out, code_set, i = [], "B", 0
    while i < len(data):
        if data[i : i + 1] == b"{":
            nxt = data[i + 1 : i + 2]
            i += 2
            if nxt in (b"A", b"B", b"C"):
                code_set = nxt.decode()
            elif nxt == b"1":
                out.append("\x1d")
            elif nxt == b"{":
                out.append("{")
            continue
        out.append(f"{data[i]:02d}" if code_set == "C" else chr(data[i]))
        i += 1
    text = "".join(out)
    return text[1:] if text.startswith("\x1d") else text  # a leading FNC1 marks GS1


def parse_escpos(data: bytes, profile: str) -> Escpos:
    """Parse an ESC/POS job; an unknown command fails the test."""
    pages = _codecs(profile)
    job, page, i, text, line = Escpos(), 0, 0, bytearray(), ""
    two = {b"\x1b!", b"\x1bE", b"\x1ba", b"\x1bd", b"\x1d!", b"\x1dh", b"\x1dw", b"\x1df",
           b"\x1dH", b"\x1b-", b"\x1bM"}  # fmt: skip
    while i < len(data):
        cmd = data[i : i + 2]
        if cmd == b"\x1b@":
            i += 2
        elif cmd in two:
            i += 3
        elif cmd == b"\x1bt":  # the bytes so far were in the page before
            line += bytes(text).decode(pages[page])
            text.clear()
            page = data[i + 2]
            job.pages.add(page)
            i += 3
        elif cmd == b"\x1dV":
            job.cut = True
            i += 3
        elif cmd == b"\x1dk":
            n = data[i + 3]
            job.barcodes.append((code128_text(data[i + 4 : i + 4 + n]), 0, 0))
            i += 4 + n
        elif data[i : i + 3] == b"\x1dv0":
            xb = data[i + 4] + 256 * data[i + 5]
            yb = data[i + 6] + 256 * data[i + 7]
            raw = data[i + 8 : i + 8 + xb * yb]
            bits = Image.frombytes("1", (xb * 8, yb), raw)
            job.images.append(Image.eval(bits.convert("L"), lambda v: 255 - v).convert("1"))
            i += 8 + xb * yb
        elif data[i] == 0x0A:
            job.lines.append(line + bytes(text).decode(pages[page]))
            text.clear()
            line = ""
            i += 1
        elif data[i] < 0x20:
            raise AssertionError(f"unknown ESC/POS command {data[i : i + 3]!r} at {i}")
        else:
            text.append(data[i])
            i += 1
    assert not text and not line, f"text left without a line feed: {line}{bytes(text)!r}"
    # Module and height of each barcode: the GS w and GS h sent before it.
    for n, match in enumerate(re.finditer(rb"\x1dh(.)\x1dw(.)", data, re.S)):
        if n < len(job.barcodes):
            job.barcodes[n] = (job.barcodes[n][0], match[2][0], match[1][0])
    return job
