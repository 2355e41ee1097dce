"""Live orders per site and state, kept in ``hub_order_counts`` as orders are written.

Every write of a record goes through :func:`station.hub.feed._write`, which hands this module
each order's state before and after, in the same transaction: the counts can never disagree
with the orders a committed transaction left. Writers of the feed are serialised by the
``change`` counter's row lock (taken before this runs and held until COMMIT), so two
transactions never race to insert the same (site, state) row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, insert, select, update
from sqlalchemy.orm import Session

from station.hub.models import HubOrderCount, HubRecord

#: (site, state) of one live order; '' where the record has none.
Slot = tuple[str, str]


def slot_of(data: Mapping[str, Any] | None) -> Slot:
    """Where an order record is counted: its ``site`` and ``status`` as text ('' for none)."""
    data = data or {}
    return (str(data.get("site") or ""), str(data.get("status") or ""))


def live_slots(session: Session, keys: Sequence[str]) -> dict[str, Slot]:
    """The slot of each live order among ``keys`` (deleted or absent ones are left out)."""
    slots: dict[str, Slot] = {}
    for start in range(0, len(keys), 1000):
        for key, data in session.execute(
            select(HubRecord.key, HubRecord.data).where(
                HubRecord.entity == "order",
                HubRecord.key.in_(keys[start : start + 1000]),
                HubRecord.deleted.is_(False),
            )
        ):
            slots[str(key)] = slot_of(data)
    return slots


def record_writes(
    session: Session,
    before: Mapping[str, Slot],
    writes: Iterable[tuple[str, Mapping[str, Any] | None, bool]],
) -> None:
    """Move the counts for ``writes`` ((key, data, deleted), in the order they are written)
    given the live orders' slots ``before`` them."""
    now = dict(before)
    delta: Counter[Slot] = Counter()
    for key, data, deleted in writes:
        old = now.pop(key, None)
        if old is not None:
            delta[old] -= 1
        if not deleted:
            now[key] = slot_of(data)
            delta[now[key]] += 1
    for (site, state), change in sorted(delta.items()):
        if change:
            _add(session, site, state, change)


def _add(session: Session, site: str, state: str, change: int) -> None:
    result = session.execute(
        update(HubOrderCount)
        .where(HubOrderCount.site == site, HubOrderCount.state == state)
        .values(count=HubOrderCount.count + change)
    )
    if cast(CursorResult[Any], result).rowcount == 0:
        session.execute(insert(HubOrderCount).values(site=site, state=state, count=change))


def counts(session: Session) -> dict[Slot, int]:
    """Live orders per (site, state) as kept; slots with none are left out."""
    return {
        (str(site), str(state)): int(n)
        for site, state, n in session.execute(
            select(HubOrderCount.site, HubOrderCount.state, HubOrderCount.count).where(
                HubOrderCount.count != 0
            )
        )
    }


def recount(session: Session) -> dict[Slot, int]:
    """Live orders per (site, state) counted from the orders themselves (reads every one)."""
    found: Counter[Slot] = Counter()
    for (data,) in session.execute(
        select(HubRecord.data).where(HubRecord.entity == "order", HubRecord.deleted.is_(False))
    ):
        found[slot_of(data)] += 1
    return dict(found)
