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


# lupdate finds literal translate(context, text) calls; a wrapper taking a variable it cannot.
translate = QCoreApplication.translate


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
        self._add("kind", translate("DeviceForm", "Kind"), self.kind, None)
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
        super().__init__(translate("DeviceForm", "Scanner"), parent)
        self._add("port", translate("DeviceForm", "Port"), ChoiceBox(ports), ("serial",))
        self._add("baud", translate("DeviceForm", "Baud"), RateBox(BAUD_RATES), ("serial",))
        suffixes = [(s, s) for s in SCANNER_SUFFIXES]
        self._add(
            "suffix", translate("DeviceForm", "Suffix"), Pick(suffixes), ("serial", "emulated")
        )
        self._add("source", translate("DeviceForm", "Camera"), TextField(), ("camera",))
        self.load(ScannerDeviceConfig())

    def _kinds(self) -> Sequence[tuple[str, str]]:
        return (
            ("serial", translate("DeviceForm", "serial (USB or RS-232)")),
            ("wedge", translate("DeviceForm", "wedge (types as a keyboard)")),
            ("camera", translate("DeviceForm", "camera (decodes frames)")),
            ("emulated", translate("DeviceForm", "emulated (demo)")),
            (NONE, translate("DeviceForm", "none")),
        )


class ScaleForm(DeviceForm):
    """``[devices.scale]``: the serial protocols (port, baud, unit), HID POS, emulated."""

    role = "scale"

    def __init__(self, ports: ChoicesModel, parent: QWidget | None = None) -> None:
        super().__init__(translate("DeviceForm", "Scale"), parent)
        self._add("port", translate("DeviceForm", "Port"), ChoiceBox(ports), SERIAL_SCALES)
        default = translate("DeviceForm", "protocol default")
        self._add(
            "baud", translate("DeviceForm", "Baud"), RateBox(BAUD_RATES, default), SERIAL_SCALES
        )
        units = [(u, u) for u in SCALE_UNITS]
        self._add("unit", translate("DeviceForm", "Unit"), Pick(units), ("toledo8217", "emulated"))
        hid = TextField()
        hid.setPlaceholderText(translate("DeviceForm", "VID:PID, empty: the first scale found"))
        self._add("hid", translate("DeviceForm", "USB id"), hid, ("hid",))
        protocols = [(p, p) for p in SCALE_PROTOCOLS]
        self._add("protocol", translate("DeviceForm", "Protocol"), Pick(protocols), ("emulated",))
        self._add("demo_weight", translate("DeviceForm", "Demo weight"), TextField(), ("emulated",))
        self.load(ScaleDeviceConfig())

    def _kinds(self) -> Sequence[tuple[str, str]]:
        return (
            ("mt-sics", translate("DeviceForm", "mt-sics (Mettler Toledo SICS, serial)")),
            ("nci", translate("DeviceForm", "nci (NCI / Avery, serial)")),
            ("toledo8217", translate("DeviceForm", "toledo8217 (Toledo 8217, serial)")),
            ("hid", translate("DeviceForm", "hid (USB HID POS scale)")),
            ("emulated", translate("DeviceForm", "emulated (demo)")),
            (NONE, translate("DeviceForm", "none")),
        )


class PrinterForm(DeviceForm):
    """``[devices.printer]``: ZPL or ESC/POS at an address, a CUPS queue, emulated.

    For the zpl and escpos kinds the kind is the language; the language field is the
    emulator's (and the CUPS queue's).
    """

    role = "printer"

    def __init__(self, addresses: ChoicesModel, parent: QWidget | None = None) -> None:
        super().__init__(translate("DeviceForm", "Printer"), parent)
        address = ChoiceBox(addresses)
        address.setToolTip(
            translate("DeviceForm", "tcp://HOST:PORT, serial:PATH?baud=N, usb:VID:PID, cups:QUEUE")
        )
        self._add("url", translate("DeviceForm", "Address"), address, ("zpl", "escpos", "lp"))
        languages = [(lang, lang) for lang in PRINTER_LANGUAGES]
        self._add(
            "language", translate("DeviceForm", "Language"), Pick(languages), ("emulated", "lp")
        )
        dpis = [(str(d), f"{d} dpi") for d in PRINTER_DPIS]
        self._add(
            "dpi", translate("DeviceForm", "Resolution"), Pick(dpis), ("zpl", "emulated", "lp")
        )
        self.load(PrinterDeviceConfig())

    def _kinds(self) -> Sequence[tuple[str, str]]:
        return (
            ("zpl", translate("DeviceForm", "zpl (label printer)")),
            ("escpos", translate("DeviceForm", "escpos (receipt printer)")),
            ("lp", translate("DeviceForm", "lp (CUPS queue, no status)")),
            ("emulated", translate("DeviceForm", "emulated (demo)")),
            (NONE, translate("DeviceForm", "none")),
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
        super().__init__(translate("DeviceForm", "Camera"), parent)
        source = ChoiceBox(sources)
        source.setToolTip(
            translate("DeviceForm", "an index (0), a device (/dev/video0), a video file or a URL")
        )
        self._add("source", translate("DeviceForm", "Source"), source, ("opencv",))
        self.load(CameraDeviceConfig())

    def _kinds(self) -> Sequence[tuple[str, str]]:
        return (
            ("opencv", translate("DeviceForm", "opencv (photo camera)")),
            (NONE, translate("DeviceForm", "none")),
        )
