"""What the emulated scales answer: the firmware side of each serial protocol, as bytes.

Written from the manuals, apart from the decoders, so a decoder bug is not mirrored here.
Pure: bytes and the panel state in, commands seen and reply bytes out.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, replace

from drivers.scale.model import ScaleState


@dataclass(frozen=True)
class Panel:
    """What the emulated scale shows. ``weight`` is display text: its decimals are the
    resolution. ``tare`` is the stored tare (display text) or None."""

    state: ScaleState = ScaleState.STABLE
    weight: str = "0.000"
    unit: str = "kg"
    fault: str = "1b"
    tare: str | None = None

    def zeroed(self) -> Panel:
        """The panel after zero: same resolution, weight 0."""
        return replace(self, weight=_zero_like(self.weight), state=ScaleState.STABLE)

    def tared(self) -> Panel:
        """The panel after tare: the current weight becomes the tare, the display 0."""
        return replace(self.zeroed(), tare=self.weight)


@dataclass(frozen=True)
class Exchange:
    """One command the scale understood (or not), and the bytes it answers (b"" for none)."""

    command: bytes
    reply: bytes


def _zero_like(weight: str) -> str:
    decimals = len(weight.split(".")[1]) if "." in weight else 0
    return f"{0:.{decimals}f}"


class Firmware(abc.ABC):
    """Splits the incoming byte stream into commands and answers each from the panel."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes, panel: Panel) -> tuple[list[Exchange], Panel]:
        """Consume received bytes; return the exchanges and the panel after them."""
        exchanges: list[Exchange] = []
        for value in data:
            done = self._take(value)
            if done is not None:
                reply, panel = self.answer(done, panel)
                exchanges.append(Exchange(done, reply))
        return exchanges, panel

    @abc.abstractmethod
    def _take(self, value: int) -> bytes | None:
        """Add one byte; return a complete command when it ends one."""

    @abc.abstractmethod
    def answer(self, command: bytes, panel: Panel) -> tuple[bytes, Panel]:
        """The reply to one command and the panel after it."""


class MtSicsFirmware(Firmware):
    """MT-SICS level 0/1: lines ending in CR LF."""

    def _take(self, value: int) -> bytes | None:
        self._buffer.append(value)
        if self._buffer.endswith(b"\r\n"):
            line = bytes(self._buffer)
            self._buffer.clear()
            return line
        return None

    def answer(self, command: bytes, panel: Panel) -> tuple[bytes, Panel]:
        name = command.strip().decode("ascii", errors="replace")
        if name in {"S", "SI"}:
            return _line(self._weight(name, panel)), panel
        if name == "Z":
            return _line("Z A"), panel.zeroed()
        if name == "T":
            return _line(f"T S {panel.weight:>10} {panel.unit}"), panel.tared()
        if name == "TAC":
            return _line("TAC A"), replace(panel, tare=None)
        if name == "@":
            return _line('I4 A "B021002593"'), panel
        return _line("ES"), panel

    @staticmethod
    def _weight(name: str, panel: Panel) -> str:
        shown = f"{panel.weight:>10} {panel.unit}"
        return {
            ScaleState.STABLE: f"S S {shown}",
            # S waits for stability and gives up with "S I"; SI answers at once.
            ScaleState.MOVING: f"S D {shown}" if name == "SI" else "S I",
            ScaleState.NEGATIVE: f"S S {'-' + panel.weight.lstrip('-'):>10} {panel.unit}",
            ScaleState.OVERLOAD: "S +",
            ScaleState.UNDERLOAD: "S -",
            ScaleState.FAULT: f"S S Error {panel.fault}",
            ScaleState.UNKNOWN: "S I",
        }[panel.state]


def _line(text: str) -> bytes:
    return text.encode("ascii") + b"\r\n"


