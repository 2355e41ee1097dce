"""Mettler Toledo Standard Interface Command Set (MT-SICS), levels 0 and 1. Pure: no I/O.

Source: METTLER TOLEDO "MT-SICS Interface Command Set" reference manual (commands S, SI, Z,
T, TAC, @, the reply formats and the ES/ET/EL error replies); the PyLabRobot notes and
simulator in ``pylabrobot/scales/mettler_toledo/``; summarised in docs/protocols.md "Scales".

Commands are upper case and end in CR LF; one command is in flight at a time. A reply is
one line, fields separated by white space: ``S S     100.00 g``.
"""

from __future__ import annotations

from drivers.scale.frames import PRINTABLE, FrameSpec
from drivers.scale.model import (
    CodecError,
    CommandReply,
    ScaleReading,
    ScaleState,
    reading_from_text,
)

TERMINATOR = b"\r\n"
FRAMING = FrameSpec(end=TERMINATOR, allowed=PRINTABLE)


def command(name: str) -> bytes:
    """The bytes of a command: ``command("SI") == b"SI\\r\\n"``."""
    return name.encode("ascii") + TERMINATOR


STABLE_WEIGHT = command("S")  # waits for stability (up to the scale's stability time-out)
IMMEDIATE_WEIGHT = command("SI")  # answers at once, "S D" while moving
ZERO = command("Z")
TARE = command("T")
CLEAR_TARE = command("TAC")
RESET = command("@")  # also the probe: answers I4 A "<serial number>"

# The second field of a weight reply, and of a zero/tare reply.
_STATUS_TEXT = {
    "I": "not executable: the scale is busy or did not settle in time",
    "+": "upper limit of the weighing range exceeded",
    "-": "lower limit of the weighing range exceeded",
    "L": "logical error: the command cannot be executed now",
}
_ERRORS = {
    "ES": "syntax error: the scale did not recognise the command",
    "ET": "transmission error: the scale received a corrupted command",
    "EL": "logical error: the command cannot be executed",
}


def decode(frame: bytes) -> ScaleReading | CommandReply:
    """Decode one reply line (terminator included or not).

    Weight replies (``S``/``SI``) give a ScaleReading; everything else a CommandReply.
    Raises CodecError for a line that is not an MT-SICS reply.
    """
    try:
        text = frame.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise CodecError(f"not ASCII: {frame!r}") from exc
    fields = text.split()
    if not fields:
        raise CodecError("empty line")
    head = fields[0]
    if head in _ERRORS and len(fields) == 1:
        return CommandReply(False, f"{_ERRORS[head]} ({head})", text)
    if head == "S" and len(fields) >= 2:
        return _weight(fields, text)
    if head in {"Z", "ZI", "TAC", "I4", "@"} and len(fields) >= 2:
        return _acknowledgement(fields, text)
    if head in {"T", "TI"} and len(fields) >= 2:
        if fields[1] == "S" and len(fields) >= 4:
            return CommandReply(True, f"tare {fields[2]} {fields[3]}", text)
        return _acknowledgement(fields, text)
    raise CodecError(f"not an MT-SICS reply: {text!r}")


def _weight(fields: list[str], text: str) -> ScaleReading:
    status = fields[1]
    if len(fields) >= 3 and fields[2] == "Error":
        # Hardware faults: "S S Error 1b" (b: balance side, t: terminal side).
        code = " ".join(fields[3:])
        return ScaleReading(ScaleState.FAULT, None, None, text, detail=f"Error {code}".strip())
    if status == "+":
        return ScaleReading(ScaleState.OVERLOAD, None, None, text, detail=_STATUS_TEXT["+"])
    if status == "-":
        return ScaleReading(ScaleState.UNDERLOAD, None, None, text, detail=_STATUS_TEXT["-"])
    if status == "I":
        return ScaleReading(ScaleState.UNKNOWN, None, None, text, detail=_STATUS_TEXT["I"])
    if status in {"S", "D"} and len(fields) == 4:
        state = ScaleState.STABLE if status == "S" else ScaleState.MOVING
        # Level 0/1 replies do not say whether a tare is active, so net stays False.
        return reading_from_text(state, fields[2], fields[3], text)
    raise CodecError(f"not an MT-SICS weight reply: {text!r}")


def _acknowledgement(fields: list[str], text: str) -> CommandReply:
    status = fields[1]
    if status == "A":
        return CommandReply(True, " ".join(fields[2:]).strip('"'), text)
    if status in _STATUS_TEXT:
        return CommandReply(False, _STATUS_TEXT[status], text)
    raise CodecError(f"not an MT-SICS acknowledgement: {text!r}")
