"""Template context of an order: plain nested data read from the database.

Everything a template may show (ship-to, sender from ``[labels]``, lines, customs lines,
package n of m with weight and SSCC, tracking number) as strings and numbers, so templates
stay data and the renderers never see ORM objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from station.config import LabelSettings
from station.dangerous_goods import LITHIUM, label_mark
from station.db.models import Order, OrderLine, Package, ShipTo
from station.labels.customs import (
    CATEGORIES,
    category_marks,
    customs_form,
    is_domestic,
    sdr_value,
)
from station.labels.errors import LabelError
from station.labels.sscc import assign_sscc


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _kg(grams: float | None) -> str:
    return "" if grams is None else f"{grams / 1000:.2f} kg"


def _city_line(postcode: str | None, city: str | None, region: str | None = None) -> str:
    return " ".join(p for p in (postcode, city, region) if p)


_SHIP_TO_KEYS = ("name", "company", "street1", "street2", "city", "postcode", "region",
                 "country", "phone", "email", "city_line")  # fmt: skip


def _ship_to(ship_to: ShipTo | None) -> dict[str, object]:
    if ship_to is None:  # purged personal data: the label shows blanks rather than fail
        return dict.fromkeys(_SHIP_TO_KEYS, "")
    return {
        "name": ship_to.customer_name,
        "company": ship_to.company,
        "street1": ship_to.street1,
        "street2": ship_to.street2,
        "city": ship_to.city,
        "postcode": ship_to.postcode,
        "region": ship_to.region,
        "country": ship_to.country,
        "phone": ship_to.phone,
        "email": ship_to.email,
        "city_line": _city_line(ship_to.postcode, ship_to.city, ship_to.region),
    }


def _sender(labels: LabelSettings) -> dict[str, object]:
    return {
        "name": labels.sender_name,
        "street": labels.sender_street,
        "city": labels.sender_city,
        "postcode": labels.sender_postcode,
        "country": labels.sender_country,
        "city_line": _city_line(labels.sender_postcode, labels.sender_city),
        "phone": labels.sender_phone,
        "email": labels.sender_email,
        "customs_reference": labels.sender_customs_reference,
        "office": labels.office_of_posting,
    }


def _lines(lines: list[OrderLine]) -> tuple[list[dict[str, object]], float]:
    out: list[dict[str, object]] = []
    total = 0.0
    for line in lines:
        price = line.product.unit_value
        amount = None if price is None else price * line.quantity
        total += amount or 0.0
        out.append(
            {
                "sku": line.product.sku,
                "name": line.product.name,
                "qty": line.quantity,
                "price": _money(price),
                "total": _money(amount),
            }
        )
    return out, total


def _hazmat(lines: list[OrderLine]) -> dict[str, object] | None:
    """The order's hazmat UN numbers for the label's mark (None: none): ``mark`` is the text
    block (``LITHIUM ION UN3481``), ``lithium`` whether the battery mark applies."""
    numbers = sorted({line.product.hazmat for line in lines if line.product.hazmat})
    if not numbers:
        return None
    return {
        "un": ", ".join(numbers),
        "lithium": any(un in LITHIUM for un in numbers),
        "mark": label_mark(numbers),
    }


def _packages(session: Session, order: Order) -> list[Package]:
    """Packages of the order's latest pack session that has any (a repack starts anew)."""
    latest = session.scalar(
        select(Package.session_id)
        .where(Package.order_id == order.id)
        .order_by(Package.session_id.desc())
        .limit(1)
    )
    if latest is None:
        return []
    query = select(Package).where(Package.session_id == latest).order_by(Package.seq_no)
    return list(session.scalars(query))


def _package(package: Package, count: int, sscc: str | None) -> dict[str, object]:
    weight = package.weight_g
    return {
        "number": package.seq_no,
        "count": count,
        "weight_g": weight,
        "weight": _kg(weight),
        # (3303): gross weight in kg with three decimals, i.e. grams, six digits.
        "gs1_weight": "" if weight is None or weight >= 1e6 else f"{round(weight):06d}",
        "sscc": sscc,
        "sscc_hri": f"(00) {sscc}" if sscc else "",
    }


def _sdr(value: float, currency: str, labels: LabelSettings) -> tuple[float | None, str, str]:
    """(value in SDR, a note of the rate and its date, error): the CN 22 limit's terms."""
    try:
        in_sdr = sdr_value(value, currency, labels)
    except LabelError as exc:
        return None, "", str(exc)
    rate = labels.sdr_rates[currency.upper()]
    note = (
        f"{value:.2f} {currency} = {in_sdr:.2f} SDR at {rate:g} {currency}/SDR "
        f"({labels.sdr_rate_date})"
    )
    return round(in_sdr, 2), note, ""


