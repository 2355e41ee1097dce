"""Pure checks a decoded text can pass on its own: GTIN check digits and GS1 key digits.

The live path reports a code from a single frame only when the text proves itself (an
EAN/UPC whose check digit is right, a GS1 string whose GTIN/SSCC check digits are right);
anything else has to be seen twice (see :mod:`drivers.camera.live`). ``drivers`` may not import
``station``, so the few lines of GS1 arithmetic needed here live here.
"""

from __future__ import annotations

GS = "\x1d"
"""ASCII group separator: how FNC1 between GS1 element strings reaches the text."""

# AIs whose value is a GS1 key with a mod-10 check digit, and that key's length.
_KEY_AIS = {"00": 18, "01": 14, "02": 14}
# Fixed-length AIs (GS1 General Specifications, table of predefined lengths): these are
# never followed by a GS, so a parser must know where they end.
_FIXED = {"00": 18, "01": 14, "02": 14, "03": 14, "04": 16, "11": 6, "12": 6, "13": 6,
          "14": 6, "15": 6, "16": 6, "17": 6, "18": 6, "19": 6, "20": 2}  # fmt: skip


def gtin_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit for ``body`` (all digits, check digit excluded)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def is_valid_gtin(code: str) -> bool:
    """True for an 8, 12, 13 or 14 digit code whose last digit is its check digit."""
    return (
        len(code) in (8, 12, 13, 14) and code.isdigit() and gtin_check_digit(code[:-1]) == code[-1]
    )


def gs1_keys_valid(text: str) -> bool:
    """True if ``text`` is a GS1 element string whose keys (00)/(01)/(02) check out.

    Walks the element strings: fixed-length AIs by the table, any other up to the next GS.
    Requires at least one key AI, so a Code 128 that merely starts with digits is not taken
    for GS1. A string this short walk misreads (a 4-digit fixed AI such as 3103 before the
    key) only fails the check, which costs a second sighting, never a false acceptance.
    """
    position, keys = 0, 0
    while position < len(text):
        ai = text[position : position + 2]
        if not ai.isdigit():
            return False
        if ai in _FIXED:
            value = text[position + 2 : position + 2 + _FIXED[ai]]
            if len(value) != _FIXED[ai]:
                return False
            position += 2 + _FIXED[ai]
            if position < len(text) and text[position] == GS:
                position += 1
        else:
            end = text.find(GS, position)
            end = len(text) if end < 0 else end
            value = text[position + 2 : end]
            if not value:
                return False
            position = end + 1
        if ai in _KEY_AIS:
            if not value.isdigit() or gtin_check_digit(value[:-1]) != value[-1]:
                return False
            keys += 1
    return keys > 0
