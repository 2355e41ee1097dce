"""One form per device role: its fields, keyed as ``[devices.<role>]`` keys them.

A form shows only the rows its kind uses (a serial scale has a port and a baud rate, an
emulated one a protocol and a demo weight) and gives every field's text back in
:meth:`DeviceForm.values`, hidden ones too, so a value the kind does not use is kept as it
was rather than blanked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QGroupBox, QVBoxLayout, QWidget

from drivers.registry import (
    NONE,
    SCALE_PROTOCOLS,
    AnyDeviceConfig,
    CameraDeviceConfig,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
)
from station.config_write import (
    BAUD_RATES,
    PRINTER_DPIS,
    PRINTER_LANGUAGES,
    SCALE_UNITS,
    SCANNER_SUFFIXES,
)
from ui.devices_screen.fields import ChoiceBox, Field, Pick, RateBox, TextField
from ui.devices_screen.ports_model import ChoicesModel
from ui.theme import named

SERIAL_SCALES = tuple(SCALE_PROTOCOLS)


def _tr(text: str) -> str:
    return QCoreApplication.translate("DeviceForm", text)


class DeviceForm(QGroupBox):
    """A titled group of one role's fields; ``body`` takes the role's check button below."""

    role = ""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("deviceForm")
        self.fields: dict[str, Field] = {}
        self._widgets: dict[str, QWidget] = {}
        self._shown_for: dict[str, tuple[str, ...] | None] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(6)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(10, 6, 10, 8)
        self.body.addLayout(self.form)
        kinds = self._kinds()
        self.kind = Pick(kinds)
        self._add("kind", _tr("Kind"), self.kind, None)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_rows())

    def _kinds(self) -> Sequence[tuple[str, str]]:
        raise NotImplementedError

    def _add(self, key: str, label: str, widget: QWidget, kinds: tuple[str, ...] | None) -> None:
        """A row for setting ``key``, shown only for ``kinds`` (None: always)."""
        assert isinstance(widget, Field)
        named(widget, f"{self.role}_{key}")
        self.form.addRow(label, widget)
        self.fields[key] = widget
        self._widgets[key] = widget
        self._shown_for[key] = kinds

    def widget(self, key: str) -> QWidget:
        """The input of setting ``key`` (to focus the one a refusal names)."""
        return self._widgets[key]

    def load(self, config: AnyDeviceConfig) -> None:
        """Show ``config``'s values."""
        for key, value in asdict(config).items():
            if key in self.fields:
                self.fields[key].set_value(str(value))
        self._show_rows()

    def values(self) -> dict[str, str]:
        """Every field's text, by setting name."""
        return {key: field.value() for key, field in self.fields.items()}

    def _show_rows(self) -> None:
        kind = self.kind.value()
        for key, kinds in self._shown_for.items():
            self.form.setRowVisible(self._widgets[key], kinds is None or kind in kinds)


