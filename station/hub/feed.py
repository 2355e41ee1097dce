"""The change feed: current records, numbered in commit order, pulled by cursor.

Every change takes its number from the ``change`` counter with ``UPDATE ... RETURNING``. That
row stays locked until the transaction ends (PostgreSQL row lock; SQLite's single writer), so a
transaction can only take numbers once every earlier taker has committed or rolled back: the
numbers become visible in the order they were taken, and a reader that has seen number n can
never later find a row below n appear. A rolled-back transaction returns its numbers too, so
the feed has no holes either.

Records are compacted: one row per (entity, key), renumbered on each change. A station that
has applied everything up to its cursor needs only the rows above it; a deleted record stays
as a tombstone until it is purged, and a cursor older than the newest purged tombstone must
be rebuilt from scratch ("reset required").
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from station.hub.models import HubCounter, HubMeta, HubRecord, utcnow
from station.hub.order_counts import live_slots, record_writes
from station.hub.sites import SiteScope, order_at_site, user_at_site
from station.sync.protocol import Change, PullResponse

CHANGE = "change"
_records: Table = HubRecord.__table__  # type: ignore[assignment]


class ResetRequired(Exception):  # noqa: N818 - a state of the protocol, not a failure
    """The cursor is too old, from another hub database, or not a cursor at all: rebuild from
    an empty cursor. The message says which."""


def lock_feed(session: Session) -> None:
    """Take the feed's lock now (before any record lock), so lock order is always the same."""
    session.execute(select(HubCounter.value).where(HubCounter.name == CHANGE).with_for_update())


def take_numbers(session: Session, count: int) -> range:
    """``count`` consecutive change numbers, held by this transaction until it ends."""
    last = session.execute(
        update(HubCounter)
        .where(HubCounter.name == CHANGE)
        .values(value=HubCounter.value + count)
        .returning(HubCounter.value)
    ).scalar_one()
    return range(last - count + 1, last + 1)


def get_record(
    session: Session, entity: str, key: str, *, for_update: bool = False
) -> dict[str, Any] | None:
    """The live record's data, or None (absent or deleted); optionally row-locked."""
    query = select(HubRecord.data).where(
        HubRecord.entity == entity, HubRecord.key == key, HubRecord.deleted.is_(False)
    )
    data = session.execute(query.with_for_update() if for_update else query).scalar_one_or_none()
    return dict(data) if data is not None else None


