"""Devices and settings (supervisor and admin): where each device is, tried out, then saved.

Serial ports are chosen from those the system reports (pyserial) or typed by hand (an
emulator's pty, a ``/dev/serial/by-id`` link); printer address and language; camera source.
"Read weight", "Print test label" and "Camera frame" try what the fields say now, saved or
not, on :class:`CheckRunner` threads, and show the answer or its cause. Save checks every
field (``station.config_write``: a refusal names the field and puts the cursor in it), writes
the ``[devices.*]`` tables into the station's TOML file, keeping the rest of the file, and
audits the change on the database worker. The running devices keep their settings until the
station restarts, and the screen says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from drivers.registry import CameraDeviceConfig
from drivers.scale.model import ScaleReading
from station.config import DeviceSettings
from station.config_write import (
    ROLES,
    DeviceSettingsError,
    SettingChange,
    parse_devices,
    parse_role,
    save_devices,
)
from station.db import Database
from station.device_probe import Detected, describe_reading, detect, grab_frame, print_test
from station.device_probe import read_scale as probe_scale
from station.session_login import BenchUser
from ui.devices_screen.fields import PathLabel
from ui.devices_screen.forms import CameraForm, DeviceForm, PrinterForm, ScaleForm, ScannerForm
from ui.devices_screen.ports_model import Choice, ChoicesModel
from ui.devices_screen.runner import CheckRunner, frame_image
from ui.theme import named, restyle, scale_for
from ui.worker import DbWorker

PREVIEW_WIDTH = 320
# This screen's own widgets. Sizes are written for 1280×800 and grow with the window's theme
# (ui.theme.scale_for); a form's text fields look like its combo boxes, not like the large
# white scan field of the theme.
_SHEET = """
QGroupBox#deviceForm { border: 2px solid #6e6e6e; border-radius: 6px; margin-top: 1.3em;
                       padding-top: 0.3em; }
QGroupBox#deviceForm::title { subcontrol-origin: margin; left: 10px; padding: 0 4px;
                              color: #ffd400; font-weight: bold; }
QGroupBox#deviceForm QLineEdit, QGroupBox#deviceForm QComboBox {
    background: #1e1e1e; color: #ffffff; border: 2px solid #6e6e6e; border-radius: 4px;
    padding: 2px 6px; font-size: 18px; }
QGroupBox#deviceForm QLineEdit:focus, QGroupBox#deviceForm QComboBox:focus {
    border: 2px solid #ffd400; }
QLabel#checkResult[state="ok"] { color: #4dff88; font-weight: bold; }
QLabel#checkResult[state="busy"] { color: #ffd400; }
QLabel#checkResult[state="error"] { color: #ff8080; font-weight: bold; }
QLabel#devicesMessage[state="ok"] { color: #4dff88; font-weight: bold; }
QLabel#devicesMessage[state="error"] { color: #ff8080; font-weight: bold; }
QLabel#configPath { color: #bfbfbf; }
QLabel#framePreview { border: 1px solid #6e6e6e; }
"""
_PX = re.compile(r"(\d+)px")


def screen_sheet(scale: float) -> str:
    """The screen's style sheet with its pixel sizes multiplied by ``scale``."""
    return _PX.sub(lambda m: f"{round(int(m.group(1)) * scale)}px", _SHEET)


@dataclass(frozen=True)
class Frame:
    """A camera frame's full size and its preview (made on the worker)."""

    width: int
    height: int
    preview: QImage


