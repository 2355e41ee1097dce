"""Shipping messages between a station and its hub (JSON over HTTP), shared by both sides."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from station.sync.records import CustomsLineRecord, ShipToRecord

RATES = "/v1/ship/rates"
BUY = "/v1/ship/buy"
VOID = "/v1/ship/void"
LABEL = "/v1/ship/label"
MANIFEST = "/v1/ship/manifest"
CARRIERS = "/v1/ship/carriers"
RULES = "/v1/ship/rules"

Weight = Field(gt=0, le=1_000_000, allow_inf_nan=False)
Side = Field(gt=0, le=10_000, allow_inf_nan=False)


class PackageRequest(BaseModel):
    """One weighed package of an order, as the station knows it."""

    order_number: str = Field(min_length=1, max_length=64)
    package_no: int = Field(ge=1, le=999)
    weight_g: float = Weight
    dims_mm: tuple[float, float, float] | None = None
    ship_to: ShipToRecord
    ship_method: str = Field(default="standard", max_length=64)
    hazmat: bool = False
    customs_lines: list[CustomsLineRecord] = Field(default_factory=list, max_length=200)


class Rate(BaseModel):
    """A carrier's price for the package, with the weights it is billed on."""

    account: str
    carrier: str
    service: str
    service_name: str | None = None
    price: float
    currency: str
    transit_days: int | None = None
    actual_weight_g: float
    dim_weight_g: float
    billed_weight_g: float


class CarrierProblem(BaseModel):
    """Why one account gave no rate (the others still answer)."""

    account: str
    carrier: str
    code: str
    message: str


class RatesResponse(BaseModel):
    """Rates from every account of the station's site, cheapest first, and the rule's pick."""

    rates: list[Rate]
    problems: list[CarrierProblem]
    chosen: Rate | None = None


class Piece(BaseModel):
    """Another weighed package of the same order, with the idempotency key of its own buy."""

    package_no: int = Field(ge=1, le=999)
    weight_g: float = Weight
    dims_mm: tuple[float, float, float] | None = None
    idempotency_key: str = Field(min_length=8, max_length=128)


class BuyRequest(PackageRequest):
    """Buy a label: ``idempotency_key`` makes a retried or replayed buy answer the same label.

    ``pieces``: the order's other weighed packages. Where the carrier ships master and child
    (UPS), the hub buys them with this one in one shipment, each under its own key: their own
    buys then answer the stored label. Other carriers buy this package alone.
    """

    idempotency_key: str = Field(min_length=8, max_length=128)
    pieces: list[Piece] = Field(default_factory=list, max_length=99)
    account: str | None = Field(default=None, max_length=64)  # None: the rule's choice
    service: str | None = Field(default=None, max_length=100)
    label_format: Literal["zpl", "pdf"] = "zpl"
    dpi: Literal[203, 300] = 203


class Shipment(BaseModel):
    """A bought label (its bytes at ``/v1/ship/label/{order}/{package}``)."""

    order_number: str
    package_no: int
    account: str
    carrier: str
    service: str
    tracking_number: str
    price: float | None
    currency: str | None
    actual_weight_g: float
    billed_weight_g: float
    label_sha256: str
    label_format: str
    status: str
    manifested: bool = False
    replayed: bool = False
    # A multi-piece shipment's master tracking number (FedEx, UPS, DHL Express ship the
    # packages of one order under a master with one child tracking number per package).
    master_tracking_number: str | None = None


class VoidRequest(BaseModel):
    """Void the label of one package."""

    order_number: str = Field(min_length=1, max_length=64)
    package_no: int = Field(ge=1, le=999)


class ManifestRequest(BaseModel):
    """Close out one account's labels of a day (the hub's date, UTC, when left out)."""

    account: str = Field(min_length=1, max_length=64)
    date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")


class Manifest(BaseModel):
    """A manifest made: its number, the labels it holds, its document's hash."""

    id: int
    account: str
    site: str
    date: str
    tracking_numbers: list[str]
    manifest_number: str | None
    document_sha256: str | None


class CarrierInfo(BaseModel):
    """An account as a station may see it: never a credential."""

    name: str
    carrier: str
    site: str | None
    emulated: bool
    credential_keys: list[str]


class DimSpec(BaseModel):
    """One carrier's DIM rule: divisor (in³/lb imperial, cm³/kg metric) and rounding."""

    divisor: float = Field(gt=0, allow_inf_nan=False)
    imperial: bool
    min_volume: float = Field(default=0.0, ge=0, allow_inf_nan=False)


class ShipRules(BaseModel):
    """What a station needs of its hub's rules: the DIM rule of each carrier of its site
    (the box suggestion weighs billed weight with them)."""

    dim: dict[str, DimSpec]
