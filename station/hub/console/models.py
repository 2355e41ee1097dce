"""The console's tables in the hub database: users, sessions, audit trail, checks and reports.

Console users are kept apart from the station users of the change feed (``hub_records`` with
entity ``user``): those are pushed to every bench with their PIN and badge hashes, and a
console password must never travel there. A console user has a name, one role and a
password kept only as a salted scrypt hash (``station.credentials``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from station.hub.models import HubBase, utcnow

ROLES = ("admin", "supervisor", "customer_service")


class ConsoleUser(HubBase):
    """A person who signs in to the console: a role, a password hash and the lockout state."""

    __tablename__ = "hub_console_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConsoleSession(HubBase):
    """A signed-in browser: the cookie's SHA-256 (never the cookie) and its CSRF token."""

    __tablename__ = "hub_console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("hub_console_users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConsoleAudit(HubBase):
    """One thing a console user saw or did (a view of evidence, a sign-in, a resolution)."""

    __tablename__ = "hub_console_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)


class DeadLetterResolution(HubBase):
    """A supervisor looked at a rejected event (a dead letter) and closed it, saying why."""

    __tablename__ = "hub_dead_letter_resolutions"

    event_id: Mapped[int] = mapped_column(ForeignKey("hub_events.id"), primary_key=True)
    resolved_by: Mapped[str] = mapped_column(String(64))
    resolved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)


class CarrierCheck(HubBase):
    """A carrier account tested from the console: asked for a rate, and what it answered.

    Only the outcome is kept (how many rates, or the carrier's refusal as the shipping
    service words it, which never holds a credential).
    """

    __tablename__ = "hub_carrier_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(64), index=True)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    checked_by: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str | None] = mapped_column(Text)


class StationReportRow(HubBase):
    """The latest report a station sent with its pull: device states, queue, last failure."""

    __tablename__ = "hub_station_reports"

    station_id: Mapped[int] = mapped_column(ForeignKey("hub_stations.id"), primary_key=True)
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
