"""Rules for what happens to a received unit: grade, recommendation, override, disposal.

Each method runs inside the service's transaction and writes its rows with its outbox event;
an override is also written to the audit log with what the rules had said.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from station.config.returns_model import Answer
from station.outbox import append_event
from station.permissions import Action, allowed
from station.returns.base import InspectionContext, RefusedError, Step
from station.returns.disposition import ItemFacts, Recommendation, overridden, recommend
from station.returns.grading import ChecklistError, assess, photos_required
from station.returns.journal import ReturnJournal
from station.returns.tags import TagRequest, tag_id
from station.returns.verdicts import ReturnVerdict as V
from station.user_ref import UserRef
from station.users import badge_holder


class DecideRules:
    """Grades and disposes of the units of the open inspection."""

    def __init__(self, ctx: InspectionContext) -> None:
        self._ctx = ctx

    def resolve_approver(
        self,
        j: ReturnJournal,
        credential: str | None,
        action: Action = Action.OVERRIDE_DISPOSITION,
    ) -> UserRef | None:
        """Someone who may do ``action``, by badge (or badge and PIN), not the inspector:
        nobody approves their own exception."""
        if not credential:
            return None
        row = badge_holder(j.cur, credential)
        boss = UserRef(*row) if row is not None else None
        approver = self._ctx.approver
        if boss is None and approver is not None:
            boss = approver(credential)
        if boss is None or not allowed(boss, action):
            return None
        if self._ctx.user is not None and boss.id == self._ctx.user.id:
            return None
        return boss

    def assess(
        self,
        j: ReturnJournal,
        item_id: int,
        answers: Mapping[str, Answer],
        observed_reason: str | None,
        notes: str | None,
    ) -> Step:
        state, item = self._ctx.unit(item_id, "received", "assessed")
        if observed_reason is not None and observed_reason not in self._ctx.settings.reasons:
            reasons = ", ".join(self._ctx.settings.reasons)
            raise RefusedError(V.NOT_ALLOWED, f"unknown reason {observed_reason!r}: use {reasons}")
        try:
            result = assess(answers, self._ctx.settings)
        except ChecklistError as exc:
            raise RefusedError(V.NOT_ALLOWED, str(exc)) from None
        if result.grade is None:
            assert result.next_question is not None
            raise RefusedError(
                V.CHECKLIST_OPEN,
                result.next_question.question,
                next_question=result.next_question.key,
            )
        product = j.product(item.product_id) if item.product_id else None
        days = (j.now.date() - state.sale_date).days if state.sale_date else None
        facts = ItemFacts(
            grade=result.grade.code,
            category=product.category if product else None,
            value=product.unit_value if product else None,
            days_since_sale=days,
            verdict=item.verdict,
            fraud=item.fraud,
            observed_reason=observed_reason,
        )
        rec = recommend(facts, self._ctx.settings)
        j.assess(item.id, dict(answers), result.grade.code, observed_reason, notes, rec)
        self._ctx.event(
            j,
            "return.item_assessed",
            item,
            checklist=dict(answers),
            grade=result.grade.code,
            customer_reason=item.customer_reason,
            observed_reason=observed_reason,
            notes=notes,
            verdict=item.verdict,
            fraud=item.fraud,
            days_since_sale=days,
            **rec.to_json(),
        )
        message = f"{tag_id(item.id)} grade {result.grade.code} ({result.grade.name}):"
        message += f" {rec.disposition}, refund {_refund(rec)} ({rec.why})"
        photo = photos_required(result.grade.code, self._ctx.settings) and item.photos == 0
        if photo:
            message += "; take a photo"
        return Step(V.ASSESSED, message, item_id=item.id, extra={"photo_required": photo})

    def _waive_photo(
        self,
        j: ReturnJournal,
        item_id: int,
        grade: str,
        credential: str | None,
        reason: str | None,
    ) -> None:
        """A required photo waived by a supervisor (not the inspector) with a reason, audited;
        else the refusal that asks for the photo (or the waiver)."""
        if not credential:
            raise RefusedError(
                V.PHOTO_REQUIRED,
                f"grade {grade} needs a photo of the unit (or a supervisor's waiver)",
            )
        boss = self.resolve_approver(j, credential, Action.APPROVE_EXCEPTION)
        if boss is None:
            raise RefusedError(
                V.NEEDS_SUPERVISOR,
                "a supervisor other than the inspector must waive the photo by badge"
                " (or badge and PIN)",
            )
        if not (reason or "").strip():
            raise RefusedError(V.NOT_ALLOWED, "a reason is required to waive the photo")
        detail: dict[str, object] = {"grade": grade, "reason": reason, "approved_by": boss.name}
        j.audit(boss.id, "approve.photo_waiver", "return_item", str(item_id), detail)

    def override(
        self,
        j: ReturnJournal,
        item_id: int,
        disposition: str,
        refund: str,
        refund_pct: int | None,
        reason: str,
        approver: str | None,
    ) -> Step:
        _, item = self._ctx.unit(item_id, "assessed")
        try:
            rec = overridden(disposition, refund, refund_pct, reason)
        except ValueError as exc:
            raise RefusedError(V.NOT_ALLOWED, str(exc)) from None
        boss = self.resolve_approver(j, approver)
        if boss is None:
            raise RefusedError(
                V.NEEDS_SUPERVISOR,
                "a supervisor other than the inspector must approve the override by badge"
                " (or badge and PIN)",
            )
        before = Recommendation(
            item.disposition or "", item.refund or "", item.refund_pct or 0, item.rule or "", ""
        )
        stored = j.cur.execute(
            "SELECT recommended FROM return_items WHERE id = ?", (item.id,)
        ).fetchone()[0]
        # A second override keeps what the rules said the first time.
        j.override(item.id, rec, before, self._ctx.user_id, keep_recommended=stored is not None)
        detail: dict[str, object] = {
            "from": before.to_json(),
            "to": rec.to_json(),
            "approved_by": boss.name,
        }
        audit = {**detail, "requested_by": self._ctx.user_id}
        j.audit(boss.id, "approve.disposition_override", "return_item", str(item.id), audit)
        self._ctx.event(j, "return.item_overridden", item, reason=rec.why, **detail)
        message = f"{tag_id(item.id)}: {rec.disposition}, refund {_refund(rec)}"
        message += f" (override approved by {boss.name})"
        return Step(V.OVERRIDDEN, message, item_id=item.id)

    def dispose(
        self,
        j: ReturnJournal,
        item_id: int,
        waiver: str | None = None,
        waiver_reason: str | None = None,
    ) -> Step:
        state, item = self._ctx.unit(item_id, "assessed")
        assert item.disposition is not None
        if item.grade and photos_required(item.grade, self._ctx.settings) and item.photos == 0:
            self._waive_photo(j, item.id, item.grade, waiver, waiver_reason)
        j.set_item_status(item.id, "disposed")
        destination = self._ctx.settings.destination(item.disposition)
        extra: dict[str, object] = {"destination": destination}
        if item.disposition == "restock" and item.product_id is not None:
            on_hand = j.add_stock(item.product_id, 1)
            extra["on_hand"] = on_hand
            self._ctx.event(j, "stock.changed", item, delta=1, on_hand=on_hand, reason="return")
        self._ctx.event(
            j,
            "return.item_disposed",
            item,
            grade=item.grade,
            disposition=item.disposition,
            refund=item.refund,
            refund_pct=item.refund_pct,
            rule=item.rule,
            destination=destination,
            tag=tag_id(item.id),
        )
        tag = TagRequest(
            item.id,
            state.rma_number,
            state.order_number,
            state.order_id,
            item.sku,
            item.grade,
            item.disposition,
            destination,
            self._ctx.user_id,
        )
        message = f"{tag_id(item.id)}: {item.disposition} -> {destination}"
        return Step(V.DISPOSED, message, item_id=item.id, tag=tag, extra=extra)

    def hold(self, j: ReturnJournal, item_id: int, reason: str | None) -> Step:
        """Set an arrived unit aside with a reason (a required photo this bench cannot take, no
        supervisor to waive it): it stays received, counts as arrived, is neither disposed of
        nor refunded, and no longer keeps the parcel open. Audited, with its event."""
        _, item = self._ctx.unit(item_id, "received", "assessed")
        why = (reason or "").strip()
        if not why:
            raise RefusedError(V.NOT_ALLOWED, "a reason is required to hold a unit")
        j.hold(item.id, why)
        detail: dict[str, object] = {"sku": item.sku, "grade": item.grade, "reason": why}
        j.audit(self._ctx.user_id, "return_item.held", "return_item", str(item.id), detail)
        self._ctx.event(j, "return.item_held", item, grade=item.grade, reason=why)
        message = f"{tag_id(item.id)} held: {why}"
        return Step(V.HELD, message, item_id=item.id, extra={"reason": why})

    def complete(self, j: ReturnJournal) -> Step:
        state = self._ctx.state
        if state is None:
            raise RefusedError(V.NO_INSPECTION, "no parcel open")
        live = state.live_items()
        open_items = [tag_id(i.id) for i in live if i.status not in ("disposed", "held")]
        if open_items or state.pending:
            what = ", ".join(open_items) or "the pending capture"
            raise RefusedError(V.NOT_COMPLETE, f"still to finish: {what}")
        missing = {line.sku: n for line, n in state.outstanding()}
        held = [i for i in live if i.status == "held"]
        disposed = [i for i in live if i.status == "disposed"]
        j.complete(state.inspection_id, state.rma_id)
        summary: dict[str, object] = {
            "rma": state.rma_number,
            "order": state.order_number,
            "units": len(live),
            "grades": _count(i.grade for i in live),
            "dispositions": _count(i.disposition for i in live),
            # A held unit has no refund yet: only what was disposed of is refunded.
            "refunds": [{"item": i.id, "refund": i.refund, "pct": i.refund_pct} for i in disposed],
            "held": [{"item": i.id, "sku": i.sku, "reason": i.hold_reason} for i in held],
            "fraud": [i.id for i in live if i.fraud],
            "missing": missing,
            "station": self._ctx.station,
            "at": j.now.isoformat(),
        }
        append_event(j.cur, "return.inspection_completed", summary, j.now)
        message = f"{state.rma_number} done: {len(live)} units"
        if held:
            message += "; held: " + ", ".join(f"{i.sku} ({i.hold_reason})" for i in held)
        if missing:
            message += "; not received: " + ", ".join(f"{n} x {s}" for s, n in missing.items())
        return Step(V.COMPLETED, message, inspection_id=state.inspection_id, extra=summary)


def _refund(rec: Recommendation) -> str:
    return f"partial {rec.refund_pct}%" if rec.refund == "partial" else rec.refund


def _count(values: Iterable[str | None]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        if v is not None:
            out[str(v)] = out.get(str(v), 0) + 1
    return out
