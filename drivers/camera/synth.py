"""Synthetic camera frames with known barcodes, for tests and ``station bench decode``.

Symbols are drawn by zxing-cpp's writer (GS1 content through ``gs1=True``, which puts FNC1
where it belongs), printed on a white label, rotated, pasted on a textured grey 1280x720
scene with text-like clutter, then blurred and given sensor noise. Frames without a code
carry the same clutter, so a decoder that invents codes shows up. Everything comes from one
``random.Random(seed)``: the same seed gives the same pixels.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

from drivers.camera.checks import gtin_check_digit

Gray = npt.NDArray[np.uint8]

WIDTH, HEIGHT = 1280, 720
KINDS = ("code128", "ean13", "upca", "gs1-128", "gs1-datamatrix", "qr")
_FORMATS = {
    "code128": ("Code 128", zxingcpp.BarcodeFormat.Code128),
    "ean13": ("EAN-13", zxingcpp.BarcodeFormat.EAN13),
    "upca": ("UPC-A", zxingcpp.BarcodeFormat.UPCA),
    "gs1-128": ("Code 128", zxingcpp.BarcodeFormat.Code128),
    "gs1-datamatrix": ("Data Matrix", zxingcpp.BarcodeFormat.DataMatrix),
    "qr": ("QR Code", zxingcpp.BarcodeFormat.QRCode),
}
_WORDS = (
    "ORDER", "SHIP", "TO", "QTY", "LOT", "EXP", "BEST", "BEFORE", "FRAGILE", "1234", "KG",
    "NET", "0042", "SKU", "BOX", "PALLET",
)  # fmt: skip


@dataclass(frozen=True)
class Expected:
    """A code a frame holds: what a correct decoder returns for it."""

    kind: str
    format: str
    text: str
    """Plain decoded text: GS characters kept, no AIM prefix."""
    symbology: str


@dataclass(frozen=True)
class SynthFrame:
    """One generated grey frame and its truth."""

    image: Gray
    codes: tuple[Expected, ...]
    module_px: int
    """Module (narrowest bar, matrix cell) size in pixels; 0 for a frame with no code."""
    angle: float
    label: str


def same_text(expected: Expected, text: str) -> bool:
    """True if ``text`` is ``expected``'s content (UPC-A may come as a 0-led EAN-13)."""
    if expected.text == text:
        return True
    return expected.kind == "upca" and text == "0" + expected.text


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _content(kind: str, rng: random.Random) -> tuple[str, str, str]:
    """(content for the writer, expected plain text, AIM id) for one symbol of ``kind``."""
    if kind == "code128":
        text = f"{rng.choice(['ORD', 'TOTE', 'BOX'])}-{_digits(rng, rng.randint(5, 8))}"
        return text, text, "]C0"
    if kind == "ean13":
        body = str(rng.randint(1, 9)) + _digits(rng, 11)  # never 0-led: that would be UPC-A
        return body + gtin_check_digit(body), body + gtin_check_digit(body), "]E0"
    if kind == "upca":
        body = _digits(rng, 11)
        return body + gtin_check_digit(body), body + gtin_check_digit(body), "]E0"
    gtin = "0" + _digits(rng, 12)
    gtin += gtin_check_digit(gtin)
    lot, serial = _digits(rng, 4), _digits(rng, 4)
    if kind == "gs1-128":
        # Lot before serial, so a GS must separate them and the decoders must keep it.
        return f"(01){gtin}(10){lot}(21){serial}", f"01{gtin}10{lot}\x1d21{serial}", "]C1"
    if kind == "gs1-datamatrix":
        expiry = f"{rng.randint(25, 35)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        lot = f"L{lot}{rng.choice('ABCXYZ')}"
        return (
            f"(01){gtin}(17){expiry}(10){lot}(21){serial}",
            f"01{gtin}17{expiry}10{lot}\x1d21{serial}",
            "]d2",
        )
    text = f"https://example.com/o/ORD{_digits(rng, 6)}"
    return text, text, "]Q1"


def render_symbol(kind: str, content: str, module_px: int) -> Gray:
    """The symbol alone, black on white with its quiet zone, ``module_px`` per module.

    Linear symbols get printed proportions (the writer draws them 50 modules high): EAN/UPC
    about 0.7 of their width as on retail packs, Code 128 about 0.3 as on shipping labels,
    and a quiet zone above and below.
    """
    fmt = _FORMATS[kind][1]
    if kind.startswith("gs1"):
        barcode = zxingcpp.create_barcode(content, fmt, gs1=True)
    else:
        barcode = zxingcpp.create_barcode(content, fmt)
    image = np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=module_px), np.uint8)
    if kind in ("code128", "gs1-128", "ean13", "upca"):
        row = image[image.shape[0] // 2]
        ratio = 0.7 if kind in ("ean13", "upca") else 0.3
        bars = np.tile(row, (max(10 * module_px, round(ratio * row.size)), 1))
        quiet = 10 * module_px
        image = np.asarray(
            cv2.copyMakeBorder(bars, quiet, quiet, 0, 0, cv2.BORDER_CONSTANT, value=255), np.uint8
        )
    return np.ascontiguousarray(image)


def _background(rng: random.Random, nrng: np.random.Generator) -> Gray:
    """A grey scene: uneven lighting, coarse texture, and text, lines and boxes as clutter."""
    coarse = nrng.normal(0, 18, (9, 16)).astype(np.float32)
    light = cv2.resize(coarse, (WIDTH, HEIGHT), interpolation=cv2.INTER_CUBIC)
    grain = cv2.GaussianBlur(nrng.normal(0, 10, (HEIGHT, WIDTH)).astype(np.float32), (0, 0), 2)
    scene = np.clip(rng.uniform(90, 150) + light + grain, 0, 255).astype(np.uint8)
    for _ in range(rng.randint(6, 14)):
        colour = rng.choice([rng.randint(10, 60), rng.randint(190, 250)])
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        match rng.randrange(3):
            case 0:
                words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 4)))
                cv2.putText(scene, words, (x, y), rng.choice([0, 1, 2, 3, 4]),
                            rng.uniform(0.5, 1.8), colour, rng.randint(1, 3))  # fmt: skip
            case 1:
                end = (x + rng.randint(-400, 400), y + rng.randint(-400, 400))
                cv2.line(scene, (x, y), end, colour, rng.randint(1, 6))
            case _:
                w, h = rng.randint(30, 300), rng.randint(20, 200)
                cv2.rectangle(scene, (x, y), (x + w, y + h), colour, rng.randint(1, 4))
    return np.asarray(scene, np.uint8)


