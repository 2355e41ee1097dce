"""ORM models of the station's local database (SQLAlchemy 2.x, typed).

Personal data (customer and ship-to) lives in ``ship_to`` only, so that a purge deletes those
rows and leaves orders, scans and packages intact. Times are UTC; device time is data.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# A naming convention makes Alembic's batch mode (SQLite table rebuilds) able to find and
# re-create constraints by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current UTC time, timezone-aware."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(cls: type[enum.Enum]) -> Enum:
    # Store the value (readable in SQL and stable if a member is renamed); no CHECK constraint
    # so that adding a member needs no table rebuild on SQLite.
    return Enum(
        cls,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        create_constraint=False,
        length=24,
    )


class Tracking(enum.StrEnum):
    """What has to be captured for each unit of a product."""

    NONE = "none"
    SERIAL = "serial"
    LOT = "lot"
    LOT_EXPIRY = "lot_expiry"


class OrderStatus(enum.StrEnum):
    """Life of an order at the station."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"
    PACKED = "packed"
    SHIPPED = "shipped"


class Role(enum.StrEnum):
    """What a user may do."""

    PACKER = "packer"
    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class SessionStatus(enum.StrEnum):
    """State of a pack session."""

    OPEN = "open"
    PARKED = "parked"
    COMPLETED = "completed"


class PackageStatus(enum.StrEnum):
    """State of a package (a box) within a pack session."""

    OPEN = "open"
    CLOSED = "closed"


class OutboxStatus(enum.StrEnum):
    """State of an outbox event in the sync protocol."""

    PENDING = "pending"
    ACKED = "acked"
    REJECTED = "rejected"


class Product(Base):
    """A sellable item: SKU, barcodes, weight, dimensions and what to capture per unit."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_weight_g: Mapped[float | None] = mapped_column(Float)
    length_mm: Mapped[float | None] = mapped_column(Float)
    width_mm: Mapped[float | None] = mapped_column(Float)
    height_mm: Mapped[float | None] = mapped_column(Float)
    tracking: Mapped[Tracking] = mapped_column(_enum(Tracking), default=Tracking.NONE)
    is_kit: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str | None] = mapped_column(String(64))
    unit_value: Mapped[float | None] = mapped_column(Numeric(12, 2, asdecimal=False))
    hs_code: Mapped[str | None] = mapped_column(String(16))
    origin_country: Mapped[str | None] = mapped_column(String(2))
    # A weight learned from verified packs (the catalog gave none): used, but flagged for
    # review until someone confirms it.
    weight_estimated: Mapped[bool] = mapped_column(Boolean, server_default=false())
    weight_samples: Mapped[int] = mapped_column(Integer, server_default="0")
    # Per-product tolerance overrides of the [weight] settings (None = the station default).
    weight_tolerance_g: Mapped[float | None] = mapped_column(Float)
    weight_tolerance_pct: Mapped[float | None] = mapped_column(Float)
    # What the packer reads at the scan (issue 18): instructions, a picture (``ProductImage``)
    # and whether they must be confirmed before the package completes; a hazmat UN number.
    instructions: Mapped[str | None] = mapped_column(Text)
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    confirm_instruction: Mapped[bool] = mapped_column(Boolean, server_default=false())
    hazmat: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    barcodes: Mapped[list[ProductBarcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )
    components: Mapped[list[KitComponent]] = relationship(
        foreign_keys="KitComponent.kit_id", cascade="all, delete-orphan"
    )


class ProductBarcode(Base):
    """One barcode of a product. ``code`` is the lookup key: GTIN-14 for any GTIN form."""

    __tablename__ = "product_barcodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed: an open order reads each line's barcode by product.
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(128), unique=True)
    raw: Mapped[str] = mapped_column(String(128))

    product: Mapped[Product] = relationship(back_populates="barcodes")


class ProductImage(Base):
    """A product's picture, by the SHA-256 of its bytes (PNG or JPEG, size-limited on import)."""

    __tablename__ = "product_images"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class KitComponent(Base):
    """A component of a kit product and how many of it one kit holds."""

    __tablename__ = "kit_components"
    __table_args__ = (UniqueConstraint("kit_id", "component_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kit_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    component_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer, default=1)


class ShipTo(Base):
    """Customer and delivery address: the only personal data, purgeable on its own."""

    __tablename__ = "ship_to"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(64))
    company: Mapped[str | None] = mapped_column(String(200))
    street1: Mapped[str] = mapped_column(String(200), default="")
    street2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(32), default="")
    region: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="")


