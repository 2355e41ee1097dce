"""GTIN arithmetic: the GS1 mod-10 check digit and the GTIN-14 key that unifies GTIN forms."""

from __future__ import annotations

GTIN_LENGTHS = (8, 12, 13, 14)


def check_digit(payload: str) -> int:
    """The GS1 mod-10 check digit of ``payload`` (the digits before the check digit)."""
    total = 0
    # Weights 3,1,3,1... from the rightmost payload digit.
    for i, ch in enumerate(reversed(payload)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    """True for an 8, 12, 13 or 14 digit string whose check digit is right."""
    return (
        code.isascii()
        and code.isdigit()
        and len(code) in GTIN_LENGTHS
        and check_digit(code[:-1]) == int(code[-1])
    )


def looks_like_gtin(code: str) -> bool:
    """True for a string of 8, 12, 13 or 14 ASCII digits, whatever its check digit."""
    return code.isascii() and code.isdigit() and len(code) in GTIN_LENGTHS


def gtin14(code: str) -> str:
    """The GTIN-14 form of a valid GTIN-8/12/13/14 (left-padded with zeros)."""
    if not is_valid_gtin(code):
        raise ValueError(f"not a valid GTIN: {code!r}")
    return code.zfill(14)


def with_check_digit(payload: str) -> str:
    """``payload`` followed by its check digit."""
    return payload + str(check_digit(payload))


def barcode_key(code: str) -> str:
    """The lookup key of a product barcode: GTIN-14 for a valid GTIN, else the code as is."""
    return gtin14(code) if is_valid_gtin(code) else code