class ScannerForm(DeviceForm):
    """``[devices.scanner]``: serial (port, baud, suffix), wedge, camera (source), emulated."""

    role = "scanner"

    def __init__(self, ports: ChoicesModel, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Scanner"), parent)
        self._add("port", _tr("Port"), ChoiceBox(ports), ("serial",))
        self._add("baud", _tr("Baud"), RateBox(BAUD_RATES), ("serial",))
        suffixes = [(s, s) for s in SCANNER_SUFFIXES]
        self._add("suffix", _tr("Suffix"), Pick(suffixes), ("serial", "emulated"))
        self._add("source", _tr("Camera"), TextField(), ("camera",))
        self.load(ScannerDeviceConfig())

    def _kinds(self) -> Sequence[tuple[str, str]]:
        return (
            ("serial", _tr("serial (USB or RS-232)")),
            ("wedge", _tr("wedge (types as a keyboard)")),
            ("camera", _tr("camera (decodes frames)")),
            ("emulated", _tr("emulated (demo)")),
            (NONE, _tr("none")),
        )


class ScaleForm(DeviceForm):
    """``[devices.scale]``: the serial protocols (port, baud, unit), HID POS, emulated."""

    role = "scale"

    def __init__(self, ports: ChoicesModel, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Scale"), parent)
        self._add("port", _tr("Port"), ChoiceBox(ports), SERIAL_SCALES)
        default = _tr("protocol default")
        self._add("baud", _tr("Baud"), RateBox(BAUD_RATES, default), SERIAL_SCALES)
        units = [(u, u) for u in SCALE_UNITS]
        self._add("unit", _tr("Unit"), Pick(units), ("toledo8217", "emulated"))
        hid = TextField()
        hid.setPlaceholderText(_tr("VID:PID, empty: the first scale found"))
        self._add("hid", _tr("USB id"), hid, ("hid",))
        protocols = [(p, p) for p in SCALE_PROTOCOLS]
        self._add("protocol", _tr("Protocol"), Pick(protocols), ("emulated",))
        self._add("demo_weight", _tr("Demo weight"), TextField(), ("emulated",))
        self.load(ScaleDeviceConfig())

    def _kinds(self) -> Sequence[tuple[str, str]]:
        return (
            ("mt-sics", _tr("mt-sics (Mettler Toledo SICS, serial)")),
            ("nci", _tr("nci (NCI / Avery, serial)")),
            ("toledo8217", _tr("toledo8217 (Toledo 8217, serial)")),
            ("hid", _tr("hid (USB HID POS scale)")),
            ("emulated", _tr("emulated (demo)")),
            (NONE, _tr("none")),
        )


class PrinterForm(DeviceForm):
    """``[devices.printer]``: ZPL or ESC/POS at an address, a CUPS queue, emulated.

    For the zpl and escpos kinds the kind is the language; the language field is the
    emulator's (and the CUPS queue's).
    """

    role = "printer"

    def __init__(self, addresses: ChoicesModel, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Printer"), parent)
        address = ChoiceBox(addresses)
        address.setToolTip(_tr("tcp://HOST:PORT, serial:PATH?baud=N, usb:VID:PID, cups:QUEUE"))
        self._add("url", _tr("Address"), address, ("zpl", "escpos", "lp"))
        languages = [(lang, lang) for lang in PRINTER_LANGUAGES]
        self._add("language", _tr("Language"), Pick(languages), ("emulated", "lp"))
        dpis = [(str(d), f"{d} dpi") for d in PRINTER_DPIS]
        self._add("dpi", _tr("Resolution"), Pick(dpis), ("zpl", "emulated", "lp"))
        self.load(PrinterDeviceConfig())

    def _kinds(self) -> Sequence[tuple[str, str]]:
        return (
            ("zpl", _tr("zpl (label printer)")),
            ("escpos", _tr("escpos (receipt printer)")),
            ("lp", _tr("lp (CUPS queue, no status)")),
            ("emulated", _tr("emulated (demo)")),
            (NONE, _tr("none")),
        )

    def values(self) -> dict[str, str]:
        """As the base form, with the language following a zpl or escpos kind."""
        values = super().values()
        if values["kind"] in PRINTER_LANGUAGES:
            values["language"] = values["kind"]
        return values


class CameraForm(DeviceForm):
    """``[devices.camera]``: the photo camera (OpenCV): an index, a device or a video file."""

    role = "camera"

    def __init__(self, sources: ChoicesModel, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Camera"), parent)
        source = ChoiceBox(sources)
        source.setToolTip(_tr("an index (0), a device (/dev/video0), a video file or a URL"))
        self._add("source", _tr("Source"), source, ("opencv",))
        self.load(CameraDeviceConfig())

    def _kinds(self) -> Sequence[tuple[str, str]]:
        return (("opencv", _tr("opencv (photo camera)")), (NONE, _tr("none")))
