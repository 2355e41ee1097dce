"""The one place the hub talks to karrio: gateways per account, and karrio's models.

karrio logs every carrier request through loguru; its logger is switched off here, before
karrio is imported, so no request (and no credential in it) ever reaches a log.

karrio's own tracer keeps every request and answer of a gateway (bodies, label bytes, DHL
Express's password inside its XML) for the gateway's life, through a thread pool: on a hub
that is memory without bound and a thread hop per call. Each gateway here gets a
``CallTracer`` instead, which keeps nothing and notes only what karrio drops: the carrier's
``Retry-After`` on an error answer (a 429 or 503), which the hub passes on to the station.
"""

from __future__ import annotations

import base64
import binascii
import threading
import time
import warnings
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
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
    import karrio.lib as karrio_lib
    import karrio.sdk as karrio

__all__ = ["CallTracer", "Gateways", "address", "decode_label", "karrio", "km", "parcel"]
MAX_RETRY_AFTER_S = 3600  # a carrier asking for more is asked again within the hour


class CallTracer(karrio_lib.Tracer):  # type: ignore[misc]
    """karrio's tracer for one account: records nothing, notes the carrier's Retry-After.

    karrio calls ``trace`` with an ``error`` record (and the answer's headers) in the thread
    that made the request, for every error answer. The last Retry-After seen is kept with
    its moment, so a call refused meanwhile (the one that got it, or one beside it on the same
    busy account) can say how long to wait.
    """

    def __init__(self) -> None:
        super().__init__()
        self._busy: tuple[float, int] | None = None
        self._busy_lock = threading.Lock()

    def trace(
        self, data: Any, key: str, metadata: dict[str, Any] | None = None, format: str | None = None
    ) -> Any:
        """karrio's hook: keep nothing, note a Retry-After of an error answer."""
        if key == "error" and isinstance(data, dict):
            wait = retry_after(data.get("response_headers") or {})
            if wait is not None:
                with self._busy_lock:
                    self._busy = (time.monotonic(), wait)
        return data

    def busy_since(self, moment: float) -> int | None:
        """Seconds the carrier asked to wait in an answer after ``moment`` (monotonic), or None."""
        with self._busy_lock:
            if self._busy is None or self._busy[0] < moment:
                return None
            return self._busy[1]


def retry_after(headers: Mapping[str, Any]) -> int | None:
    """Whole seconds of a Retry-After header (seconds or an HTTP date), None without one."""
    value = next((str(v) for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = int(value)
    else:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = int((moment - datetime.now(UTC)).total_seconds() + 0.999)
    return min(max(seconds, 1), MAX_RETRY_AFTER_S)


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
    return karrio.gateway[account.carrier].create(settings, tracer=CallTracer())


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
        overrides[name] = _fixed(base + parts.path.rstrip("/"))
    return type(f"Emulated{settings_class.__name__}", (settings_class,), overrides)


def _fixed(url: str) -> property:
    def get(_self: object) -> str:
        return url

    return property(get)


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
    """The label bytes of karrio's base64 document, None when there are none.

    DHL Parcel DE sends a ZPL label as its text (``zpl2``), which karrio passes on as it is:
    a document starting ``^XA`` is that text, not base64.
    """
    if not label:
        return None
    if label.lstrip().startswith("^XA"):
        return label.encode("utf-8")
    try:
        # DHL Express's comes as MIME base64, in lines of 76: the breaks are not data.
        data = base64.b64decode("".join(label.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    return data or None


def messages_text(messages: Sequence[Any]) -> tuple[str, str]:
    """(code, text) of karrio's messages: the first code, every message."""
    code = next((str(m.code) for m in messages if m.code), "carrier_error")
    text = "; ".join(str(m.message) for m in messages if m.message) or "the carrier refused"
    return code, text
