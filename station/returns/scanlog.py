"""Write a decided scan: its ``return_scans`` row, the unit it receives, its outbox event."""

from __future__ import annotations

from station.outbox import append_event
from station.returns.base import Draft, InspectionContext, Step
from station.returns.journal import NewItem, ReturnJournal, ScanRow


def record_scan(ctx: InspectionContext, j: ReturnJournal, d: Draft) -> Step:
    """Record ``d`` in the current transaction; the step the service answers with."""
    state = ctx.state
    inspection_id = d.inspection_id or (state.inspection_id if state else None)
    i = d.interp
    product = d.product
    user_id = ctx.user_id
    scan_id = j.insert_scan(
        ScanRow(
            raw=i.raw,
            kind=i.kind.value,
            verdict=d.verdict.value,
            interpretation=i.to_json(),
            symbology=i.symbology,
            inspection_id=inspection_id,
            product_id=product.id if product else None,
            serial=d.serial,
            lot=d.lot,
            expiry=d.expiry,
        ),
        user_id,
    )
    item_id = None
    if d.receive is not None and state is not None:
        c = d.receive
        item_id = j.insert_item(
            NewItem(
                inspection_id=state.inspection_id,
                rma_id=state.rma_id,
                scan_id=scan_id,
                verdict=c.verdict.value,
                product_id=product.id if product else None,
                sku=product.sku if product else None,
                order_line_id=c.order_line_id,
                rma_item_id=c.rma_item_id,
                serial=d.serial,
                lot=d.lot,
                expiry=d.expiry,
                fraud=d.fraud_reason is not None,
                fraud_reason=d.fraud_reason,
                customer_reason=c.reason,
            )
        )
    append_event(
        j.cur,
        "return.scan",
        {
            "scan_id": scan_id,
            "station": ctx.station,
            "rma": state.rma_number if state else None,
            "raw": i.raw,
            "symbology": i.symbology,
            "kind": i.kind.value,
            "verdict": d.verdict.value,
            "sku": product.sku if product else None,
            "serial": d.serial,
            "lot": d.lot,
            "expiry": d.expiry.isoformat() if d.expiry else None,
            "item": item_id,
            "fraud": d.fraud_reason,
            "detail": d.extra,  # e.g. the unit an undo took back
            "user": ctx.user.name if ctx.user else None,
            "at": j.now.isoformat(),
        },
        j.now,
    )
    return Step(
        d.verdict,
        d.message,
        inspection_id=inspection_id,
        item_id=item_id,
        scan_id=scan_id,
        awaiting=d.awaiting,
        extra=d.extra,
    )
