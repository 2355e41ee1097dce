"""Rules for item scans: order membership, over-scan, serial / lot / expiry capture."""

from __future__ import annotations

from datetime import date, timedelta

from station.barcodes import ScanKind
from station.barcodes.capture import capture_text, parse_expiry
from station.packing.journal import Journal
from station.packing.kits import KitRules
from station.packing.rules import (
    Draft,
    PackageProof,
    PackContext,
    find_product,
    product_by_id,
    verdict,
)
from station.packing.verdicts import Verdict

NEEDS = {"serial": Verdict.NEEDS_SERIAL, "lot": Verdict.NEEDS_LOT, "expiry": Verdict.NEEDS_EXPIRY}
ASK = {
    "serial": "scan the serial number",
    "lot": "scan the lot / batch number",
    "expiry": "scan the expiry date (YYMMDD)",
}


class ItemRules:
    """Decides a product scan, and the capture scans it may need.

    ``proof`` may refuse a unit before it is counted (scale-confirmed scans) and hears of each
    unit counted.
    """

    def __init__(self, ctx: PackContext, proof: PackageProof, kits: KitRules | None = None) -> None:
        self._ctx = ctx
        self._proof = proof
        self._kits = kits or KitRules(ctx.settings.kits_one_at_a_time)

    def item(self, j: Journal, d: Draft) -> Draft:
        """A product scan: in the order, over-scanned, or waiting for its serial/lot/expiry."""
        state = self._ctx.state
        assert state is not None
        i = d.interp
        product = find_product(j, i)
        if product is None:
            if i.kind is ScanKind.SSCC:
                return verdict(d, Verdict.UNKNOWN_CODE, "that is a package label (SSCC)")
            why = f" ({i.error})" if i.error else ""
            return verdict(d, Verdict.UNKNOWN_CODE, f"unknown code {i.data!r}{why}")
        d.product = product
        qty = state.quantity or 1
        if not state.in_order(product.id):
            return verdict(
                d,
                Verdict.WRONG_ITEM,
                f"wrong item: {product.sku} {product.name} is not in this order",
            )
        placed = self._kits.place(state, product.id, qty)
        if placed.refusal:
            return verdict(d, Verdict.KIT_UNFINISHED, placed.refusal)
        match = placed.match
        if match is None:
            return verdict(
                d, Verdict.OVER_SCAN, f"too many: no more {product.sku} needed in this order"
            )
        if qty > 1 and product.tracking == "serial":
            return verdict(
                d, Verdict.NOT_ALLOWED, f"{product.sku} needs a serial per unit: scan each unit"
            )
        d.line_id = match.line.line_id
        d.serial, d.lot, d.expiry = i.serial, i.lot, i.expiry
        return self._capture_or_accept(j, d, qty)

    @staticmethod
    def _missing(tracking: str, d: Draft) -> str | None:
        if tracking == "serial" and not d.serial:
            return "serial"
        if tracking in ("lot", "lot_expiry") and not d.lot:
            return "lot"
        if tracking == "lot_expiry" and d.expiry is None:
            return "expiry"
        return None

    def _capture_or_accept(self, j: Journal, d: Draft, qty: int) -> Draft:
        state = self._ctx.state
        assert state is not None and d.product is not None and d.line_id is not None
        missing = self._missing(d.product.tracking, d)
        if missing is None:
            return self._accept(j, d, qty)
        state.pending = {
            "capture": missing,
            "product_id": d.product.id,
            "line_id": d.line_id,
            "quantity": qty,
            "serial": d.serial,
            "lot": d.lot,
            "expiry": d.expiry.isoformat() if d.expiry else None,
        }
        j.save_pending(state)
        d.awaiting = missing
        d.line_id = None  # not counted yet
        return verdict(d, NEEDS[missing], f"{d.product.sku}: {ASK[missing]}")

    def _accept(self, j: Journal, d: Draft, qty: int) -> Draft:
        refusal = self._proof.refuse_unit(j, d, qty)
        if refusal is not None:
            return refusal
        d = self._count(j, d, qty)
        if d.verdict is Verdict.ACCEPTED:
            self._proof.unit_counted(j, d, qty)
        return d

    def _count(self, j: Journal, d: Draft, qty: int) -> Draft:
        state = self._ctx.state
        assert state is not None and d.product is not None and d.line_id is not None
        product = d.product
        had_pending = state.pending is not None or state.quantity is not None
        state.pending = None
        if d.serial:
            elsewhere = j.serial_packed(product.id, d.serial)
            if elsewhere is not None:
                d.line_id = None
                if had_pending:
                    j.save_pending(state)
                return verdict(
                    d,
                    Verdict.DUPLICATE_SERIAL,
                    f"serial {d.serial} of {product.sku} was already packed (order {elsewhere})",
                )
        if d.expiry is not None:
            limit = j.now.date() + timedelta(days=self._ctx.settings.min_days_to_expiry)
            if d.expiry < limit:
                d.line_id = None
                if had_pending:
                    j.save_pending(state)
                return verdict(
                    d,
                    Verdict.EXPIRED_LOT,
                    f"lot {d.lot or '?'} of {product.sku} expires {d.expiry.isoformat()}:"
                    " take another unit",
                )
        line = state.line_by_id(d.line_id)
        line.add(product.id, qty)
        state.package_items += qty
        state.quantity = None
        if had_pending:
            j.save_pending(state)
        d.quantity = qty
        done = line.progress()
        tail = f" ({done.partial})" if done.partial else ""
        return verdict(
            d, Verdict.ACCEPTED, f"{qty} × {product.sku} {done.packed}/{done.expected}{tail}"
        )

    def capture(self, j: Journal, d: Draft, what: str) -> Draft:
        """The scan a pending capture asked for (a serial, a lot, an expiry date)."""
        state = self._ctx.state
        assert state is not None and state.pending is not None
        pending = state.pending
        i = d.interp
        d.product = found = product_by_id(j, int(str(pending["product_id"])))
        d.awaiting = what
        given: str | date | None = {"serial": i.serial, "lot": i.lot, "expiry": i.expiry}[what]
        if given is None:
            if i.kind not in (ScanKind.PRODUCT, ScanKind.OTHER, ScanKind.SSCC):
                return verdict(d, NEEDS[what], f"not a {what}: {ASK[what]}")
            if find_product(j, i) is not None:
                # The packer scanned a product barcode again: it carries no serial/lot.
                return verdict(
                    d, NEEDS[what], f"that is a product barcode, not the {what}: {ASK[what]}"
                )
            given = parse_expiry(i.data) if what == "expiry" else capture_text(i.data)
            if given is None:
                return verdict(d, NEEDS[what], f"not a valid {what}: {ASK[what]}")
        d.awaiting = None
        # The capture scan may carry more than was asked (a GS1 label with lot and expiry).
        d.serial = _opt(pending.get("serial")) or i.serial
        d.lot = _opt(pending.get("lot")) or i.lot
        stored_expiry = _opt(pending.get("expiry"))
        d.expiry = parse_expiry(stored_expiry) if stored_expiry else i.expiry
        if isinstance(given, date):
            d.expiry = given
        elif what == "serial":
            d.serial = given
        else:
            d.lot = given
        qty = int(str(pending["quantity"]))
        match = self._kits.place(state, found.id, qty).match
        if match is None:  # cannot happen: nothing else is counted while a capture waits
            state.pending = None
            j.save_pending(state)
            return verdict(d, Verdict.OVER_SCAN, f"no more {found.sku} needed")
        d.line_id = match.line.line_id
        return self._capture_or_accept(j, d, qty)


def _opt(value: object) -> str | None:
    """A stored optional text value."""
    return None if value is None or value == "" else str(value)
