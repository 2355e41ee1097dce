"""Central changes other than file imports: users, deletions, tombstone retention, tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from station.hub.db import HubDatabase
from station.hub.feed import delete_records, lock_feed, purge_tombstones, put_records
from station.hub.models import utcnow
from station.hub.sites import check_site
from station.hub.tokens import DEFAULT_CODE_TTL, new_enrol_code, revoke_tokens
from station.sync.records import UserRecord

DEFAULT_TOMBSTONE_RETENTION = timedelta(days=30)


def put_users(hub: HubDatabase, users: Iterable[UserRecord]) -> int:
    """Create or update users (a removed user is sent as inactive, see station.sync.pull)."""
    with hub.write() as session:
        lock_feed(session)
        return put_records(session, "user", [(u.name, u.model_dump()) for u in users])


def delete(hub: HubDatabase, entity: str, keys: Iterable[str]) -> int:
    """Delete records centrally (tombstones until the retention passes)."""
    with hub.write() as session:
        lock_feed(session)
        return delete_records(session, entity, keys)


def purge(hub: HubDatabase, retention: timedelta = DEFAULT_TOMBSTONE_RETENTION) -> int:
    """Drop tombstones older than ``retention``; older cursors will need a reset."""
    with hub.write() as session:
        return purge_tombstones(session, utcnow() - retention)


def enrol_code(
    hub: HubDatabase, station: str, ttl: timedelta = DEFAULT_CODE_TTL, site: str | None = None
) -> str:
    """A one-time enrolment code for ``station`` at ``site`` (SiteError if unknown)."""
    with hub.write() as session:
        if site is not None:
            check_site(session, site)
        return new_enrol_code(session, station, ttl, site)


def revoke(hub: HubDatabase, station: str) -> int:
    """Revoke every token of ``station``; its pushes and pulls are refused from now on."""
    with hub.write() as session:
        return revoke_tokens(session, station)
