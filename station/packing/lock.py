"""The order lock at the bench: an order open here is locked at the hub for the other benches,
and an order another bench holds is neither opened nor picked here. No Qt.

The hub keeps the locks (``station.hub.locks``); this keeps the bench's side on a thread of its
own (:class:`OrderLocks`), so a lock call never runs on the GUI thread, never inside the
engine's transaction, and never holds a scan back:

- the bench's outcomes come in as a subscriber of ``PackBench`` (``on_outcome``, which only
  notes what is wanted and wakes the thread): an order opened or resumed is to be held, one
  completed is to be freed; opening another order parks the one before (a bench has one open
  order at a time, ``CommandRules.open``), which frees its lock;
- the thread takes the wanted lock, renews it every ``ttl_s / 3`` while the order stays open,
  frees a lock no longer wanted, and reads the locks other benches hold every ``refresh_s``;
- the engine asks :meth:`holder` (a dictionary lookup) when it opens an order, and batch mode
  skips :meth:`elsewhere`: what the hub said at its last answer;
- the hub slow or away: nothing waits for it. The bench goes on with what it last heard (a
  lock it heard of is kept until its own expiry time), and the offline rule applies: the bench
  that packs first wins, the other's completion is a conflict at the hub a supervisor sees;
- a take refused after the order opened here (two benches opened it within one refresh) is
  kept in :attr:`conflicts` and logged: the order now counts as held elsewhere, so it is not
  picked again, and whichever bench completes first wins as offline.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from station.packing.verdicts import Outcome, Verdict
from station.user_ref import UserRef

log = logging.getLogger(__name__)

HOLD = (Verdict.ORDER_OPENED, Verdict.ORDER_RESUMED)


@dataclass(frozen=True)
class HeldLock:
    """An order's lock as the hub answered: whether this bench holds it, else who does."""

    order: str
    granted: bool
    station: str | None = None
    expires_at: datetime | None = None


class LockHubAway(Exception):  # noqa: N818 - a state, not a bug
    """The hub could not be asked (offline, slow, not enrolled, or it refused the call)."""


class LockHub(Protocol):
    """The hub's lock calls (``station.sync.locks.HubLockCalls`` over HTTP)."""

    def take(self, order: str, ttl_s: int) -> HeldLock:
        """Take or renew ``order``'s lock."""
        ...

    def free(self, order: str) -> HeldLock:
        """Free this bench's lock of ``order``."""
        ...

    def held_elsewhere(self) -> list[HeldLock]:
        """The locks other benches hold."""
        ...


class OrderLocks:
    """This bench's order lock at the hub, kept on its own thread (see the module docstring).

    ``now`` is the wall clock (UTC) a remembered lock's expiry is compared with.
    """

    def __init__(
        self,
        hub: LockHub,
        *,
        ttl_s: int = 120,
        refresh_s: float = 10.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._hub = hub
        self.ttl_s = ttl_s
        self._refresh_s = refresh_s
        self._now = now
        self._guard = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._elsewhere: dict[str, HeldLock] = {}  # order -> the other bench's lock
        self._wanted: str | None = None  # the order open here
        self._held: str | None = None  # the order the hub last granted us
        self._renewed_at: datetime | None = None
        self.conflicts: list[HeldLock] = []  # takes refused after the order opened here
        self.online: bool | None = None  # None: not asked yet

    # --- the engine's questions (any thread; never waits for the hub) -----------------------

    def holder(self, order: str) -> str | None:
        """The bench holding ``order`` as last heard, if it is not this one and not run out."""
        with self._guard:
            lock = self._elsewhere.get(order)
        if lock is None or (lock.expires_at is not None and lock.expires_at <= self._now()):
            return None
        return lock.station or "another bench"

    def elsewhere(self) -> frozenset[str]:
        """The orders other benches hold, as last heard (batch mode skips them)."""
        with self._guard:
            locks = list(self._elsewhere.values())
        now = self._now()
        return frozenset(
            lock.order for lock in locks if lock.expires_at is None or lock.expires_at > now
        )

    # --- the bench's outcomes (a PackBench subscriber: notes and wakes, never waits) --------

    def on_outcome(self, outcome: Outcome, _user: UserRef | None) -> None:
        """An order opened or resumed is to be held; one completed is to be freed."""
        if outcome.verdict in HOLD and outcome.order_number:
            self.want(outcome.order_number)
        elif outcome.verdict is Verdict.COMPLETED:
            self.want(None)

    def want(self, order: str | None) -> None:
        """Hold ``order`` (None: hold nothing) from the next round on."""
        with self._guard:
            if self._wanted == order:
                return
            self._wanted = order
        self._wake.set()

    # --- the thread ------------------------------------------------------------------------

    def start(self, open_order: str | None = None) -> None:
        """Start the thread; ``open_order`` is the order open here at start (resumed)."""
        if open_order is not None:
            self.want(open_order)
        self._thread = threading.Thread(target=self._loop, name="order-locks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the thread after its round; a held lock runs out at the hub by itself."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_round()
            self._wake.wait(min(self._refresh_s, self.ttl_s / 3))
            self._wake.clear()

    def run_round(self) -> None:
        """One round: free what is no longer wanted, take or renew what is, read the others'.

        Public so a test (or a headless bench) can run rounds without the thread.
        """
        try:
            self._free_unwanted()
            self._take_wanted()
            others = self._hub.held_elsewhere()
        except LockHubAway as exc:
            if self.online is not False:
                log.info("order locks: hub away (%s): the offline rule applies", exc)
            self.online = False
            return
        self.online = True
        with self._guard:
            self._elsewhere = {lock.order: lock for lock in others}
            lost = self._elsewhere.get(self._held) if self._held is not None else None
            if lost is not None:  # ours ran out (not renewed in time) and was taken
                self._held, self._renewed_at = None, None
        if lost is not None:
            self._conflict(lost)

    def _free_unwanted(self) -> None:
        with self._guard:
            held, wanted = self._held, self._wanted
        if held is not None and held != wanted:
            self._hub.free(held)
            with self._guard:
                self._held, self._renewed_at = None, None

    def _take_wanted(self) -> None:
        with self._guard:
            wanted, held, renewed = self._wanted, self._held, self._renewed_at
        if wanted is None:
            return
        now = self._now()
        if (
            held == wanted
            and renewed is not None
            and (now - renewed).total_seconds() < (self.ttl_s / 3)
        ):
            return
        answer = self._hub.take(wanted, self.ttl_s)
        with self._guard:
            if answer.granted:
                self._held, self._renewed_at = wanted, now
                self._elsewhere.pop(wanted, None)
                return
            self._elsewhere[wanted] = answer
            if self._held == wanted:
                self._held = None
        self._conflict(answer)

    def _conflict(self, lock: HeldLock) -> None:
        """The order open here is held by another bench: kept, logged once per order."""
        if self.conflicts and self.conflicts[-1].order == lock.order:
            return
        self.conflicts.append(lock)
        log.warning(
            "order %s is locked by %s at the hub: whoever completes it first wins",
            lock.order,
            lock.station,
        )
