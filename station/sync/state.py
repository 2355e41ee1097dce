"""What the station remembers about its hub, in the ``settings`` table.

The token is the station's credential: it is stored here (the hub keeps only its hash) and is
never printed or logged; ``Enrolment.__repr__`` leaves it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from station.db import Database
from station.db.engine import reader
from station.db.models import Setting

HUB_URL = "hub.url"
HUB_TOKEN = "hub.token"
HUB_STATION = "hub.station"
HUB_CA = "hub.ca"
CURSOR = "sync.cursor"
CLOCK_SKEW = "sync.clock_skew_s"
LAST_SUCCESS = "sync.last_success"


@dataclass(frozen=True)
class Enrolment:
    """The hub this station is enrolled with and its token (kept out of ``repr``)."""

    url: str
    station: str
    token: str = field(repr=False)
    ca: str | None = None


def get_setting(session: Session, key: str) -> str | None:
    """A setting's value, or None."""
    return session.execute(select(Setting.value).where(Setting.key == key)).scalar_one_or_none()


def set_setting(session: Session, key: str, value: str | None) -> None:
    """Store (or with None, remove) a setting in the caller's transaction."""
    if value is None:
        session.execute(delete(Setting).where(Setting.key == key))
        return
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def read_setting(db: Database, key: str) -> str | None:
    """A setting's value, read without taking the write lock."""
    with reader(db.engine).connect() as conn:
        value = conn.execute(select(Setting.value).where(Setting.key == key)).scalar_one_or_none()
        conn.rollback()
    return value


def load_enrolment(db: Database) -> Enrolment | None:
    """The stored enrolment, or None if this station never enrolled."""
    with reader(db.engine).connect() as conn:
        rows = dict(
            conn.execute(
                select(Setting.key, Setting.value).where(
                    Setting.key.in_((HUB_URL, HUB_TOKEN, HUB_STATION, HUB_CA))
                )
            ).all()
        )
        conn.rollback()
    if not (rows.get(HUB_URL) and rows.get(HUB_TOKEN) and rows.get(HUB_STATION)):
        return None
    return Enrolment(rows[HUB_URL], rows[HUB_STATION], rows[HUB_TOKEN], rows.get(HUB_CA))


def save_enrolment(db: Database, enrolment: Enrolment) -> None:
    """Store a new enrolment; the pull cursor of any earlier hub is forgotten."""
    with db.session() as session:
        set_setting(session, HUB_URL, enrolment.url)
        set_setting(session, HUB_STATION, enrolment.station)
        set_setting(session, HUB_TOKEN, enrolment.token)
        set_setting(session, HUB_CA, enrolment.ca)
        set_setting(session, CURSOR, None)
        session.commit()
