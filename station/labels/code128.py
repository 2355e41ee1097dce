"""Code 128 code sets chosen once, so every renderer encodes, and measures, the same symbol.

Runs of digits go into code set C (two digits a symbol) where that is shorter: a run of four
or more at either end of the data, of six or more inside it (ISO/IEC 15417 annex E, the
minimal-length rules for B and C). The width in modules is what the layout check needs: a
barcode that leaves the label, or its quiet zone, is refused rather than cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from station.labels import gs1
from station.labels.errors import LabelError

CodeSet = Literal["B", "C"]
Segment = tuple[CodeSet, str]
QUIET_ZONE_X = 10  # ISO/IEC 15417 and the GS1 General Specifications: 10X each side
_DIGITS = re.compile(r"\d+")


def check_ascii(data: str) -> None:
    """Raise LabelError unless ``data`` is printable ASCII (what code set B encodes)."""
    if not data or not all(" " <= ch <= "~" for ch in data):
        raise LabelError(f"Code 128 takes printable ASCII only, not {data!r}")


def plan(data: str) -> list[Segment]:
    """``data`` as (code set, text) segments, digits in C where that is shorter."""
    check_ascii(data)
    out: list[Segment] = []
    pos = 0
    for match in _DIGITS.finditer(data):
        start, end = match.span()
        at_edge = start == 0 or end == len(data)
        if end - start < (4 if at_edge else 6):
            continue
        if (end - start) % 2:  # an odd digit stays in B: at the end of a leading run
            if start == 0:
                end -= 1
            else:
                start += 1
        if start > pos:
            out.append(("B", data[pos:start]))
        out.append(("C", data[start:end]))
        pos = end
    if pos < len(data):
        out.append(("B", data[pos:]))
    return out


def symbol_count(segments: Sequence[Segment], fnc1: int = 0) -> int:
    """Symbols between start and check: data, one per code set change, ``fnc1`` FNC1s."""
    data = sum(len(t) // 2 if s == "C" else len(t) for s, t in segments)
    return data + max(len(segments) - 1, 0) + fnc1


def modules(symbols: int) -> int:
    """Width in modules of a symbol of ``symbols`` data symbols: start, check 11, stop 13."""
    return 11 * (symbols + 2) + 13


def width_modules(data: str) -> int:
    """Modules of a Code 128 of ``data`` as ``plan`` encodes it, quiet zones not counted."""
    return modules(symbol_count(plan(data)))


def gs1_width_modules(elements: Sequence[tuple[str, str]]) -> int:
    """Modules of a GS1-128: every segment planned on its own, FNC1 before each.

    Conservative for the ZPL UCC/EAN mode, whose own code set choice is never longer.
    """
    parts = gs1.segments(elements)
    symbols = sum(symbol_count(plan(p)) for p in parts)
    return modules(symbols + len(parts) + len(parts) - 1)  # FNC1s, worst-case set changes
