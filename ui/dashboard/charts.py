"""One bar chart of the dashboard (QtCharts), drawn in the high-contrast theme's colours.

A chart is not styled by the window's style sheet, so its colours are set here and its type
follows the view's own font (which the sheet sets, and scales up on a 1920×1080 screen). Each
chart keeps one series, one bar set and its axes for its whole life and only changes their
contents on a refresh: nothing is rebuilt, and a test reads the values straight off the set.
Every bar carries its number, so no figure depends on reading a colour or an axis.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BACKGROUND = QColor("#000000")
TEXT = QColor("#ffffff")
GRID = QColor("#4d4d4d")
GREEN = QColor("#00a651")
YELLOW = QColor("#ffd400")
AMBER = QColor("#ffbf00")
RED = QColor("#ff5c5c")
BLUE = QColor("#5ca8ff")
WRAP_AT = 11  # characters per line of a label beside a horizontal bar


def nice_range(top: float, steps: int = 4, *, whole: bool = False) -> tuple[float, float]:
    """An axis end at or above ``top`` and a step of 1, 2 or 5 times a power of ten, so that
    every tick lands on a number a person reads at a glance (about ``steps`` steps; whole
    steps for counts)."""
    if top <= 0:
        return 1.0, 1.0
    rough = top / steps
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    if whole:
        step = max(step, 1.0)
    return step * math.ceil(top / step), step


class BarChart(QChartView):
    """A titled bar chart with a category axis and a value axis; vertical or horizontal."""

    def __init__(
        self,
        colour: QColor,
        *,
        horizontal: bool = False,
        percent: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        chart = QChart()
        super().__init__(chart, parent)
        self._chart = chart
        self._percent = percent
        self._horizontal = horizontal
        self._labels: list[str] = []
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)  # never the reason the window grows past 1280×800
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundBrush(QBrush(BACKGROUND))
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(2, 2, 2, 2))
        chart.setTitleBrush(QBrush(TEXT))
        chart.legend().hide()
        self.bars = QBarSet("")
        self.bars.setColor(colour)
        self.bars.setBorderColor(colour)
        self.bars.setLabelColor(TEXT)
        self.series: QAbstractBarSeries = QHorizontalBarSeries() if horizontal else QBarSeries()
        self.series.append(self.bars)
        self.series.setLabelsVisible(True)
        self.series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.series.setLabelsPrecision(6)
        self.series.setBarWidth(0.7)
        chart.addSeries(self.series)
        self.categories = QBarCategoryAxis()
        self.values = QValueAxis()
        for axis in (self.categories, self.values):
            axis.setLabelsBrush(QBrush(TEXT))
            axis.setLinePen(QPen(GRID))
            axis.setGridLinePen(QPen(GRID))
        self.categories.setGridLineVisible(False)
        value_side = Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
        category_side = Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
        chart.addAxis(self.categories, category_side)
        chart.addAxis(self.values, value_side)
        self.series.attachAxis(self.categories)
        self.series.attachAxis(self.values)
        self._apply_fonts()

    def show_bars(self, title: str, categories: Sequence[str], values: Sequence[float]) -> None:
        """Replace the chart's title and bars; values are shown as given (round them first)."""
        self._chart.setTitle(title)
        if self.bars.count():
            self.bars.remove(0, self.bars.count())
        self.categories.clear()
        shown = list(categories) or [self.tr("none")]
        numbers = [float(v) for v in values] or [0.0]
        self._labels = list(categories)
        if self._horizontal:
            # Qt stacks categories from the bottom: read them top down; a long label beside
            # a bar wraps rather than being cut to "weight ov...".
            shown = [textwrap.fill(c, WRAP_AT) for c in shown[::-1]]
            numbers = numbers[::-1]
        # Axis labels are rich text: a "<" would start a tag; a line break stays one.
        self.categories.append([html.escape(c, quote=False).replace("\n", "<br>") for c in shown])
        self.bars.append(numbers)
        top = max([*values, 0.0])
        whole = all(float(v).is_integer() for v in values)
        steps = 2 if self._horizontal else 4  # a narrow horizontal axis holds fewer labels
        upper, step = (
            (100.0, 50.0 if self._horizontal else 25.0)
            if self._percent
            else nice_range(top * 1.15, steps, whole=whole)
        )
        self.values.setRange(0.0, upper)
        self.values.setTickCount(round(upper / step) + 1)
        self.values.setLabelFormat("%.0f" if step >= 1 else "%.1f")
        self.series.setLabelsFormat("@value %" if self._percent else "@value")

    def title(self) -> str:
        """The chart's title (figures included)."""
        return str(self._chart.title())

    def category_labels(self) -> list[str]:
        """The labels of the bars, as given (top down when horizontal)."""
        return list(self._labels)

    def bar_values(self) -> list[float]:
        """The bars' values, in the order of :meth:`category_labels`."""
        if not self._labels:
            return []  # the placeholder bar of an empty chart is no figure
        values = [self.bars.at(i) for i in range(self.bars.count())]
        return values[::-1] if self._horizontal else values

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        """Follow the view's font (the theme, and its larger size on a big screen)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._apply_fonts()

    def _apply_fonts(self) -> None:
        base = self.font()
        size = base.pixelSize() if base.pixelSize() > 0 else round(base.pointSizeF() * 4 / 3)
        title = QFont(base)
        title.setPixelSize(max(16, round(size * 0.9)))
        title.setBold(True)
        self._chart.setTitleFont(title)
        small = QFont(base)
        small.setPixelSize(max(14, round(size * 0.8)))
        for axis in (self.categories, self.values):
            axis.setLabelsFont(small)
        self.bars.setLabelFont(small)
