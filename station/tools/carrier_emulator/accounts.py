"""karrio settings of an account of each carrier on the emulator (tests, benchmark, demo).

The emulator checks no credential; these are only what each connector needs to build its
requests. DHL Parcel DE has no rate API and the generic carrier no HTTP at all: karrio prices
both from a rate sheet (``services``), given here.
"""

from __future__ import annotations

from typing import Any

from station.hub.shipping.accounts import CarrierAccount

RATE_SHEETS: dict[str, list[dict[str, Any]]] = {
    "dhl_parcel_de": [
        {
            "service_name": "DHL Paket",
            "service_code": "dhl_parcel_de_paket",
            "currency": "EUR",
            "transit_days": 2,
            "domicile": True,
            "max_weight": 31.5,
            "weight_unit": "KG",
            "zones": [{"label": "DE", "rate": 5.49}],
        }
    ],
    "generic": [
        {
            "service_name": "Local Courier",
            "service_code": "local_courier",
            "currency": "USD",
            "transit_days": 1,
            "zones": [{"label": "all", "rate": 12.5}],
        }
    ],
}


def emulated_credentials(carrier: str, secret: str = "emulated") -> dict[str, Any]:
    """The settings karrio's ``carrier`` connector needs, ``secret`` as every secret."""
    settings: dict[str, dict[str, Any]] = {
        "usps": {"client_id": "id", "client_secret": secret, "account_number": "1"},
        "ups": {"client_id": "id", "client_secret": secret, "account_number": "A1B2C3"},
        "fedex": {"api_key": "key", "secret_key": secret, "account_number": "510087240"},
        "dhl_express": {"site_id": "site", "password": secret, "account_number": "950000002"},
        "dhl_parcel_de": {
            "username": "user",
            "password": secret,
            "client_id": "id",
            "client_secret": secret,
            "services": RATE_SHEETS["dhl_parcel_de"],
        },
        "generic": {"services": RATE_SHEETS["generic"]},
    }
    return settings[carrier]


def emulated_account(
    carrier: str,
    url: str,
    name: str | None = None,
    site: str | None = None,
    secret: str = "emulated",
) -> CarrierAccount:
    """An account of ``carrier`` whose connector talks to the emulator at ``url``."""
    return CarrierAccount(
        name=name or carrier,
        carrier=carrier,
        site=site,
        server_url=url,
        credentials=emulated_credentials(carrier, secret),
    )