class Order(Base):
    """An order to pack: header, lines, customs lines and an optional carrier label."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    tote: Mapped[str | None] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(64), default="web")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[OrderStatus] = mapped_column(
        _enum(OrderStatus), default=OrderStatus.OPEN, index=True
    )
    ship_method: Mapped[str] = mapped_column(String(64), default="standard")
    gift_note: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    ship_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("ship_to.id", ondelete="SET NULL"), index=True
    )
    carrier: Mapped[str | None] = mapped_column(String(64))
    service: Mapped[str | None] = mapped_column(String(100))  # the carrier's, as imported
    tracking_number: Mapped[str | None] = mapped_column(String(64))
    # The hub's site the order ships from (None: the default site); the hub sends a station
    # only its own site's orders, so the station keeps it as given, for the record.
    site: Mapped[str | None] = mapped_column(String(64))
    carrier_label_format: Mapped[str | None] = mapped_column(String(8))  # "zpl" | "pdf"
    carrier_label_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.line_no"
    )
    customs_lines: Mapped[list[CustomsLine]] = relationship(cascade="all, delete-orphan")
    ship_to: Mapped[ShipTo | None] = relationship()


class OrderLine(Base):
    """One product and the quantity expected of it in an order."""

    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()


class CustomsLine(Base):
    """A customs declaration line of a cross-border order (CN22/CN23)."""

    __tablename__ = "customs_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    hs_code: Mapped[str] = mapped_column(String(16))
    origin_country: Mapped[str] = mapped_column(String(2))
    quantity: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Numeric(12, 2, asdecimal=False))
    currency: Mapped[str] = mapped_column(String(3))
    weight_g: Mapped[float | None] = mapped_column(Float)


class BoxType(Base):
    """A box the bench stocks: inner dimensions, tare and the most it may weigh."""

    __tablename__ = "box_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    inner_length_mm: Mapped[float] = mapped_column(Float)
    inner_width_mm: Mapped[float] = mapped_column(Float)
    inner_height_mm: Mapped[float] = mapped_column(Float)
    tare_g: Mapped[float] = mapped_column(Float)
    max_weight_g: Mapped[float] = mapped_column(Float)


class User(Base):
    """A person at the bench: role, and the slow hashes of PIN and badge (never the codes).

    ``badge_tag`` is the badge's 16-bit lookup tag (``station.credentials``): it narrows a
    sign-in to the few users sharing it, and identifies no badge.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    badge_tag: Mapped[str | None] = mapped_column(String(8), index=True)
    badge_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PackSession(Base):
    """One packer packing one order; ``pending`` holds what the next scan must supply."""

    __tablename__ = "pack_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(64))
    status: Mapped[SessionStatus] = mapped_column(
        _enum(SessionStatus), default=SessionStatus.OPEN, index=True
    )
    # Pending capture (serial/lot awaited for a scanned unit) and a pending quantity
    # multiplier, persisted in the scan's transaction so a restart resumes exactly.
    pending: Mapped[dict[str, object] | None] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Package(Base):
    """A box within a pack session, numbered from 1."""

    __tablename__ = "packages"
    __table_args__ = (UniqueConstraint("session_id", "seq_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("pack_sessions.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    seq_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[PackageStatus] = mapped_column(_enum(PackageStatus), default=PackageStatus.OPEN)
    box_type_id: Mapped[int | None] = mapped_column(ForeignKey("box_types.id"))
    sscc: Mapped[str | None] = mapped_column(String(18))
    weight_g: Mapped[float | None] = mapped_column(Float)
    expected_weight_g: Mapped[float | None] = mapped_column(Float)
    # "pending" until weighed; "pass", "fail" or "override" (a supervisor accepted a mismatch).
    weight_status: Mapped[str] = mapped_column(String(16), server_default="pending")
    label_confirmed: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WeightReading(Base):
    """A weight taken of a package, what was expected and what was decided."""

    __tablename__ = "weight_readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # None when the scale gave a state (moving, overload...) instead of a weight.
    weight_g: Mapped[float | None] = mapped_column(Float)
    scale_state: Mapped[str] = mapped_column(String(16))
    raw: Mapped[str] = mapped_column(Text, default="")
    expected_g: Mapped[float | None] = mapped_column(Float)
    tolerance_g: Mapped[float | None] = mapped_column(Float)
    # "pass", "fail", "override", "unstable", "scan_check" (scale-confirmed scan mode)...
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WeightHistory(Base):
    """The weight of a verified package by its SKU set and box (``station.packing.history``)."""

    __tablename__ = "weight_history"
    __table_args__ = (Index("ix_weight_history_set_box", "signature", "box", "package_id"),)

    package_id: Mapped[int] = mapped_column(
        ForeignKey("packages.id", ondelete="CASCADE"), primary_key=True
    )
    signature: Mapped[str] = mapped_column(String(500))  # "SKU-A*1|SKU-B*2", SKUs sorted
    box: Mapped[str] = mapped_column(String(40))  # the box type's code, "net" or "unscanned"
    weight_g: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Photo(Base):
    """A photo stored on disk under its SHA-256; the database keeps the hash and the context."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # completion, exception, return, ...
    path: Mapped[str] = mapped_column(String(300))  # relative to the photo folder
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PrintJobStatus(enum.StrEnum):
    """Life of a print job."""

    QUEUED = "queued"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"


class PrintJob(Base):
    """A label or document to print; a row until it is done, never lost, never sent twice.

    ``job_key`` names what the job is for (``"package:12:shipping"``); a second job with the
    same key is refused unless it is an operator's explicit reprint (``copy`` > 1).
    """

    __tablename__ = "print_jobs"
    __table_args__ = (UniqueConstraint("job_key", "copy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_key: Mapped[str] = mapped_column(String(128))
    copy: Mapped[int] = mapped_column(Integer, default=1)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id"), index=True)
    template: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))  # zpl, escpos, pdf
    printer: Mapped[str] = mapped_column(String(200))  # URL or queue name
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[PrintJobStatus] = mapped_column(
        _enum(PrintJobStatus), default=PrintJobStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CarrierLabel(Base):
    """A package's carrier label from the hub: ``awaiting`` until bought, then ``bought``
    with what the carrier billed and its tracking number (``refused``: the hub said why)."""

    __tablename__ = "carrier_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"), unique=True)
    order_number: Mapped[str] = mapped_column(String(64))
    package_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)  # awaiting, bought, refused
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    override_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    carrier: Mapped[str | None] = mapped_column(String(32))
    service: Mapped[str | None] = mapped_column(String(100))
    price: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    actual_weight_g: Mapped[float | None] = mapped_column(Float)
    billed_weight_g: Mapped[float | None] = mapped_column(Float)
    tracking_number: Mapped[str | None] = mapped_column(String(64))
    label_format: Mapped[str | None] = mapped_column(String(8))
    label: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The packer's choice of rate (migration 0011); None: the rule's choice is bought.
    chosen_account: Mapped[str | None] = mapped_column(String(64))
    chosen_service: Mapped[str | None] = mapped_column(String(100))
    chosen_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A multi-piece shipment's master tracking number, and the order's package count.
    master_tracking_number: Mapped[str | None] = mapped_column(String(64))
    package_count: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Scan(Base):
    """Every scan, whatever its verdict: raw data, what it meant and what was decided."""

    __tablename__ = "scans"
    __table_args__ = (Index("ix_scans_product_serial", "product_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("pack_sessions.id"), index=True)
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(64))
    raw: Mapped[str] = mapped_column(Text)
    symbology: Mapped[str | None] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(24))
    interpretation: Mapped[dict[str, object]] = mapped_column(JSON)
    verdict: Mapped[str] = mapped_column(String(32))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"))
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    serial: Mapped[str | None] = mapped_column(String(64))
    lot: Mapped[str | None] = mapped_column(String(64))
    expiry: Mapped[date | None] = mapped_column(Date)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PackException(Base):
    """A short-ship, damage or other exception, with who asked and who approved it."""

    __tablename__ = "exceptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("pack_sessions.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"))
    kind: Mapped[str] = mapped_column(String(32))
    reason_code: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """Append-only record of who did what (overrides, approvals, settings, imports)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str | None] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, object] | None] = mapped_column(JSON)