def _customs(
    order: Order, gross_g: float | None, labels: LabelSettings, posting: date
) -> dict[str, object]:
    rows = order.customs_lines
    value = sum(c.value for c in rows)
    net = sum(c.weight_g or 0.0 for c in rows)
    known = all(c.weight_g is not None for c in rows) and rows
    gross = gross_g if gross_g is not None else (net if known else None)
    currency = rows[0].currency if rows else order.currency
    in_sdr, sdr_note, sdr_error = _sdr(value, currency, labels)
    form = None if in_sdr is None else customs_form(gross, in_sdr, labels, "SDR", len(rows))
    category = labels.customs_category
    postage = labels.postal_charges
    return {
        "form": form,
        "form_error": sdr_error,
        "lines": [
            {
                "description": c.description,
                "hs_code": c.hs_code,
                "origin": c.origin_country,
                "qty": c.quantity,
                "value": _money(c.value),
                "unit_value": _money(c.value / c.quantity if c.quantity else None),
                "currency": c.currency,
                "weight": _kg(c.weight_g),
            }
            for c in rows
        ],
        "count": len(rows),
        "total_value": _money(value),
        "currency": currency,
        "net_weight": _kg(net),
        "gross_weight": _kg(gross),
        "category": category,
        "category_name": CATEGORIES.get(category, category),
        "mark": category_marks(category),
        "explanation": labels.customs_explanation,
        "comments": labels.customs_comments,
        "licence": labels.licence_numbers,
        "certificate": labels.certificate_numbers,
        "postal_charges": _money(postage),
        "invoice_total": _money(value + postage),
        "incoterm": labels.incoterm,
        "posting_date": posting.isoformat(),
        "sdr_value": in_sdr,
        "sdr_note": sdr_note,
    }


def order_context(
    session: Session,
    labels: LabelSettings,
    number: str,
    package_no: int | None = None,
    *,
    with_sscc: bool = False,
    fields: Mapping[str, str] | None = None,
    posting_date: date | None = None,
) -> dict[str, object]:
    """The context of order ``number`` and its package ``package_no`` (default: the first).

    ``with_sscc`` assigns (and commits) the package's SSCC if it has none yet. ``fields``
    are values the caller supplies (the return tag's disposition, grade...). The customs
    forms are dated ``posting_date`` (default today): the day the item is posted, not the
    day it was ordered.
    """
    order = session.scalar(
        select(Order)
        .where(Order.number == number)
        .options(
            selectinload(Order.lines).joinedload(OrderLine.product),
            selectinload(Order.customs_lines),
            joinedload(Order.ship_to),
        )
    )
    if order is None:
        raise LabelError(f"unknown order {number!r}")
    packages = _packages(session, order)
    chosen = [p for p in packages if p.seq_no == (package_no or 1)]
    if package_no is not None and not chosen:
        have = f"it has {len(packages)}" if packages else "it has not been packed"
        raise LabelError(f"order {number} has no package {package_no} ({have})")
    package = chosen[0] if chosen else None
    sscc = assign_sscc(session, package, labels) if package and with_sscc else None
    lines, total = _lines(order.lines)
    ship_to = _ship_to(order.ship_to)
    gift = bool(order.gift_note and order.gift_note.strip())
    return {
        "order": {
            "number": order.number,
            "channel": order.channel,
            "ship_method": order.ship_method,
            "carrier": order.carrier,
            "tracking_number": order.tracking_number,
            "currency": order.currency,
            "gift_note": order.gift_note,
            "date": order.created_at.date().isoformat(),
            # No purchase order number is recorded for an order yet, so GS1 AI (400), the
            # customer's PO, is left off the labels rather than filled with our number.
            "customer_po": None,
        },
        "gift": gift,
        "show_prices": not gift,  # a gift's recipient does not see what it cost
        "ship_to": ship_to,
        "sender": _sender(labels),
        "domestic": is_domestic(
            str(ship_to["country"]), labels.sender_country, len(order.customs_lines)
        ),
        "package": _package(package, len(packages), sscc) if package else None,
        "barcode": order.tracking_number or order.number,
        "barcode_title": "TRACKING" if order.tracking_number else "ORDER",
        "lines": lines,
        "units": sum(line.quantity for line in order.lines),
        "total": _money(total),
        "customs": _customs(
            order, package.weight_g if package else None, labels, posting_date or date.today()
        ),
        "fields": dict(fields or {}),
        # Kit components' UN numbers are not looked up: a kit line carries its own column.
        "hazmat": _hazmat(order.lines),
    }
