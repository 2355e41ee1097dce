"""A hub write that need not be durable on its own commits without waiting for the disk; every
other write still does (SQLite's synchronous setting, PostgreSQL's synchronous_commit, per
transaction, on a real database)."""

from __future__ import annotations

from sqlalchemy import text

from tests.hub.hubfixtures import HubUnderTest
from tests.pgcluster import BOTH


@BOTH
def test_only_a_write_asked_not_to_be_durable_skips_the_wait_for_the_disk(
    hub: HubUnderTest,
) -> None:
    db = hub.db
    ask = "PRAGMA synchronous" if db.is_sqlite else "SHOW synchronous_commit"
    seen = []
    for durable in (True, False, True, False, False, True):
        with db.write(durable=durable) as s:
            seen.append(s.execute(text(ask)).scalar_one())
    # SQLite: FULL (2) and NORMAL (1). PostgreSQL: the server's setting (the test cluster
    # runs with synchronous_commit off for speed) and off.
    waits, skips = (2, 1) if db.is_sqlite else (seen[0], "off")
    assert seen == [waits, skips, waits, skips, skips, waits]
    if db.is_sqlite:
        with db.read() as s:
            assert s.execute(text(ask)).scalar_one() == waits