class OutboxEvent(Base):
    """An event for the hub, written in the same transaction as the business row.

    ``station_seq`` is gap-free per station (taken from ``counters`` under the write lock);
    ``event_id`` is a UUIDv7 the hub uses for idempotency.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    station_seq: Mapped[int] = mapped_column(Integer, unique=True)
    type: Mapped[str] = mapped_column(String(64))
    schema_version: Mapped[int] = mapped_column(Integer, default=1)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    blob_hashes: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[OutboxStatus] = mapped_column(
        _enum(OutboxStatus), default=OutboxStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    rejected_code: Mapped[str | None] = mapped_column(String(64))
    device_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Counter(Base):
    """Named monotonic counters (the outbox ``station_seq``)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Setting(Base):
    """Station-local key/value state (station name, enrolment)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- returns (migration 0004) ----------------------------------------------------------------

# Returns are found by the outbound tracking number printed on the parcel the customer reuses.
Index("ix_orders_tracking_number", Order.tracking_number)
# The inspection screen reads what went into each shipped package (station.evidence).
Index("ix_scans_package_id", Scan.package_id)


class RmaSource(enum.StrEnum):
    """Where a return authorisation came from."""

    HUB = "hub"
    BENCH = "bench"  # a parcel arrived without one and the inspector created it


class RmaStatus(enum.StrEnum):
    """Life of a return authorisation at the station."""

    OPEN = "open"
    RECEIVING = "receiving"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class Rma(Base):
    """A return authorisation: the order it returns, how the parcel is labelled, what to expect.

    ``order_number`` is kept as the hub sent it, so an RMA can arrive before its order does;
    the customer's name is never copied here (personal data stays in ``ship_to``).
    """

    __tablename__ = "rmas"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    # SET NULL: an order the hub withdraws may go; the RMA keeps its number.
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="SET NULL"), index=True
    )
    order_number: Mapped[str | None] = mapped_column(String(64), index=True)
    return_label: Mapped[str | None] = mapped_column(String(64), index=True)
    tracking_number: Mapped[str | None] = mapped_column(String(64), index=True)
    source: Mapped[RmaSource] = mapped_column(_enum(RmaSource), default=RmaSource.HUB)
    status: Mapped[RmaStatus] = mapped_column(_enum(RmaStatus), default=RmaStatus.OPEN, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    items: Mapped[list[RmaItem]] = relationship(
        back_populates="rma", cascade="all, delete-orphan", order_by="RmaItem.line_no"
    )


class RmaItem(Base):
    """A product and quantity the customer said they return, with their stated reason."""

    __tablename__ = "rma_items"
    __table_args__ = (UniqueConstraint("rma_id", "line_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    # None when the SKU is not (yet) in the local catalog; ``sku`` keeps what was stated.
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str | None] = mapped_column(Text)

    rma: Mapped[Rma] = relationship(back_populates="items")


class InspectionStatus(enum.StrEnum):
    """State of an inspection session."""

    OPEN = "open"
    COMPLETED = "completed"


class Inspection(Base):
    """One inspector opening one RMA's parcel; ``pending`` holds what the next scan must supply."""

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(64))
    status: Mapped[InspectionStatus] = mapped_column(
        _enum(InspectionStatus), default=InspectionStatus.OPEN, index=True
    )
    pending: Mapped[dict[str, object] | None] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReturnScan(Base):
    """Every scan at the returns bench, whatever its verdict (pack scans live in ``scans``)."""

    __tablename__ = "return_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(64))
    raw: Mapped[str] = mapped_column(Text)
    symbology: Mapped[str | None] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(24))
    interpretation: Mapped[dict[str, object]] = mapped_column(JSON)
    verdict: Mapped[str] = mapped_column(String(32))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    serial: Mapped[str | None] = mapped_column(String(64))
    lot: Mapped[str | None] = mapped_column(String(64))
    expiry: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReturnItemStatus(enum.StrEnum):
    """Life of one returned unit on the bench."""

    RECEIVED = "received"
    ASSESSED = "assessed"  # graded, disposition recommended (or overridden)
    DISPOSED = "disposed"  # final: tagged, restocked if so decided
    UNDONE = "undone"  # taken back (a scan made by mistake)
    HELD = "held"  # arrived, set aside with a reason (e.g. a photo no camera here could take)


