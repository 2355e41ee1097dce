"""What the inspector does to a unit or the parcel, each by a key, a button and (most) a
barcode: grade, photograph, override, dispose, hold, undo, finish the parcel, create an RMA.

Every action goes to the engine through the database worker and the bench (held back while an
error waits for its acknowledgement); the answer comes back to ``ReturnsScreen.on_reply``.
The camera frame is taken on the worker thread, never the GUI's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton

from drivers.camera.model import CameraError
from station.config.returns import ReturnSettings
from station.config.returns_defaults import DISPOSITIONS, REFUNDS
from station.photos import PhotoStore, Snapshot
from station.returns.bench import ReturnsBench, ReturnsReply
from station.returns.grading import photos_required
from station.returns.service import InspectionService
from station.returns.state import ItemView
from station.returns.verdicts import ReturnOutcome, ReturnVerdict
from ui.returns.checklist import ANSWER_KEYS
from ui.returns.layout import ReturnsLayout
from ui.returns.override_dialog import OverrideDialog
from ui.widgets.approval_dialog import ApprovalDialog
from ui.worker import DbWorker

DISPOSE_CODE = "CMD-DISPOSE"
REASON_PREFIX = "REASON-"  # REASON-NO_FAULT_FOUND: the observed reason, scanned
REASON_KEYS = {getattr(Qt.Key, f"Key_{n}").value: n for n in range(1, 10)}
PHOTO_CODE = "CMD-PHOTO"
HOLD_CODE = "CMD-HOLD"


class ReturnsActions(ReturnsLayout):
    """The returns screen's commands; the display of their answers is the screen's."""

    def __init__(
        self,
        worker: DbWorker,
        service: InspectionService,
        bench: ReturnsBench,
        settings: ReturnSettings,
        photos: PhotoStore,
        camera: Snapshot | None,
    ) -> None:
        super().__init__(settings)
        self._settings = settings
        self._worker = worker
        self._service = service
        self._bench = bench
        self._photos = photos
        self._camera = camera
        self.current: ItemView | None = None
        self.answers: dict[int, dict[str, bool | None]] = {}  # per unit, to grade again
        self.create_ref: str | None = None  # an order with no open RMA, from the last lookup
        # The supervisor's dialog open (an override, or an RMA for an order never packed) and
        # the verdict that closes it; a scan meanwhile is the supervisor's badge.
        self.dialog: OverrideDialog | ApprovalDialog | None = None
        self.dialog_approves = ReturnVerdict.OVERRIDDEN
        self.rma_asked: str | None = None  # the order F2 asked an RMA for, until answered
        self.choosing_reason = False  # after F3: a number key chooses the observed reason
        self.dispose_asked: int | None = None  # the unit F10 asked to dispose of, until answered
        # Mirrors the bench's pending red verdict (each reply says): while it waits for its
        # acknowledgement, no key, scan or command is counted, not even one the screen alone
        # would handle (a checklist answer, the next reason, the override dialog).
        self.awaiting_ack = False
        self._shortcuts: list[QShortcut] = []
        undo, done = self.tr("Undo"), self.tr("Parcel done")  # literal self.tr: lupdate sees it
        self._bind(self.undo_button, "F5", lambda: self.act(undo, service.undo))
        self._bind(self.photo_button, "F4", self.photo)
        self._bind(self.override_button, "F8", self.override)
        self._bind(self.dispose_button, "F10", self.dispose)
        self._bind(self.hold_button, "F6", self.hold)
        # One of the two in the command row (a seventh button widened the window past 1280 px):
        # a bench without a camera has no use for Photo, and Hold is its way out of a required
        # photo. F4 and F6 work on every bench.
        self.photo_button.setVisible(camera is not None)
        self.hold_button.setVisible(camera is None)
        self._bind(self.complete_button, "F9", lambda: self.act(done, service.complete))
        self._bind(self.create_button, "F2", self.create_rma)
        self._bind(self.ack_button, "F12", self.acknowledge, "Esc")
        self._bind(None, "F3", self.ask_reason)
        self.input.installEventFilter(self)

    # --- to be provided by the screen -------------------------------------------------------

    def on_reply(self, reply: ReturnsReply) -> None:
        """Show an answer of the worker."""
        raise NotImplementedError

    def on_error(self, error: BaseException) -> None:
        """The worker failed: nothing was stored."""
        raise NotImplementedError

    def step_choice(self, step: int) -> None:
        """Up/Down: another unit (or lookup match)."""
        raise NotImplementedError

    def show_held(self, what: str) -> None:
        """Say that ``what`` was not counted: a red verdict waits for its acknowledgement."""
        raise NotImplementedError

    def held_back(self, what: str) -> bool:
        """True, and said so, while a red verdict waits: ``what`` is then not counted."""
        if self.awaiting_ack:
            self.show_held(what)
        return self.awaiting_ack

    # --- actions ----------------------------------------------------------------------------

    def act(self, name: str, action: Callable[[], ReturnOutcome]) -> None:
        """Run an engine action through the bench on the worker."""
        self._worker.submit(lambda: self._bench.act(name, action), self.on_reply, self.on_error)

    def acknowledge(self) -> None:
        """F12 / Esc: clears a red verdict like CMD-CONFIRM (and keeps the observed reason
        when F3 waits for a number)."""
        if self.choosing_reason:
            self.choosing_reason = False
            self.item_panel.ask_reason(False)
        self._worker.submit(self._bench.acknowledge, self.on_reply, self.on_error)

    def grade(self) -> None:
        """The checklist decided a grade: the engine grades the unit and recommends."""
        item = self.current
        if item is None:
            return
        answers = self.checklist.answers
        self.answers[item.id] = answers
        reason = self.item_panel.observed_reason()
        self.act(self.tr("Grade"), lambda: self._service.assess(item.id, answers, reason))

    def ask_reason(self) -> None:
        """F3: the next number key chooses the observed reason (F3 again or Esc: keep it)."""
        if self.held_back("F3") or self.current is None:
            return
        self.choosing_reason = not self.choosing_reason
        self.item_panel.ask_reason(self.choosing_reason)

    def choose_reason(self, reason: str) -> None:
        """The observed reason chosen (number key or ``REASON-<CODE>``); a graded unit is
        graded again once with it, and only if it changed."""
        self.choosing_reason = False
        self.item_panel.ask_reason(False)
        if not self.item_panel.choose_reason(reason):
            return
        item = self.current
        if item is not None and item.status == "assessed" and item.id in self.answers:
            self.checklist_restore(self.answers[item.id])
            self.grade()

    def checklist_restore(self, answers: dict[str, bool | None]) -> None:
        """Answer the checklist again as it was (a new reason, same unit)."""
        self.checklist.start()
        for _ in answers:
            key = self.checklist.current()
            if key is None or key not in answers:
                break
            self.checklist.answer(answers[key])

    def photo(self) -> None:
        """F4 / CMD-PHOTO: a camera frame of the unit, taken and stored on the worker."""
        item = self.current
        if item is not None:
            texts = (self.tr("no camera at this bench"), self.tr("no photo taken: {error}"))
            self.act(self.tr("Photo"), lambda: self._take_photo(item.id, *texts))

    def _take_photo(self, item_id: int, no_camera: str, failed: str) -> ReturnOutcome:
        # Worker thread: the snapshot waits for a frame, the store encodes and fsyncs.
        if self._camera is None:
            return ReturnOutcome(ReturnVerdict.PHOTO_REQUIRED, no_camera)
        try:
            frame = self._camera()
        except (CameraError, OSError) as exc:
            return ReturnOutcome(ReturnVerdict.PHOTO_REQUIRED, failed.format(error=exc))
        return self._service.add_photo(item_id, frame, self._photos)

    def dispose(self) -> None:
        """F10 / CMD-DISPOSE: the unit goes where its disposition says; its tag prints."""
        item = self.current
        if item is not None:
            self.dispose_asked = item.id
            self.act(self.tr("Dispose"), lambda: self._service.dispose(item.id))

    def hold(self) -> None:
        """F6 / CMD-HOLD: set the unit aside with a reason, kept as arrived (a required photo
        this bench cannot take, and no supervisor to waive it), so the parcel can be finished
        truthfully instead of the unit being taken back."""
        item = self.current
        if item is None:
            return
        photo = bool(item.grade and photos_required(item.grade, self._settings))
        if photo and item.photos == 0:
            reason = (
                self.tr("photo needed, no camera at this bench")
                if self._camera is None
                else self.tr("photo needed")
            )
        else:
            reason = self.tr("set aside by the inspector")
        self.act(self.tr("Hold"), lambda: self._service.hold(item.id, reason))

    def create_rma(self) -> None:
        """F2: an RMA for a parcel that came without one (the order the lookup found); for an
        order never packed the engine asks for a supervisor (:meth:`approve_rma`)."""
        ref = self.create_ref
        if ref is None or self.dialog is not None or self.held_back("F2"):
            return
        self.rma_asked = ref
        name = self.tr("New RMA")
        self._worker.submit(
            lambda: self._bench.create_rma(ref, name=name), self.on_reply, self.on_error
        )

    def approve_rma(self, ref: str, why: str) -> None:
        """The supervisor's dialog for an RMA the engine would not create alone: a badge (or
        badge and PIN) and a reason, kept with the RMA as its note."""
        name = self.tr("New RMA")
        self._ask_supervisor(
            self.tr("New RMA: supervisor approval"),
            why,
            ReturnVerdict.RMA_CREATED,
            lambda credential, reason: self._bench.create_rma(ref, credential, reason, name),
        )

    def waive_photo(self, item_id: int, why: str) -> None:
        """A bench without a camera: the supervisor's dialog to dispose of the unit without
        its required photo (badge, or badge and PIN, and a reason; the engine audits it)."""
        name = self.tr("Dispose")
        self._ask_supervisor(
            self.tr("Dispose without a photo: supervisor approval"),
            why,
            ReturnVerdict.DISPOSED,
            lambda credential, reason: self._bench.act(
                name, lambda: self._service.dispose(item_id, credential, reason)
            ),
        )

    def _ask_supervisor(
        self,
        title: str,
        why: str,
        closes_on: ReturnVerdict,
        run: Callable[[str, str], ReturnsReply],
    ) -> None:
        dialog = ApprovalDialog(title, why, self)
        dialog.submitted.connect(
            lambda credential, reason: self._worker.submit(
                lambda: run(credential, reason), self.on_reply, self.on_error
            )
        )
        dialog.finished.connect(self._dialog_closed)
        self.dialog, self.dialog_approves = dialog, closes_on
        dialog.open()

    def override(self) -> None:
        """F8: another disposition and refund than the rules', a supervisor approving."""
        if self.dialog is not None or self.held_back("F8"):
            return
        item = self.current
        if item is None or item.disposition is None:
            return
        dialog = OverrideDialog(item, DISPOSITIONS, REFUNDS, self)
        dialog.submitted.connect(
            lambda d, r, pct, why, by: self.act(
                self.tr("Override"),
                lambda: self._service.override(item.id, d, r, why, pct, approver=by or None),
            )
        )
        dialog.finished.connect(self._dialog_closed)
        self.dialog, self.dialog_approves = dialog, ReturnVerdict.OVERRIDDEN
        dialog.open()

    def _dialog_closed(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.window().activateWindow()
        self.setFocus()

    # --- keys -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Checklist keys on an empty scan field; Up/Down choose the unit."""
        key = event.key() if isinstance(event, QKeyEvent) else None
        pressed = key is not None and event.type() == QEvent.Type.KeyPress
        if watched is self.input and pressed and key is not None and self._key(key):
            return True
        return super().eventFilter(watched, event)

    def _key(self, key: int) -> bool:
        counted = key in (Qt.Key.Key_Up.value, Qt.Key.Key_Down.value) or (
            not self.input.text()
            and (
                (key in ANSWER_KEYS and self.checklist.active)
                or (key in REASON_KEYS and self.choosing_reason)
                or (key == Qt.Key.Key_Backspace.value and bool(self.checklist.answers))
            )
        )
        if counted and self.held_back(QKeySequence(key).toString()):
            return True  # swallowed, not counted: the key `1` must not answer question 1
        if key in (Qt.Key.Key_Up.value, Qt.Key.Key_Down.value):
            self.step_choice(-1 if key == Qt.Key.Key_Up.value else 1)
            return True
        if self.input.text():
            return False  # typing a code: digits are digits
        if self.choosing_reason and key in REASON_KEYS:
            reason = self.item_panel.reason_at(REASON_KEYS[key])
            if reason is not None:
                self.choose_reason(reason)
            return True  # a number while F3 waits never answers the checklist
        if key in ANSWER_KEYS and self.checklist.active:
            if self.checklist.answer(ANSWER_KEYS[key]):
                self.grade()
            return True
        if key == Qt.Key.Key_Backspace.value and self.checklist.answers:
            self.checklist.back()
            return True
        return False

    def _bind(
        self, button: QPushButton | None, key: str, action: Callable[[], None], extra: str = ""
    ) -> None:
        if button is not None:
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)  # Enter must never press a button
            button.clicked.connect(lambda _checked=False: action())
        for sequence in (key, extra):
            if sequence:
                shortcut = QShortcut(QKeySequence(sequence), self)
                # Only while this screen (or a child) has focus: a hidden screen's keys are off.
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(action)
                self._shortcuts.append(shortcut)
