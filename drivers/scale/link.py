"""One request and its reply on an open connection: write, then read frames to the reply.

Shared by the polling driver and the one-shot reader so both treat noise, torn replies and
silence the same way.
"""

from __future__ import annotations

import logging
import threading
import time

from drivers.scale.frames import FrameAssembler, Garbage
from drivers.scale.model import CodecError, ScaleError
from drivers.scale.protocols import Reply, SerialScaleProtocol
from drivers.transport.serial_port import ByteStream

log = logging.getLogger(__name__)

# Longest single wait on the port, so a stop request is noticed quickly during a long time-out.
_SLICE_S = 0.05


class StoppingError(Exception):
    """The wait for a reply was abandoned because the driver is stopping."""


class ScaleLink:
    """A protocol spoken over a byte stream, one command in flight at a time."""

    def __init__(
        self,
        stream: ByteStream,
        protocol: SerialScaleProtocol,
        cancel: threading.Event | None = None,
    ) -> None:
        self.stream = stream
        self.protocol = protocol
        self._assembler = FrameAssembler(protocol.framing)
        self._cancel = cancel

    def send(self, data: bytes) -> None:
        """Write a command that gets no reply."""
        self.stream.write(data)

    def request(self, data: bytes, timeout_s: float) -> Reply:
        """Write ``data`` and return the first decodable reply.

        Raises ScaleError when nothing, or nothing decodable, arrives within ``timeout_s``;
        TransportError when the port fails; StoppingError when the cancel event is set.
        """
        # A reply that arrived after an earlier time-out must not pass for this one's.
        self.stream.discard_input()
        self._assembler.reset()
        self.stream.write(data)
        deadline = time.monotonic() + timeout_s
        dropped: list[Garbage] = []
        while (left := deadline - time.monotonic()) > 0:
            if self._cancel is not None and self._cancel.is_set():
                raise StoppingError("the scale driver stopped")
            for item in self._assembler.feed(self.stream.read(min(left, _SLICE_S))):
                if isinstance(item, Garbage):
                    self._drop(item, dropped)
                    continue
                try:
                    return self.protocol.decode(item.data)
                except CodecError as exc:
                    self._drop(Garbage(item.data, str(exc)), dropped)
        raise self._no_reply(data, timeout_s, dropped)

    def _drop(self, item: Garbage, dropped: list[Garbage]) -> None:
        log.warning("scale %s: dropped %r: %s", self.stream.name, item.data, item.reason)
        dropped.append(item)

    def _no_reply(self, data: bytes, timeout_s: float, dropped: list[Garbage]) -> ScaleError:
        where = f"the scale on {self.stream.name} ({self.protocol.name})"
        pending = self._assembler.pending
        if not dropped and not pending:
            return ScaleError(
                f"no answer from {where} to {data!r} within {timeout_s:g} s: "
                "check the cable, the power and that the scale is in this protocol's mode"
            )
        sample = b"".join(g.data for g in dropped) + pending
        return ScaleError(
            f"only unreadable bytes from {where} within {timeout_s:g} s ({sample[:32]!r}): "
            "check the protocol and the baud rate",
            raw=sample.decode("ascii", errors="backslashreplace"),
        )