class NciFirmware(Firmware):
    """NCI ECR: commands end in CR (a stray LF is ignored, as the scales do)."""

    def _take(self, value: int) -> bytes | None:
        if value == 0x0A:
            return None
        self._buffer.append(value)
        if value == 0x0D:
            command = bytes(self._buffer)
            self._buffer.clear()
            return command
        return None

    def answer(self, command: bytes, panel: Panel) -> tuple[bytes, Panel]:
        if command == b"W\r":
            return self._weight(panel, panel.weight), panel
        if command == b"H\r":
            # Ten times the resolution: one more decimal shown.
            finer = panel.weight + ("0" if "." in panel.weight else ".0")
            return self._weight(panel, finer), panel
        if command == b"S\r":
            return self._status_frame(panel), panel
        if command == b"Z\r":
            zeroed = panel.zeroed()
            return self._status_frame(zeroed), zeroed
        return b"\n?\r\x03", panel

    def _weight(self, panel: Panel, weight: str) -> bytes:
        if panel.state in (ScaleState.OVERLOAD, ScaleState.UNDERLOAD, ScaleState.FAULT):
            return self._status_frame(panel)  # no weight while out of range or faulty
        shown = "-" + weight.lstrip("-") if panel.state is ScaleState.NEGATIVE else weight
        return b"\n" + f"{shown:>7}{panel.unit}".encode("ascii") + b"\r" + self._status_frame(panel)

    @staticmethod
    def _status_frame(panel: Panel) -> bytes:
        first, second = 0x30, 0x30  # bits 4 and 5 are always set
        if panel.state is ScaleState.MOVING:
            first |= 0x01
        if panel.state is ScaleState.STABLE and float(panel.weight) == 0:
            first |= 0x02
        if panel.state is ScaleState.FAULT:
            first |= 0x08  # EEPROM error
        if panel.state is ScaleState.UNDERLOAD:
            second |= 0x01
        if panel.state is ScaleState.OVERLOAD:
            second |= 0x02
        return b"\n" + bytes((first, second)) + b"\r\x03"


class Toledo8217Firmware(Firmware):
    """Toledo 8217: one-letter commands without terminator; ``E`` starts an echo test."""

    def __init__(self) -> None:
        super().__init__()
        self._echo = False

    def _take(self, value: int) -> bytes | None:
        return bytes((value,))

    def answer(self, command: bytes, panel: Panel) -> tuple[bytes, Panel]:
        if self._echo:
            if command == b"F":
                self._echo = False
                return b"", panel
            return command, panel
        if command == b"E":
            self._echo = True
            return b"\x02E\r", panel
        if command == b"W":
            return self._weight(panel), panel
        if command == b"Z":
            return b"", panel.zeroed()
        if command == b"T":
            return b"", panel.tared()
        if command == b"C":
            return b"", replace(panel, tare=None)
        return b"", panel  # the 8217 ignores what it does not know

    @staticmethod
    def _weight(panel: Panel) -> bytes:
        status = {
            ScaleState.MOVING: 0x01,
            ScaleState.OVERLOAD: 0x02,
            ScaleState.NEGATIVE: 0x04,
            ScaleState.UNDERLOAD: 0x04,
            ScaleState.FAULT: 0x08,
            ScaleState.UNKNOWN: 0x10,
        }.get(panel.state)
        net = panel.tare is not None
        if status is not None:
            # bit 6 is always 1; bit 5 flags a net weight.
            return b"\x02?" + bytes((0x40 | status | (0x20 if net else 0),)) + b"\r"
        return b"\x02" + f"{panel.weight:0>6}".encode("ascii") + (b"N" if net else b"") + b"\r"


def firmware_for(protocol: str) -> Firmware:
    """A fresh firmware for ``mtsics``, ``nci`` or ``8217``."""
    makers: dict[str, type[Firmware]] = {
        "mtsics": MtSicsFirmware,
        "nci": NciFirmware,
        "8217": Toledo8217Firmware,
    }
    return makers[protocol]()
