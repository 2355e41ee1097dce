"""Text fitted to a width: wrapped at spaces, or cut with an ellipsis, never cut silently.

Widths are measured by the caller's function (dots of a printer font, of a shipped Noto font
or character columns), so every renderer fits text by what it really draws.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Measure = Callable[[str], float]


def ellipsize(
    text: str, width: float, measure: Measure, ellipsis: str = "...", *, cut: bool = False
) -> str:
    """``text`` if it fits ``width``; else its longest start that fits with ``ellipsis``.

    ``cut``: the text was already shortened, so it ends with the ellipsis even if it fits.
    """
    if not cut and measure(text) <= width:
        return text
    lo, hi = 0, len(text)  # the longest prefix length that fits, by bisection
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[:mid].rstrip() + ellipsis) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ellipsis if measure(ellipsis) <= width else ""


def _break_word(word: str, width: float, measure: Measure) -> list[str]:
    """A word too wide for a line, in pieces that fit (CJK has no spaces to wrap at)."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and measure(current + ch) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return [*pieces, current] if current else pieces


def wrap(lines: Iterable[str], width: float, measure: Measure) -> list[str]:
    """Each line wrapped at spaces to ``width``; a word wider than a line is broken."""
    out: list[str] = []
    for line in lines:
        current = ""
        for word in line.split():
            candidate = f"{current} {word}" if current else word
            if measure(candidate) <= width:
                current = candidate
                continue
            if current:
                out.append(current)
            pieces = _break_word(word, width, measure) if measure(word) > width else [word]
            out.extend(pieces[:-1])
            current = pieces[-1] if pieces else ""
        out.append(current)
    return out


def wrap_limited(
    lines: Iterable[str], width: float, max_lines: int, measure: Measure, ellipsis: str = "..."
) -> list[str]:
    """``wrap`` cut to ``max_lines``; the last line kept ends with ``ellipsis`` when cut."""
    out = wrap(lines, width, measure)
    if len(out) <= max_lines:
        return out
    out = out[:max_lines]
    # Say that something was cut: the ellipsis replaces what no longer fits.
    out[-1] = ellipsize(out[-1], width, measure, ellipsis, cut=True)
    return out