class ReturnItem(Base):
    """One unit that came back: what it was judged to be, its grade, disposition and refund.

    ``recommended`` keeps what the rules said when the inspector overrode them, so the audit
    trail shows both.
    """

    __tablename__ = "return_items"
    __table_args__ = (Index("ix_return_items_product_serial", "product_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id"), index=True)
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("return_scans.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str | None] = mapped_column(String(64))
    order_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("order_lines.id", ondelete="SET NULL")
    )
    rma_item_id: Mapped[int | None] = mapped_column(ForeignKey("rma_items.id"))
    verdict: Mapped[str] = mapped_column(String(32))
    serial: Mapped[str | None] = mapped_column(String(64))
    lot: Mapped[str | None] = mapped_column(String(64))
    expiry: Mapped[date | None] = mapped_column(Date)
    fraud: Mapped[bool] = mapped_column(Boolean, server_default=false())
    fraud_reason: Mapped[str | None] = mapped_column(Text)
    customer_reason: Mapped[str | None] = mapped_column(String(64))
    observed_reason: Mapped[str | None] = mapped_column(String(64))
    checklist: Mapped[dict[str, object] | None] = mapped_column(JSON)
    grade: Mapped[str | None] = mapped_column(String(8))
    notes: Mapped[str | None] = mapped_column(Text)
    disposition: Mapped[str | None] = mapped_column(String(24))
    rule: Mapped[str | None] = mapped_column(String(64))
    refund: Mapped[str | None] = mapped_column(String(8))  # full | partial | none
    refund_pct: Mapped[int | None] = mapped_column(Integer)
    recommended: Mapped[dict[str, object] | None] = mapped_column(JSON)
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hold_reason: Mapped[str | None] = mapped_column(Text)  # why it was set aside (held)
    status: Mapped[ReturnItemStatus] = mapped_column(
        _enum(ReturnItemStatus), default=ReturnItemStatus.RECEIVED, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReturnItemPhoto(Base):
    """A photo (``photos`` row, kind ``return``) taken of a returned unit."""

    __tablename__ = "return_item_photos"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("return_items.id", ondelete="CASCADE"), primary_key=True
    )
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id"), primary_key=True)


class Stock(Base):
    """The station's own count of sellable units per product (returns put units back)."""

    __tablename__ = "stock"

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- shift dashboard (migration 0005) --------------------------------------------------------

# station.dashboard reads a day or a week by time: a range on each of these, never a table scan.
Index("ix_pack_sessions_ended_at", PackSession.ended_at)
Index("ix_scans_created_at", Scan.created_at)
Index("ix_exceptions_created_at", PackException.created_at)
Index("ix_weight_readings_created_at", WeightReading.created_at)
Index("ix_packages_closed_at", Package.closed_at)
Index("ix_return_items_created_at", ReturnItem.created_at)


class PackInsert(Base):
    """An insert (flyer, sample) a pack called for: ``added`` when the packer confirmed it,
    ``missing`` when the package completed without it (recorded, never blocking)."""

    __tablename__ = "pack_inserts"
    __table_args__ = (UniqueConstraint("session_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("pack_sessions.id"))
    code: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # added, missing
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class InsertStock(Base):
    """How many of an insert the bench holds: counted down as packers add them."""

    __tablename__ = "insert_stock"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
