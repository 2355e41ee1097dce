"""Central changes other than file imports: users, deletions, tombstone retention, tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.credentials import badge_matches
from station.hub.db import HubDatabase
from station.hub.feed import (
    delete_records,
    get_record,
    lock_feed,
    purge_tombstones,
    put_records,
)
from station.hub.models import HubRecord, utcnow
from station.hub.sites import check_site, check_sites
from station.hub.tokens import DEFAULT_CODE_TTL, new_enrol_code, revoke_tokens
from station.sync.records import UserRecord

DEFAULT_TOMBSTONE_RETENTION = timedelta(days=30)


def put_users(hub: HubDatabase, users: Iterable[UserRecord]) -> int:
    """Create or update users (a removed user is sent as inactive, see station.sync.pull).

    ``sites`` (checked; none: the default site) are where the user works: only those sites'
    stations receive the user, the others a tombstone. A plaintext badge is stored only as its
    tag and slow hash; a badge given to someone else is first taken from its previous holder,
    whose record goes out again without it, so a badge opens one person at every station.
    """
    given = list(users)
    codes = [u.badge_code.strip() for u in given if u.badge_code and u.badge_code.strip()]
    records = [u.hashed() for u in given]
    names = {r.name for r in records}
    with hub.write() as session:
        lock_feed(session)
        records = [r.model_copy(update={"sites": check_sites(session, r.sites)}) for r in records]
        taken = [
            r.model_copy(update={"badge_tag": None, "badge_hash": None})
            for r in _current_users(session)
            if r.name not in names
            and any(badge_matches(code, r.badge_tag, r.badge_hash) for code in codes)
        ]
        items = [(r.name, r.model_dump(exclude={"badge_code"})) for r in [*taken, *records]]
        return put_records(session, "user", items)


def set_user_sites(hub: HubDatabase, name: str, sites: list[str] | None) -> list[str] | None:
    """Move a user to ``sites`` (none: the default site); stations of the sites it leaves get
    its tombstone. Returns the sites as stored; KeyError if the hub has no such user."""
    with hub.write() as session:
        lock_feed(session)
        data = get_record(session, "user", name, for_update=True)
        if data is None:
            raise KeyError(name)
        stored = check_sites(session, sites)
        put_records(session, "user", [(name, {**data, "sites": stored})])
        return stored


def _current_users(session: Session) -> list[UserRecord]:
    data = session.scalars(
        select(HubRecord.data).where(HubRecord.entity == "user", HubRecord.deleted.is_(False))
    )
    return [UserRecord.model_validate(d) for d in data if d is not None]


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
