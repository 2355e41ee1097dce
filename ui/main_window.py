"""The station's one window: sign-in, the screens the role may open, devices and sync.

Every scan, from the keyboard wedge or a serial or camera scanner, arrives at
:meth:`StationWindow.submit_code` and goes where it means something: to sign-in while
nobody is signed in, to the pack screen while it is shown, and on screens that do not take
scans yet it can still switch user by badge. Scans and keys keep the idle lock from firing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from drivers.base import DeviceStatus
from drivers.printer.model import PrinterStatus
from drivers.scale.model import ScaleReading
from station.session_login import BenchUser, Screen, SessionLogin, SignIn
from station.user_ref import UserRef
from ui.evidence.screen import EvidenceScreen
from ui.idle import IdleLock
from ui.nav_bar import NavBar, screen_title
from ui.pack.screen import PackScreen
from ui.returns.screen import ReturnsScreen
from ui.screens.login import LoginScreen
from ui.screens.placeholder import PlaceholderScreen
from ui.theme import DEFAULT_THEME, apply_theme, scale_for
from ui.widgets.offline_banner import OfflineBanner
from ui.widgets.status_bar import StationStatusBar
from ui.worker import DbWorker

if TYPE_CHECKING:  # the print and sync modules load their workers' dependencies
    from ui.printing import PrintView
    from ui.sync_link import SyncView


@runtime_checkable
class ScanTaking(Protocol):
    """A screen that takes scans itself (pack, returns, evidence)."""

    def submit_code(self, code: str) -> None:
        """A scanned or typed code."""


class StationWindow(QMainWindow):
    """Sign-in, the role's screens, the status bar and the offline banner."""

    screen_changed = Signal(str)  # "login" or a Screen value

    def __init__(
        self,
        worker: DbWorker,
        login: SessionLogin,
        pack: PackScreen,
        station: str,
        idle_lock_s: float,
        theme: str = DEFAULT_THEME,
        parent: QWidget | None = None,
        *,
        returns: ReturnsScreen | None = None,
        evidence: EvidenceScreen | None = None,
        dashboard: QWidget | None = None,
        devices: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._theme = theme
        self._scale = 1.0
        apply_theme(self, theme, self._scale)
        self._worker = worker
        self._login = login
        self.user: BenchUser | None = None
        self.setWindowTitle(self.tr("Pack station — {station}").format(station=station))
        self.pack = pack
        self.login_screen = LoginScreen(worker, login, station)
        self.login_screen.signed_in.connect(self._signed_in)
        pack.user_switched.connect(self._adopt)
        self._screens: dict[str, QWidget] = {"login": self.login_screen, Screen.PACK: pack}
        self.returns = returns
        built: dict[Screen, QWidget] = {}
        if returns is not None:
            built[Screen.RETURNS] = returns
            returns.badge_scanned.connect(self._switch_by_badge)
        self.evidence = evidence
        if evidence is not None:
            built[Screen.EVIDENCE] = evidence
            evidence.badge_scanned.connect(self._switch_by_badge)
        # The supervisor's screens (built by ui.dashboard and ui.devices_screen).
        if dashboard is not None:
            built[Screen.DASHBOARD] = dashboard
        if devices is not None:
            built[Screen.DEVICES] = devices
        for screen in Screen:
            if screen is not Screen.PACK:
                self._screens[screen] = built.get(screen) or PlaceholderScreen(screen_title(screen))
        self._stack = QStackedWidget()
        for widget in self._screens.values():
            self._stack.addWidget(widget)
        self.nav = NavBar(self)
        self.nav.screen_chosen.connect(self.show_screen)
        self.nav.lock_requested.connect(lambda: self.lock("manual"))
        self.offline = OfflineBanner()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        for widget in (self.nav, self.offline, self._stack):
            column.addWidget(widget)
        column.setStretchFactor(self._stack, 1)
        self.setCentralWidget(central)
        self.status = StationStatusBar()
        self.setStatusBar(self.status)
        self.idle = IdleLock(idle_lock_s, self)
        self.idle.idle.connect(lambda: self.lock("idle"))
        self._show("login")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        """Grow the type on a large screen (1920×1080): restyle only when the size class changes."""
        super().resizeEvent(event)
        scale = scale_for(event.size().width(), event.size().height())
        if scale != self._scale:
            self._scale = scale
            apply_theme(self, self._theme, scale)

    def current_screen(self) -> str:
        """``login`` or the value of the Screen shown."""
        return next(k for k, w in self._screens.items() if w is self._stack.currentWidget())

    # --- scans and sign-in ------------------------------------------------------------------

    def submit_code(self, code: str) -> None:
        """A scan from any scanner: to sign-in, to the pack screen, or a user switch."""
        self.idle.touch()
        screen = self._screens[self.current_screen()]
        if self.user is None:
            self.login_screen.submit_badge(code)
        elif isinstance(screen, ScanTaking):
            screen.submit_code(code)  # the screen sends a badge back through badge_scanned
        else:
            self._switch_by_badge(code)

    def _switch_by_badge(self, code: str) -> None:
        self._worker.submit(lambda: self._login.by_badge(code), self._switched, self._refused)

    def lock(self, why: str = "manual") -> None:
        """Sign the user out and show sign-in; an open order stays open for the next user."""
        user = self.user
        if user is None:
            return
        self.user = None
        self.idle.disarm()
        self._worker.submit(lambda: self._login.lock(why), lambda _: None, self._refused)
        note = (
            self.tr("Locked after idle time: {name} was signed out.")
            if why == "idle"
            else self.tr("Locked: {name} was signed out.")
        )
        self.login_screen.reset(note.format(name=user.name))
        self.nav.show_user(None)
        self._show("login")

    def show_screen(self, screen: str) -> None:
        """Open ``screen`` if the signed-in user's role may."""
        if self.user is not None and screen in self.user.screens:
            self._show(screen)

    def _signed_in(self, user: BenchUser) -> None:
        self.user = user
        self.nav.show_user(user)
        self.idle.arm()
        self._show(user.screens[0])

    def _adopt(self, ref: UserRef) -> None:
        # The engine switched user on a badge scan at the pack screen.
        self._worker.submit(lambda: self._login.adopt(ref), self._switch_to, self._refused)

    def _switched(self, result: SignIn) -> None:
        if result.user is None:
            self._refused(result.reason)
        else:
            self._switch_to(result.user)

    def _switch_to(self, user: BenchUser) -> None:
        shown = self.current_screen()
        self._signed_in(user)
        if shown in user.screens:
            self._show(shown)  # the new user carries on where the bench is
        self.status.showMessage(self.tr("{name} signed in").format(name=user.name), 5000)

    def _refused(self, reason: object) -> None:
        self.status.showMessage(str(reason), 8000)

    def _show(self, screen: str) -> None:
        widget = self._screens[screen]
        self._stack.setCurrentWidget(widget)
        self.nav.mark_current(screen)
        widget.setFocus()
        self.screen_changed.emit(screen)

    # --- devices and sync (slots for the device bridge and the sync worker) -----------------

    def show_weight(self, reading: ScaleReading) -> None:
        """Every scale reading, for the live weight (and the engine's track of the platter)."""
        self.pack.show_reading(reading)

    def show_stable_weight(self, reading: ScaleReading) -> None:
        """A reading the stable-weight rule accepted (perhaps the package's weighing)."""
        self.pack.show_stable_weight(reading)

    def show_device_status(self, status: DeviceStatus) -> None:
        """A device's state and reason, in the status bar."""
        self.status.show_device_status(status)

    def show_printer_status(self, name: str, status: PrinterStatus) -> None:
        """A printer's own status answer."""
        self.status.show_printer_status(name, status)

    @Slot(bool, int, object)
    def show_sync_status(self, online: bool, queue: int, last_sync: str | None) -> None:
        """Sync state: the status bar always, the offline banner while offline (never blocks)."""
        self.status.show_sync_status(online, queue, last_sync)
        self.offline.show_sync_status(online, queue, last_sync)

    def show_sync(self, view: SyncView) -> None:
        """The sync worker's status; an order the hub blocked is named on the pack screen."""
        if not view.enrolled:
            self.status.show_not_enrolled(view.pending)
            self.offline.show_sync_status(True, view.pending, None)  # nothing to be off from
        elif view.online is not None:
            last = _local_time(view.last_success)
            self.show_sync_status(view.online, view.pending, last)
            self.status.sync_label.setToolTip(view.last_error or "")
        for blocked in view.blocked:
            self.pack.show_blocked(blocked.number, blocked.message)
            self.status.showMessage(blocked.message, 15000)

    def show_print(self, view: PrintView) -> None:
        """The print queue: labels waiting, and why they wait."""
        self.status.show_print_state(view.queue_length, view.problem)


def _local_time(moment: datetime | None) -> str | None:
    """A UTC moment as the bench's clock shows it (hours and minutes)."""
    return None if moment is None else moment.astimezone().strftime("%H:%M")
