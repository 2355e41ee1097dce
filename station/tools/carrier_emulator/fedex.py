"""Answers shaped like FedEx's REST APIs (OAuth, Rate quotes, Ship, Cancel).

The shapes follow FedEx's published API as karrio's FedEx connector reads it (its test
fixtures show them): a rate answers ``output.rateReplyDetails[]`` with ``ratedShipmentDetails``
and ``operationalDetail.commitDate``; a shipment answers ``output.transactionShipments[]`` with
``pieceResponses[].packageDocuments[]`` (``encodedLabel``); a cancel answers
``output.cancelledShipment``; errors are ``{"transactionId", "errors": [{"code", "message"}]}``.
"""

from __future__ import annotations

import math
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from station.tools.carrier_emulator import labels
from station.tools.carrier_emulator.wire import BAD_POSTCODE, Answer, Call, Fault, Ledger

NAME = "fedex"
PREFIXES = ("/oauth/token", "/rate/v1/", "/ship/v1/")
KG_PER_LB = 0.45359237
# (serviceType, serviceName, base price, price per kg, business days) at home and abroad.
DOMESTIC = (
    ("FEDEX_GROUND", "FedEx Ground", 9.40, 1.05, 5),
    ("FEDEX_EXPRESS_SAVER", "FedEx Express Saver", 18.20, 1.80, 3),
    ("FEDEX_2_DAY", "FedEx 2Day", 23.60, 2.50, 2),
    ("PRIORITY_OVERNIGHT", "FedEx Priority Overnight", 44.80, 4.20, 1),
)
ABROAD = (
    ("INTERNATIONAL_ECONOMY", "FedEx International Economy", 52.10, 6.70, 4),
    ("FEDEX_INTERNATIONAL_PRIORITY", "FedEx International Priority", 74.30, 8.90, 2),
)


def free(call: Call) -> bool:
    """Token requests are never delayed or faulted."""
    return call.path == "/oauth/token"


def error(status: int, code: str, message: str) -> Answer:
    """A FedEx error answer."""
    return Answer.json(
        status, {"transactionId": str(uuid.uuid4()), "errors": [{"code": code, "message": message}]}
    )


def answer(call: Call, ledger: Ledger, fault: Fault | None) -> Answer | None:
    """FedEx's answer to ``call``; None for a path FedEx does not have."""
    body = call.body or {}
    requested = body.get("requestedShipment") or {}
    if call.path == "/oauth/token":
        return Answer.json(
            200,
            {"access_token": "emulated-fedex-token", "token_type": "bearer",
             "expires_in": 3599, "scope": "CXS"},
        )  # fmt: skip
    if call.method == "POST" and call.path == "/rate/v1/rates/quotes":
        if fault is Fault.INVALID_ADDRESS or _postcode(requested) == BAD_POSTCODE:
            return _invalid_address()
        return Answer.json(200, rates(requested))
    if call.method == "POST" and call.path == "/ship/v1/shipments":
        if fault is Fault.INVALID_ADDRESS or _postcode(requested) == BAD_POSTCODE:
            return _invalid_address()
        # One tracking number per package; the first is the master (FedEx's one-shot MPS).
        pieces = len(requested.get("requestedPackageLineItems") or []) or 1
        numbers = [
            f"79{ledger.next_serial():04d}{uuid.uuid4().int % 10**6:06d}" for _ in range(pieces)
        ]
        ledger.issue(numbers[0])
        return Answer.json(200, shipped(requested, numbers, with_label=fault is not Fault.NO_LABEL))
    if call.method == "PUT" and call.path == "/ship/v1/shipments/cancel":
        number = str(body.get("trackingNumber") or "")
        if not ledger.cancel(number):
            return error(404, "TRACKING.TRACKINGNUMBER.NOTFOUND",
                         f"Tracking number {number} cannot be found.")  # fmt: skip
        return Answer.json(
            200,
            {"transactionId": str(uuid.uuid4()),
             "output": {"cancelledShipment": True, "cancelledHistory": True,
                        "successMessage": "Success"}},
        )  # fmt: skip
    return None


def _recipient(requested: dict[str, Any]) -> dict[str, Any]:
    recipients = requested.get("recipients") or [requested.get("recipient") or {}]
    address = (recipients[0] if recipients else {}).get("address") or {}
    return dict(address)


def _postcode(requested: dict[str, Any]) -> str:
    return str(_recipient(requested).get("postalCode") or "")


