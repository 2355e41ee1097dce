"""Rules for orders and commands: open, undo, new box, box type, complete."""

from __future__ import annotations

from collections.abc import Callable

from station.barcodes import Command
from station.outbox import append_event
from station.packing.journal import Journal
from station.packing.rules import Draft, PackageProof, PackContext, verdict
from station.packing.verdicts import Verdict


class CommandRules:
    """Opens orders and runs the packer's commands.

    ``proof`` says whether the open package may be closed, and hears when it changed.
    """

    def __init__(
        self,
        ctx: PackContext,
        proof: PackageProof,
        holder: Callable[[str], str | None] = lambda _order: None,
    ) -> None:
        self._ctx = ctx
        self._proof = proof
        self._holder = holder  # the bench holding an order's lock (station.packing.lock)

    def open(self, j: Journal, d: Draft, ref: str) -> Draft:
        """Open (or resume) the order or tote ``ref``, parking the one open before."""
        ctx = self._ctx
        order = j.order_by_ref(ref)
        if order is None:
            return verdict(d, Verdict.UNKNOWN_ORDER, f"no order or tote {ref!r} here")
        if order.status in ("on_hold", "cancelled", "packed", "shipped"):
            label = order.status.replace("_", " ")
            return verdict(
                d, Verdict.NOT_PACKABLE, f"order {order.number} is {label}: do not pack it"
            )
        if ctx.state is not None and ctx.state.order_id == order.id:
            return verdict(d, Verdict.ORDER_RESUMED, f"order {order.number} is open")
        if (bench := self._holder(order.number)) is not None:
            return verdict(
                d,
                Verdict.ORDER_LOCKED,
                f"order {order.number} is open at {bench}: pack another,"
                " or a supervisor frees its lock",
            )
        if ctx.state is not None:
            j.set_session_status(ctx.state.session_id, "parked")
        live = j.live_session(order.id)
        user_id = ctx.user.id if ctx.user else None
        if live is not None:
            j.set_session_status(live[0], "open")
            ctx.state = j.load_state(live[0])
            answer, verb = Verdict.ORDER_RESUMED, "resumed"
        else:
            sid, _ = j.new_session(order.id, user_id)
            ctx.state = j.load_state(sid)
            answer, verb = Verdict.ORDER_OPENED, "opened"
            append_event(
                j.cur,
                "pack.started",
                {"session_id": sid, "order": order.number, "station": ctx.station},
                j.now,
            )
        units = sum(line.remaining for line in ctx.state.lines)
        return verdict(d, answer, f"order {order.number} {verb}: {units} to pack")

    def command(self, j: Journal, d: Draft, command: Command) -> Draft:
        """Confirm, cancel, undo, new box or complete."""
        state = self._ctx.state
        if command is Command.CONFIRM:
            return verdict(d, Verdict.CONFIRMED, "acknowledged")
        if state is None:
            return verdict(d, Verdict.NO_ORDER_OPEN, "no order open")
        if command is Command.CANCEL:
            if state.pending is None and state.quantity is None:
                return verdict(d, Verdict.NOTHING_TO_UNDO, "nothing to cancel")
            state.pending, state.quantity = None, None
            j.save_pending(state)
            return verdict(d, Verdict.CAPTURE_CANCELLED, "cancelled")
        if command is Command.UNDO:
            return self._undo(j, d)
        if command in (Command.SHORT_SHIP, Command.DAMAGED):
            # Recorded only through the supervisor's dialog (ui/pack/exception_dialog.py), which
            # takes the line, reason and approval a bare scan cannot carry.
            return verdict(
                d, Verdict.NEEDS_SUPERVISOR, f"{command.value}: needs the supervisor's dialog"
            )
        if command is Command.NEW_BOX:
            if state.package_items == 0:
                return verdict(
                    d, Verdict.PACKAGE_EMPTY, f"package {state.package_no} is still empty"
                )
            refusal = self._proof.before_close(j, d)
            if refusal is not None:
                return refusal
            j.close_package(state.package_id)
            state.package_no += 1
            state.package_id = j.new_package(state.session_id, state.order_id, state.package_no)
            state.package_items = 0
            return verdict(d, Verdict.PACKAGE_OPENED, f"package {state.package_no} opened")
        return self._complete(j, d)

    def _undo(self, j: Journal, d: Draft) -> Draft:
        state = self._ctx.state
        assert state is not None
        if state.pending is not None or state.quantity is not None:
            what = str((state.pending or {}).get("capture", "quantity"))
            state.pending, state.quantity = None, None
            j.save_pending(state)
            return verdict(d, Verdict.CAPTURE_CANCELLED, f"{what} capture cancelled")
        last = j.last_accepted(state.session_id)
        if last is None:
            return verdict(d, Verdict.NOTHING_TO_UNDO, "nothing to undo")
        scan_id, package_id, qty, sku = last
        if package_id != state.package_id:
            return verdict(
                d, Verdict.NOTHING_TO_UNDO, "the last item is in a closed package: nothing to undo"
            )
        j.mark_undone(scan_id)
        self._ctx.state = j.load_state(state.session_id)
        self._proof.package_changed(j)
        return verdict(d, Verdict.UNDONE, f"removed {qty} × {sku}: take it out of the box")

    def box(self, j: Journal, d: Draft) -> Draft:
        """A box type scanned: the open package's box."""
        state = self._ctx.state
        assert state is not None
        code = d.interp.value or d.interp.data
        box = j.box_by_code(code)
        if box is None:
            return verdict(d, Verdict.UNKNOWN_CODE, f"unknown box type {code!r}")
        j.set_box(state.package_id, box[0])
        self._proof.package_changed(j)
        return verdict(d, Verdict.BOX_SELECTED, f"package {state.package_no}: {box[1]}")

    def _complete(self, j: Journal, d: Draft) -> Draft:
        ctx = self._ctx
        state = ctx.state
        assert state is not None
        if state.pending is not None:
            return verdict(d, Verdict.NOT_COMPLETE, "finish the serial/lot capture (or undo) first")
        if not state.complete:
            missing = ", ".join(
                f"{line.remaining} × {line.sku}" for line in state.lines if line.remaining
            )
            return verdict(d, Verdict.NOT_COMPLETE, f"not complete: still {missing}")
        refusal = self._proof.before_close(j, d)
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
                "station": ctx.station,
                "packages": state.package_no,
                "lines": [
                    {"line_no": ln.line_no, "sku": ln.sku, "packed": ln.packed, "short": ln.short}
                    for ln in state.lines
                ],
                "user": ctx.user.name if ctx.user else None,
            },
            j.now,
        )
        return verdict(d, Verdict.COMPLETED, f"order {state.order_number} packed")
