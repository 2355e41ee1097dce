"""Which template applies to an order, and the file that draws it.

Each refusal is a LabelError whose message tells the operator why, in the order's terms.
"""

from __future__ import annotations

from collections.abc import Mapping

from station.labels.customs import check_complete
from station.labels.errors import LabelError
from station.labels.templates import Context, lookup

TEMPLATES = ("shipping", "packing-slip", "gift-note", "customs", "commercial-invoice", "return-tag")
RETURN_REQUIRED = ("tag_id", "disposition")
INVOICE_LINES = 14  # rows of resources/labels/commercial-invoice.toml
RETURN_FIELDS = (*RETURN_REQUIRED, "grade", "destination", "sku", "rma")


def _text(context: Context, path: str) -> str:
    value = lookup(context, path)
    return "" if value is None else str(value)


def return_fields(fields: Mapping[str, str], context: Context) -> dict[str, str]:
    """The return tag's fields, checked; the RMA defaults to the order number."""
    unknown = sorted(set(fields) - set(RETURN_FIELDS))
    if unknown:
        raise LabelError(
            f"unknown return-tag field {', '.join(unknown)}: use {', '.join(RETURN_FIELDS)}"
        )
    missing = [name for name in RETURN_REQUIRED if not fields.get(name, "").strip()]
    if missing:
        raise LabelError(f"a return tag needs {' and '.join(missing)} (--field key=value)")
    out = {name: "" for name in RETURN_FIELDS}
    out["rma"] = _text(context, "order.number")
    out.update({k: v for k, v in fields.items() if v})
    return out


def check_applies(template: str, context: Context) -> dict[str, object]:
    """Raise LabelError unless ``template`` applies to the order; return the context to use."""
    number = _text(context, "order.number")
    if template not in TEMPLATES:
        raise LabelError(f"unknown template {template!r}: use {', '.join(TEMPLATES)}")
    if template == "shipping" and context.get("package") is None:
        raise LabelError(f"order {number} has not been packed: no package to label")
    if template in ("customs", "commercial-invoice"):
        what = "customs declaration" if template == "customs" else "commercial invoice"
        if context.get("domestic"):
            country = _text(context, "ship_to.country")
            raise LabelError(
                f"no {what} for order {number}: it is domestic "
                f"(shipped within {country}, no customs lines)"
            )
        if not lookup(context, "customs.count"):
            raise LabelError(f"no {what} for order {number}: it has no customs lines")
        if template == "commercial-invoice":
            count = int(str(lookup(context, "customs.count")))
            if count > INVOICE_LINES:
                raise LabelError(
                    f"commercial invoice of order {number}: {count} customs lines, the invoice "
                    f"has room for {INVOICE_LINES}; none is left off an invoice"
                )
            check_complete(context, "invoice")
        else:
            if _text(context, "customs.form_error"):
                raise LabelError(_text(context, "customs.form_error"))
            check_complete(context, _text(context, "customs.form"))
    if template == "gift-note" and not context.get("gift"):
        raise LabelError(f"no gift note for order {number}: the order has no gift message")
    if template == "return-tag":
        fields = lookup(context, "fields")
        given = {str(k): str(v) for k, v in fields.items()} if isinstance(fields, Mapping) else {}
        return {**context, "fields": return_fields(given, context)}
    return dict(context)


def template_file(template: str, context: Context) -> str:
    """The template file's name: customs becomes ``customs-cn22`` or ``customs-cn23``."""
    if template == "customs":
        return f"customs-{_text(context, 'customs.form').lower()}"
    return template
