"""sites and shipping

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 04:00:00.000000

Sites (each station packs for one; the default site ``main`` is created so a single-site shop
configures nothing), and the shipping tables: label bytes by hash, shipments keyed by their
idempotency key, manifests.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sites = op.create_table(
        "hub_sites",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("ship_from", sa.JSON(), nullable=True),
        sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_hub_sites")),
    )
    op.bulk_insert(
        sites,
        [
            {
                "code": "main",
                "name": "Main site",
                "ship_from": None,
                "is_default": True,
                "created_at": datetime.now(UTC),
            }
        ],
    )
    with op.batch_alter_table("hub_stations") as batch:
        batch.add_column(sa.Column("site", sa.String(length=64), nullable=True))
    with op.batch_alter_table("hub_enrol_codes") as batch:
        batch.add_column(sa.Column("site", sa.String(length=64), nullable=True))
    op.create_table(
        "hub_labels",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_hub_labels")),
    )
    op.create_table(
        "hub_manifests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("site", sa.String(length=64), nullable=False),
        sa.Column("ship_date", sa.String(length=10), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_sha256"],
            ["hub_labels.sha256"],
            name=op.f("fk_hub_manifests_document_sha256_hub_labels"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_manifests")),
    )
    op.create_table(
        "hub_shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=False),
        sa.Column("site", sa.String(length=64), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("package_no", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("carrier", sa.String(length=32), nullable=True),
        sa.Column("service", sa.String(length=100), nullable=True),
        sa.Column("tracking_number", sa.String(length=64), nullable=True),
        sa.Column("shipment_identifier", sa.String(length=100), nullable=True),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("actual_weight_g", sa.Float(), nullable=False),
        sa.Column("billed_weight_g", sa.Float(), nullable=False),
        sa.Column("label_sha256", sa.String(length=64), nullable=True),
        sa.Column("label_format", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("manifest_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["label_sha256"],
            ["hub_labels.sha256"],
            name=op.f("fk_hub_shipments_label_sha256_hub_labels"),
        ),
        sa.ForeignKeyConstraint(
            ["manifest_id"],
            ["hub_manifests.id"],
            name=op.f("fk_hub_shipments_manifest_id_hub_manifests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_shipments")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_hub_shipments_idempotency_key")),
    )
    op.create_index(op.f("ix_hub_shipments_site"), "hub_shipments", ["site"])
    op.create_index(op.f("ix_hub_shipments_order_number"), "hub_shipments", ["order_number"])
    op.create_index(op.f("ix_hub_shipments_account"), "hub_shipments", ["account"])
    op.create_index(op.f("ix_hub_shipments_tracking_number"), "hub_shipments", ["tracking_number"])


def downgrade() -> None:
    op.drop_table("hub_shipments")
    op.drop_table("hub_manifests")
    op.drop_table("hub_labels")
    with op.batch_alter_table("hub_enrol_codes") as batch:
        batch.drop_column("site")
    with op.batch_alter_table("hub_stations") as batch:
        batch.drop_column("site")
    op.drop_table("hub_sites")
