"""Labels of an order, from the database to bytes: the one place that does I/O.

Reads the order in one short session (assigning the package's SSCC on a shipping label),
checks that the template applies, fills it and renders it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.config import Settings
from station.db import Database
from station.db.engine import reader
from station.db.models import Order
from station.labels.carrier import SuppliedLabel, carrier_label_folder, supplied_label
from station.labels.context import order_context
from station.labels.errors import LabelError
from station.labels.escpos import DEFAULT_PROFILE
from station.labels.model import Label
from station.labels.render import render
from station.labels.rules import TEMPLATES, check_applies, template_file
from station.labels.templates import TEMPLATE_DIR, load_template


def order_label(
    db: Database,
    settings: Settings,
    number: str,
    template: str,
    *,
    package_no: int | None = None,
    fields: Mapping[str, str] | None = None,
    folder: Path = TEMPLATE_DIR,
    posting_date: date | None = None,
) -> Label:
    """The filled ``template`` of order ``number`` (package ``package_no``, default 1);
    customs forms dated ``posting_date`` (default today)."""
    if template not in TEMPLATES:
        raise LabelError(f"unknown template {template!r}: use {', '.join(TEMPLATES)}")
    # A shipping label may assign the SSCC: a write, so its transaction takes the write lock
    # at BEGIN like every writer here; other labels only read (BEGIN DEFERRED).
    writes = template == "shipping"
    with db.session() if writes else Session(reader(db.engine)) as session:
        context = order_context(
            session,
            settings.labels,
            number,
            package_no,
            with_sscc=writes,
            fields=fields,
            posting_date=posting_date,
        )
    context = check_applies(template, context)
    return load_template(template_file(template, context), folder).fill(context)


def render_order_label(
    db: Database,
    settings: Settings,
    number: str,
    template: str,
    fmt: str,
    *,
    package_no: int | None = None,
    dpi: int | None = None,
    profile: str | None = None,
    fields: Mapping[str, str] | None = None,
    posting_date: date | None = None,
) -> bytes:
    """The bytes of ``template`` for order ``number`` in ``fmt`` (zpl, escpos, png, pdf).

    ``dpi`` defaults to ``[labels] dpi``; ESC/POS takes its resolution from the printer
    ``profile`` (default the configured printer's), so a ``dpi`` given for it is refused.
    """
    escpos = profile or settings.devices.printer.profile or DEFAULT_PROFILE
    if fmt == "escpos" and dpi is not None:
        raise LabelError(
            f"ESC/POS prints at the resolution of its printer profile ({escpos}); "
            f"--dpi applies to zpl, png and pdf"
        )
    label = order_label(
        db, settings, number, template, package_no=package_no, fields=fields,
        posting_date=posting_date,
    )  # fmt: skip
    return render(
        label,
        fmt,
        dpi=dpi or settings.labels.dpi,
        profile=escpos,
        unicode_font=settings.labels.zpl_unicode_font,
        dots_per_line=settings.labels.escpos_dots_per_line,
    )


def order_carrier_label(db: Database, settings: Settings, number: str) -> SuppliedLabel:
    """The carrier-supplied label of order ``number``, bytes unchanged for the printer."""
    with Session(reader(db.engine)) as session:
        order = session.scalar(select(Order).where(Order.number == number))
        if order is None:
            raise LabelError(f"unknown order {number!r}")
        return supplied_label(order, carrier_label_folder(settings))
