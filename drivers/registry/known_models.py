"""USB devices a technician is likely to plug into a bench, recognised by VID:PID, with the
settings the station needs for each (docs/hardware.md has the makers' settings behind them).

Exact ids first, then a maker's vendor id alone (Zebra's printers and scanners share one per
maker across models). Only ids taken from a source are listed (docs/hardware.md names each):
the HID scales from ``drivers.scale.hidpos`` (usbscale's ``scales.h``), Epson's TM printers
(python-escpos' README), the vendor ids of Zebra (0a5f) and Honeywell's scanners (0c2e,
"Metro[logic]") from the Linux usb.ids list, Symbol/Zebra scanners (05e0), and the common
USB-serial bridges. The Brecknell 6702U is absent on purpose: its USB port is a virtual
serial port (67XXU service manual 7.2), found among the serial ports, id unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.scale.hidpos import KNOWN_DEVICES


@dataclass(frozen=True)
class KnownModel:
    """What a recognised USB device is and how to configure it (a TOML snippet)."""

    name: str
    role: str  # scanner, scale, printer, or serial (an adapter: a scale or a scanner behind it)
    settings: str


def _hid_scale(vid_pid: str, name: str) -> KnownModel:
    return KnownModel(
        f"{name} USB HID scale", "scale", f'[devices.scale]\nkind = "hid"\nhid = "{vid_pid}"'
    )


_SERIAL = (
    '[devices.scale]  # or [devices.scanner] kind = "serial"\n'
    'kind = "mt-sics"  # the scale\'s protocol: mt-sics, nci or toledo8217\nport = "{port}"'
)
EXACT: dict[str, KnownModel] = {
    **{
        f"{v:04x}:{p:04x}": _hid_scale(f"{v:04x}:{p:04x}", n) for (v, p), n in KNOWN_DEVICES.items()
    },
    "04b8:0202": KnownModel(
        "Epson TM receipt printer (TM-T88V and others)",
        "printer",
        '[devices.printer]\nkind = "escpos"\nurl = "usb:04b8:0202"\nprofile = "TM-T88V"',
    ),
    "0403:6001": KnownModel("FTDI FT232R USB-serial adapter", "serial", _SERIAL),
    "067b:2303": KnownModel("Prolific PL2303 USB-serial adapter", "serial", _SERIAL),
    "1a86:7523": KnownModel("WCH CH340 USB-serial adapter", "serial", _SERIAL),
}
VENDORS: dict[str, KnownModel] = {
    "0a5f": KnownModel(
        "Zebra label printer (ZD421, ZD621, GK420d...)",
        "printer",
        '[devices.printer]\nkind = "zpl"\nurl = "usb:{vid_pid}"  # or tcp://HOST:9100\ndpi = 203',
    ),
    "05e0": KnownModel(
        "Zebra (Symbol) scanner, e.g. DS2208",
        "scanner",
        '[devices.scanner]\nkind = "wedge"  # USB HID keyboard; in USB CDC mode: kind = "serial"',
    ),
    "0c2e": KnownModel(
        "Honeywell scanner (Voyager, Xenon)",
        "scanner",
        '[devices.scanner]\nkind = "wedge"  # HID keyboard; in USB serial mode: "serial"',
    ),
}


def recognise(vid_pid: str, port: str = "PORT") -> KnownModel | None:
    """The known model of ``vid_pid`` (``"0eb8:f000"``, any case), settings filled in."""
    key = vid_pid.lower()
    model = EXACT.get(key) or VENDORS.get(key.split(":")[0])
    if model is None:
        return None
    settings = model.settings.replace("{vid_pid}", key).replace("{port}", port)
    return KnownModel(model.name, model.role, settings)