def _kilos(requested: dict[str, Any]) -> float:
    total = 0.0
    for item in requested.get("requestedPackageLineItems") or []:
        weight = item.get("weight") or {}
        value = float(weight.get("value") or 0)
        total += value * KG_PER_LB if weight.get("units") == "LB" else value
    return total


def _services(requested: dict[str, Any]) -> tuple[tuple[str, str, float, float, int], ...]:
    origin = ((requested.get("shipper") or {}).get("address") or {}).get("countryCode")
    return DOMESTIC if origin == _recipient(requested).get("countryCode") else ABROAD


def _commit(days: int) -> str:
    moment = datetime.combine(date.today(), datetime.min.time()).replace(hour=23, minute=59)
    while days:
        moment += timedelta(days=1)
        days -= moment.weekday() < 5
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _price(base: float, per_kg: float, kilos: float) -> float:
    return round(base + per_kg * max(1, math.ceil(kilos)), 2)


def rates(requested: dict[str, Any]) -> dict[str, Any]:
    """A rate quote answer: every service for the package, with its commit date."""
    kilos = _kilos(requested)
    details = []
    for service, name, base, per_kg, days in _services(requested):
        price = _price(base, per_kg, kilos)
        fuel = round(price * 0.14, 2)
        details.append({
            "serviceType": service,
            "serviceName": name,
            "packagingType": "YOUR_PACKAGING",
            "ratedShipmentDetails": [{
                "rateType": "ACCOUNT",
                "ratedWeightMethod": "ACTUAL",
                "totalDiscounts": 0.0,
                "totalBaseCharge": price,
                "totalNetCharge": round(price + fuel, 2),
                "totalNetFedExCharge": round(price + fuel, 2),
                "shipmentRateDetail": {
                    "rateZone": "05",
                    "currency": "USD",
                    "surCharges": [{"type": "FUEL", "description": "Fuel Surcharge",
                                    "amount": fuel}],
                    "taxes": [],
                },
                "currency": "USD",
            }],
            "operationalDetail": {"commitDate": _commit(days), "transitTime": f"{days}_DAYS"},
        })  # fmt: skip
    return {
        "transactionId": str(uuid.uuid4()),
        "output": {"rateReplyDetails": details, "quoteDate": date.today().isoformat()},
    }


def shipped(
    requested: dict[str, Any], numbers: list[str], *, with_label: bool = True
) -> dict[str, Any]:
    """A Ship answer: the master tracking number (the first) and a piece response per
    package, each with its own tracking number and label, as FedEx answers a multi-piece
    shipment in one request."""
    number = numbers[0]
    spec = requested.get("labelSpecification") or {}
    image_type = str(spec.get("imageType") or "PDF")
    service = str(requested.get("serviceType") or "FEDEX_GROUND")
    base, per_kg = next(((b, k) for s, _, b, k, _ in DOMESTIC + ABROAD if s == service), (20, 3))
    price = _price(base, per_kg, _kilos(requested))

    def piece(tracking: str) -> dict[str, Any]:
        image = (
            labels.zpl("FedEx", tracking)
            if image_type.startswith("ZPL")
            else labels.pdf(f"FedEx TRACKING # {tracking}")
        )
        documents = (
            [{"contentType": "LABEL", "copiesToPrint": 1, "encodedLabel": labels.b64(image),
              "docType": image_type}]
            if with_label
            else []
        )  # fmt: skip
        return {
            "masterTrackingNumber": number,
            "trackingNumber": tracking,
            "netChargeAmount": round(price / len(numbers), 2),
            "packageDocuments": documents,
        }

    return {
        "transactionId": str(uuid.uuid4()),
        "output": {
            "transactionShipments": [{
                "masterTrackingNumber": number,
                "serviceType": service,
                "shipDatestamp": date.today().isoformat(),
                "serviceName": service.replace("_", " ").title(),
                "pieceResponses": [piece(n) for n in numbers],
                "completedShipmentDetail": {"shipmentRating": {"shipmentRateDetails": [
                    {"rateType": "PAYOR_ACCOUNT_PACKAGE", "totalNetCharge": price,
                     "currency": "USD"}]}},
            }],
        },
    }  # fmt: skip


def _invalid_address() -> Answer:
    return error(
        400,
        "RECIPIENT.ADDRESS.INVALID",
        "The recipient address is invalid: the postal code was not found.",
    )
