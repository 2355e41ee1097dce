"""What every device has in common: its state, and the events a driver reports.

Drivers run their I/O on their own threads and report through plain callbacks; the Qt bridge
in ``ui/`` turns those callbacks into signals on the GUI thread. No Qt here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass


class DeviceState(enum.StrEnum):
    """Connection state of a device, as the status bar shows it."""

    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    ERROR = "error"


@dataclass(frozen=True)
class DeviceStatus:
    """A device's state with a reason a person can read (``"port /dev/ttyUSB0 vanished"``)."""

    device: str
    state: DeviceState
    reason: str = ""


StatusListener = Callable[[DeviceStatus], None]

ScanListener = Callable[[str, str | None], None]
"""Where a scanner driver delivers a scan: the data and its AIM symbology identifier.

The identifier (``"]E0"``) is None when the scanner sends none; when present it is also left
at the start of the data, so the interpreter sees exactly what the scanner sent.
"""


class TransportError(Exception):
    """A device connection failed or timed out; ``str(err)`` is a reason a person can read.

    Transports translate socket, file and serial errors into this so a driver can show
    "connection refused by 10.0.0.7:9100" instead of ``[Errno 111]``.
    """
