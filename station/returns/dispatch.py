"""Which rule a scan goes to: badge, command, open a parcel, capture, or a unit."""

from __future__ import annotations

from station.barcodes import Command, ScanKind
from station.returns.base import Draft, InspectionContext, say
from station.returns.journal import ReturnJournal
from station.returns.receiving import ReceiveRules
from station.returns.tags import tag_id
from station.returns.verdicts import ReturnVerdict as V
from station.user_ref import UserRef
from station.users import badge_holder


class ScanRules:
    """Dispatches a scan to its rule (``receiving`` for parcels and units); badges and undo
    are handled here."""

    def __init__(self, ctx: InspectionContext, receiving: ReceiveRules) -> None:
        self._ctx = ctx
        self._receiving = receiving

    def open_or_refuse(self, j: ReturnJournal, d: Draft) -> Draft:
        """Open a parcel, unless one is open already."""
        state = self._ctx.state
        if state is not None:
            return say(d, V.INSPECTION_OPEN, f"finish {state.rma_number} first")
        return self._receiving.open(j, d, d.interp.data.strip())

    def decide(self, j: ReturnJournal, d: Draft) -> Draft:
        """Send the scan to the rule it is for."""
        ctx, receiving = self._ctx, self._receiving
        i = d.interp
        if i.kind is ScanKind.EMPTY:
            return say(d, V.EMPTY_SCAN, "empty scan: nothing was read")
        if i.kind is ScanKind.BADGE:
            return self._badge(j, d)
        if i.kind is ScanKind.COMMAND:
            if i.command is Command.UNDO:
                return self.undo(j, d)
            return say(d, V.NOT_ALLOWED, f"{i.value} does nothing at the returns bench")
        if ctx.state is None:
            return receiving.open(j, d, i.data)
        if ctx.state.pending:
            return receiving.capture(j, d, ctx.state.pending)
        is_rma = ctx.rma_pattern is not None and ctx.rma_pattern.fullmatch(i.data)
        if is_rma or i.kind is ScanKind.ORDER:
            return self.open_or_refuse(j, d)
        return receiving.item(j, d)

    def _badge(self, j: ReturnJournal, d: Draft) -> Draft:
        row = badge_holder(j.cur, d.interp.value or d.interp.data)
        if row is None:
            return say(d, V.NOT_ALLOWED, "unknown badge")
        # A sign-in like any other: what this user may do is checked at every later call.
        self._ctx.user = UserRef(*row)
        return say(d, V.USER_CHANGED, f"inspector: {row[1]}")

    def undo(self, j: ReturnJournal, d: Draft) -> Draft:
        """Take back the last unit, if not yet graded (or drop a pending capture)."""
        state = self._ctx.state
        if state is None:
            return say(d, V.NOTHING_TO_UNDO, "no parcel open")
        if state.pending:
            j.set_pending(state.inspection_id, None)
            return say(d, V.CAPTURE_CANCELLED, "capture cancelled")
        undoable = [i for i in state.live_items() if i.status in ("received", "assessed")]
        if not undoable:
            return say(d, V.NOTHING_TO_UNDO, "nothing to take back")
        last = undoable[-1]
        if last.status == "assessed":
            # Graded, so it was in the inspector's hands: it arrived, and undo (a scan made by
            # mistake) must not make the parcel say "not received". Grade it again, dispose of
            # it, or hold it with a reason.
            return say(
                d,
                V.NOTHING_TO_UNDO,
                f"{tag_id(last.id)} was graded, so it is here: grade it again, dispose of it,"
                " or hold it with a reason",
            )
        j.set_item_status(last.id, "undone")
        d.extra["undone_item"] = last.id
        return say(d, V.UNDONE, f"took back {last.sku or 'the unknown item'}")
