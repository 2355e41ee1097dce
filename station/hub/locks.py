"""The order lock at the hub: an order open at one bench is locked for the others.

A station takes the lock when it opens an order and renews it while the order stays open
(``station.packing.lock``); it frees it when the order is completed or parked. A lock that is
not renewed runs out after its ``ttl_s`` (a bench switched off, a network gone), and a
supervisor frees one by hand (``station hub locks free ORDER``). Times are the hub's clock.

Taking is safe when two stations ask at once, on SQLite and PostgreSQL alike: the row is read
``FOR UPDATE`` (a no-op on SQLite, whose hub has one writer at a time), and of two first takes
of the same order one insert wins and the other sees the winner. Offline, nothing here is
asked: the bench that packs first wins and the other's completion is a conflict at the hub, as
without locks.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from station.hub.api import AUTH, BODY, NOT_JSON, Station
from station.hub.context import HubContext, hub_context
from station.hub.db import HubDatabase
from station.hub.models import HubOrderLock, HubStation, utcnow
from station.sync import locks as p

router = APIRouter(tags=["locks"])
Ctx = Annotated[HubContext, Depends(hub_context)]
LOCK_ANSWERS: dict[int | str, dict[str, Any]] = {**AUTH, **NOT_JSON, **BODY}


def _aware(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes for timezone-aware columns; they were stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _name(session: Session, station_id: int) -> str:
    return str(session.scalar(select(HubStation.name).where(HubStation.id == station_id)))


def _state(session: Session, lock: HubOrderLock | None, asking: int | None) -> p.LockState:
    if lock is None:
        return p.LockState(order="", granted=False)
    return p.LockState(
        order=lock.order_number,
        granted=lock.station_id == asking,
        station=_name(session, lock.station_id),
        expires_at=_aware(lock.expires_at),
    )


def take(session: Session, station_id: int, order: str, ttl_s: int, now: datetime) -> p.LockState:
    """Take or renew ``order``'s lock for ``station_id``; refused while another holds it."""
    until = now + timedelta(seconds=ttl_s)
    lock = session.get(HubOrderLock, order, with_for_update=True)
    if lock is None:
        try:
            with session.begin_nested():
                lock = HubOrderLock(
                    order_number=order, station_id=station_id, taken_at=now, expires_at=until
                )
                session.add(lock)
        except IntegrityError:  # another station's first take of it won
            lock = session.get(HubOrderLock, order, populate_existing=True, with_for_update=True)
            return _state(session, lock, station_id)
        return _state(session, lock, station_id)
    if lock.station_id != station_id and _aware(lock.expires_at) > now:
        return _state(session, lock, station_id)
    if lock.station_id != station_id:
        lock.station_id, lock.taken_at = station_id, now
    lock.expires_at = until
    session.flush()
    return _state(session, lock, station_id)


def free(session: Session, station_id: int | None, order: str) -> p.LockState:
    """Free ``order``'s lock if ``station_id`` holds it (None: whoever holds it, a supervisor's
    hand); the answer names who holds it afterwards (nobody when freed)."""
    query = delete(HubOrderLock).where(HubOrderLock.order_number == order)
    if station_id is not None:
        query = query.where(HubOrderLock.station_id == station_id)
    session.execute(query)
    left = session.get(HubOrderLock, order, populate_existing=True)
    state = _state(session, left, station_id)
    return state if left is not None else p.LockState(order=order, granted=False)


def live(session: Session, now: datetime, *, but: int | None = None) -> list[p.LockState]:
    """The locks not run out, oldest first, except those of station ``but``."""
    query = select(HubOrderLock).where(HubOrderLock.expires_at > now)
    if but is not None:
        query = query.where(HubOrderLock.station_id != but)
    rows = session.scalars(query.order_by(HubOrderLock.taken_at)).all()
    return [_state(session, lock, but) for lock in rows]


def free_by_hand(hub: HubDatabase, order: str) -> str | None:
    """A supervisor frees ``order``'s lock; the station that held it (None: no lock)."""
    with hub.write() as session:
        lock = session.get(HubOrderLock, order)
        holder = _name(session, lock.station_id) if lock is not None else None
        free(session, None, order)
    return holder


def list_live(hub: HubDatabase) -> list[p.LockState]:
    """Every lock not run out (for ``station hub locks list``)."""
    with hub.read() as session:
        return live(session, utcnow())


@router.post(p.TAKE, responses=LOCK_ANSWERS)
async def take_lock(body: p.TakeLock, ctx: Ctx, station: Station) -> p.LockState:
    """Take or renew an order's lock; ``granted`` false names the bench that holds it."""

    def work() -> p.LockState:
        with ctx.db.write() as session:
            return take(session, station.id, body.order, body.ttl_s, utcnow())

    return await run_in_threadpool(work)


@router.post(p.FREE, responses=LOCK_ANSWERS)
async def free_lock(body: p.FreeLock, ctx: Ctx, station: Station) -> p.LockState:
    """Free this station's lock of an order (no error when it holds none)."""

    def work() -> p.LockState:
        with ctx.db.write() as session:
            return free(session, station.id, body.order)

    return await run_in_threadpool(work)


@router.get(p.LOCKS, responses=AUTH)
async def locks_elsewhere(ctx: Ctx, station: Station) -> p.LocksHeld:
    """The orders other benches hold now: a bench does not open or pick them."""

    def work() -> p.LocksHeld:
        with ctx.db.read() as session:
            return p.LocksHeld(locks=live(session, utcnow(), but=station.id))

    return await run_in_threadpool(work)
