"""The hub's shipping tables: bought shipments, label bytes by hash, manifests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from station.hub.models import HubBase, utcnow


class HubLabel(HubBase):
    """Label (or manifest) bytes as the carrier gave them, stored once under their SHA-256."""

    __tablename__ = "hub_labels"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    format: Mapped[str] = mapped_column(String(8))  # zpl | pdf
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HubShipment(HubBase):
    """One package's bought label; ``idempotency_key`` makes a replayed buy answer this row."""

    __tablename__ = "hub_shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    # SHA-256 of the request as first made: the same key with another request is refused.
    request_sha256: Mapped[str] = mapped_column(String(64))
    station: Mapped[str] = mapped_column(String(64))
    site: Mapped[str] = mapped_column(String(64), index=True)
    order_number: Mapped[str] = mapped_column(String(64), index=True)
    package_no: Mapped[int] = mapped_column(Integer)
    account: Mapped[str] = mapped_column(String(64), index=True)
    carrier: Mapped[str | None] = mapped_column(String(32))
    service: Mapped[str | None] = mapped_column(String(100))
    tracking_number: Mapped[str | None] = mapped_column(String(64), index=True)
    shipment_identifier: Mapped[str | None] = mapped_column(String(100))
    price: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    actual_weight_g: Mapped[float] = mapped_column(Float)
    billed_weight_g: Mapped[float] = mapped_column(Float)
    label_sha256: Mapped[str | None] = mapped_column(ForeignKey("hub_labels.sha256"))
    label_format: Mapped[str | None] = mapped_column(String(8))
    # buying (a carrier call under way; the row holds the key) | bought | voided
    status: Mapped[str] = mapped_column(String(16))
    manifest_id: Mapped[int | None] = mapped_column(ForeignKey("hub_manifests.id"))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HubManifest(HubBase):
    """An end-of-day close-out (USPS SCAN form, ...) of one carrier account at one site."""

    __tablename__ = "hub_manifests"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(64))
    site: Mapped[str] = mapped_column(String(64))
    ship_date: Mapped[str] = mapped_column(String(10))
    document_sha256: Mapped[str | None] = mapped_column(ForeignKey("hub_labels.sha256"))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
