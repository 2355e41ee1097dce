"""The serial scale protocols as data: line settings, framing, commands and decoder of each.

The driver, the one-shot reader and the prober work from this table and know no protocol
themselves. Built by ``serial_protocol(name, unit)`` because the Toledo 8217 needs the
configured unit to decode its replies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from drivers.scale import mtsics, nci, toledo8217
from drivers.scale.frames import Frame, FrameAssembler, FrameSpec
from drivers.scale.model import CodecError, CommandReply, ScaleReading, normalise_unit
from drivers.transport.serial_port import SerialConfig

PROTOCOL_NAMES = ("mtsics", "nci", "8217")

Reply = ScaleReading | CommandReply


@dataclass(frozen=True)
class Command:
    """Bytes to send, and whether the scale answers them (8217 zero and tare get no reply)."""

    data: bytes
    expects_reply: bool = True


@dataclass(frozen=True)
class SerialScaleProtocol:
    """Everything protocol-specific a serial scale driver needs."""

    name: str
    baudrate: int
    bytesize: int
    parity: str
    framing: FrameSpec
    poll: Command
    zero: Command
    tare: Command | None
    decode: Callable[[bytes], Reply]
    probe: bytes
    probe_matches: Callable[[bytes], bool]
    probe_end: bytes = b""

    def serial_config(self, port: str, baudrate: int | None = None) -> SerialConfig:
        """Port settings: the protocol's defaults, with the configured baud rate if given."""
        return SerialConfig(port, baudrate or self.baudrate, self.bytesize, self.parity, 1)


def serial_protocol(name: str, unit: str | None = None) -> SerialScaleProtocol:
    """The protocol called ``name`` (one of PROTOCOL_NAMES).

    ``unit`` is required for ``8217``, whose replies carry no unit, and ignored otherwise.
    """
    if name == "mtsics":
        return SerialScaleProtocol(
            name="mtsics",
            baudrate=9600,
            bytesize=8,
            parity="N",
            framing=mtsics.FRAMING,
            # SI, not S: S blocks until stable (seconds) and hides "moving" from the display;
            # the stable rule decides acceptance instead.
            poll=Command(mtsics.IMMEDIATE_WEIGHT),
            zero=Command(mtsics.ZERO),
            tare=Command(mtsics.TARE),
            decode=mtsics.decode,
            # The leading CR LF ends whatever an earlier probe left in the scale's input buffer
            # ("Ehello"); the scale answers that with ES, and @ with I4 A "<serial>".
            probe=mtsics.TERMINATOR + mtsics.RESET,
            probe_matches=lambda data: re.search(rb'I4 A "[^"\r\n]*"\r\n', data) is not None,
        )
    if name == "nci":
        return SerialScaleProtocol(
            name="nci",
            # DIVA service manual 6.1.1: seven data bits; parity is configurable, even is usual.
            baudrate=9600,
            bytesize=7,
            parity="E",
            framing=nci.FRAMING,
            poll=Command(nci.WEIGHT),
            zero=Command(nci.ZERO),
            tare=None,  # not in the standard NCI command set
            decode=nci.decode,
            probe=nci.STATUS,
            probe_matches=_nci_status_seen,
        )
    if name == "8217":
        if unit is None:
            raise ValueError("the 8217 protocol sends no unit: configure the scale's unit")
        unit_key = normalise_unit(unit)
        return SerialScaleProtocol(
            name="8217",
            baudrate=9600,
            bytesize=7,
            parity="E",
            framing=toledo8217.FRAMING,
            poll=Command(toledo8217.WEIGHT),
            zero=Command(toledo8217.ZERO, expects_reply=False),
            tare=Command(toledo8217.TARE, expects_reply=False),
            decode=lambda frame: toledo8217.decode(frame, unit_key),
            probe=toledo8217.PROBE,
            probe_matches=lambda data: toledo8217.PROBE_REPLY in data,
            probe_end=toledo8217.PROBE_END,
        )
    raise ValueError(f"unknown scale protocol {name!r}; known: {', '.join(PROTOCOL_NAMES)}")


def _nci_status_seen(data: bytes) -> bool:
    for item in FrameAssembler(nci.FRAMING).feed(data):
        if isinstance(item, Frame):
            try:
                reply = nci.decode(item.data)
            except CodecError:
                continue
            if isinstance(reply, ScaleReading):
                return True
    return False
