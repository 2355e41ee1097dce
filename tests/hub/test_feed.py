"""The change feed on a real hub database: numbering, compaction, tombstones, resets."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from station.hub.db import HubDatabase, open_hub_database
from station.hub.feed import (
    ResetRequired,
    decode_cursor,
    delete_records,
    encode_cursor,
    pull_page,
    purge_tombstones,
    put_records,
)
from station.hub.models import HubMeta, utcnow
from tests.pgcluster import BOTH


@pytest.fixture
def hub(hub_url: str) -> Iterator[HubDatabase]:
    db = open_hub_database(hub_url)
    yield db
    db.close()


def put(hub: HubDatabase, entity: str, *keys: str) -> None:
    with hub.write() as s:
        put_records(s, entity, [(k, {"k": k}) for k in keys])


def pull(
    hub: HubDatabase, cursor: str | None, limit: int = 100
) -> tuple[list[tuple[int, str, bool]], str, bool]:
    with hub.read() as s:
        page = pull_page(s, cursor, limit)
    return [(c.seq, c.key, c.deleted) for c in page.changes], page.cursor, page.more


@BOTH
def test_changes_come_in_commit_order_compacted_by_key(hub: HubDatabase) -> None:
    put(hub, "product", "A", "B")
    put(hub, "order", "SO-1")
    put(hub, "product", "A")  # A changes again: it moves to the end, once
    changes, cursor, more = pull(hub, None)
    assert changes == [(2, "B", False), (3, "SO-1", False), (4, "A", False)]
    assert decode_cursor(cursor)[1:] == (4, 4) and more is False
    assert pull(hub, cursor)[0] == []


@BOTH
def test_pages_follow_the_cursor(hub: HubDatabase) -> None:
    put(hub, "product", *[f"P{i}" for i in range(5)])
    first, cursor, more = pull(hub, None, limit=2)
    second, cursor, more2 = pull(hub, cursor, limit=2)
    third, _, more3 = pull(hub, cursor, limit=2)
    assert [k for _, k, _ in first + second + third] == [f"P{i}" for i in range(5)]
    assert (more, more2, more3) == (True, True, False)


@BOTH
def test_tombstones_then_reset_once_purged(hub: HubDatabase) -> None:
    put(hub, "order", "SO-1", "SO-2")
    _, cursor, _ = pull(hub, None)
    with hub.write() as s:
        assert delete_records(s, "order", ["SO-1", "SO-9"]) == 1
    assert pull(hub, cursor)[0] == [(3, "SO-1", True)]
    # A fresh station does not get tombstones at all.
    assert pull(hub, None)[0] == [(2, "SO-2", False)]
    with hub.write() as s:
        assert purge_tombstones(s, utcnow() + timedelta(seconds=1)) == 1
    with pytest.raises(ResetRequired):
        pull(hub, cursor)
    _, fresh, _ = pull(hub, None)
    assert pull(hub, fresh)[0] == []


@BOTH
def test_cursors_of_another_or_restored_hub_need_a_reset(hub: HubDatabase) -> None:
    put(hub, "product", "A")
    _, cursor, _ = pull(hub, None)
    epoch, seq, base = decode_cursor(cursor)
    for bad in (
        encode_cursor("another-hub", seq, base),
        encode_cursor(epoch, seq + 5, base),
        "%%%",
    ):
        with pytest.raises(ResetRequired):
            pull(hub, bad)
    with hub.write() as s:
        s.execute(update(HubMeta).where(HubMeta.key == "epoch").values(value="restored"))
    with pytest.raises(ResetRequired):
        pull(hub, cursor)


@BOTH
def test_concurrent_writers_never_make_a_reader_skip(hub: HubDatabase) -> None:
    # Several writers commit while a reader follows the feed page by page: with the numbers
    # taken under the feed lock, the reader ends with every record, each seen once.
    def writer(n: int) -> None:
        for i in range(20):
            put(hub, "product", f"W{n}-{i}")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    seen: list[str] = []
    cursor = None
    while any(t.is_alive() for t in threads) or cursor is None:
        changes, cursor, _ = pull(hub, cursor, limit=7)
        seen.extend(k for _, k, _ in changes)
    for t in threads:
        t.join()
    while True:
        changes, cursor, more = pull(hub, cursor, limit=7)
        seen.extend(k for _, k, _ in changes)
        if not more:
            break
    assert sorted(seen) == sorted(f"W{n}-{i}" for n in range(4) for i in range(20))
    with hub.read() as s:
        seqs = [c.seq for c in pull_page(s, None, 1000).changes]
    assert seqs == list(range(1, 81))
    with hub.read() as s:
        assert (
            s.execute(select(HubMeta.value).where(HubMeta.key == "tombstone_horizon")).scalar_one()
            == "0"
        )
