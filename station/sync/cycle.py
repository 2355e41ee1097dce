"""One sync cycle: pull the feed, push the outbox (photos first), pull again if it moved.

Pulls never wait on pushes: a cancellation at the hub must reach the bench even while photos
cannot go up (the hub's blob storage full, a slow link, a large backlog), so the feed is
pulled first and a push that fails is reported after the pull has been applied. Pulling
before pushing is safe because the bench's own result stands over the hub's record (see
``station.sync.apply_orders``); the second pull, after a push that moved events, brings what
the hub decided from them at once rather than a cycle later. A reset must never rebuild the
pulled tables while events are still waiting, since those events are the only record of
what the bench did: on "reset required" the outbox is pushed first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from drivers.base import DeviceStatus
from station.db import Database
from station.db.models import utcnow
from station.sync.apply_orders import BlockedOrder
from station.sync.backlog import dead_letter_count, pending_count
from station.sync.cleartext import CleartextRefused, check_hub_url
from station.sync.client import HubClient, HubRefused, HubUnavailable, Timeouts
from station.sync.images import download_images
from station.sync.pull import DEFAULT_PAGE, ResetNeeded, pull_changes, rebuild
from station.sync.push import DEFAULT_BATCH, push_outbox
from station.sync.report import report_header
from station.sync.state import (
    CLOCK_SKEW,
    LAST_SUCCESS,
    Enrolment,
    load_enrolment,
    set_setting,
)

log = logging.getLogger(__name__)
SENT_IN_CLEAR = "the station's token and its events"


class SyncError(Exception):
    """A cycle could not run (not enrolled, reset waiting for the outbox...)."""


@dataclass
class CycleReport:
    """What one cycle did and where the station stands after it."""

    pushed: int = 0
    rejected: int = 0
    conflicts: int = 0
    blobs: int = 0
    pulled: int = 0
    images: int = 0  # catalog pictures downloaded
    pending: int = 0
    dead_letters: int = 0
    reset: bool = False
    clock_skew_s: float | None = None
    blocked: list[BlockedOrder] = field(default_factory=list)
    # The push failed after the pull was applied (events and photos wait for the next cycle).
    push_failure: HubUnavailable | HubRefused | None = None


class Syncer:
    """Runs sync cycles of one station database against its enrolled hub (or ``hub_url``)."""

    def __init__(
        self,
        db: Database,
        photo_dir: Path,
        *,
        hub_url: str | None = None,
        timeouts: Timeouts | None = None,
        batch: int = DEFAULT_BATCH,
        page: int = DEFAULT_PAGE,
        require_tls: bool = False,
        devices: Callable[[], list[DeviceStatus]] | None = None,
    ) -> None:
        self.db = db
        # The bench's device states (``DeviceBoard.snapshot``), reported to the hub with
        # each pull; None (the command line) reports none.
        self.devices = devices
        self.last_failure: str | None = None
        self.photo_dir = photo_dir
        self.hub_url = hub_url
        self.timeouts = timeouts or Timeouts()
        self.batch = batch
        self.page = page
        self.require_tls = require_tls
        self._warned: set[str] = set()

    def enrolment(self) -> Enrolment:
        """The stored enrolment; SyncError if this station never enrolled."""
        enrolment = load_enrolment(self.db)
        if enrolment is None:
            raise SyncError("not enrolled: run `station enroll --hub URL --code CODE`")
        return enrolment

    def cleartext_warning(self) -> str | None:
        """What is wrong with the hub's address (plain HTTP to another machine), or None.

        None too before enrolment (the cycle says that); SyncError with ``require_tls``.
        """
        enrolment = load_enrolment(self.db)
        url = self.hub_url or (enrolment.url if enrolment else None)
        if url is None:
            return None
        try:
            return check_hub_url(url, SENT_IN_CLEAR, require_tls=self.require_tls)
        except CleartextRefused as exc:
            raise SyncError(str(exc)) from None

    def client(self, enrolment: Enrolment) -> HubClient:
        """A client for the enrolled hub, at ``hub_url`` when one overrides it."""
        url = self.hub_url or enrolment.url
        warning = self.cleartext_warning()
        if warning is not None and url not in self._warned:
            self._warned.add(url)  # once per address, not every 15 s
            log.warning("sync: %s", warning)
        return HubClient(
            url,
            enrolment.token,
            timeouts=self.timeouts,
            ca_file=enrolment.ca,
        )

    def run_cycle(self) -> CycleReport:
        """Pull, push, pull again after a push that moved events (see the module docstring).

        A failed pull raises HubUnavailable, HubRefused or SyncError; a failed push does not:
        it is ``push_failure`` in the report, after the pull.
        """
        enrolment = self.enrolment()
        report = CycleReport()
        try:
            self._cycle(enrolment, report)
        except Exception as exc:
            # Told to the hub with the next pull that gets through.
            self.last_failure = f"{type(exc).__name__}: {exc}"
            raise
        return report

    def _cycle(self, enrolment: Enrolment, report: CycleReport) -> None:
        with self.client(enrolment) as client:
            client.report = self._report()
            self._pull(client, enrolment.station, report)
            moved = report.pushed + report.rejected  # a reset pushes before it rebuilds
            try:
                self._push(client, enrolment.station, report)
            except (HubUnavailable, HubRefused) as exc:
                report.push_failure = exc
            if report.push_failure is None and report.pushed + report.rejected > moved:
                client.report = self._report()  # the queue as the push left it
                self._pull(client, enrolment.station, report)
            report.clock_skew_s = client.clock_skew_s
        report.pending = pending_count(self.db)
        report.dead_letters = dead_letter_count(self.db)
        with self.db.session() as session:
            if report.clock_skew_s is not None:
                set_setting(session, CLOCK_SKEW, str(report.clock_skew_s))
            if report.push_failure is None:
                set_setting(session, LAST_SUCCESS, utcnow().isoformat())
            session.commit()
        self.last_failure = (
            f"push failed: {report.push_failure}" if report.push_failure is not None else None
        )

    def _report(self) -> str:
        return report_header(
            self.devices() if self.devices else [],
            pending_count(self.db),
            dead_letter_count(self.db),
            self.last_failure,
        )

    def _pull(self, client: HubClient, station: str, report: CycleReport) -> None:
        try:
            pulled = pull_changes(self.db, client, page=self.page)
        except ResetNeeded:
            self._push(client, station, report)
            waiting = pending_count(self.db)
            if waiting:
                raise SyncError(
                    f"the hub asks for a reset; {waiting} event(s) must reach it first"
                ) from None
            pulled = rebuild(self.db, client, page=self.page)
        report.pulled += pulled.pulled
        report.images += download_images(self.db, client)  # pictures the catalog names
        report.blocked.extend(pulled.blocked)
        report.reset = report.reset or pulled.reset

    def _push(self, client: HubClient, station: str, report: CycleReport) -> None:
        pushed = push_outbox(self.db, client, station, self.photo_dir, batch=self.batch)
        report.pushed += pushed.pushed
        report.rejected += pushed.rejected
        report.conflicts += pushed.conflicts
        report.blobs += pushed.blobs
