"""The records of the change feed, as the hub writes them and the station reads them.

One shape per entity, keyed by its natural key (SKU, order number, user name, RMA number):
station and hub number their rows independently, so ids never travel. Unknown fields are
ignored, so a newer hub can add fields without breaking older stations.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from station.credentials import hash_badge

# What the station's SQLite can store, and only finite numbers: a 2**70 quantity failed the
# whole page with OverflowError, and an infinite weight would have reached the weight check.
Int64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
Finite = Annotated[float, Field(allow_inf_nan=False)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")


class BarcodeRecord(_Record):
    """A product barcode: the lookup key (GTIN-14 for GTINs) and the code as given."""

    code: str
    raw: str


class ComponentRecord(_Record):
    """A component of a kit."""

    sku: str
    quantity: Int64 = 1


class ProductRecord(_Record):
    """A product of the catalog."""

    sku: str
    name: str
    unit_weight_g: Finite | None = None
    length_mm: Finite | None = None
    width_mm: Finite | None = None
    height_mm: Finite | None = None
    tracking: str = "none"
    is_kit: bool = False
    category: str | None = None
    unit_value: Finite | None = None
    hs_code: str | None = None
    origin_country: str | None = None
    # What the packer reads at the scan; the picture travels apart, as a blob by its hash.
    instructions: str | None = None
    image_sha256: str | None = None
    confirm_instruction: bool = False
    hazmat: str | None = None
    barcodes: list[BarcodeRecord] = Field(default_factory=list)
    components: list[ComponentRecord] = Field(default_factory=list)


class ShipToRecord(_Record):
    """Delivery address (personal data: never logged)."""

    customer_name: str
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    street1: str = ""
    street2: str | None = None
    city: str = ""
    postcode: str = ""
    region: str | None = None
    country: str = ""


class OrderLineRecord(_Record):
    """One line of an order."""

    line_no: Int64
    sku: str
    quantity: Int64


class CustomsLineRecord(_Record):
    """A customs declaration line."""

    description: str
    hs_code: str
    origin_country: str
    quantity: Int64
    value: Finite
    currency: str
    weight_g: Finite | None = None


class OrderRecord(_Record):
    """An order as the hub sees it, including which station packed it."""

    number: str
    status: str = "open"
    tote: str | None = None
    channel: str = "web"
    priority: Int64 = 0
    ship_method: str = "standard"
    gift_note: str | None = None
    currency: str = "EUR"
    carrier: str | None = None
    tracking_number: str | None = None
    site: str | None = None  # None: the hub's default site
    ship_to: ShipToRecord | None = None
    lines: list[OrderLineRecord] = Field(default_factory=list)
    customs_lines: list[CustomsLineRecord] = Field(default_factory=list)
    packed_by: str | None = None
    packed_at: str | None = None


class UserRecord(_Record):
    """A person at the benches; PIN and badge travel only as their scrypt hashes.

    ``badge_tag`` is the badge's 16-bit lookup tag (``station.credentials``). ``badge_code``
    is read only from a hub of before the hashes (the station hashes it on arrival) and from
    the hub's own admin input (hashed before it is stored); the hub never sends it.
    """

    name: str
    role: str
    pin_hash: str | None = None
    badge_tag: str | None = None
    badge_hash: str | None = None
    badge_code: str | None = None
    active: bool = True
    # The sites whose stations receive this user (hub side); None: the default site only.
    sites: list[str] | None = None

    def hashed(self) -> UserRecord:
        """This record with a plaintext badge replaced by its tag and slow hash."""
        if not self.badge_code or not self.badge_code.strip():
            return self.model_copy(update={"badge_code": None})
        tag, slow = hash_badge(self.badge_code)
        return self.model_copy(update={"badge_code": None, "badge_tag": tag, "badge_hash": slow})


class RmaItemRecord(_Record):
    """One product expected back under a return authorisation."""

    sku: str
    quantity: Int64
    reason: str | None = None
    note: str | None = None


class RmaRecord(_Record):
    """A return authorisation (the shape ``station.returns.rmas.upsert_rmas`` applies)."""

    number: str
    order_number: str
    status: str = "open"
    return_label: str | None = None
    tracking_number: str | None = None
    note: str | None = None
    items: list[RmaItemRecord] = Field(default_factory=list)
    # Set when a bench created the RMA (a parcel that came without one).
    station: str | None = None
