"""Both decoders on symbols drawn by zxing-cpp's writer: text, AIM identifier, GS kept."""

from __future__ import annotations

import random
import sys

import cv2
import numpy as np
import pytest
import zxingcpp

from drivers.camera.decode import (
    Decoded,
    ZbarDecoder,
    ZbarUnavailableError,
    ZxingDecoder,
    make_decoder,
)
from drivers.camera.synth import KINDS, _content, render_symbol

GS = "\x1d"


def _sample(kind: str, module_px: int = 3) -> tuple[np.ndarray, str, str]:
    """A symbol of ``kind`` on a white margin, its expected text and AIM identifier."""
    content, text, aim = _content(kind, random.Random(kind))
    symbol = render_symbol(kind, content, module_px)
    image = cv2.copyMakeBorder(symbol, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255)
    return np.ascontiguousarray(image), text, aim


@pytest.mark.parametrize("kind", KINDS)
def test_zxing_reads_each_format_with_its_aim_identifier(kind: str) -> None:
    image, text, aim = _sample(kind)
    (code,) = ZxingDecoder().decode(image)
    expected_text = "0" + text if kind == "upca" else text  # zxing-cpp 3 gives UPC-A as 13 digits
    assert (code.text, code.symbology) == (expected_text, aim)
    assert (
        code.format
        == {
            "code128": "Code 128",
            "gs1-128": "Code 128",
            "ean13": "EAN-13",
            "upca": "EAN-13",
            "gs1-datamatrix": "Data Matrix",
            "qr": "QR Code",
        }[kind]
    )
    xs = [x for x, _ in code.position]
    assert min(xs) >= 30 and max(xs) <= image.shape[1] - 30  # corners on the symbol


def test_gs1_separators_are_kept_as_gs() -> None:
    for kind in ("gs1-128", "gs1-datamatrix"):
        image, text, _ = _sample(kind)
        (code,) = ZxingDecoder().decode(image)
        assert GS in code.text and code.text == text
        assert code.text.startswith("01") and "\x1d21" in code.text
        assert code.scanned == f"{code.symbology}{text}"  # as a scanner with AIM ids sends


def test_formats_can_be_restricted() -> None:
    image, _, _ = _sample("code128")
    assert ZxingDecoder(formats=[zxingcpp.BarcodeFormat.QRCode]).decode(image) == []
    assert len(ZxingDecoder(formats=[zxingcpp.BarcodeFormat.Code128]).decode(image)) == 1


def test_formats_none_reads_everything_zxing_reads() -> None:
    barcode = zxingcpp.create_barcode("ABC123", zxingcpp.BarcodeFormat.Code39)
    image = np.ascontiguousarray(np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=3)))
    assert ZxingDecoder().decode(image) == []  # not a station format
    (code,) = ZxingDecoder(formats=None).decode(image)
    assert (code.format, code.text) == ("Code 39", "ABC123")


def test_blank_image_reads_nothing() -> None:
    blank = np.full((200, 300), 200, np.uint8)
    assert ZxingDecoder().decode(blank) == []
    assert ZbarDecoder().decode(blank) == []


@pytest.mark.parametrize("kind", ["code128", "ean13", "gs1-128", "qr"])
def test_zbar_reads_linear_and_qr_without_aim(kind: str) -> None:
    image, text, _ = _sample(kind)
    (code,) = ZbarDecoder().decode(image)
    assert code.text == text
    assert code.symbology is None
    assert code.format == {"code128": "Code 128", "gs1-128": "Code 128", "ean13": "EAN-13",
                           "qr": "QR Code"}[kind]  # fmt: skip


def test_zbar_reads_no_data_matrix() -> None:
    image, _, _ = _sample("gs1-datamatrix")
    assert ZbarDecoder().decode(image) == []


def test_make_decoder_by_name() -> None:
    assert isinstance(make_decoder("zxing"), ZxingDecoder)
    assert isinstance(make_decoder("zbar"), ZbarDecoder)
    with pytest.raises(ValueError, match="unknown decoder engine 'zint'"):
        make_decoder("zint")


def test_decoded_scanned_without_symbology_is_the_text() -> None:
    code = Decoded("Code 128", "ABC", None, ((0, 0), (1, 0), (1, 1), (0, 1)))
    assert code.scanned == "ABC"


def test_zbar_without_its_library_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry makes the import fail as pyzbar's does when libzbar0 is missing.
    monkeypatch.setitem(sys.modules, "pyzbar", None)
    with pytest.raises(ZbarUnavailableError, match="install the system package libzbar0"):
        ZbarDecoder()