class DevicesScreen(QWidget):
    """The supervisor's devices and settings screen."""

    checked = Signal(str, bool, str)  # role, answered, the answer or its cause
    saved = Signal(object)  # list[SettingChange]
    refused = Signal(str, str)  # field (devices.<role>.<key>), message
    detected = Signal(object)  # Detected

    def __init__(
        self,
        worker: DbWorker,
        db: Database,
        devices: DeviceSettings,
        config_path: Path,
        station: str,
        current_user: Callable[[], BenchUser | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._scale = 1.0
        self.setStyleSheet(screen_sheet(self._scale))
        self._worker = worker
        self._db = db
        self._saved = devices
        self.config_path = config_path
        self._station = station
        self._current_user = current_user
        self.runner = CheckRunner(self)
        self.ports = ChoicesModel(self)
        self.addresses = ChoicesModel(self)
        self.sources = ChoicesModel(self)
        self.scanner = ScannerForm(self.ports)
        self.scale = ScaleForm(self.ports)
        self.printer = PrinterForm(self.addresses)
        self.camera = CameraForm(self.sources)
        self.forms: dict[str, DeviceForm] = {
            "scanner": self.scanner,
            "scale": self.scale,
            "printer": self.printer,
            "camera": self.camera,
        }
        self.weight_button, self.weight_result = self._check_row(
            self.scale, self.tr("Read weight"), self.read_weight
        )
        self.print_button, self.print_result = self._check_row(
            self.printer, self.tr("Print test label"), self.print_test_label
        )
        self.frame_button, self.frame_result = self._check_row(
            self.camera, self.tr("Camera frame"), self.camera_frame
        )
        self.frame = named(QLabel(), "framePreview")
        self.frame.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.frame.hide()
        self.camera.body.addWidget(self.frame, 1, Qt.AlignmentFlag.AlignLeft)
        self.camera.body.addStretch(1)
        self.scanner.body.addStretch(1)

        self.find_button = QPushButton(self.tr("Find ports"))
        self.revert_button = QPushButton(self.tr("Undo changes"))
        self.save_button = QPushButton(self.tr("Save"))
        self.path_label = named(PathLabel(str(config_path)), "configPath")
        self.message = named(QLabel(), "devicesMessage")
        self._lay_out()
        self.revert()

    def _lay_out(self) -> None:
        title = named(QLabel(self.tr("Devices and settings")), "panelTitle")
        self.find_button.clicked.connect(lambda _c=False: self.refresh())
        self.revert_button.clicked.connect(lambda _c=False: self.revert())
        self.save_button.clicked.connect(lambda _c=False: self.save())
        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(self.path_label, 1)
        for button in (self.find_button, self.revert_button, self.save_button):
            button.setAutoDefault(False)
            header.addWidget(button)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        grid.addWidget(self.scale, 0, 0)
        grid.addWidget(self.printer, 0, 1)
        grid.addWidget(self.scanner, 1, 0)
        grid.addWidget(self.camera, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.message.setWordWrap(True)
        # The forms scroll rather than push the window past the screen when a long answer
        # (a refusal with its cause) wraps onto several lines.
        forms = QWidget()
        forms.setLayout(grid)
        scroller = QScrollArea()
        scroller.setWidget(forms)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.addLayout(header)
        column.addWidget(scroller, 1)
        column.addWidget(self.message)

    # --- what the screen shows ------------------------------------------------------------

    def _check_row(
        self, form: DeviceForm, label: str, action: Callable[[], None]
    ) -> tuple[QPushButton, QLabel]:
        button = QPushButton(label)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: action())
        result = named(QLabel(), "checkResult")
        result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(button)
        row.addWidget(result, 1)
        form.body.addLayout(row)
        return button, result

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        """Grow with the window's theme on a large screen (as ``StationWindow`` does)."""
        super().resizeEvent(event)
        size = self.window().size()
        scale = scale_for(size.width(), size.height())
        if scale != self._scale:
            self._scale = scale
            self.setStyleSheet(screen_sheet(scale))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        """Look for ports and cameras each time the screen is opened."""
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Ask the system for serial ports and cameras (on a worker: it reads /sys and /dev)."""
        self.find_button.setEnabled(False)
        self.runner.submit(detect, self._detected, self._detect_failed)

    def _detected(self, found: Detected) -> None:
        self.find_button.setEnabled(True)
        self.ports.set_detected(
            [
                Choice(p.device, " ".join(filter(None, (p.description, p.vid_pid))))
                for p in found.ports
            ]
        )
        self.addresses.set_detected(
            [Choice(f"serial:{p.device}", p.description) for p in found.ports]
        )
        indices = [Choice(str(n), self.tr("camera index {n}").format(n=n)) for n in range(2)]
        self.sources.set_detected(indices + [Choice(c) for c in found.cameras])
        self.detected.emit(found)

    def _detect_failed(self, error: BaseException) -> None:
        self.find_button.setEnabled(True)
        self._say(self.tr("Ports could not be listed: {error}").format(error=error), "error")

    def revert(self) -> None:
        """Show the saved settings again, dropping what was typed."""
        for role, form in self.forms.items():
            form.load(getattr(self._saved, role))
        self._say("", "none")

    def _say(self, text: str, state: str) -> None:
        self.message.setText(text)
        restyle(self.message, "state", state)

    def _form(self) -> dict[str, dict[str, str]]:
        for role in ROLES:  # what was typed into a port field is offered in the others too
            field = self.forms[role].fields.get("port")
            if field is not None:
                self.ports.add_typed(field.value())
        return {role: form.values() for role, form in self.forms.items()}

    def _refuse(self, error: DeviceSettingsError) -> None:
        self._say(str(error), "error")
        _, role, key = error.field.split(".", 2)
        form = self.forms.get(role)
        if form is not None and key in form.fields:
            form.widget(key).setFocus()
        self.refused.emit(error.field, str(error))

    # --- device checks --------------------------------------------------------------------

    def _check(
        self,
        role: str,
        button: QPushButton,
        result: QLabel,
        run: Callable[..., object],
        shown: Callable[[object], str],
    ) -> None:
        try:
            config = parse_role(role, self._form()[role], getattr(self._saved, role))
        except DeviceSettingsError as exc:
            self._refuse(exc)
            return
        button.setEnabled(False)
        result.setText(self.tr("Trying…"))
        restyle(result, "state", "busy")

        def done(value: object) -> None:
            button.setEnabled(True)
            text = shown(value)
            result.setText(text)
            restyle(result, "state", "ok")
            self.checked.emit(role, True, text)

        def failed(error: BaseException) -> None:
            button.setEnabled(True)
            result.setText(str(error))
            restyle(result, "state", "error")
            self.checked.emit(role, False, str(error))

        self.runner.submit(lambda: run(config), done, failed)

    def read_weight(self) -> None:
        """Read one weight from the scale as the fields describe it."""

        def shown(reading: object) -> str:
            assert isinstance(reading, ScaleReading)
            return describe_reading(reading)

        self._check("scale", self.weight_button, self.weight_result, probe_scale, shown)

    def print_test_label(self) -> None:
        """Print the test label (or receipt) on the printer as the fields describe it."""
        self._check("printer", self.print_button, self.print_result, print_test, str)

    def camera_frame(self) -> None:
        """Take one frame from the camera as the fields describe it and show it."""

        preview_width = round(PREVIEW_WIDTH * self._scale)  # larger on a 1920×1080 screen

        def grab(config: CameraDeviceConfig) -> Frame:
            image = grab_frame(config)
            height, width = image.shape[:2]
            return Frame(width, height, frame_image(image, preview_width))

        def shown(value: object) -> str:
            assert isinstance(value, Frame)
            self.frame.setPixmap(QPixmap.fromImage(value.preview))
            self.frame.show()
            return self.tr("frame of {w}×{h}").format(w=value.width, h=value.height)

        self._check("camera", self.frame_button, self.frame_result, grab, shown)

    # --- save -----------------------------------------------------------------------------

    def save(self) -> None:
        """Check every field, then write the file and audit the change (on the worker)."""
        user = self._current_user()  # the service checks that this role may change settings
        try:
            devices = parse_devices(self._form(), self._saved)
        except DeviceSettingsError as exc:
            self._refuse(exc)
            return
        self.save_button.setEnabled(False)
        self._say(self.tr("Saving…"), "none")
        path, db, station = self.config_path, self._db, self._station

        def write() -> list[SettingChange]:
            return save_devices(path, devices, db, station, user)

        def done(changes: list[SettingChange]) -> None:
            self.save_button.setEnabled(True)
            self._saved = devices
            if not changes:
                self._say(
                    self.tr("Nothing changed: {path} already says this.").format(path=path), "ok"
                )
            else:
                fields = ", ".join(c.field.removeprefix("devices.") for c in changes)
                self._say(
                    self.tr(
                        "Saved to {path} ({fields}). The devices take the new settings "
                        "when the station restarts."
                    ).format(path=path, fields=fields),
                    "ok",
                )
            self.saved.emit(changes)

        def failed(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            self._say(self.tr("Not saved: {error}").format(error=error), "error")

        self._worker.submit(write, done, failed)
