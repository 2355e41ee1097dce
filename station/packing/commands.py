"""Rules for orders and commands: open, undo, new box, box type, complete."""

from __future__ import annotations

from station.barcodes import Command
from station.outbox import append_event
from station.packing.journal import Journal
from station.packing.rules import Draft, RulesBase
from station.packing.verdicts import Verdict


class CommandRules(RulesBase):
    """Opens orders and runs the packer's commands."""

    def _open(self, j: Journal, d: Draft, ref: str) -> Draft:
        order = j.order_by_ref(ref)
        if order is None:
            return self._verdict(d, Verdict.UNKNOWN_ORDER, f"no order or tote {ref!r} here")
        if order.status in ("on_hold", "cancelled", "packed", "shipped"):
            label = order.status.replace("_", " ")
            return self._verdict(
                d, Verdict.NOT_PACKABLE, f"order {order.number} is {label}: do not pack it"
            )
        if self.state is not None:
            if self.state.order_id == order.id:
                return self._verdict(d, Verdict.ORDER_RESUMED, f"order {order.number} is open")
            j.set_session_status(self.state.session_id, "parked")
        live = j.live_session(order.id)
        user_id = self.user.id if self.user else None
        if live is not None:
            j.set_session_status(live[0], "open")
            self.state = j.load_state(live[0])
            verdict, verb = Verdict.ORDER_RESUMED, "resumed"
        else:
            sid, _ = j.new_session(order.id, user_id)
            self.state = j.load_state(sid)
            verdict, verb = Verdict.ORDER_OPENED, "opened"
            append_event(
                j.cur,
                "pack.started",
                {"session_id": sid, "order": order.number, "station": self._station},
                j.now,
            )
        units = sum(line.remaining for line in self.state.lines)
        return self._verdict(d, verdict, f"order {order.number} {verb}: {units} to pack")

    def _command(self, j: Journal, d: Draft, command: Command) -> Draft:
        state = self.state
        if command is Command.CONFIRM:
            return self._verdict(d, Verdict.CONFIRMED, "acknowledged")
        if state is None:
            return self._verdict(d, Verdict.NO_ORDER_OPEN, "no order open")
        if command is Command.CANCEL:
            if state.pending is None and state.quantity is None:
                return self._verdict(d, Verdict.NOTHING_TO_UNDO, "nothing to cancel")
            state.pending, state.quantity = None, None
            j.save_pending(state)
            return self._verdict(d, Verdict.CAPTURE_CANCELLED, "cancelled")
        if command is Command.UNDO:
            return self._undo(j, d)
        if command in (Command.SHORT_SHIP, Command.DAMAGED):
            # Recorded only through the supervisor's dialog (ui/pack/exception_dialog.py), which
            # takes the line, reason and approval a bare scan cannot carry.
            return self._verdict(
                d, Verdict.NEEDS_SUPERVISOR, f"{command.value}: needs the supervisor's dialog"
            )
        if command is Command.NEW_BOX:
            if state.package_items == 0:
                return self._verdict(
                    d, Verdict.PACKAGE_EMPTY, f"package {state.package_no} is still empty"
                )
            refusal = self._before_close(j, d)
            if refusal is not None:
                return refusal
            j.close_package(state.package_id)
            state.package_no += 1
            state.package_id = j.new_package(state.session_id, state.order_id, state.package_no)
            state.package_items = 0
            return self._verdict(d, Verdict.PACKAGE_OPENED, f"package {state.package_no} opened")
        return self._complete(j, d)

    def _undo(self, j: Journal, d: Draft) -> Draft:
        state = self.state
        assert state is not None
        if state.pending is not None or state.quantity is not None:
            what = str((state.pending or {}).get("capture", "quantity"))
            state.pending, state.quantity = None, None
            j.save_pending(state)
            return self._verdict(d, Verdict.CAPTURE_CANCELLED, f"{what} capture cancelled")
        last = j.last_accepted(state.session_id)
        if last is None:
            return self._verdict(d, Verdict.NOTHING_TO_UNDO, "nothing to undo")
        scan_id, package_id, qty, sku = last
        if package_id != state.package_id:
            return self._verdict(
                d, Verdict.NOTHING_TO_UNDO, "the last item is in a closed package: nothing to undo"
            )
        j.mark_undone(scan_id)
        self.state = j.load_state(state.session_id)
        self._package_changed(j)
        return self._verdict(d, Verdict.UNDONE, f"removed {qty} × {sku}: take it out of the box")

    def _box(self, j: Journal, d: Draft) -> Draft:
        state = self.state
        assert state is not None
        code = d.interp.value or d.interp.data
        box = j.box_by_code(code)
        if box is None:
            return self._verdict(d, Verdict.UNKNOWN_CODE, f"unknown box type {code!r}")
        j.set_box(state.package_id, box[0])
        self._package_changed(j)
        return self._verdict(d, Verdict.BOX_SELECTED, f"package {state.package_no}: {box[1]}")

    def _complete(self, j: Journal, d: Draft) -> Draft:
        state = self.state
        assert state is not None
        if state.pending is not None:
            return self._verdict(
                d, Verdict.NOT_COMPLETE, "finish the serial/lot capture (or undo) first"
            )
        if not state.complete:
            missing = ", ".join(
                f"{line.remaining} × {line.sku}" for line in state.lines if line.remaining
            )
            return self._verdict(d, Verdict.NOT_COMPLETE, f"not complete: still {missing}")
        refusal = self._before_close(j, d)
        if refusal is not None:
            return refusal
        j.close_package(state.package_id)
        j.set_session_status(state.session_id, "completed")
        j.set_order_status(state.order_id, "packed")
        append_event(
            j.cur,
            "pack.completed",
            {
                "session_id": state.session_id,
                "order": state.order_number,
                "station": self._station,
                "packages": state.package_no,
                "lines": [
                    {"line_no": ln.line_no, "sku": ln.sku, "packed": ln.packed, "short": ln.short}
                    for ln in state.lines
                ],
                "user": self.user.name if self.user else None,
            },
            j.now,
        )
        return self._verdict(d, Verdict.COMPLETED, f"order {state.order_number} packed")

    # --- hooks of the proof of the pack (station.packing.proof.ProofRules overrides them) ---

    def _before_close(self, j: Journal, d: Draft) -> Draft | None:
        """A refusal if the open package may not be closed yet (weight, photo); else None."""
        return None

    def _package_changed(self, j: Journal) -> None:
        """The content or the box of the open package changed: its weight check starts over."""
