"""What a capture scan (serial, lot, expiry) may contain, checked before it is stored."""

from __future__ import annotations

import re
from datetime import date

MAX_CAPTURE_LEN = 64
# Printable ASCII without spaces at the ends: what serial and lot labels carry.
_TEXT = re.compile(r"[!-~](?:[ -~]{0,62}[!-~])?")
_YYMMDD = re.compile(r"(\d{2})(\d{2})(\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_expiry(text: str) -> date | None:
    """An expiry date from ``YYMMDD`` (GS1 AI 17 style) or ``YYYY-MM-DD``; None if invalid.

    As in GS1, day ``00`` means the last day of the month.
    """
    text = text.strip()
    if m := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _YYMMDD.fullmatch(text):
        yy, month, day = (int(g) for g in m.groups())
        year = 2000 + yy
    else:
        return None
    try:
        if day == 0:
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(year, month, day)
    except ValueError:
        return None


def capture_text(text: str) -> str | None:
    """A serial or lot number as scanned, or None if it cannot be one."""
    return text if _TEXT.fullmatch(text) else None
