"""The sync worker of the bench, and what the status bar needs to know of it.

``station.sync.worker.SyncWorker`` runs on a thread of its own and reports its status there;
:class:`SyncLink` adds whether the station is enrolled at all (read on that same thread, never
the GUI's) and hands a :class:`SyncView` to the bridge. A station that is not enrolled says
"not enrolled" and blocks nothing; its worker keeps trying at a slow pace, so enrolling from
the command line while the bench runs takes effect without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drivers.backoff import Backoff
from station.config import Settings
from station.db import Database
from station.sync.apply_orders import BlockedOrder
from station.sync.cycle import Syncer
from station.sync.report import DeviceBoard
from station.sync.state import load_enrolment
from station.sync.worker import SPREAD, SyncStatus, SyncWorker
from ui.bridge import DeviceBridge

INTERVAL_S = 15.0


@dataclass(frozen=True)
class SyncView:
    """The sync state as the window shows it."""

    enrolled: bool
    online: bool | None  # None before the first attempt
    pending: int = 0
    dead_letters: int = 0
    last_success: datetime | None = None
    last_error: str | None = None
    blocked: tuple[BlockedOrder, ...] = ()


class SyncLink:
    """Starts and stops the sync worker; its status goes to the bridge."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        bridge: DeviceBridge,
        *,
        interval_s: float = INTERVAL_S,
        backoff: Backoff | None = None,
    ) -> None:
        self._db = db
        self._bridge = bridge
        # Device states as the status bar gets them, for the hub's network page.
        self.devices = DeviceBoard()
        bridge.status_changed.connect(self.devices.update)
        syncer = Syncer(db, settings.photo_dir, devices=self.devices.snapshot)
        self.worker = SyncWorker(
            syncer,
            interval_s=interval_s,
            backoff=backoff or Backoff(first_s=2.0, cap_s=60.0, jitter=SPREAD),
            on_status=self._status,
        )

    def start(self) -> None:
        """Start the sync thread (the first cycle runs at once)."""
        self.worker.start()

    def nudge(self) -> None:
        """Sync now (an order was packed)."""
        self.worker.nudge()

    def stop(self) -> None:
        """Stop after the cycle in progress."""
        self.worker.stop()

    def _status(self, status: SyncStatus) -> None:
        # The sync thread: the enrolment is read here, not on the GUI thread.
        enrolled = load_enrolment(self._db) is not None
        self._bridge.report_sync(
            SyncView(
                enrolled=enrolled,
                online=status.online if enrolled else None,
                pending=status.pending,
                dead_letters=status.dead_letters,
                last_success=status.last_success,
                last_error=status.last_error,
                blocked=status.blocked,
            )
        )
