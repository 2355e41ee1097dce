"""The order lock's messages between a station and its hub (``station.hub.locks`` answers them,
``station.packing.lock`` asks), with the hub client's calls for them.

The order travels in the body, never in the path: a shop's order number may hold ``#`` or
``/``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, TypeVar

from pydantic import BaseModel, Field

from station.db import Database
from station.packing.lock import HeldLock, LockHubAway
from station.sync.client import HubClient, HubRefused, HubUnavailable, Timeouts
from station.sync.state import load_enrolment

_T = TypeVar("_T")

LOCKS = "/v1/locks"
TAKE = f"{LOCKS}/take"
FREE = f"{LOCKS}/free"
MAX_TTL_S = 3600


# An order number as the hub stores it: no NUL (PostgreSQL refuses one in text).
OrderNumber = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00]+$")]


class TakeLock(BaseModel):
    """Take (or renew) the lock of an order for ``ttl_s`` seconds from now (the hub's clock)."""

    order: OrderNumber
    ttl_s: int = Field(default=120, ge=5, le=MAX_TTL_S)


class FreeLock(BaseModel):
    """Free this station's lock of an order (freeing one not held is no error)."""

    order: OrderNumber


class LockState(BaseModel):
    """Who holds an order's lock now: ``granted`` says whether the asking station does."""

    order: str
    granted: bool
    station: str | None = None  # the holder (None: nobody)
    expires_at: datetime | None = None


class LocksHeld(BaseModel):
    """The live locks of the asking station's site held by other stations."""

    locks: list[LockState]


def take(client: HubClient, order: str, ttl_s: int) -> LockState:
    """Take or renew ``order``'s lock (``granted`` False: another bench holds it)."""
    body = TakeLock(order=order, ttl_s=ttl_s).model_dump()
    return client.call("POST", TAKE, LockState, json=body)


def free(client: HubClient, order: str) -> LockState:
    """Free ``order``'s lock if this station holds it."""
    return client.call("POST", FREE, LockState, json=FreeLock(order=order).model_dump())


def held_elsewhere(client: HubClient) -> LocksHeld:
    """The orders other benches hold now."""
    return client.call("GET", LOCKS, LocksHeld)


class HubLockCalls:
    """The bench's ``LockHub`` over HTTP: ``connect`` gives a client of the enrolled hub (None:
    not enrolled); every failure is :class:`LockHubAway`, so the bench goes on offline."""

    def __init__(self, connect: Callable[[], HubClient | None]) -> None:
        self._connect = connect

    def take(self, order: str, ttl_s: int) -> HeldLock:
        """Take or renew ``order``'s lock."""
        return _held(self._ask(lambda c: take(c, order, ttl_s)))

    def free(self, order: str) -> HeldLock:
        """Free this station's lock of ``order``."""
        return _held(self._ask(lambda c: free(c, order)))

    def held_elsewhere(self) -> list[HeldLock]:
        """The locks other stations hold."""
        return [_held(lock) for lock in self._ask(held_elsewhere).locks]

    def _ask(self, call: Callable[[HubClient], _T]) -> _T:
        client = self._connect()
        if client is None:
            raise LockHubAway("not enrolled with a hub")
        try:
            with client:
                return call(client)
        except (HubUnavailable, HubRefused) as exc:
            raise LockHubAway(str(exc)) from exc


def _held(state: LockState) -> HeldLock:
    return HeldLock(state.order, state.granted, state.station, state.expires_at)


# A lock call is small: a hub that does not answer within seconds counts as away (the bench
# never waits for it; the lock thread tries again next round).
LOCK_TIMEOUTS = Timeouts(connect=2.0, read=5.0)


def enrolled_lock_calls(db: Database) -> HubLockCalls:
    """Lock calls to the hub this station is enrolled with (read at each call: an enrolment
    made while the bench runs counts from the next round)."""

    def connect() -> HubClient | None:
        enrolment = load_enrolment(db)
        if enrolment is None:
            return None
        return HubClient(
            enrolment.url, enrolment.token, timeouts=LOCK_TIMEOUTS, ca_file=enrolment.ca
        )

    return HubLockCalls(connect)
