"""Answers shaped like DHL Parcel DE's Parcel API (ROPC token, ``v2/orders`` create and delete).

The shapes follow DHL's published API as karrio's DHL Parcel DE connector reads it (its test
fixtures show them): an order answers ``{"status": {"title", "statusCode"}, "items":
[{"shipmentNo", "sstatus", "label": {"b64" | "zpl2", "fileFormat"}}]}`` (``zpl2`` is the ZPL
text itself); a refused order carries ``validationMessages`` per item; a delete answers the
same envelope. DHL Parcel DE has no rate API: karrio prices it from its rate sheet (the
account's ``services``), so rates never reach the emulator.
"""

from __future__ import annotations

from typing import Any

from station.tools.carrier_emulator import labels
from station.tools.carrier_emulator.wire import BAD_POSTCODE, Answer, Call, Fault, Ledger

NAME = "dhl_parcel_de"
PREFIXES = ("/parcel/de/",)
TOKEN = "/parcel/de/account/auth/ropc/v1/token"
ORDERS = "/parcel/de/shipping/v2/orders"
OK = {"title": "OK", "statusCode": 200, "detail": "The Webservice call ran successfully."}


def free(call: Call) -> bool:
    """Token requests are never delayed or faulted."""
    return call.path == TOKEN


def error(status: int, code: str, message: str) -> Answer:
    """A DHL API error answer (problem details)."""
    return Answer.json(status, {"title": code, "status": status, "detail": message})


def answer(call: Call, ledger: Ledger, fault: Fault | None) -> Answer | None:
    """DHL Parcel DE's answer to ``call``; None for a path it does not have."""
    if call.path == TOKEN:
        return Answer.json(
            200,
            {"access_token": "emulated-dhl-token", "token_type": "Bearer", "expires_in": 1799},
        )
    if call.path != ORDERS:
        return None
    if call.method == "POST":
        shipments = (call.body or {}).get("shipments") or []
        items = []
        for shipment in shipments:
            postcode = str((shipment.get("consignee") or {}).get("postalCode") or "")
            if fault is Fault.INVALID_ADDRESS or postcode == BAD_POSTCODE:
                return _invalid_address(shipment)
            number = f"00340434{ledger.next_serial():06d}{abs(hash(str(shipment))) % 10**6:06d}"
            ledger.issue(number)
            with_label = fault is not Fault.NO_LABEL
            items.append(_item(shipment, number, call.query, with_label=with_label))
        return Answer.json(200, {"status": OK, "items": items})
    if call.method == "DELETE":
        numbers = [n for n in call.query.get("shipment", "").split(",") if n]
        cancelled = [n for n in numbers if ledger.cancel(n)]
        if len(cancelled) < len(numbers):
            return Answer.json(
                400,
                {
                    "status": {
                        "title": "Bad Request",
                        "statusCode": 400,
                        "detail": "A shipment could not be cancelled: not found or handed over.",
                    },
                    "items": [
                        {"shipmentNo": n, "sstatus": {"title": "Not Found", "statusCode": 404}}
                        for n in numbers
                        if n not in cancelled
                    ],
                },
            )
        return Answer.json(
            200,
            {
                "status": OK,
                "items": [{"shipmentNo": n, "sstatus": {"title": "OK", "statusCode": 200}}
                          for n in numbers],
            },
        )  # fmt: skip
    return None


def _item(
    shipment: dict[str, Any], number: str, query: dict[str, str], *, with_label: bool
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "shipmentNo": number,
        "sstatus": {"title": "OK", "statusCode": 200},
        "shipmentRefNo": shipment.get("refNo"),
    }
    if with_label:
        if query.get("docFormat") == "ZPL2":
            item["label"] = {
                "zpl2": labels.zpl("DHL Paket", number).decode("ascii"),
                "fileFormat": "ZPL2",
                "printFormat": query.get("printFormat") or "910-300-700",
            }
        else:
            item["label"] = {
                "b64": labels.b64(labels.pdf(f"DHL PAKET {number}")),
                "fileFormat": "PDF",
                "printFormat": query.get("printFormat") or "910-300-700",
            }
    return item


def _invalid_address(shipment: dict[str, Any]) -> Answer:
    return Answer.json(
        400,
        {
            "status": {
                "title": "Bad Request",
                "statusCode": 400,
                "detail": "Weak validation error occured.",
            },
            "items": [
                {
                    "shipmentRefNo": shipment.get("refNo"),
                    "sstatus": {"title": "Bad Request", "statusCode": 400},
                    "validationMessages": [
                        {
                            "property": "consignee.postalCode",
                            "validationMessage": "The postal code of the consignee address "
                            "is invalid.",
                            "validationState": "Error",
                        }
                    ],
                }
            ],
        },
    )
