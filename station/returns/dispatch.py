"""Which rule a scan goes to: badge, command, open a parcel, capture, or a unit."""

from __future__ import annotations

from station.barcodes import Command, ScanKind
from station.returns.base import Draft
from station.returns.journal import ReturnJournal
from station.returns.receiving import ReceiveRules
from station.returns.verdicts import ReturnVerdict as V
from station.user_ref import UserRef
from station.users import badge_holder


class ScanRules(ReceiveRules):
    """Dispatches a scan to its rule; badges and undo are handled here."""

    def _open_or_refuse(self, j: ReturnJournal, d: Draft) -> Draft:
        if self.state is not None:
            return self._say(d, V.INSPECTION_OPEN, f"finish {self.state.rma_number} first")
        return self._open(j, d, d.interp.data.strip())

    def _decide(self, j: ReturnJournal, d: Draft) -> Draft:
        i = d.interp
        if i.kind is ScanKind.EMPTY:
            return self._say(d, V.EMPTY_SCAN, "empty scan: nothing was read")
        if i.kind is ScanKind.BADGE:
            return self._badge(j, d)
        if i.kind is ScanKind.COMMAND:
            if i.command is Command.UNDO:
                return self._undo(j, d)
            return self._say(d, V.NOT_ALLOWED, f"{i.value} does nothing at the returns bench")
        if self.state is None:
            return self._open(j, d, i.data)
        if self.state.pending:
            return self._capture(j, d, self.state.pending)
        is_rma = self._rma_pattern is not None and self._rma_pattern.fullmatch(i.data)
        if is_rma or i.kind is ScanKind.ORDER:
            return self._open_or_refuse(j, d)
        return self._item(j, d)

    def _badge(self, j: ReturnJournal, d: Draft) -> Draft:
        row = badge_holder(j.cur, d.interp.value or d.interp.data)
        if row is None:
            return self._say(d, V.NOT_ALLOWED, "unknown badge")
        # A sign-in like any other: what this user may do is checked at every later call.
        self.user = UserRef(*row)
        return self._say(d, V.USER_CHANGED, f"inspector: {row[1]}")

    def _undo(self, j: ReturnJournal, d: Draft) -> Draft:
        state = self.state
        if state is None:
            return self._say(d, V.NOTHING_TO_UNDO, "no parcel open")
        if state.pending:
            j.set_pending(state.inspection_id, None)
            return self._say(d, V.CAPTURE_CANCELLED, "capture cancelled")
        undoable = [i for i in state.live_items() if i.status in ("received", "assessed")]
        if not undoable:
            return self._say(d, V.NOTHING_TO_UNDO, "nothing to take back")
        last = undoable[-1]
        j.set_item_status(last.id, "undone")
        d.extra["undone_item"] = last.id
        return self._say(d, V.UNDONE, f"took back {last.sku or 'the unknown item'}")
