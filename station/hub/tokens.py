"""Enrolment codes and station tokens: random, stored only as SHA-256, revocable.

A code is typed by a person, so it is short (80 bits, base32 in groups) but single-use and
short-lived. A token is 256 random bits kept by the station; the hub stores its SHA-256 and
compares digests, so a copy of the hub's database lets nobody push as a station.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from station.hub.models import HubEnrolCode, HubStation, HubToken, utcnow

CODE_BYTES = 10
TOKEN_BYTES = 32
DEFAULT_CODE_TTL = timedelta(hours=24)


class EnrolError(Exception):
    """An enrolment was refused; ``code`` names the reason for the protocol."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class StationRef:
    """The station a token belongs to."""

    id: int
    name: str


def sha256_hex(text: str) -> str:
    """Hex SHA-256 of a UTF-8 string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normal_code(code: str) -> str:
    # People type codes with or without the dashes, in any case.
    return code.replace("-", "").replace(" ", "").upper()


def new_enrol_code(
    session: Session, station: str, ttl: timedelta = DEFAULT_CODE_TTL, site: str | None = None
) -> str:
    """A fresh one-time code for ``station`` at ``site`` (None: default); only its hash is kept."""
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")
    now = utcnow()
    session.add(
        HubEnrolCode(
            code_sha256=sha256_hex(raw),
            station_name=station,
            site=site,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def code_is_usable(session: Session, code: str, station: str) -> bool:
    """True if ``code`` would enrol ``station`` now (a read: no lock, nothing spent)."""
    row = session.execute(
        select(HubEnrolCode).where(HubEnrolCode.code_sha256 == sha256_hex(_normal_code(code)))
    ).scalar_one_or_none()
    return (
        row is not None
        and row.used_at is None
        and _aware(row.expires_at) >= utcnow()
        and row.station_name == station
    )


def enrol(session: Session, code: str, station: str) -> str:
    """Exchange a code for a new token of ``station``; earlier tokens of it are revoked."""
    row = session.execute(
        select(HubEnrolCode)
        .where(HubEnrolCode.code_sha256 == sha256_hex(_normal_code(code)))
        .with_for_update()
    ).scalar_one_or_none()
    now = utcnow()
    if row is None or row.used_at is not None:
        raise EnrolError("invalid_code", "unknown or already used enrolment code")
    if _aware(row.expires_at) < now:
        raise EnrolError("expired_code", "the enrolment code has expired; ask for a new one")
    if row.station_name != station:
        # The code is not spent: the right station can still use it.
        raise EnrolError(
            "station_mismatch",
            f"this code is for station {row.station_name!r}, not {station!r}",
        )
    row.used_at = now
    found = session.execute(
        select(HubStation).where(HubStation.name == station)
    ).scalar_one_or_none()
    if found is None:
        found = HubStation(name=station, last_seq=0, created_at=now)
        session.add(found)
        session.flush()
    # Enrolling again (with a code for another site) moves the station there.
    found.site = row.site
    revoke_tokens(session, station)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(HubToken(station_id=found.id, token_sha256=sha256_hex(token), created_at=now))
    return token


def revoke_tokens(session: Session, station: str) -> int:
    """Revoke every live token of ``station``; returns how many."""
    ids = select(HubStation.id).where(HubStation.name == station).scalar_subquery()
    live = list(
        session.scalars(
            select(HubToken).where(HubToken.station_id == ids, HubToken.revoked_at.is_(None))
        )
    )
    now = utcnow()
    for token in live:
        token.revoked_at = now
    return len(live)


def authenticate(session: Session, token: str) -> StationRef | None:
    """The station of a live token, or None."""
    row = session.execute(
        select(HubStation.id, HubStation.name)
        .join(HubToken, HubToken.station_id == HubStation.id)
        .where(HubToken.token_sha256 == sha256_hex(token), HubToken.revoked_at.is_(None))
    ).first()
    return None if row is None else StationRef(int(row[0]), str(row[1]))


def is_revoked(session: Session, token: str) -> bool:
    """True when ``token`` was a token of this hub and has been revoked (to say so in a 401)."""
    row = session.execute(
        select(HubToken.id).where(
            HubToken.token_sha256 == sha256_hex(token), HubToken.revoked_at.is_not(None)
        )
    ).first()
    return row is not None


def touch_station(session: Session, station_id: int) -> None:
    """Remember when a station was last heard from."""
    session.execute(
        update(HubStation).where(HubStation.id == station_id).values(last_seen_at=utcnow())
    )


def _aware(moment: datetime) -> datetime:
    # SQLite gives naive datetimes back even for timezone=True columns; they were UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
