"""Answers shaped like the USPS v3 APIs (OAuth, payments, prices, labels, SCAN forms).

The shapes follow USPS's published API as karrio's USPS connector reads it (its test
fixtures show them): a rate search answers ``pricingOptions[].shippingOptions[].rateOptions``;
a label answers ``multipart/form-data`` with a ``labelMetadata`` JSON part and the
``labelImage`` (base64) part; errors are ``{"apiVersion", "error": {"code", "message",
"errors": [...]}}``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from datetime import date, timedelta
from typing import Any

from station.tools.carrier_emulator import labels
from station.tools.carrier_emulator.wire import BAD_POSTCODE, Answer, Call, Fault, Ledger

NAME = "usps"
PREFIXES = ("/oauth2/", "/payments/v3/", "/shipments/v3/", "/labels/v3/", "/scan-forms/v3/")

# Mail classes the emulator offers: (mailClass, description, base price, price per lb, days).
MAIL_CLASSES = (
    ("USPS_GROUND_ADVANTAGE", "USPS Ground Advantage Machinable Single-piece", 5.40, 0.95, 5),
    ("PRIORITY_MAIL", "Priority Mail Machinable Single-piece", 8.70, 1.40, 3),
    ("PRIORITY_MAIL_EXPRESS", "Priority Mail Express Nonstandard Single-piece", 28.75, 2.10, 1),
)
LABEL_BOUNDARY = "usps-emulator-boundary"


def free(call: Call) -> bool:
    """Token and payment authorisation requests are never delayed or faulted."""
    return call.path in ("/oauth2/v3/token", "/payments/v3/payment-authorization")


def error(status: int, code: str, message: str) -> Answer:
    """A USPS error answer."""
    return Answer.json(status, error_body(status, code, message, message))


def _invalid_address() -> Answer:
    return Answer.json(
        400,
        error_body(
            400,
            "ADDRESS_NOT_FOUND",
            "Address Not Found",
            "The destination address could not be found: check the ZIP code.",
        ),
    )


def answer(call: Call, ledger: Ledger, fault: Fault | None) -> Answer | None:
    """USPS's answer to ``call``; None for a path USPS does not have."""
    body = call.body or {}
    if call.path == "/oauth2/v3/token":
        return Answer.json(200, token())
    if call.path == "/payments/v3/payment-authorization":
        return Answer.json(200, payment_token())
    if call.method == "POST" and call.path == "/shipments/v3/options/search":
        if fault is Fault.INVALID_ADDRESS or body.get("destinationZIPCode") == BAD_POSTCODE:
            return _invalid_address()
        return Answer.json(200, rates(body))
    if call.method == "POST" and call.path == "/labels/v3/label":
        to = body.get("toAddress") or {}
        if fault is Fault.INVALID_ADDRESS or to.get("ZIPCode") == BAD_POSTCODE:
            return _invalid_address()
        number = tracking_number(body, ledger.next_serial())
        data, kind = label(body, number, with_image=fault is not Fault.NO_LABEL)
        ledger.issue(number)
        return Answer(200, data, kind)
    if call.method == "DELETE" and call.path.startswith("/labels/v3/label/"):
        number = call.path.rsplit("/", 1)[1]
        if not ledger.cancel(number):
            return Answer.json(404, error_body(404, "NOT_FOUND", "Label not found", number))
        return Answer.json(200, cancelled(number))
    if call.method == "POST" and call.path == "/scan-forms/v3/scan-form":
        return Answer.json(200, scan_form(body, ledger.issued()))
    return None


def error_body(status: int, code: str, message: str, detail: str) -> dict[str, Any]:
    """A USPS error answer."""
    return {
        "apiVersion": "v3",
        "error": {
            "code": str(status),
            "message": message,
            "errors": [{"status": str(status), "code": code, "title": message, "detail": detail}],
        },
    }


def token() -> dict[str, Any]:
    """An OAuth2 client-credentials answer."""
    return {
        "access_token": "emulated-access-token",
        "token_type": "Bearer",
        "issued_at": 0,
        "expires_in": 28800,
        "status": "approved",
        "scope": "prices labels scan-forms shipments",
        "issuer": "api.usps.com",
    }


def payment_token() -> dict[str, Any]:
    """A payment authorisation answer."""
    return {"paymentAuthorizationToken": "emulated-payment-token"}


