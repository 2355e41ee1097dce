"""The shift dashboard (supervisor): the period's figures as charts, and a table per user or bench.

The figures come from ``station.dashboard`` on a reading worker, never on the GUI thread:
when the screen is shown, every ``refresh_s`` seconds while it stays shown, and when the
period or the grouping changes. Beside them, the disk the bench writes per day and the days
left at that rate (``station.disk``), read on the same worker at the same times. Keys (each
button says its own): F2 today, F3 the last 7 days, F4 per user / per bench, F6 charts /
table. The buttons never take focus, so a
scanner's Enter cannot press them; a badge scanned here switches user as anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station.dashboard import Dashboard, Group, OrderMix
from station.dashboard.figures import UTILISATION_EDGES
from station.disk import DiskReport, megabytes
from ui.dashboard.charts import AMBER, BLUE, GREEN, RED, YELLOW, BarChart
from ui.dashboard.groups_model import GroupsModel, number, percent
from ui.dashboard.words import band_words, exception_word, mix_word
from ui.returns.words import disposition_word
from ui.theme import named, restyle
from ui.worker import DbWorker

Loader = Callable[[int], Dashboard]
DiskLoader = Callable[[], DiskReport]
DISK_WARN_DAYS = 30  # fewer days left at this rate: shown in red, to be seen across the room
DEFAULT_REFRESH_S = 60.0
# Today's chart always shows at least the usual working day, and every hour with packs.
DAY_FROM, DAY_TO = 8, 17


class DashboardScreen(QWidget):
    """Packs per hour, accuracy, weight mismatches, time per order, exceptions, boxes, returns."""

    loaded = Signal(object)  # Dashboard, after it is shown
    failed = Signal(str)

    def __init__(
        self,
        worker: DbWorker,
        load: Loader,
        refresh_s: float = DEFAULT_REFRESH_S,
        parent: QWidget | None = None,
        *,
        disk: DiskLoader | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._load = load
        self._disk = disk
        self.disk_report: DiskReport | None = None
        self.days = 1
        self.by_user = True
        self.board: Dashboard | None = None
        self._busy = False
        self._stale = False
        self.timer = QTimer(self)
        self.timer.setInterval(round(refresh_s * 1000))
        self.timer.timeout.connect(self.refresh)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the screen's keys work when it is shown

        self.today_button = self._button(self.tr("Today  F2"), "F2", lambda: self.set_days(1))
        self.week_button = self._button(self.tr("Last 7 days  F3"), "F3", lambda: self.set_days(7))
        self.group_button = self._button("", "F4", lambda: self.set_by_user(not self.by_user))
        self.view_button = self._button("", "F6", self.toggle_table)
        self.status = named(QLabel(self.tr("Loading the figures…")), "dashboardStatus")
        self.disk = named(QLabel(""), "dashboardDisk")
        top = QHBoxLayout()
        for button in (self.today_button, self.week_button, self.group_button, self.view_button):
            top.addWidget(button)
        top.addSpacing(12)
        said = QVBoxLayout()  # two lines: the period's, the disk's (one would widen the screen)
        said.setSpacing(0)
        said.addWidget(self.status)
        said.addWidget(self.disk)
        top.addLayout(said, 1)

        grid_page = self._chart_page()

        self.model = GroupsModel(self)
        self.table = named(QTableView(), "dashboardTable")
        self.table.setModel(self.model)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

        self.pages = QStackedWidget()
        self.pages.addWidget(grid_page)
        self.pages.addWidget(self.table)
        page = QVBoxLayout(self)
        page.setContentsMargins(12, 8, 12, 8)
        page.addLayout(top)
        page.addWidget(self.pages, 1)
        self._label_buttons()

    def _chart_page(self) -> QWidget:
        """The charts in a grid: packs per hour wide on top, the rest below."""
        self.charts = {
            "packs": BarChart(GREEN),
            "accuracy": BarChart(GREEN, percent=True),
            "mismatch": BarChart(RED, percent=True),
            "seconds": BarChart(BLUE, horizontal=True),
            "exceptions": BarChart(AMBER, horizontal=True),
            "boxes": BarChart(YELLOW, horizontal=True),
            "grades": BarChart(BLUE),
            "dispositions": BarChart(YELLOW, horizontal=True),
        }
        grid_page = QWidget()
        grid = QGridLayout(grid_page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        c = self.charts
        grid.addWidget(c["packs"], 0, 0, 1, 3)
        grid.addWidget(c["accuracy"], 0, 3)
        grid.addWidget(c["mismatch"], 0, 4)
        for column, key in enumerate(("seconds", "exceptions", "boxes", "grades", "dispositions")):
            grid.addWidget(c[key], 1, column)
        for n in range(5):
            grid.setColumnStretch(n, 1)
        return grid_page

    def _button(self, text: str, key: str, act: Callable[[], None]) -> QPushButton:
        button = named(QPushButton(text), "commandButton")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: act())
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(act)
        return button

    # --- what is shown ----------------------------------------------------------------------

    def set_days(self, days: int) -> None:
        """Show today (1) or the last 7 days (7), reading them afresh."""
        if days != self.days:
            self.days = days
            self._label_buttons()
            self.refresh()

    def set_by_user(self, by_user: bool) -> None:
        """Group the per-person charts and the table by user (True) or by bench."""
        self.by_user = by_user
        self._label_buttons()
        if self.board is not None:
            self._show(self.board)

    def toggle_table(self) -> None:
        """Switch between the charts and the table."""
        self.pages.setCurrentIndex(1 - self.pages.currentIndex())
        self._label_buttons()

    def showing_table(self) -> bool:
        """True while the table is shown instead of the charts."""
        return self.pages.currentIndex() == 1

    def _label_buttons(self) -> None:
        restyle(self.today_button, "current", "true" if self.days == 1 else "false")
        restyle(self.week_button, "current", "true" if self.days == 7 else "false")
        self.group_button.setText(
            self.tr("Per bench  F4") if self.by_user else self.tr("Per user  F4")
        )
        self.view_button.setText(
            self.tr("Charts  F6") if self.showing_table() else self.tr("Table  F6")
        )

    # --- loading on the worker --------------------------------------------------------------

    def refresh(self) -> None:
        """Read the figures on the database worker (once at a time; again if asked meanwhile)."""
        if self._busy:
            self._stale = True
            return
        self._busy, self._stale = True, False
        days, load = self.days, self._load
        self._worker.submit(lambda: load(days), self._loaded, self._failed)
        if self._disk is not None:
            self._worker.submit(self._disk, self._disk_loaded, self._disk_failed)

    def _disk_loaded(self, report: DiskReport) -> None:
        self.disk_report = report
        per_day = megabytes(report.per_day_bytes)
        if report.days_left is None:
            text = self.tr("Disk: {per_day} a day").format(per_day=per_day)
        else:
            text = self.tr("Disk: {per_day} a day, {days} days left").format(
                per_day=per_day, days=QLocale().toString(int(report.days_left))
            )
        self.disk.setText(text)
        short = report.days_left is not None and report.days_left < DISK_WARN_DAYS
        restyle(self.disk, "state", "low" if short else "ok")

    def _disk_failed(self, error: BaseException) -> None:
        self.disk.setText(self.tr("Disk: not known ({error})").format(error=error))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        """Shown: read the figures now and keep them fresh while the screen stays up."""
        super().showEvent(event)
        self.timer.start()
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        """Hidden: no more reads until shown again."""
        super().hideEvent(event)
        self.timer.stop()

    def _loaded(self, board: Dashboard) -> None:
        self._busy = False
        if board.period.days == self.days:
            self._show(board)
        if self._stale or board.period.days != self.days:
            self.refresh()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        text = self.tr("The figures could not be read: {error}").format(error=error)
        self.status.setText(text)
        self.failed.emit(text)

    # --- drawing ----------------------------------------------------------------------------

    def _show(self, board: Dashboard) -> None:
        self.board = board
        t = board.total
        groups = board.by_user if self.by_user else board.by_station
        self.model.set_groups(groups, t)
        c = self.charts
        self._packs(board)
        people = [g for g in groups if g.figures.scans]
        c["accuracy"].show_bars(
            self.tr("Accuracy {value}").format(value=percent(t.scan_accuracy)),
            [g.name for g in people],
            [_pct(g.figures.scan_accuracy) for g in people],
        )
        weighed = [g for g in groups if g.figures.weighed_packages]
        c["mismatch"].show_bars(
            self.tr("Weight mismatch {value}").format(value=percent(t.weight_mismatch_rate)),
            [g.name for g in weighed],
            [_pct(g.figures.weight_mismatch_rate) for g in weighed],
        )
        mixes = list(OrderMix)
        c["seconds"].show_bars(
            self.tr("Seconds / order {value}").format(value=number(t.median_order_s, 0)),
            [mix_word(m) for m in mixes],
            [round(t.time_of(m).median_s or 0.0) for m in mixes],
        )
        kinds = sorted(t.exceptions, key=lambda k: (-t.exceptions[k], k))
        c["exceptions"].show_bars(
            self.tr("Exceptions {n}").format(n=t.exception_count),
            [exception_word(k) for k in kinds],
            [t.exceptions[k] for k in kinds],
        )
        c["boxes"].show_bars(
            self.tr("Box use {value}").format(value=percent(t.box_utilisation)),
            band_words(UTILISATION_EDGES),
            list(t.utilisation_bands),
        )
        grades = sorted(t.return_grades)
        c["grades"].show_bars(
            self.tr("Return grades {n}").format(n=t.returns_inspected),
            grades,
            [t.return_grades[g] for g in grades],
        )
        ways = sorted(t.return_dispositions, key=lambda d: (-t.return_dispositions[d], d))
        c["dispositions"].show_bars(
            self.tr("Dispositions"),
            [disposition_word(d) for d in ways],
            [t.return_dispositions[d] for d in ways],
        )
        when = f"{board.computed_at.astimezone():%H:%M}"  # the bench's clock, as the bar shows
        span = self.tr("today") if board.period.days == 1 else self.tr("last 7 days")
        self.status.setText(
            self.tr("{span} · {who} · updated {when}").format(
                span=span,
                who=self.tr("per user") if self.by_user else self.tr("per bench"),
                when=when,
            )
        )
        self.loaded.emit(board)

    def _packs(self, board: Dashboard) -> None:
        t, slots = board.total, board.throughput
        title = self.tr("Packs per hour {rate} ({n} packs)").format(
            rate=number(t.packs_per_hour), n=t.packs
        )
        if board.period.days == 1:
            busy = [s.start.hour for s in slots if s.packs]
            lo, hi = min([DAY_FROM, *busy]), max([DAY_TO, *busy])
            shown = [s for s in slots if lo <= s.start.hour <= hi]
            labels = [f"{s.start.hour:02d}" for s in shown]
            values = [float(s.packs) for s in shown]
        else:
            locale = QLocale()
            labels = [
                f"{locale.dayName(s.start.isoweekday(), QLocale.FormatType.ShortFormat)}"
                f" {s.start.day}"
                for s in slots
            ]
            values = [round(s.packs_per_hour or 0.0, 1) for s in slots]  # an empty day: no bar
            title = self.tr("Packs per hour by day {rate} ({n} packs)").format(
                rate=number(t.packs_per_hour), n=t.packs
            )
        self.charts["packs"].show_bars(title, labels, values)

    def groups_shown(self) -> tuple[Group, ...]:
        """The users or benches the table and the per-person charts show."""
        board = self.board
        if board is None:
            return ()
        return board.by_user if self.by_user else board.by_station


def _pct(value: float | None) -> float:
    return round(100 * value, 1) if value is not None else 0.0
