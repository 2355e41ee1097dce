"""The serial scale driver: polls a scale on its own thread and reports readings and status.

Reconnecting reopens the same configured port path. For a USB serial adapter that path should
be the udev link ``/dev/serial/by-id/...``, which points at the adapter again after it is
re-plugged, whatever ttyUSB number the kernel gives it this time.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from drivers.backoff import Backoff
from drivers.base import DeviceState, StatusListener
from drivers.scale.link import ScaleLink
from drivers.scale.model import CommandReply, ScaleError, ScaleReading, ScaleState
from drivers.scale.protocols import Command, Reply, SerialScaleProtocol, serial_protocol
from drivers.scale.worker import ReadingListener, ScaleWorker
from drivers.transport.serial_port import ByteStream, SerialPort


@dataclass(frozen=True)
class ScaleConfig:
    """A serial scale as configured: port path or URL, protocol, and optional overrides.

    ``baudrate``, ``bytesize`` and ``parity`` override the protocol's defaults (an NCI scale's
    parity is a menu setting). ``unit`` is the unit a Toledo 8217 is set to (its replies carry
    none); other protocols send their unit and ignore it.
    """

    port: str
    protocol: str
    baudrate: int | None = None
    bytesize: int | None = None
    parity: str | None = None
    unit: str | None = None
    name: str = "scale"
    stable_count: int = 3
    poll_interval_s: float = 0.2
    reply_timeout_s: float = 1.0
    backoff: Backoff = field(default_factory=Backoff)

    def serial_protocol(self) -> SerialScaleProtocol:
        """The protocol table entry for this scale."""
        return serial_protocol(self.protocol, self.unit)

    def open_port(self) -> SerialPort:
        """Open the configured port with the protocol's line settings."""
        line = self.serial_protocol().serial_config(self.port, self.baudrate)
        return SerialPort.open(
            replace(
                line, bytesize=self.bytesize or line.bytesize, parity=self.parity or line.parity
            )
        )


def as_command_reply(reply: Reply) -> CommandReply:
    """A reply to zero or tare as a CommandReply; NCI answers those with its status bytes."""
    if isinstance(reply, CommandReply):
        return reply
    ok = reply.state is not ScaleState.FAULT
    return CommandReply(ok, reply.detail or str(reply.state), reply.raw)


class ScaleDriver(ScaleWorker):
    """A serial scale polled on a worker thread.

    ``open_stream`` opens the connection; it is called again for every reconnect, with an
    exponential back-off between failures. ``zero()`` and ``tare()`` are queued to the worker
    and run between two polls; their futures resolve with the scale's answer, or fail with
    ScaleError (no answer, not connected, port lost, not supported by the protocol).
    """

    def __init__(
        self,
        protocol: SerialScaleProtocol,
        open_stream: Callable[[], ByteStream],
        on_reading: ReadingListener,
        on_status: StatusListener,
        *,
        poll_interval_s: float = 0.2,
        reply_timeout_s: float = 1.0,
        stable_count: int = 3,
        backoff: Backoff | None = None,
        name: str = "scale",
    ) -> None:
        super().__init__(
            name,
            on_reading,
            on_status,
            poll_interval_s=poll_interval_s,
            stable_count=stable_count,
            backoff=backoff or Backoff(),
        )
        self.protocol = protocol
        self._open_stream = open_stream
        self._reply_timeout_s = reply_timeout_s
        self._link: ScaleLink | None = None

    @classmethod
    def from_config(
        cls, config: ScaleConfig, on_reading: ReadingListener, on_status: StatusListener
    ) -> ScaleDriver:
        """A driver for a configured serial scale."""
        return cls(
            config.serial_protocol(),
            config.open_port,
            on_reading,
            on_status,
            poll_interval_s=config.poll_interval_s,
            reply_timeout_s=config.reply_timeout_s,
            stable_count=config.stable_count,
            backoff=config.backoff,
            name=config.name,
        )

    def zero(self) -> Future[CommandReply]:
        """Queue a zero command."""
        return self._queue_command("zero", self.protocol.zero)

    def tare(self) -> Future[CommandReply]:
        """Queue a tare command; fails at once if the protocol has none (NCI)."""
        return self._queue_command("tare", self.protocol.tare)

    def _queue_command(self, what: str, command: Command | None) -> Future[CommandReply]:
        if command is None:
            future: Future[CommandReply] = Future()
            future.set_exception(
                ScaleError(f"{what} is not supported by the {self.protocol.name} protocol")
            )
            return future
        return self.submit(lambda: self._execute(command))

    def _execute(self, command: Command) -> CommandReply:
        link = self._require_link()
        if not command.expects_reply:
            link.send(command.data)
            return CommandReply(True, "sent; this protocol does not acknowledge it", "")
        return as_command_reply(link.request(command.data, self._reply_timeout_s))

    def _connect(self) -> None:
        stream = self._open_stream()
        self._link = ScaleLink(stream, self.protocol, cancel=self._stopping)

    def _disconnect(self) -> None:
        if self._link is not None:
            self._link.stream.close()
            self._link = None

    def _poll_once(self) -> ScaleReading | None:
        link = self._require_link()
        try:
            reply = link.request(self.protocol.poll.data, self._reply_timeout_s)
        except ScaleError as exc:
            # The port is open but the scale is silent or unintelligible: reopening the port
            # would not help, so say so and keep asking.
            self.rule.reset()
            self._report(DeviceState.ERROR, exc.message)
            return None
        if isinstance(reply, CommandReply):
            self._report(DeviceState.ERROR, f"the scale refused the weight request: {reply.detail}")
            return None
        self._connected()
        return reply

    def _require_link(self) -> ScaleLink:
        if self._link is None:
            raise ScaleError(f"scale {self.name} is not connected")
        return self._link