def rates(request: dict[str, Any]) -> dict[str, Any]:
    """Rate options for one package of a shipments/v3/options/search request."""
    package = request.get("packageDescription") or {}
    pounds = float(package.get("weight") or 0)
    wanted = package.get("mailClass")
    shipping_options = []
    for mail_class, description, base, per_lb, days in MAIL_CLASSES:
        if wanted not in (None, "ALL", "ALL_OUTBOUND", mail_class):
            continue
        price = round(base + per_lb * max(1, math.ceil(pounds)), 2)
        rate = {
            "description": description,
            "price": price,
            "zone": "05",
            "weight": pounds,
            "dimensionalWeight": 0,
            "fees": [],
            "priceType": "COMMERCIAL",
            "mailClass": mail_class,
            "productName": "",
            "processingCategory": "MACHINABLE",
            "rateIndicator": "SP",
            "destinationEntryFacilityType": "NONE",
            "SKU": f"DUXP0XXXXC0{days}0",
        }
        shipping_options.append(
            {
                "mailClass": mail_class,
                "rateOptions": [
                    {
                        "commitment": {
                            "name": f"{days} Days",
                            "scheduleDeliveryDate": (date.today() + timedelta(days)).isoformat(),
                            "guaranteedDelivery": False,
                        },
                        "totalPrice": price,
                        "totalBasePrice": price,
                        "rates": [rate],
                        "extraServices": [],
                    }
                ],
            }
        )
    return {
        "originZIPCode": request.get("originZIPCode"),
        "destinationZIPCode": request.get("destinationZIPCode"),
        "pricingOptions": [{"shippingOptions": shipping_options, "priceType": "COMMERCIAL"}],
    }


def tracking_number(request: dict[str, Any], serial: int) -> str:
    """A 22-digit IMpb-like number, unique per label the emulator makes."""
    digest = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
    return "9400" + f"{int(digest[:10], 16) % 10**10:010d}" + f"{serial:08d}"


def label_image(number: str, image_type: str) -> bytes:
    """Label bytes: ZPL at the requested dpi, or a one-page PDF."""
    if image_type.startswith("ZPL"):
        return labels.zpl("USPS", number, 300 if "300" in image_type else 203)
    return labels.pdf(f"USPS TRACKING # {number}")


def label(request: dict[str, Any], number: str, *, with_image: bool = True) -> tuple[bytes, str]:
    """A labels/v3/label answer as (body, content type): multipart, as USPS sends it."""
    image_info = request.get("imageInfo") or {}
    image_type = str(image_info.get("imageType") or "PDF")
    package = request.get("packageDescription") or {}
    pounds = float(package.get("weight") or 0)
    mail_class = str(package.get("mailClass") or "USPS_GROUND_ADVANTAGE")
    base, per_lb = next(((b, p) for m, _, b, p, _ in MAIL_CLASSES if m == mail_class), (5.4, 1))
    metadata: dict[str, Any] = {
        "labelAddress": request.get("toAddress") or {},
        "routingInformation": "420" + str((request.get("toAddress") or {}).get("ZIPCode", "")),
        "trackingNumber": number,
        "postage": round(base + per_lb * max(1, math.ceil(pounds)), 2),
        "extraServices": [],
        "zone": "05",
        "commitment": {"name": "3 Days", "scheduleDeliveryDate": date.today().isoformat()},
        "weightUOM": "lb",
        "weight": pounds,
        "dimensionalWeight": 0,
        "fees": [],
        "labelBrokerID": "",
        "SKU": "DPXX0XXXXX07200",
    }
    parts = [
        (
            'Content-Disposition: form-data; name="labelMetadata"\r\n'
            "Content-Type: application/json\r\n\r\n" + json.dumps(metadata)
        )
    ]
    if with_image:
        ext = "zpl" if image_type.startswith("ZPL") else "pdf"
        encoded = base64.b64encode(label_image(number, image_type)).decode("ascii")
        parts.append(
            f'Content-Disposition: form-data; name="labelImage"; filename="labelImage.{ext}"\r\n'
            f"Content-Type: application/{ext}\r\n\r\n{encoded}"
        )
    body = "".join(f"--{LABEL_BOUNDARY}\r\n{part}\r\n" for part in parts)
    body += f"--{LABEL_BOUNDARY}--\r\n"
    return body.encode("utf-8"), f"multipart/form-data; boundary={LABEL_BOUNDARY}"


def cancelled(number: str) -> dict[str, Any]:
    """A DELETE labels/v3/label/{trackingNumber} answer."""
    return {"trackingNumber": number, "status": "CANCELED"}


def scan_form(request: dict[str, Any], numbers: list[str]) -> dict[str, Any]:
    """A scan-forms/v3/scan-form answer: its metadata and the PS Form 5630 as a PDF."""
    shipment = request.get("shipment") or {}
    asked = shipment.get("trackingNumbers") or numbers
    manifest = "9275" + hashlib.sha256(",".join(asked).encode()).hexdigest()[:18].upper()
    return {
        "SCANFormMetadata": {
            "manifestNumber": manifest,
            "trackingNumbers": list(asked),
        },
        "SCANFormImage": base64.b64encode(label_image(manifest, "PDF")).decode("ascii"),
    }
