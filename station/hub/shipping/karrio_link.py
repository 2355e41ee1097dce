"""The one place the hub talks to karrio: gateways per account, and karrio's models.

karrio logs every carrier request through loguru; its logger is switched off here, before
karrio is imported, so no request (and no credential in it) ever reaches a log.
"""

from __future__ import annotations

import base64
import binascii
import warnings
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from loguru import logger

from station.hub.shipping.accounts import CarrierAccount
from station.ship.protocol import PackageRequest

logger.disable("karrio")

with warnings.catch_warnings():
    # karrio imports PyPDF2, which warns that it is deprecated on import.
    warnings.filterwarnings("ignore", "PyPDF2 is deprecated", DeprecationWarning)
    import karrio.core.models as km
    import karrio.sdk as karrio

__all__ = ["Gateways", "address", "decode_label", "karrio", "km", "parcel"]


class Gateways:
    """A karrio gateway per account, made once (karrio caches OAuth tokens on it)."""

    def __init__(self) -> None:
        self._made: dict[str, Any] = {}

    def of(self, account: CarrierAccount) -> Any:
        """The gateway of ``account``; its server URL is the account's when set (emulator)."""
        gateway = self._made.get(account.name)
        if gateway is None:
            gateway = self._made[account.name] = _create(account)
        return gateway


def _create(account: CarrierAccount) -> Any:
    settings_class = karrio.gateway.providers[account.carrier].Settings
    values = dict(account.credentials)
    if account.carrier == "generic":
        values.setdefault("display_name", account.name)
        values.setdefault("custom_carrier_name", account.name)
    values["carrier_id"] = account.name
    values.setdefault("test_mode", account.server_url is not None)
    try:
        if account.server_url is not None:
            settings_class = _emulated(settings_class, account.server_url, values)
        settings = settings_class(**values)
    except TypeError as exc:
        # Names the missing or unknown key, never a value.
        raise ValueError(f"account {account.name}: {exc}") from None
    return karrio.gateway[account.carrier].create(settings)


def _emulated(settings_class: Any, server_url: str, values: dict[str, Any]) -> Any:
    """``settings_class`` with every carrier host replaced by ``server_url``, paths kept.

    The connectors build every URL from their ``*server_url`` properties (DHL Parcel DE has
    five: token, shipping, returns, tracking, pickup): pointing them at the carrier emulator
    is the configuration hook karrio's connectors have. The carrier's own paths are kept, so
    one emulator serves every carrier by path.
    """
    base = server_url.rstrip("/")
    sandbox = settings_class(**values)
    overrides: dict[str, Any] = {}
    for name in dir(settings_class):
        if not name.endswith("server_url"):
            continue
        original = getattr(sandbox, name)
        if not isinstance(original, str):
            continue
        parts = urlsplit(original)
        url = base + parts.path.rstrip("/")
        overrides[name] = property(lambda _self, url=url: url)
    return type(f"Emulated{settings_class.__name__}", (settings_class,), overrides)


def address(data: dict[str, Any]) -> dict[str, Any]:
    """A ship-to record or site address as karrio's Address fields."""
    return {
        "person_name": data.get("customer_name") or data.get("name"),
        "company_name": data.get("company"),
        "address_line1": data.get("street1"),
        "address_line2": data.get("street2"),
        "city": data.get("city"),
        "postal_code": data.get("postcode"),
        "state_code": data.get("region"),
        "country_code": data.get("country"),
        "phone_number": data.get("phone") or "0000000000",
        "email": data.get("email"),
    }


def parcel(package: PackageRequest) -> dict[str, Any]:
    """The package as a karrio Parcel (kg and cm)."""
    out: dict[str, Any] = {"weight": round(package.weight_g / 1000, 3), "weight_unit": "KG"}
    if package.dims_mm is not None:
        length, width, height = (round(d / 10, 1) for d in package.dims_mm)
        out.update(length=length, width=width, height=height, dimension_unit="CM")
    return out


def customs(package: PackageRequest) -> dict[str, Any] | None:
    """karrio's customs for a cross-border package (None when it has no customs lines)."""
    if not package.customs_lines:
        return None
    return {
        "content_type": "merchandise",
        "incoterm": "DDU",
        "commodities": [
            {
                "description": line.description,
                "hs_code": line.hs_code,
                "origin_country": line.origin_country,
                "quantity": line.quantity,
                "value_amount": line.value,
                "value_currency": line.currency,
                "weight": round((line.weight_g or 0) / 1000, 3) or None,
                "weight_unit": "KG",
            }
            for line in package.customs_lines
        ],
    }


def decode_label(label: str | None) -> bytes | None:
    """The label bytes of karrio's base64 document, None when there are none."""
    if not label:
        return None
    try:
        data = base64.b64decode(label, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data or None


def messages_text(messages: Sequence[Any]) -> tuple[str, str]:
    """(code, text) of karrio's messages: the first code, every message."""
    code = next((str(m.code) for m in messages if m.code), "carrier_error")
    text = "; ".join(str(m.message) for m in messages if m.message) or "the carrier refused"
    return code, text
