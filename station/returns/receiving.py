"""Rules for scans at the returns bench: open the parcel's RMA, receive units, capture data.

A unit's verdict compares it with the RMA and the order (``state.classify``). A serial-tracked
unit must come back with a serial packed on that order; anything else is flagged as possible
fraud (sent to quarantine by the disposition policy) but still received, because the unit is
physically on the bench and must be tagged and kept.
"""

from __future__ import annotations

from datetime import date

from station.barcodes import ScanKind
from station.barcodes.capture import capture_text, parse_expiry
from station.outbox import append_event
from station.returns.base import Draft, InspectionContext, say
from station.returns.journal import ReturnJournal
from station.returns.lookup import find
from station.returns.reads import ProductInfo
from station.returns.state import Classified, InspectionState, ItemVerdict
from station.returns.verdicts import ReturnVerdict

NEEDS = {
    "serial": ReturnVerdict.NEEDS_SERIAL,
    "lot": ReturnVerdict.NEEDS_LOT,
    "expiry": ReturnVerdict.NEEDS_EXPIRY,
}
ASK = {
    "serial": "scan the serial number",
    "lot": "scan the lot / batch number",
    "expiry": "scan the expiry date (YYMMDD)",
}
_NOT_ITEMS = {ScanKind.SSCC, ScanKind.TOTE, ScanKind.BOX_TYPE, ScanKind.QUANTITY}


def missing_capture(tracking: str, d: Draft) -> str | None:
    """What the unit still needs captured before it can be received."""
    if tracking == "serial" and not d.serial:
        return "serial"
    if tracking in ("lot", "lot_expiry") and not d.lot:
        return "lot"
    if tracking == "lot_expiry" and d.expiry is None:
        return "expiry"
    return None


