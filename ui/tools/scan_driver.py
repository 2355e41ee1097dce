"""Drives the real window for ``ui.tools.benchmark``: scans in, and a clock on the verdict
banner's paint.

The clock starts just before :meth:`StationWindow.submit_code` (where every scanner's scan
arrives) and stops when the banner's labels have painted the verdict that scan produced: the
pack screen sets the text (``outcome_shown``), and the next paint of the banner's labels is
that verdict on screen. Waiting is a real ``QEventLoop``, woken by the worker's result and
the paint, so the figures hold no polling interval.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from station.db import Database
from station.db.engine import reader
from station.db.models import Order, OrderLine, OrderStatus, ProductBarcode, Tracking
from station.packing.verdicts import Outcome, Verdict
from ui.composition import Station
from ui.devices import Platter

WAIT_MS = 10_000
LABEL_PAUSE_MS = 200  # after completing: the packer labels the box and takes the next tote
SETTLE_MS = 500  # a weight shown, then this long before the weigh key: a settled reading


def run_loop(loop: QEventLoop, ms: int = WAIT_MS) -> None:
    """Run ``loop`` until it is quit, or ``ms`` at most."""
    # A single shot bound to the loop (cancelled when the loop goes): a QTimer made here with
    # its timeout connected to loop.quit left about 55 bytes behind per call in PySide6 (a
    # soak's tracemalloc found it; tens of thousands of calls in a shift).
    QTimer.singleShot(ms, loop, loop.quit)
    loop.exec()


@dataclass(frozen=True)
class TimedOrder:
    """An open order whose units need no serial or lot, and a barcode not in it."""

    number: str
    stray: str


def packable(db: Database) -> list[TimedOrder]:
    """Open orders a scanner alone can pack, oldest first."""
    with Session(reader(db.engine)) as session:
        orders = session.scalars(
            select(Order)
            .where(Order.status == OrderStatus.OPEN)
            .options(selectinload(Order.lines).selectinload(OrderLine.product))
            .order_by(Order.id)
        ).all()
        barcodes = session.execute(select(ProductBarcode.product_id, ProductBarcode.raw)).all()
        found = []
        for order in orders:
            if any(line.product.tracking != Tracking.NONE for line in order.lines):
                continue
            inside = {line.product_id for line in order.lines}
            stray = next(raw for product, raw in barcodes if product not in inside)
            found.append(TimedOrder(order.number, stray))
        return found


class BannerClock(QObject):
    """Notes when the verdict banner's labels paint, and what the banner said then.

    It paints the labels itself (``paintEvent`` inside the filter, then swallows the event) so
    that the time taken is after the paint, not before it. A verdict can be painted before the
    pack screen says it is shown (a restyle may paint at once), so each paint is kept with the
    banner's text and matched against the verdict afterwards.
    """

    def __init__(self, station: Station) -> None:
        super().__init__(station.window)
        self._banner = station.window.pack.banner
        self._labels = self._banner.findChildren(QLabel)
        for label in self._labels:
            label.installEventFilter(self)
        self.paints: list[tuple[float, str]] = []
        self.target: str | None = None  # the banner's text once the scan's verdict is set
        self.painted_at: float | None = None
        self.painted_cpu = 0.0  # the GUI thread's CPU time (``time.thread_time``) then
        self._last_cpu = 0.0
        self._loop: QEventLoop | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Paint a banner label and note the time and the banner's text."""
        if not (self._loop is not None and event.type() == QEvent.Type.Paint):
            return False
        if watched not in self._labels:
            return False
        assert isinstance(watched, QLabel) and isinstance(event, QPaintEvent)
        watched.paintEvent(event)
        self.paints.append((time.perf_counter(), self._banner.text()))
        self._last_cpu = time.thread_time()
        self.check()
        return True

    def check(self) -> None:
        """Once a paint showed the target text, finish after the rest of that frame."""
        if self.painted_at is not None or self.target is None:
            return
        if any(text == self.target for _, text in self.paints):
            self.painted_at = 0.0  # set for real when the frame is done
            QTimer.singleShot(0, self._frame_done)

    def _frame_done(self) -> None:
        # The last label painted in the frame that showed the verdict.
        self.painted_at = self.paints[-1][0]
        self.painted_cpu = self._last_cpu
        if self._loop is not None:
            self._loop.quit()

    def run(self, loop: QEventLoop) -> None:
        """Record paints while ``loop`` runs (until ``check`` or ``WAIT_MS`` stops it)."""
        self.paints, self.target, self.painted_at = [], None, None
        self._loop = loop
        run_loop(loop)
        self._loop = None