def live_records(session: Session, entity: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(key, data) of every live record of ``entity``."""
    rows = session.execute(
        select(HubRecord.key, HubRecord.data).where(
            HubRecord.entity == entity, HubRecord.deleted.is_(False)
        )
    )
    for key, data in rows:
        yield str(key), dict(data)


def put_records(session: Session, entity: str, items: Sequence[tuple[str, dict[str, Any]]]) -> int:
    """Insert or replace records (in the given order, which becomes their feed order)."""
    return _write(session, entity, [(key, data, False) for key, data in items])


def delete_records(session: Session, entity: str, keys: Iterable[str]) -> int:
    """Turn live records into tombstones; returns how many there were."""
    live = set(
        session.scalars(
            select(HubRecord.key).where(
                HubRecord.entity == entity,
                HubRecord.key.in_(list(keys)),
                HubRecord.deleted.is_(False),
            )
        )
    )
    return _write(session, entity, [(key, None, True) for key in sorted(live)])


def _write(
    session: Session, entity: str, items: Sequence[tuple[str, dict[str, Any] | None, bool]]
) -> int:
    if not items:
        return 0
    numbers = take_numbers(session, len(items))
    keys = [key for key, _, _ in items]
    if entity == "order":  # after take_numbers: its row lock serialises the counts' writers
        record_writes(session, live_slots(session, keys), items)
    existing: set[str] = set()
    for start in range(0, len(keys), 1000):
        existing.update(
            session.scalars(
                select(HubRecord.key).where(
                    HubRecord.entity == entity, HubRecord.key.in_(keys[start : start + 1000])
                )
            )
        )
    now = utcnow()
    rows = [
        {"e": entity, "k": key, "seq": seq, "data": data, "deleted": deleted, "now": now}
        for (key, data, deleted), seq in zip(items, numbers, strict=True)
    ]
    changed = [r for r in rows if r["k"] in existing]
    added = [r for r in rows if r["k"] not in existing]
    if changed:
        session.execute(
            update(_records)
            .where(_records.c.entity == bindparam("e"), _records.c.key == bindparam("k"))
            .values(
                change_seq=bindparam("seq"),
                data=bindparam("data"),
                deleted=bindparam("deleted"),
                updated_at=bindparam("now"),
            ),
            changed,
        )
    if added:
        session.execute(
            insert(_records).values(
                entity=bindparam("e"),
                key=bindparam("k"),
                change_seq=bindparam("seq"),
                data=bindparam("data"),
                deleted=bindparam("deleted"),
                updated_at=bindparam("now"),
            ),
            added,
        )
    return len(rows)


def purge_tombstones(session: Session, older_than: datetime) -> int:
    """Forget tombstones older than ``older_than``; cursors before them then need a reset."""
    lock_feed(session)
    newest = session.scalar(
        select(func.max(HubRecord.change_seq)).where(
            HubRecord.deleted.is_(True), HubRecord.updated_at < older_than
        )
    )
    if newest is None:
        return 0
    result = session.execute(
        delete(HubRecord).where(HubRecord.deleted.is_(True), HubRecord.updated_at < older_than)
    )
    purged = cast(CursorResult[Any], result).rowcount
    horizon = max(int(_meta(session, "tombstone_horizon")), int(newest))
    session.execute(
        update(HubMeta).where(HubMeta.key == "tombstone_horizon").values(value=str(horizon))
    )
    return int(purged)


def _as_seen_from(site: SiteScope | None, row: HubRecord) -> Change:
    """The change as the station at ``site`` receives it.

    An order or a user of other sites goes out as a tombstone rather than being left out: a
    station that had it (before the order or the user was moved off this site) must drop it,
    and one that never had it drops nothing. The station then keeps no order it may not pack
    (one already started at its bench stays: ``remove_order``) and no credential of anyone who
    does not work there. The price: every station reads a tombstone per change of another
    site's order.
    """
    elsewhere = (
        site is not None
        and row.data is not None
        and (
            (row.entity == "user" and not user_at_site(row.data, site))
            or (row.entity == "order" and not order_at_site(row.data, site))
        )
    )
    if elsewhere:
        return Change(seq=row.change_seq, entity=row.entity, key=row.key, deleted=True)
    return Change(
        seq=row.change_seq, entity=row.entity, key=row.key, deleted=row.deleted, data=row.data
    )


def _meta(session: Session, key: str) -> str:
    return str(session.execute(select(HubMeta.value).where(HubMeta.key == key)).scalar_one())


def encode_cursor(epoch: str, seq: int, base: int) -> str:
    """The opaque cursor a station stores: which hub database, how far, and where it began.

    ``base`` is the feed's high-water mark when the station last started from nothing:
    tombstones at or below it are of records deleted before it started, which it never had.
    """
    raw = json.dumps({"e": epoch, "s": seq, "b": base}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# A cursor of ours is ~60 characters; anything much longer is not one, and is refused before
# it is decoded (a short text cannot nest deep enough to exhaust the parser's recursion).
MAX_CURSOR_CHARS = 256
_MAX_SEQ = 2**63 - 1  # the BIGINT of change_seq


def _no_constant(name: str) -> object:
    # json.loads takes NaN and (-)Infinity by default; no cursor of ours holds one.
    raise ValueError(f"{name} is not a number JSON allows")


def _no_float(text: str) -> object:
    # 1e400 would become float("inf"): positions are integers, so a fraction is refused whole.
    raise ValueError(f"{text[:20]} is not an integer")


def decode_cursor(cursor: str) -> tuple[str, int, int]:
    """(epoch, seq, base) of a cursor; ResetRequired naming what is wrong if it is not ours.

    The cursor comes from the request, so everything is checked before it is trusted: its
    length, the base64url alphabet, strict JSON (no NaN, Infinity or fractions), the fields'
    types and their range.
    """
    if len(cursor) > MAX_CURSOR_CHARS:
        raise ResetRequired(f"unreadable cursor: longer than {MAX_CURSOR_CHARS} characters")
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ResetRequired("unreadable cursor: not base64url") from None
    try:
        data = json.loads(raw, parse_constant=_no_constant, parse_float=_no_float)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ResetRequired(f"unreadable cursor: not JSON of ours ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        raise ResetRequired("unreadable cursor: not an object with an epoch")
    positions = [data.get("s"), data.get("b")]
    for name, value in zip("sb", positions, strict=True):
        # bool is an int in Python; True is no position.
        if type(value) is not int or not 0 <= value <= _MAX_SEQ:
            raise ResetRequired(f"unreadable cursor: {name!r} is not a feed position")
    return str(data["e"]), int(data["s"]), int(data["b"])


def pull_page(
    session: Session, cursor: str | None, limit: int, site: SiteScope | None = None
) -> PullResponse:
    """The changes after ``cursor``, oldest first, at most ``limit`` of them.

    With ``site``, orders and users of other sites come as tombstones (an order without a
    site belongs to the default site; see ``_as_seen_from``).
    """
    epoch = _meta(session, "epoch")
    high = session.execute(select(HubCounter.value).where(HubCounter.name == CHANGE)).scalar_one()
    if cursor:
        cursor_epoch, after, base = decode_cursor(cursor)
        horizon = int(_meta(session, "tombstone_horizon"))
        # Another database; a tombstone purged that this station may not have seen; or a
        # hub restored to an older state than the station has already pulled.
        if cursor_epoch != epoch or max(after, base) < horizon or after > high:
            raise ResetRequired("cursor too old")
    else:
        # Starting from nothing: read after ``high`` was taken, so every deletion numbered
        # up to it is already visible and its record is simply not sent.
        after, base = 0, int(high)
    query = select(HubRecord).where(HubRecord.change_seq > after)
    if after == 0:
        query = query.where(HubRecord.deleted.is_(False))
    rows = list(session.scalars(query.order_by(HubRecord.change_seq).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    changes = [_as_seen_from(site, r) for r in rows]
    last = rows[-1].change_seq if rows else after
    return PullResponse(changes=changes, cursor=encode_cursor(epoch, last, base), more=more)
