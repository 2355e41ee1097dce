"""A hub with carrier accounts pointed at the carrier emulator, and a station token for it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from station.hub.admin import enrol_code
from station.hub.app import create_app
from station.hub.context import HubContext
from station.hub.db import HubDatabase
from station.hub.shipping.accounts import CarrierAccount
from station.hub.shipping.config import ShippingConfig
from station.hub.sites import put_site
from station.tools.carrier_emulator import CarrierEmulator
from station.tools.carrier_emulator.accounts import emulated_account
from tests.hub.server import running_hub

SECRET = "s3cr3t-never-shown"
SHIP_FROM = {
    "name": "Pack Station Shop",
    "company": "Pack Station Inc",
    "street1": "1098 N Fraser Street",
    "city": "Georgetown",
    "postcode": "29440",
    "region": "SC",
    "country": "US",
    "phone": "8005554526",
}
SHIP_TO = {
    "customer_name": "Lina Smith",
    "street1": "1309 S Agnew Avenue",
    "city": "Oklahoma City",
    "postcode": "73108",
    "region": "OK",
    "country": "US",
    "phone": "4055550100",
}


DE_SHIP_FROM = {
    "name": "Pack Station Lager",
    "company": "Pack Station GmbH",
    "street1": "Lagerstraße 12",
    "city": "Berlin",
    "postcode": "10115",
    "country": "DE",
    "phone": "+4930123456",
}
FR_SHIP_TO = {
    "customer_name": "Camille Martin",
    "street1": "Rue de Rivoli 12",
    "city": "Paris",
    "postcode": "75001",
    "country": "FR",
    "phone": "+33612345678",
}
DE_SHIP_TO = {
    "customer_name": "Jonas Becker",
    "street1": "Mönckebergstraße 7",
    "city": "Hamburg",
    "postcode": "20095",
    "country": "DE",
    "phone": "+4940123456",
}


def carrier_account(
    carrier: str, url: str, name: str | None = None, site: str | None = None
) -> CarrierAccount:
    """An account of ``carrier`` whose connector talks to the emulator at ``url``."""
    return emulated_account(carrier, url, name, site, secret=SECRET)


def usps_account(name: str, url: str, site: str | None = None) -> CarrierAccount:
    """A USPS account whose connector talks to the emulator at ``url``."""
    return CarrierAccount(
        name=name,
        carrier="usps",
        site=site,
        server_url=url,
        credentials={"client_id": f"id-{name}", "client_secret": SECRET, "account_number": "1"},
    )


@dataclass
class ShipHub:
    """A running hub with shipping, its emulator and an enrolled station's HTTP client."""

    url: str
    db: HubDatabase
    emulator: CarrierEmulator
    client: httpx.Client

    def package(self, number: str = "SO-1001", package_no: int = 1, **extra: Any) -> dict[str, Any]:
        """A package request body."""
        return {
            "order_number": number,
            "package_no": package_no,
            "weight_g": 1200,
            "dims_mm": [300, 200, 100],
            "ship_to": SHIP_TO,
            **extra,
        }


def start_ship_hub(
    stack: ExitStack,
    folder: Path,
    emulator: CarrierEmulator,
    accounts: int = 1,
    timeout: float = 15,
    *,
    enrol: bool = True,
    port: int = 0,
    config: ShippingConfig | None = None,
) -> ShipHub:
    """A hub in ``folder`` with ``accounts`` USPS accounts on ``emulator`` (or ``config``'s)."""
    folder.mkdir(parents=True, exist_ok=True)
    if config is None:
        config = ShippingConfig(
            {f"usps-{i}": usps_account(f"usps-{i}", emulator.url) for i in range(accounts)},
            carrier_timeout_s=timeout,
        )
    app = create_app(
        f"sqlite:///{folder / 'hub.sqlite'}", blob_dir=folder / "blobs", shipping=config
    )
    url = stack.enter_context(running_hub(app, port=port))
    ctx = app.state.hub
    assert isinstance(ctx, HubContext)
    with ctx.db.write() as s:
        put_site(s, "main", "Main site", SHIP_FROM)
    headers: dict[str, str] = {}
    if enrol:
        code = enrol_code(ctx.db, "bench-1")
        answer = httpx.post(f"{url}/v1/enroll", json={"code": code, "station": "bench-1"})
        headers["Authorization"] = f"Bearer {answer.json()['token']}"
    client = stack.enter_context(httpx.Client(base_url=url, headers=headers, timeout=30))
    return ShipHub(url, ctx.db, emulator, client)


@pytest.fixture
def emulator() -> Iterator[CarrierEmulator]:
    """The carrier emulator on 127.0.0.1."""
    with CarrierEmulator(timeout_hold_s=3) as em:
        yield em


@pytest.fixture
def ship_hub(tmp_path: Path, emulator: CarrierEmulator) -> Iterator[ShipHub]:
    """A hub with one USPS account on the emulator (carrier deadline 1.5 s)."""
    with ExitStack() as stack:
        yield start_ship_hub(stack, tmp_path / "hub", emulator, timeout=1.5)