def _platter(station: Station) -> Platter:
    """The emulated scale of the bench (``start_bench(..., demo=True)`` makes it follow)."""
    devices = {d.role: d for d in station.bridge.devices} if station.bridge else {}
    scale = devices["scale"].emulator if "scale" in devices else None
    if not isinstance(scale, Platter):
        raise RuntimeError("the UI bench needs the emulated scale (start_bench with demo=True)")
    return scale


class ScanDriver:
    """Signs a packer in and packs orders through the window, timing each scan.

    Only the last outcomes are kept (a soak runs tens of thousands of scans and measures the
    station's memory, not the driver's); ``verdicts`` counts every verdict shown. The times
    are kept in ``painted_ms`` and ``shown_ms``; a long run may take and clear them.
    """

    def __init__(self, station: Station, label_pause_ms: int = LABEL_PAUSE_MS) -> None:
        self._scale = _platter(station)
        self._worker = station.worker
        self._window = station.window
        self._clock = BannerClock(station)
        self._outcomes: deque[Outcome] = deque(maxlen=64)
        self._outcome_count = 0
        self._shown_at = 0.0
        self._label_pause_ms = label_pause_ms
        self._window.pack.outcome_shown.connect(self._shown)
        self._expected_g = 0.0  # what the demo scale was last told the package weighs
        self._window.pack.weight.expectation_shown.connect(self._expected)
        # The demo's platter is told each package weight after the scan's verdict is shown
        # (the expectation comes with the order's header, a worker round trip later): place
        # waits for that, counted here.
        self._told = 0
        self._told_at_scan = 0
        self._platter_kg = ""
        told = self._scale.set_weight

        def set_weight(weight: str, unit: str | None = None) -> None:
            self._told += 1
            self._platter_kg = weight
            told(weight, unit)

        self._scale.set_weight = set_weight  # type: ignore[method-assign]
        self.painted_ms: list[float] = []
        self.shown_ms: list[float] = []
        self.scans = 0  # timed scans in all, also those taken out of painted_ms
        # The last timed scan's submit and paint (``time.perf_counter``), and the GUI
        # thread's CPU time at the paint, for a caller that splits a slow scan's time.
        self.submitted_at = 0.0
        self.painted_at = 0.0
        self.painted_cpu = 0.0
        self.verdicts: Counter[Verdict] = Counter()
        self.completed = 0

    def _expected(self, expectation: object) -> None:
        expected = getattr(expectation, "expected_g", None)
        if isinstance(expected, float | int) and expected > 0:
            self._expected_g = float(expected)

    def _shown(self, outcome: Outcome) -> None:
        self._outcomes.append(outcome)
        self._outcome_count += 1
        self.verdicts[outcome.verdict] += 1
        if self._clock.target is None:  # the scan's own verdict, not a weighing after it
            self._shown_at = time.perf_counter()
            self._clock.target = self._window.pack.banner.text()
            self._clock.check()

    def sign_in(self, badge: str) -> None:
        """Scan a badge at the sign-in screen (not timed) and wait for the pack screen."""
        loop = QEventLoop()
        self._window.screen_changed.connect(loop.quit)
        self._window.submit_code(badge)
        run_loop(loop)
        self._window.screen_changed.disconnect(loop.quit)
        if self._window.current_screen() != "pack":
            raise RuntimeError(f"{badge} was not signed in to the pack screen")

    def settle(self, pause_ms: int = 0) -> None:
        """Let the work the last scan started finish, as it does before a person's next scan.

        The database worker runs one task at a time in order, so once a no-op sent now has
        come back, everything queued before it has been done and delivered.
        """
        loop = QEventLoop()
        self._worker.submit(lambda: None, lambda _: loop.quit(), lambda _: loop.quit())
        run_loop(loop)
        if pause_ms:
            run_loop(QEventLoop(), pause_ms)

    def scan(self, code: str) -> Outcome:
        """One timed scan: submit, wait for its verdict to be painted, record both times."""
        self.settle()
        seen = self._outcome_count
        started = [0.0]

        def submit() -> None:
            started[0] = time.perf_counter()
            self._told_at_scan = self._told
            self._window.submit_code(code)

        QTimer.singleShot(0, submit)
        self._clock.run(QEventLoop())  # the scan goes in once the clock is recording
        if self._outcome_count == seen or not self._clock.painted_at:
            raise TimeoutError(f"no verdict painted for {code!r} within {WAIT_MS} ms")
        self.submitted_at, self.painted_at = started[0], self._clock.painted_at
        self.painted_cpu = self._clock.painted_cpu
        self.painted_ms.append((self._clock.painted_at - started[0]) * 1000)
        self.shown_ms.append((self._shown_at - started[0]) * 1000)
        self.scans += 1
        return self._outcomes[seen - self._outcome_count]

    def wait_for(self, *verdicts: Verdict, after: int = 0) -> Outcome:
        """Not timed: wait for an outcome the bench itself produces (the scale's weighing),
        the last one shown and later than the ``after``-th."""
        deadline = time.monotonic() + WAIT_MS / 1000
        while not (self._outcome_count > after and self._outcomes[-1].verdict in verdicts):
            if time.monotonic() > deadline:
                last = self._outcomes[-1].verdict.value if self._outcomes else "nothing"
                raise TimeoutError(f"waited for {verdicts[0].value}, the last verdict: {last}")
            run_loop(QEventLoop(), 20)
        return self._outcomes[-1]

    def pack_order(self, order: TimedOrder, wrong_every: int) -> None:
        """Open ``order``, scan every unit (a wrong item now and then), weigh, complete."""
        opened = self.scan(order.number)
        if opened.verdict not in (Verdict.ORDER_OPENED, Verdict.ORDER_RESUMED):
            return  # taken meanwhile or blocked: the next order
        for line in opened.lines:
            for _ in range(line.expected - line.packed):
                wrong_now = self.scans % wrong_every == wrong_every - 1
                if wrong_now and self.scan(order.stray).verdict is Verdict.WRONG_ITEM:
                    self.scan("CMD-CONFIRM")
                if self.scan(line.barcode).verdict is Verdict.ACCEPTED:
                    self.place()
        self.weigh()
        if self.scan("CMD-COMPLETE").verdict is Verdict.COMPLETED:
            self.completed += 1
        # The packed box leaves the platter: the next box is a new plateau, even when it
        # should weigh the same as this one.
        self.lift(self._label_pause_ms)

    def place(self) -> None:
        """Not timed: the unit just scanned goes into the box, and the platter shows the
        package's new weight before the next scan, as at a bench, where a packer drops a
        unit in and then reaches for the next. (Scanning the next unit while the platter is
        still on its way to this one's weight would make a plateau without the last unit
        begin after the last scan, which the bench rightly takes as the package's weight.)"""
        deadline = time.monotonic() + WAIT_MS / 1000
        while self._told == self._told_at_scan:  # the weight after this scan, not yet told
            if time.monotonic() > deadline:
                raise TimeoutError("the platter was never given the package's new weight")
            run_loop(QEventLoop(), 5)
        while not self._window.pack.weight.value_text().startswith(self._platter_kg):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the scale never showed {self._platter_kg} kg")
            run_loop(QEventLoop(), 5)

    def weigh(self, tries: int = 5) -> None:
        """Wait for the box's weighing (the demo scale follows the package's expected weight:
        the box "goes on the scale"). A mismatch is a stale reading judged (the scale was
        still at the weight before the last unit): the packer acknowledges it and presses
        the weigh key (F7) with the box at its weight, as at a real bench; ``verdicts``
        keeps the count."""
        verdicts = (
            Verdict.WEIGHT_PASS,
            Verdict.WEIGHT_OVERRIDE,
            Verdict.WEIGHT_MISMATCH,
            Verdict.WEIGHT_UNSTABLE,
        )
        after = 0
        for _ in range(tries):
            verdict = self.wait_for(*verdicts, after=after).verdict
            if verdict in (Verdict.WEIGHT_PASS, Verdict.WEIGHT_OVERRIDE):
                return
            if verdict is Verdict.WEIGHT_MISMATCH:
                self.scan("CMD-CONFIRM")  # a red verdict holds everything until acknowledged
            after = self._outcome_count
            shown = f"{self._expected_g / 1000:.3f}"
            self._scale.set_weight(shown, "kg")
            deadline = time.monotonic() + WAIT_MS / 1000
            while not self._window.pack.weight.value_text().startswith(shown):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the scale never showed {shown} kg")
                run_loop(QEventLoop(), 20)
            run_loop(QEventLoop(), SETTLE_MS)  # the stable rule wants agreeing readings
            self._window.pack.weigh_button.click()
        raise TimeoutError(f"no weight pass after {tries} weighings")

    def lift(self, pause_ms: int = 0) -> None:
        """Empty the platter and wait until the window shows it empty."""
        self._scale.set_weight("0.000", "kg")
        self.settle(pause_ms)
        deadline = time.monotonic() + WAIT_MS / 1000
        while not self._window.pack.weight.value_text().startswith("0.000"):
            if time.monotonic() > deadline:
                raise TimeoutError("the emptied scale was never read")
            run_loop(QEventLoop(), 20)
