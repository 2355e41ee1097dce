"""Rules that need someone's authority: badges, quantities above the limit, exceptions."""

from __future__ import annotations

from station.outbox import append_event
from station.packing.journal import SHORT_KINDS, Journal
from station.packing.rules import Draft, PackContext, Transaction, verdict
from station.packing.state import LineState
from station.packing.verdicts import Outcome, Verdict
from station.permissions import Action, allowed
from station.user_ref import UserRef


class SupervisorRules:
    """User changes, supervisor approvals, short-ship and damage exceptions.

    ``tx`` opens the engine's transaction for the exceptions, which are not scans.
    """

    def __init__(self, ctx: PackContext, tx: Transaction) -> None:
        self._ctx = ctx
        self._tx = tx

    def quantity(self, j: Journal, d: Draft, qty: int, approver: str | None) -> Draft:
        """Count the next item scan ``qty`` times (a supervisor above the limit)."""
        state = self._ctx.state
        if state is None:
            return verdict(d, Verdict.NO_ORDER_OPEN, "scan an order before a quantity")
        if qty < 1:
            return verdict(d, Verdict.NOT_ALLOWED, "quantity must be at least 1")
        limit = self._ctx.settings.max_quantity_without_supervisor
        if qty > limit:
            boss = self.resolve_approver(j, approver)
            if boss is None:
                state.pending = {"capture": "supervisor", "quantity": qty}
                j.save_pending(state)
                d.awaiting = "supervisor"
                return verdict(
                    d, Verdict.NEEDS_SUPERVISOR, f"quantity {qty} > {limit}: supervisor badge"
                )
            self._approve_quantity(j, qty, boss)
        state.quantity = qty
        state.pending = None
        j.save_pending(state)
        return verdict(d, Verdict.QUANTITY_SET, f"next item counts {qty} ×")

    def _approve_quantity(self, j: Journal, qty: int, boss: UserRef) -> None:
        state, user = self._ctx.state, self._ctx.user
        assert state is not None
        j.insert_exception(
            state,
            "quantity_override",
            "multi_unit",
            None,
            qty,
            None,
            user.id if user else None,
            boss.id,
        )
        j.audit(boss.id, "approve.quantity", "pack_session", str(state.session_id), {"qty": qty})

    def resolve_approver(
        self, j: Journal, credential: str | None, action: Action = Action.APPROVE_EXCEPTION
    ) -> UserRef | None:
        """Someone allowed to ``action`` other than the packer, by badge or (slower) PIN."""
        if not credential:
            return None
        boss = j.user_by_badge(credential)
        approver = self._ctx.approver
        if boss is None and approver is not None:
            boss = approver(credential)
        if boss is None or not allowed(boss, action):
            return None
        user = self._ctx.user
        if user is not None and boss.id == user.id:
            return None  # nobody approves their own exception
        return boss

    def badge(self, j: Journal, d: Draft) -> Draft:
        """A badge: a supervisor's approval of a waiting quantity, or someone signing in."""
        badge = d.interp.value or d.interp.data
        user = j.user_by_badge(badge)
        if user is None:
            return verdict(d, Verdict.UNKNOWN_CODE, f"unknown badge {badge!r}")
        state = self._ctx.state
        pending = state.pending if state else None
        if state is not None and pending and pending.get("capture") == "supervisor":
            boss = self.resolve_approver(j, badge)
            if boss is None:
                return verdict(
                    d, Verdict.NOT_ALLOWED, f"{user.name} cannot approve this (supervisor needed)"
                )
            qty = int(str(pending["quantity"]))
            self._approve_quantity(j, qty, boss)
            state.quantity, state.pending = qty, None
            j.save_pending(state)
            return verdict(d, Verdict.QUANTITY_SET, f"{boss.name} approved {qty} ×")
        # Anyone's badge signs them in (the window then opens their screens); what they may
        # do here is checked at every later call (PackService._tx).
        self._ctx.user = user
        j.audit(user.id, "user.login", "user", str(user.id), {"via": "badge"})
        return verdict(d, Verdict.USER_CHANGED, f"{user.name} ({user.role}) at the bench")

    def exception(
        self, kind: str, line_no: int, qty: int, reason: str, approver: str, detail: str
    ) -> Outcome:
        """Record an approved exception; refusals are answered without writing anything."""
        ctx = self._ctx
        state = ctx.state
        with self._tx() as j:
            refusal = self._check_exception(j, kind, line_no, qty, reason, approver)
            if isinstance(refusal, Outcome):
                return refusal
            assert state is not None
            line, boss = refusal
            requester = ctx.user.id if ctx.user else None
            ships_short = kind in SHORT_KINDS
            # One row per event: a damaged unit that is not replaced is one exception
            # (damaged_short), not a damage and a short-ship the dashboard would count twice.
            j.insert_exception(
                state, kind, reason, line.line_id, qty, detail or None, requester, boss.id
            )
            j.audit(
                boss.id,
                f"approve.{kind}",
                "order",
                state.order_number,
                {"line_no": line_no, "quantity": qty, "reason": reason, "requested_by": requester},
            )
            append_event(
                j.cur,
                "exception.recorded",
                {
                    "order": state.order_number,
                    "kind": kind,
                    "line_no": line_no,
                    "sku": line.sku,
                    "quantity": qty,
                    "reason": reason,
                    "detail": detail,
                    "approved_by": boss.name,
                    "requested_by": ctx.user.name if ctx.user else None,
                    "station": ctx.station,
                },
                j.now,
            )
            if ships_short:
                line.short += qty
        label = kind.replace("_", " ")
        return Outcome(
            verdict=Verdict.EXCEPTION_RECORDED,
            message=f"{label}: {qty} × {line.sku} ({reason}), approved by {boss.name}",
            order_number=state.order_number,
            line=line.progress(),
            lines=state.progress(),
            package_no=state.package_no,
            user=ctx.user.name if ctx.user else None,
        )

    def _check_exception(
        self, j: Journal, kind: str, line_no: int, qty: int, reason: str, approver: str
    ) -> Outcome | tuple[LineState, UserRef]:
        state = self._ctx.state
        line = next((ln for ln in state.lines if ln.line_no == line_no), None) if state else None
        reasons = (
            self._ctx.settings.short_ship_reasons
            if kind == "short_ship"
            else self._ctx.settings.damage_reasons
        )
        problem: tuple[Verdict, str] | None = None
        boss = None
        if state is None or line is None:
            problem = (Verdict.NOT_ALLOWED, f"no line {line_no} in an open order")
        elif reason not in reasons:
            problem = (
                Verdict.NOT_ALLOWED,
                f"unknown reason {reason!r}: one of {', '.join(reasons)}",
            )
        elif qty < 1 or (kind != "damaged" and qty > line.remaining):
            problem = (Verdict.NOT_ALLOWED, f"quantity {qty} is not possible on line {line_no}")
        else:
            boss = self.resolve_approver(j, approver)
            if boss is None:
                problem = (
                    Verdict.NEEDS_SUPERVISOR,
                    "a supervisor other than the packer must approve by badge (or badge and PIN)",
                )
        if problem is not None or line is None or boss is None:
            verdict, message = problem or (Verdict.NOT_ALLOWED, "not allowed")
            return Outcome(
                verdict=verdict,
                message=message,
                order_number=state.order_number if state else None,
                lines=state.progress() if state else (),
                awaiting="supervisor" if verdict is Verdict.NEEDS_SUPERVISOR else None,
            )
        return line, boss
