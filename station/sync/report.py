"""What a station tells its hub about itself with each pull: device states, queue, last failure.

Drivers report their state on their own threads; :class:`DeviceBoard` keeps the latest state
of each device (under a lock, read by the sync thread). The report is sent as one header of
the pull the sync cycle makes anyway (``protocol.REPORT_HEADER``), so the hub's network page
shows every bench's devices without a round trip of its own.
"""

from __future__ import annotations

import json
import threading

from drivers.base import DeviceStatus
from station.sync.protocol import MAX_REPORT_BYTES, DeviceReport, StationReport

MAX_REASON = 200
MAX_ERROR = 300


class DeviceBoard:
    """The latest state of each device of this station, from whichever thread reports it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, DeviceStatus] = {}

    def update(self, status: DeviceStatus) -> None:
        """Keep ``status`` as its device's state (any thread)."""
        with self._lock:
            self._states[status.device] = status

    def snapshot(self) -> list[DeviceStatus]:
        """Every device's latest state, by name."""
        with self._lock:
            return [self._states[name] for name in sorted(self._states)]


def report_header(
    devices: list[DeviceStatus], pending: int, dead_letters: int, last_error: str | None
) -> str:
    """The report as the header's value: compact ASCII JSON within ``MAX_REPORT_BYTES``."""
    report = StationReport(
        devices=[
            DeviceReport(device=d.device[:64], state=d.state.value, reason=d.reason[:MAX_REASON])
            for d in devices[:16]
        ],
        pending=pending,
        dead_letters=dead_letters,
        last_error=last_error[:MAX_ERROR] if last_error else None,
    )
    text = json.dumps(report.model_dump(), ensure_ascii=True, separators=(",", ":"))
    while len(text) > MAX_REPORT_BYTES and report.devices:
        # Escaped non-ASCII reasons can outgrow the limit: the reasons go first, then devices.
        if any(d.reason for d in report.devices):
            report.devices = [d.model_copy(update={"reason": ""}) for d in report.devices]
        else:
            report.devices = report.devices[:-1]
        text = json.dumps(report.model_dump(), ensure_ascii=True, separators=(",", ":"))
    return text
