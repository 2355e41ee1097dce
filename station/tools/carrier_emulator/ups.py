"""Answers shaped like UPS's REST APIs (OAuth, Rating ``Shop``, Shipping, Void).

The shapes follow UPS's published API as karrio's UPS connector reads it (its test fixtures
show them): a rate answers ``RateResponse.RatedShipment[]`` with charges as ``{CurrencyCode,
MonetaryValue}`` strings and ``TimeInTransit``; a shipment answers
``ShipmentResponse.ShipmentResults`` with ``PackageResults[].ShippingLabel.GraphicImage``
(ZPL, or a GIF image for a PDF label); errors are ``{"response": {"errors": [{"code",
"message"}]}}``.
"""

from __future__ import annotations

import math
import time
from typing import Any

from station.tools.carrier_emulator import labels
from station.tools.carrier_emulator.wire import BAD_POSTCODE, Answer, Call, Fault, Ledger

NAME = "ups"
PREFIXES = ("/security/v1/oauth/", "/api/rating/", "/api/shipments/")
KG_PER_LB = 0.45359237
# (code, base price, price per kg, business days in transit) for domestic US shipments...
DOMESTIC = (("03", 9.85, 1.10, 5), ("12", 16.40, 1.90, 3), ("02", 22.10, 2.60, 2),
            ("01", 41.30, 3.90, 1))  # fmt: skip
# ... and for shipments abroad.
ABROAD = (("11", 24.50, 4.10, 4), ("08", 48.90, 6.30, 3), ("65", 61.20, 7.80, 2),
          ("07", 79.40, 9.60, 1))  # fmt: skip


def free(call: Call) -> bool:
    """Token requests are never delayed or faulted."""
    return call.path == "/security/v1/oauth/token"


def error(status: int, code: str, message: str) -> Answer:
    """A UPS error answer."""
    return Answer.json(status, {"response": {"errors": [{"code": code, "message": message}]}})


def answer(call: Call, ledger: Ledger, fault: Fault | None) -> Answer | None:
    """UPS's answer to ``call``; None for a path UPS does not have."""
    body = call.body or {}
    if call.path == "/security/v1/oauth/token":
        return Answer.json(200, token())
    if call.method == "POST" and call.path.startswith("/api/rating/"):
        shipment = (body.get("RateRequest") or {}).get("Shipment") or {}
        if fault is Fault.INVALID_ADDRESS or _postcode(shipment) == BAD_POSTCODE:
            return _invalid_address()
        return Answer.json(200, rates(shipment))
    if call.method == "POST" and call.path.startswith("/api/shipments/") and "/ship" in call.path:
        request = body.get("ShipmentRequest") or {}
        shipment = request.get("Shipment") or {}
        if fault is Fault.INVALID_ADDRESS or _postcode(shipment) == BAD_POSTCODE:
            return _invalid_address()
        # One tracking number per package; the first is the shipment's (UPS's lead package).
        numbers = [
            f"1Z{ledger.next_serial():06d}{abs(hash(str(shipment))) % 10**10:010d}"
            for _ in range(max(1, len(_packages(shipment))))
        ]
        ledger.issue(numbers[0])
        return Answer.json(200, shipped(request, numbers, with_label=fault is not Fault.NO_LABEL))
    if call.method == "DELETE" and "/void/cancel/" in call.path:
        number = call.path.rsplit("/", 1)[1]
        if not ledger.cancel(number):
            return error(400, "190117", f"The shipment {number} cannot be voided: not found")
        return Answer.json(200, voided())
    return None


def token() -> dict[str, Any]:
    """An OAuth client-credentials answer (``issued_at`` in milliseconds, as UPS sends it)."""
    return {
        "token_type": "Bearer",
        "issued_at": str(int(time.time() * 1000)),
        "client_id": "emulated",
        "access_token": "emulated-ups-token",
        "expires_in": "14399",
        "status": "approved",
    }


def _postcode(shipment: dict[str, Any]) -> str:
    return str(((shipment.get("ShipTo") or {}).get("Address") or {}).get("PostalCode") or "")


def _kilos(shipment: dict[str, Any]) -> float:
    total = 0.0
    for package in _packages(shipment):
        weight = package.get("PackageWeight") or {}
        value = float(weight.get("Weight") or 0)
        unit = (weight.get("UnitOfMeasurement") or {}).get("Code")
        total += value * KG_PER_LB if unit == "LBS" else value
    return total


def _money(value: float) -> dict[str, str]:
    return {"CurrencyCode": "USD", "MonetaryValue": f"{value:.2f}"}


def _price(base: float, per_kg: float, kilos: float) -> float:
    return round(base + per_kg * max(1, math.ceil(kilos)), 2)


