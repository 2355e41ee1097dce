"""The guards every reported code passes: zxing-cpp's misreads in its own sample photos, and
reads spanning a strip of the bars, on every path that reports a code."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera.decode import Decoded, ZxingDecoder
from drivers.camera.guards import bars_height, plausible, read_span
from drivers.camera.live import LiveDecoder, LiveOptions
from drivers.camera.synth import _content, render_symbol

SAMPLES = Path(__file__).parent / "samples"
# Photo -> (the code in it, what zxing-cpp's thorough defaults read wrongly from it).
MISREADS = {
    "ean13-1-35.webp": ("5030159003930", "7034759003930"),
    "upca-2-48.webp": ("0075720003259", "1077778003259"),
    "upca-4-1.webp": ("0023942431015", "9074932437075"),
    "upca-4-2.webp": ("0023942431015", "9074932437075"),
}


def _photo(name: str) -> np.ndarray:
    image = cv2.imread(str(SAMPLES / name), cv2.IMREAD_GRAYSCALE)
    assert image is not None
    return np.ascontiguousarray(image)


@pytest.mark.parametrize("name", sorted(MISREADS))
def test_zxing_cpp_misreads_in_its_samples_are_not_plausible(name: str) -> None:
    right, wrong = MISREADS[name]
    photo = _photo(name)
    reads = ZxingDecoder(formats=None).decode(photo)
    # The input reproduces the misread: a valid EAN-13 that is not the photo's code.
    (misread,) = [code for code in reads if code.text == wrong]
    assert read_span(misread) <= 4
    kept = plausible(photo, reads)
    assert wrong not in {code.text for code in kept}
    assert {code.text for code in kept} <= {right}


def test_the_right_code_beside_a_misread_is_kept() -> None:
    photo = _photo("ean13-1-35.webp")
    kept = plausible(photo, ZxingDecoder(formats=None).decode(photo))
    assert [code.text for code in kept] == ["5030159003930"]


@pytest.mark.parametrize("name", sorted(MISREADS))
def test_the_live_path_reports_no_misread_either(name: str) -> None:
    _, wrong = MISREADS[name]
    reads = LiveDecoder(LiveOptions(budget_ms=None)).read(_photo(name))
    assert wrong not in {code.text for code in reads}


def _ean_image() -> tuple[np.ndarray, str]:
    content, text, _ = _content("ean13", random.Random("guards"))
    symbol = render_symbol("ean13", content, 3)
    return cv2.copyMakeBorder(symbol, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255), text


def _read_at(image: np.ndarray, text: str, top: int, bottom: int) -> Decoded:
    """A read of ``text`` spanning rows ``top``..``bottom`` across the bars, as zxing gives."""
    (whole,) = ZxingDecoder().decode(image)
    left, right = whole.position[0][0], whole.position[1][0]
    return Decoded(
        "EAN-13", text, "]E0", ((left, top), (right, top), (right, bottom), (left, bottom))
    )


def test_a_read_from_a_strip_of_the_bars_is_dropped_and_a_tall_one_kept() -> None:
    image, text = _ean_image()
    (whole,) = ZxingDecoder().decode(image)
    height = bars_height(image, whole)
    symbol_rows = np.nonzero((image < 128).any(axis=1))[0]
    # The bars, less the digits under them: most of the symbol's rows, never more.
    assert 0.5 * len(symbol_rows) <= height <= len(symbol_rows) + 2
    middle = int(symbol_rows.mean())
    strip = _read_at(image, text, middle, middle + 2)
    tall = _read_at(image, text, middle - height // 4, middle + height // 4)
    assert plausible(image, [strip, tall]) == [tall]


def test_a_code_one_row_high_is_all_its_bars() -> None:
    image, text = _ean_image()
    row = np.ascontiguousarray(image[image.shape[0] // 2 : image.shape[0] // 2 + 1])
    reads = ZxingDecoder().decode(row)
    assert [code.text for code in plausible(row, reads)] == [text]


def test_matrix_codes_pass_untouched() -> None:
    matrix = Decoded("QR Code", "x", "]Q1", ((0, 0), (9, 0), (9, 0), (0, 0)))
    assert plausible(np.zeros((10, 10), np.uint8), [matrix]) == [matrix]
