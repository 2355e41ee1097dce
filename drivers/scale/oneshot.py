"""Synchronous helpers for the command line: read one weight, and find a scale's protocol.

``station devices scale read --port URL --protocol {mtsics,nci,8217} [--baud N] [--unit U]
[--stable] [--timeout S]`` calls ``read_weight``; no thread is started.
"""

from __future__ import annotations

import time

from drivers.base import TransportError
from drivers.scale.driver import ScaleConfig
from drivers.scale.link import ScaleLink
from drivers.scale.model import CommandReply, ScaleError, ScaleReading, ScaleState
from drivers.scale.protocols import serial_protocol
from drivers.scale.stable import StableWeightRule
from drivers.transport.serial_port import SerialPort

_REFUSED = {
    ScaleState.OVERLOAD: "the scale is overloaded",
    ScaleState.UNDERLOAD: "the scale is under its range (is the platter on?)",
    ScaleState.FAULT: "the scale reports a fault",
}
# Tried in this order: the 8217 echo test first, because an 8217 ignores the other probes.
PROBE_ORDER = ("8217", "mtsics", "nci")


def read_weight(config: ScaleConfig, stable: bool, timeout_s: float) -> ScaleReading:
    """Read the scale once, or (``stable``) until the stable-weight rule accepts a weight.

    A reply that is silence, noise, or a refusal of the command (MT-SICS ``ES``/``ET``, NCI
    ``?``: a command corrupted on the line reads as one) is a glitch: the scale is asked again
    while a whole reply time-out fits in ``timeout_s``, and only then is the last such
    failure raised. Overload,
    underload and fault are the scale's own answer and raise at once.

    Raises ScaleError on overload, underload, fault, no answer, only garbage, a refused
    command, or (``stable``) no accepted weight within ``timeout_s``.
    """
    protocol = config.serial_protocol()
    try:
        port = config.open_port()
    except TransportError as exc:
        raise ScaleError(str(exc)) from exc
    link = ScaleLink(port, protocol)
    rule = StableWeightRule(config.stable_count)
    deadline = time.monotonic() + timeout_s
    asked = 0
    try:
        while True:
            left = deadline - time.monotonic()
            asked += 1
            try:
                reply = _ask(link, max(min(config.reply_timeout_s, left), 0.01))
            except ScaleError as glitch:
                rule.reset()  # readings either side of a glitch are not consecutive
                # Ask again only while a whole reply time-out still fits: a last request cut
                # short would blame the scale for not answering in a few milliseconds.
                retry_at = time.monotonic() + config.poll_interval_s
                if retry_at + config.reply_timeout_s > deadline:
                    raise _gave_up(glitch, asked, timeout_s) from None
                time.sleep(config.poll_interval_s)  # as between polls: the line may settle
                continue
            if reply.state in _REFUSED:
                message = f"{_REFUSED[reply.state]} ({reply.detail or reply.raw})"
                raise ScaleError(message, reply.state, reply.raw)
            if not stable or rule.feed(reply, time.monotonic()) is not None:
                return reply
            if time.monotonic() + config.poll_interval_s > deadline:
                detail = f"{reply.state}, {reply.detail}" if reply.detail else str(reply.state)
                raise ScaleError(
                    f"no stable weight within {timeout_s:g} s (last reading: {detail})",
                    reply.state,
                    reply.raw,
                )
            time.sleep(config.poll_interval_s)  # pacing between polls, as the driver does
    except TransportError as exc:
        raise ScaleError(str(exc)) from exc
    finally:
        port.close()


def _ask(link: ScaleLink, timeout_s: float) -> ScaleReading:
    """One weight request; a refusal of the command raises ScaleError like silence does."""
    reply = link.request(link.protocol.poll.data, timeout_s)
    if isinstance(reply, CommandReply):
        raise ScaleError(f"the scale refused the weight request: {reply.detail}", raw=reply.raw)
    return reply


def _gave_up(last: ScaleError, asked: int, timeout_s: float) -> ScaleError:
    if asked == 1:
        return last
    message = f"{last.message} (asked {asked} times in {timeout_s:g} s)"
    return ScaleError(message, last.state, last.raw)


def probe(port: str, baudrate: int | None = None, timeout_s: float = 0.5) -> str | None:
    """The name of the protocol the scale on ``port`` answers to, or None if none does.

    Each protocol is tried with its own line settings. Raises ScaleError if the port cannot
    be opened at all.
    """
    for name in PROBE_ORDER:
        # The unit does not matter for probing; the 8217 table entry merely needs one.
        protocol = serial_protocol(name, unit="lb")
        try:
            stream = SerialPort.open(protocol.serial_config(port, baudrate))
        except TransportError as exc:
            raise ScaleError(str(exc)) from exc
        try:
            stream.discard_input()
            stream.write(protocol.probe)
            received = b""
            deadline = time.monotonic() + timeout_s
            while (left := deadline - time.monotonic()) > 0:
                received += stream.read(min(left, 0.05))
                if protocol.probe_matches(received):
                    if protocol.probe_end:
                        stream.write(protocol.probe_end)
                    return name
        except TransportError as exc:
            raise ScaleError(str(exc)) from exc
        finally:
            stream.close()
    return None