def _place(scene: Gray, label: Gray, angle: float, rng: random.Random) -> bool:
    """Paste ``label`` rotated by ``angle`` at a random spot; False if it cannot fit."""
    h, w = label.shape
    rad = math.radians(angle)
    bw = int(abs(w * math.cos(rad)) + abs(h * math.sin(rad))) + 4
    bh = int(abs(w * math.sin(rad)) + abs(h * math.cos(rad))) + 4
    if bw >= WIDTH - 8 or bh >= HEIGHT - 8:
        return False
    cx, cy = (
        rng.randint(bw // 2 + 4, WIDTH - bw // 2 - 4),
        rng.randint(bh // 2 + 4, HEIGHT - bh // 2 - 4),
    )
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    matrix[:, 2] += (cx - w / 2, cy - h / 2)
    warped = cv2.warpAffine(label, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    mask = cv2.warpAffine(np.full_like(label, 255), matrix, (WIDTH, HEIGHT))
    np.copyto(scene, warped, where=mask > 127)
    return True


def _finish(scene: Gray, module_px: int, rng: random.Random, shot: np.random.Generator) -> Gray:
    """Optics and sensor: blur scaled to the module size, a hand's jitter, grey-level noise.

    The blur and noise level belong to the scene (``rng``); the jitter and the noise itself
    to the shot, so two shots of one scene differ the way two camera frames do.
    """
    sigma = min(1.4, rng.uniform(0.0, 0.4) * max(module_px, 1))
    level = rng.uniform(2.0, 9.0)
    dx, dy = (int(v) for v in shot.integers(-3, 4, 2))
    image = np.roll(scene, (dy, dx), axis=(0, 1)).astype(np.float32)
    if sigma > 0.2:
        image = np.asarray(cv2.GaussianBlur(image, (0, 0), sigma), np.float32)
    image += shot.normal(0, level, image.shape).astype(np.float32)
    return np.clip(image, 0, 255).astype(np.uint8)


def make_frame(
    seed: int, kind: str | None, module_px: int, angle: float, shot: int = 0
) -> SynthFrame:
    """One frame holding one ``kind`` symbol (None: no code) at ``module_px`` and ``angle``.

    ``shot`` numbers the frames of one scene: same scene, fresh noise and a few pixels of
    jitter, as consecutive camera frames of a code held under the camera.
    """
    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    noise = np.random.default_rng((seed, shot))
    scene = _background(rng, nrng)
    if kind is None:
        return SynthFrame(_finish(scene, 2, rng, noise), (), 0, 0.0, "no code")
    content, text, aim = _content(kind, rng)
    module = module_px
    while True:
        symbol = render_symbol(kind, content, module)
        ink, paper = rng.randint(20, 70), rng.randint(185, 240)
        label = (paper - (symbol < 128) * (paper - ink)).astype(np.uint8)
        label = np.asarray(
            cv2.copyMakeBorder(label, 8, 8, 8, 8, cv2.BORDER_CONSTANT, value=paper), np.uint8
        )
        if _place(scene, label, angle, rng) or module == 1:
            break
        module -= 1  # too big for the frame at this angle: the truth records what was drawn
    expected = Expected(kind, _FORMATS[kind][0], text, aim)
    name = f"{kind} {module}px {angle:.0f}deg"
    return SynthFrame(_finish(scene, module, rng, noise), (expected,), module, angle, name)


def scene_set(
    count: int, seed: int = 1, empty_every: int = 6, shots: int = 1
) -> list[list[SynthFrame]]:
    """``count`` scenes of ``shots`` frames each: every kind, modules 1-4 px, 0-30 and 90 deg.

    Every ``empty_every``-th scene has no code. Sizes and kinds cycle so that even a short set
    holds each combination; angles and placement come from the seed.
    """
    rng = random.Random(seed)
    scenes: list[list[SynthFrame]] = []
    coded = 0
    for index in range(count):
        frame_seed = seed * 100_003 + index
        if empty_every and index % empty_every == empty_every - 1:
            scenes.append([make_frame(frame_seed, None, 0, 0.0, s) for s in range(shots)])
            continue
        kind = KINDS[coded % len(KINDS)]
        # Sizes shift by one every round of kinds, so each kind meets each size.
        module = (1, 2, 3, 4, 2, 3)[(coded // len(KINDS) + coded) % 6]
        coded += 1
        angle = rng.choice([90.0, -90.0]) if rng.random() < 0.15 else rng.uniform(-30, 30)
        scenes.append([make_frame(frame_seed, kind, module, angle, s) for s in range(shots)])
    return scenes


def frame_set(count: int, seed: int = 1, empty_every: int = 6) -> list[SynthFrame]:
    """``count`` single-frame scenes (see :func:`scene_set`)."""
    return [shots[0] for shots in scene_set(count, seed, empty_every)]
