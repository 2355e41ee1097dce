"""Words the dashboard shows for engine values: exception kinds, order mixes, grades.

Literal ``QCoreApplication.translate`` calls with fixed contexts, so ``pyside6-lupdate`` finds
them; a kind the engine adds later shows as itself rather than breaking the screen.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QCoreApplication

from station.dashboard import OrderMix


def exception_word(kind: str) -> str:
    """An exception kind in words."""
    words = {
        "short_ship": QCoreApplication.translate("ExceptionKind", "short-ship"),
        "damaged": QCoreApplication.translate("ExceptionKind", "damaged"),
        "damaged_short": QCoreApplication.translate("ExceptionKind", "damaged, shipped short"),
        "quantity_override": QCoreApplication.translate("ExceptionKind", "quantity override"),
        "weight_override": QCoreApplication.translate("ExceptionKind", "weight override"),
    }
    return words.get(kind, kind.replace("_", " "))


def mix_word(mix: OrderMix) -> str:
    """An order mix in words."""
    words = {
        OrderMix.SINGLE: QCoreApplication.translate("OrderMix", "single item"),
        OrderMix.MULTI_UNIT: QCoreApplication.translate("OrderMix", "multi-unit"),
        OrderMix.MIXED: QCoreApplication.translate("OrderMix", "mixed"),
    }
    return words[mix]


def band_words(edges: tuple[float, ...]) -> list[str]:
    """The box-utilisation bands: from 0 to the first edge, between edges, the last edge up."""
    pct = [0, *(round(100 * e) for e in edges)]
    bands = [f"{a}–{b} %" for a, b in pairwise(pct)]
    return [*bands, QCoreApplication.translate("Utilisation", "≥ {n} %").format(n=pct[-1])]