def _services(shipment: dict[str, Any]) -> tuple[tuple[str, float, float, int], ...]:
    origin = ((shipment.get("ShipFrom") or {}).get("Address") or {}).get("CountryCode")
    to = ((shipment.get("ShipTo") or {}).get("Address") or {}).get("CountryCode")
    return DOMESTIC if origin == to else ABROAD


def rates(shipment: dict[str, Any]) -> dict[str, Any]:
    """A Rating ``Shop`` answer: every service for the package, with its days in transit."""
    kilos = _kilos(shipment)
    rated = []
    for code, base, per_kg, days in _services(shipment):
        price = _price(base, per_kg, kilos)
        fuel = round(price * 0.12, 2)
        rated.append({
            "Service": {"Code": code, "Description": ""},
            "Zone": "005",
            "RatedShipmentAlert": [{"Code": "110971",
                                    "Description": "Your invoice may vary from the displayed "
                                                   "reference rates"}],
            "BillingWeight": {"UnitOfMeasurement": {"Code": "KGS", "Description": "Kilograms"},
                              "Weight": f"{max(0.5, kilos):.1f}"},
            "TransportationCharges": _money(price + fuel),
            "BaseServiceCharge": _money(price),
            "ItemizedCharges": [{"Code": "375", **_money(fuel)}],
            "ServiceOptionsCharges": _money(0),
            "TotalCharges": _money(price + fuel),
            "TimeInTransit": {"ServiceSummary": {"EstimatedArrival": {
                "BusinessDaysInTransit": str(days)}}},
        })  # fmt: skip
    return {
        "RateResponse": {
            "Response": {
                "ResponseStatus": {"Code": "1", "Description": "Success"},
                "TransactionReference": {"CustomerContext": "rates"},
            },
            "RatedShipment": rated,
        }
    }


def _packages(shipment: dict[str, Any]) -> list[dict[str, Any]]:
    # karrio sends ``Package`` as a list; UPS's schema also allows a single object.
    found = shipment.get("Package") or []
    return [found] if isinstance(found, dict) else list(found)


def shipped(
    request: dict[str, Any], numbers: list[str], *, with_label: bool = True
) -> dict[str, Any]:
    """A Shipping answer: the shipment's charges and one result (tracking, label) per package.

    As UPS does for a multi-piece shipment, the shipment's identification number is the lead
    (first) package's tracking number and ``PackageResults`` holds every package in order.
    """
    shipment = request.get("Shipment") or {}
    spec = (request.get("LabelSpecification") or {}).get("LabelImageFormat") or {}
    image_format = str(spec.get("Code") or "GIF")
    code = str((shipment.get("Service") or {}).get("Code") or "11")
    base, per_kg = next(((b, k) for c, b, k, _ in DOMESTIC + ABROAD if c == code), (20.0, 3.0))
    price = _price(base, per_kg, _kilos(shipment))
    results: list[dict[str, Any]] = []
    for number in numbers:
        image = labels.zpl("UPS", number) if image_format == "ZPL" else labels.GIF
        package: dict[str, Any] = {"TrackingNumber": number, "ServiceOptionsCharges": _money(0)}
        if with_label:
            package["ShippingLabel"] = {
                "ImageFormat": {"Code": image_format, "Description": image_format},
                "GraphicImage": labels.b64(image),
            }
        results.append(package)
    return {
        "ShipmentResponse": {
            "Response": {
                "ResponseStatus": {"Code": "1", "Description": "Success"},
                "TransactionReference": {"CustomerContext": "ship"},
            },
            "ShipmentResults": {
                "ShipmentCharges": {
                    "TransportationCharges": _money(price),
                    "ServiceOptionsCharges": _money(0),
                    "TotalCharges": _money(price),
                },
                "BillingWeight": {
                    "UnitOfMeasurement": {"Code": "KGS", "Description": "Kilograms"},
                    "Weight": f"{max(0.5, _kilos(shipment)):.1f}",
                },
                "ShipmentIdentificationNumber": numbers[0],
                "PackageResults": results,
            },
        }
    }


def voided() -> dict[str, Any]:
    """A Void answer."""
    return {
        "VoidShipmentResponse": {
            "Response": {
                "ResponseStatus": {"Code": "1", "Description": "Success"},
                "TransactionReference": {"CustomerContext": "void"},
            },
            "SummaryResult": {"Status": {"Code": "1", "Description": "Voided"}},
        }
    }


def _invalid_address() -> Answer:
    return error(
        400,
        "120802",
        "Address Validation Error on ShipTo address: the postal code is not valid",
    )
