"""Customs declarations (UPU CN 22 / CN 23) and the commercial invoice: form, fields, checks.

UPU rules: CN 22 for items up to 2 kg gross and 300 SDR; CN 23 above either. Here the limits
are ``[labels] cn22_max_weight_g``, ``cn22_max_value`` (SDR, converted at ``sdr_rates`` of
``sdr_rate_date``) and ``cn22_max_lines`` (what the CN 22 has room for), all inclusive. A
weight nobody knows gives CN 23: it is accepted for any item, whereas a CN 22 on an item that
needed a CN 23 gets the parcel held.

The fields follow the UPU form specimens: category of item with its explanation, per line a
detailed description, quantity, net weight, value, HS tariff number and country of origin;
total gross weight and value, postal charges, office of origin and date of posting, licence,
certificate and invoice numbers, the sender's and the importer's references and contacts.
A field the form needs that the data lacks stops the form with the field's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from station.config import LabelSettings
from station.labels.errors import LabelError

Form = Literal["CN22", "CN23"]
CN22_ROWS = 7  # lines resources/labels/customs-cn22.toml has room for: never more on a CN 22
CATEGORIES = {
    "gift": "Gift",
    "documents": "Documents",
    "commercial_sample": "Commercial sample",
    "returned_goods": "Returned goods",
    "sale_of_goods": "Sale of goods",
    "other": "Other",
}


def sdr_value(value: float, currency: str, labels: LabelSettings) -> float:
    """``value`` in ``currency`` as SDR at the configured rate; LabelError without a rate."""
    rate = labels.sdr_rates.get(currency.upper())
    if not rate or rate <= 0:
        raise LabelError(
            f"no SDR rate for {currency} in [labels] sdr_rates: the CN 22 limit is in SDR"
        )
    return value / rate


def customs_form(
    gross_weight_g: float | None,
    value: float,
    labels: LabelSettings,
    currency: str = "SDR",
    lines: int = 1,
) -> Form:
    """CN22 up to and including every limit, CN23 above any (or weight unknown)."""
    if gross_weight_g is None or lines > min(labels.cn22_max_lines, CN22_ROWS):
        return "CN23"
    in_sdr = value if currency == "SDR" else sdr_value(value, currency, labels)
    if gross_weight_g > labels.cn22_max_weight_g or in_sdr > labels.cn22_max_value:
        return "CN23"
    return "CN22"


def category_marks(category: str) -> dict[str, str]:
    """``X`` in the box of the configured category, a space in the others."""
    if category not in CATEGORIES:
        raise LabelError(
            f"[labels] customs_category {category!r} is not a UPU category: "
            f"use {', '.join(CATEGORIES)}"
        )
    return {key: "X" if key == category else " " for key in CATEGORIES}


def is_domestic(ship_to_country: str | None, sender_country: str, customs_lines: int) -> bool:
    """Domestic: shipped within the sender's country with nothing declared for customs."""
    same = (ship_to_country or "").strip().upper() == sender_country.strip().upper()
    return same and customs_lines == 0


# (context path, the name the operator is told) of what every form needs.
_SENDER = [
    ("sender.name", "sender name ([labels] sender_name)"),
    ("sender.street", "sender street ([labels] sender_street)"),
    ("sender.postcode", "sender postcode ([labels] sender_postcode)"),
    ("sender.city", "sender city ([labels] sender_city)"),
    ("sender.country", "sender country ([labels] sender_country)"),
]
_ADDRESSEE = [
    ("ship_to.name", "addressee name"),
    ("ship_to.street1", "addressee street"),
    ("ship_to.city", "addressee city"),
    ("ship_to.country", "addressee country"),
]
_CN23 = [
    ("sender.phone", "sender phone ([labels] sender_phone)"),
    ("sender.office", "office of origin ([labels] office_of_posting)"),
    ("customs.postal_charges", "postal charges ([labels] postal_charges)"),
]
_INVOICE = [
    ("sender.phone", "sender phone ([labels] sender_phone)"),
    ("sender.email", "sender e-mail ([labels] sender_email)"),
    ("customs.incoterm", "Incoterms rule ([labels] incoterm)"),
]
_LINE = [
    ("description", "detailed description"),
    ("qty", "quantity"),
    ("weight", "net weight"),
    ("value", "value"),
    ("hs_code", "HS tariff number"),
    ("origin", "country of origin"),
]


def _value(context: Mapping[str, object], path: str) -> object:
    value: object = context
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_fields(context: Mapping[str, object], document: str) -> list[str]:
    """The names of the fields ``document`` (CN22, CN23, invoice) needs that are blank."""
    wanted = [*_SENDER, *_ADDRESSEE]
    wanted += _CN23 if document == "CN23" else _INVOICE if document == "invoice" else []
    wanted.append(("customs.gross_weight", "total gross weight (the package is not weighed)"))
    missing = [name for path, name in wanted if _blank(_value(context, path))]
    if _value(context, "customs.category") == "other" and _blank(
        _value(context, "customs.explanation")
    ):
        missing.append("explanation of category 'other' ([labels] customs_explanation)")
    lines = _value(context, "customs.lines")
    for i, line in enumerate(lines if isinstance(lines, list) else [], start=1):
        for key, name in _LINE:
            if isinstance(line, Mapping) and _blank(line.get(key)):
                missing.append(f"line {i} {name}")
    return missing


def check_complete(context: Mapping[str, object], document: str) -> None:
    """Raise LabelError naming every missing field: a form is never printed with a blank."""
    missing = missing_fields(context, document)
    if missing:
        title = "commercial invoice" if document == "invoice" else f"{document[:2]} {document[2:]}"
        number = _value(context, "order.number")
        raise LabelError(f"{title} of order {number} cannot be made: missing {', '.join(missing)}")
