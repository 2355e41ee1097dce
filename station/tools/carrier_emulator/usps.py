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

# Mail classes the emulator offers: (mailClass, description, base price, price per lb, days).
MAIL_CLASSES = (
    ("USPS_GROUND_ADVANTAGE", "USPS Ground Advantage Machinable Single-piece", 5.40, 0.95, 5),
    ("PRIORITY_MAIL", "Priority Mail Machinable Single-piece", 8.70, 1.40, 3),
    ("PRIORITY_MAIL_EXPRESS", "Priority Mail Express Nonstandard Single-piece", 28.75, 2.10, 1),
)
LABEL_BOUNDARY = "usps-emulator-boundary"


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
        dpi = 300 if "300" in image_type else 203
        return (
            f"^XA^FX emulated USPS label {dpi} dpi^FS^CI28"
            f"^FO40,40^A0N,40,40^FDUSPS TRACKING # {number}^FS"
            f"^FO40,120^BCN,120,Y,N,N^FD{number}^FS^XZ"
        ).encode("ascii")
    text = f"USPS TRACKING # {number}"
    stream = f"BT /F1 18 Tf 36 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


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
