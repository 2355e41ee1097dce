"""GTIN and GS1 key check digits, as the live path's agreement rule uses them."""

from __future__ import annotations

import pytest

from drivers.camera.checks import gs1_keys_valid, gtin_check_digit, is_valid_gtin


def test_gtin_check_digit() -> None:
    assert gtin_check_digit("400638133393") == "1"
    assert gtin_check_digit("03600029145") == "2"
    assert gtin_check_digit("0950400005911") == "8"


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("4006381333931", True),
        ("036000291452", True),
        ("96385074", True),
        ("09504000059118", True),
        ("4006381333932", False),
        ("40063813339", False),  # 11 digits: no GTIN has that length
        ("400638133393A", False),
    ],
)
def test_is_valid_gtin(code: str, valid: bool) -> None:
    assert is_valid_gtin(code) is valid


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("0109504000059118", True),
        ("01095040000591181725123110ABC\x1d21XYZ", True),
        ("0109504000059118" + "10L1\x1d" + "21S", True),
        ("00106141411234567897", True),  # SSCC
        ("0109504000059116", False),  # wrong GTIN check digit
        ("010950400005911", False),  # GTIN cut short
        ("10ABC\x1d21XYZ", False),  # no key at all
        ("ORD-123456", False),
        ("", False),
        ("0109504000059118\x1d\x1d", False),  # an empty element
    ],
)
def test_gs1_keys_valid(text: str, valid: bool) -> None:
    assert gs1_keys_valid(text) is valid