class ReceiveRules:
    """Decides the scans that open a parcel and receive its units."""

    def __init__(self, ctx: InspectionContext) -> None:
        self._ctx = ctx

    def open(self, j: ReturnJournal, d: Draft, ref: str) -> Draft:
        """Open the parcel whose RMA, label, order, tracking number or customer is ``ref``."""
        ctx = self._ctx
        found = find(j.cur, ref)
        live = [r for r in found.rmas if r.status in ("open", "receiving")]
        if not live:
            if found.rmas:
                closed = found.rmas[0]
                message = f"{closed.number} is {closed.status}"
                return say(d, ReturnVerdict.RMA_CLOSED, message)
            d.extra["orders"] = [o.number for o in found.orders]
            if found.orders:
                numbers = ", ".join(o.number for o in found.orders[:3])
                message = f"no open RMA for {numbers}: create one for the parcel"
            else:
                message = f"no RMA, order or customer found for {ref!r}"
            return say(d, ReturnVerdict.UNKNOWN_RMA, message)
        rma = j.rma(live[0].id)
        busy = j.inspection_of(rma.id)
        if busy is not None and busy[1] != ctx.station:
            return say(
                d, ReturnVerdict.INSPECTION_OPEN, f"{rma.number} is being inspected at {busy[1]}"
            )
        order_id = rma.order_id or j.order_id(rma.order_number)
        d.inspection_id = j.new_inspection(rma.id, order_id, ctx.user_id)
        append_event(
            j.cur,
            "return.inspection_started",
            {
                "rma": rma.number,
                "order": rma.order_number,
                "station": ctx.station,
                "user": ctx.user.name if ctx.user else None,
                "by": found.by,
                "at": j.now.isoformat(),
            },
            j.now,
        )
        return say(d, ReturnVerdict.RMA_OPENED, f"{rma.number} opened ({found.by})")

    def item(self, j: ReturnJournal, d: Draft) -> Draft:
        """A unit scanned: received with its verdict, or waiting for its serial/lot/expiry."""
        i = d.interp
        if i.kind in _NOT_ITEMS:
            return say(d, ReturnVerdict.NOT_ALLOWED, f"not an item: {i.kind.value} {i.data}")
        product = j.product_by_keys(i.lookup_keys or (i.data,))
        if product is None:
            d.receive = Classified(ItemVerdict.UNKNOWN, detail="not in the catalog")
            why = f" ({i.error})" if i.error else ""
            return say(d, ReturnVerdict.UNKNOWN, f"unknown item {i.data!r}{why}: quarantine")
        d.product = product
        d.serial, d.lot, d.expiry = i.serial, i.lot, i.expiry
        return self._capture_or_receive(j, d)

    def _capture_or_receive(self, j: ReturnJournal, d: Draft) -> Draft:
        state = self._ctx.state
        assert state is not None and d.product is not None
        missing = missing_capture(d.product.tracking, d)
        if missing is None:
            if state.pending is not None:
                j.set_pending(state.inspection_id, None)
            return self._receive(j, d, state, d.product)
        j.set_pending(
            state.inspection_id,
            {
                "capture": missing,
                "product_id": d.product.id,
                "serial": d.serial,
                "lot": d.lot,
                "expiry": d.expiry.isoformat() if d.expiry else None,
            },
        )
        d.awaiting = missing
        return say(d, NEEDS[missing], f"{d.product.sku}: {ASK[missing]}")

    def capture(self, j: ReturnJournal, d: Draft, pending: dict[str, object]) -> Draft:
        """The scan a pending capture asked for."""
        what = str(pending["capture"])
        i = d.interp
        d.product = j.product(int(str(pending["product_id"])))
        d.awaiting = what
        given: str | date | None = {"serial": i.serial, "lot": i.lot, "expiry": i.expiry}[what]
        if given is None:
            if j.product_by_keys(i.lookup_keys) is not None:
                return say(d, NEEDS[what], f"that is a product barcode: {ASK[what]}")
            given = parse_expiry(i.data) if what == "expiry" else capture_text(i.data)
            if given is None:
                return say(d, NEEDS[what], f"not a valid {what}: {ASK[what]}")
        d.awaiting = None
        d.serial = _opt(pending.get("serial")) or i.serial
        d.lot = _opt(pending.get("lot")) or i.lot
        stored = _opt(pending.get("expiry"))
        d.expiry = parse_expiry(stored) if stored else i.expiry
        if isinstance(given, date):
            d.expiry = given
        elif what == "serial":
            d.serial = given
        else:
            d.lot = given
        return self._capture_or_receive(j, d)

    def _receive(
        self, j: ReturnJournal, d: Draft, state: InspectionState, product: ProductInfo
    ) -> Draft:
        if d.serial and any(
            i.product_id == product.id and i.serial == d.serial for i in state.live_items()
        ):
            return say(
                d, ReturnVerdict.NOT_ALLOWED, f"{product.sku} {d.serial} is already received"
            )
        c = state.classify(product.id)
        d.receive = c
        if product.tracking == "serial" and c.verdict is not ItemVerdict.NOT_FROM_ORDER:
            d.fraud_reason = self._serial_problem(j, state, product, d.serial or "")
        verdict = ReturnVerdict(c.verdict.value)
        text = {
            ItemVerdict.EXPECTED: f"{product.sku} {product.name}: expected",
            ItemVerdict.NOT_IN_RETURN: f"{product.sku}: in the order but not in this return",
            ItemVerdict.NOT_FROM_ORDER: f"{product.sku}: not from this order ({c.detail})",
        }[c.verdict]
        if d.fraud_reason:
            text += f"; POSSIBLE FRAUD: {d.fraud_reason}"
        return say(d, verdict, text)

    @staticmethod
    def _serial_problem(
        j: ReturnJournal, state: InspectionState, product: ProductInfo, serial: str
    ) -> str | None:
        """Why this serial cannot be the one shipped on the order, or None if it is."""
        order = state.order_number or "?"
        if state.order_id is None:
            return f"order {order} is not known here: serial {serial} cannot be checked"
        shipped = j.shipped_serials(state.order_id, product.id)
        if serial in shipped:
            again = j.rma_that_returned(product.id, serial, state.inspection_id)
            return None if again is None else f"serial {serial} was already returned ({again})"
        elsewhere = j.order_that_shipped(product.id, serial)
        if elsewhere is not None:
            return f"serial {serial} was shipped on order {elsewhere}, not {order}"
        if not shipped:
            return f"no serial of {product.sku} is recorded as shipped on {order}"
        return f"serial {serial} was not shipped on order {order}"


def _opt(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
