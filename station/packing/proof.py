"""Proof of the pack in the engine: weighing, scale-confirmed scans, photos, box suggestion.

A rule object of ``PackService`` like the others: it is the ``PackageProof`` the item and
command rules are given (``station.packing.rules``), and the engine's weighing, photo and box
API. Every weight the engine is given is recorded
(``weight_readings`` + a ``weight.recorded`` event) in one transaction with the decision it led
to; the decision itself comes from the pure rules in ``station.packing.weight``.

A package's ``weight_status``: ``pending`` (not weighed since its content or box last changed),
``pass``, ``fail`` (a mismatch: it cannot be closed until re-weighed within tolerance,
corrected, or overridden), ``unknown`` (a product has no usable weight: a supervisor must check
and override) or ``override`` (a supervisor accepted it, with a reason).

Scale-confirmed scans (``[weight] scale_confirmed_scans``): the packer puts the unit in the box
on the scale, then scans it. The engine is told each reading (``observe_weight``); a scan is
accepted only if the stable weight rose by about one unit since the last accepted unit. When
it did not, the scan is NOT counted (SCAN_WEIGHT_MISMATCH): a count the scale contradicts would
be a lie on the packing slip, and scanning again once the box is right costs a second.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from drivers.scale.model import ScaleReading, ScaleState
from station.config import Settings, WeightSettings
from station.packing import history
from station.packing.billed import billed_weight
from station.packing.boxes import BoxSuggestion, suggest_box
from station.packing.journal import Journal
from station.packing.proof_sql import (
    Reading,
    box_items,
    box_types,
    expectation,
    has_photo,
    insert_reading,
    order_weights,
    package_box,
    package_items,
    package_weight,
    reset_weight,
    set_package_weight,
    set_status,
    store_learned,
    unit_weight,
)
from station.packing.rules import ApproverCheck, Draft, PackContext, Transaction, verdict
from station.packing.verdicts import Outcome, Verdict
from station.packing.weight import (
    Expectation,
    ProductWeight,
    ScaleTrack,
    ScanCheck,
    WeightStatus,
    decide,
    learn,
    scan_check,
)
from station.permissions import Action
from station.photos import PhotoStore, Snapshot, photograph

log = logging.getLogger(__name__)

_STATE_TEXT = {
    ScaleState.MOVING: "moving: wait until it settles",
    ScaleState.NEGATIVE: "below zero: re-zero it",
    ScaleState.UNDERLOAD: "under its range: re-zero it",
    ScaleState.OVERLOAD: "overloaded: too heavy for this scale",
    ScaleState.FAULT: "in fault",
    ScaleState.UNKNOWN: "not answering clearly",
}


@dataclass(frozen=True)
class ProofOptions:
    """How packages are proven at this bench: weight, photos, scale-confirmed scans."""

    weight: WeightSettings = field(default_factory=WeightSettings)
    require_weight: bool = False  # closing a package needs a weight check (pass or override)
    photo_mode: str = "off"  # "required", "optional" or "off"
    photos: PhotoStore | None = None
    # The newest full-resolution frame, e.g. ``lambda: camera.snapshot(timeout_s=0.2)``. It is
    # called inside the closing transaction, so it must not wait long for a frame.
    camera: Snapshot | None = None

    @classmethod
    def from_settings(cls, settings: Settings, camera: Snapshot | None = None) -> ProofOptions:
        """The bench's options: a weight is required whenever a scale is configured."""
        mode = settings.photos.mode
        if mode == "optional" and camera is None:
            # No camera on this bench: an optional photo is never taken, which is no news worth
            # a warning per package ("required" still refuses to close without one).
            mode = "off"
        return cls(
            weight=settings.weight,
            require_weight=settings.devices.scale.kind != "none",
            photo_mode=mode,
            photos=PhotoStore.from_settings(settings.photo_dir, settings.photos),
            camera=camera,
        )


def state_message(reading: ScaleReading) -> str:
    """Why a reading gives no weight, naming the scale's state (never "0 g")."""
    text = _STATE_TEXT.get(reading.state, reading.state.value)
    detail = f" ({reading.detail})" if reading.detail else ""
    return f"scale {text}{detail}: no weight taken"


class ProofRules:
    """Weight check, scale-confirmed scans, photo proof and box suggestion of the open package.

    ``tx`` opens the engine's transaction (weighings and overrides are not scans); ``approve``
    finds a supervisor by badge or PIN (``SupervisorRules.resolve_approver``); ``conn`` and
    ``clock`` serve the reads outside a transaction (expected weight, box suggestion).
    """

    def __init__(
        self,
        ctx: PackContext,
        options: ProofOptions,
        *,
        tx: Transaction,
        approve: ApproverCheck,
        conn: sqlite3.Connection,
        clock: Callable[[], datetime],
    ) -> None:
        self._ctx = ctx
        self._proof = options
        self._tx = tx
        self._approve = approve
        self._conn = conn
        self._clock = clock
        self._track = ScaleTrack()
        self._unit_check: ScanCheck | None = None  # from refuse_unit to unit_counted

    # --- public API ----------------------------------------------------------------------

    @property
    def weighs(self) -> bool:
        """True when closing a package needs its weight checked (a scale is configured)."""
        return self._proof.require_weight

    def observe_weight(self, reading: ScaleReading) -> None:
        """Tell the engine what the scale shows now (memory only: no decision, no write)."""
        self._track.observe(reading)

    def record_weight(self, reading: ScaleReading) -> Outcome:
        """Weigh the open package: only a stable reading is a weight; record the decision."""
        self.observe_weight(reading)
        with self._tx() as j:
            state = self._ctx.state
            if state is None:
                return self._answer(Verdict.NO_ORDER_OPEN, "no order open: nothing to weigh")
            if not reading.stable or reading.weight_g is None:
                message = state_message(reading)
                self._reading(j, reading, None, "unstable", message)
                extra: dict[str, object] = {"scale_state": reading.state.value}
                return self._answer(Verdict.WEIGHT_UNSTABLE, message, extra)
            s = self._proof.weight
            items, e = expectation(j, state, s, net=reading.net)
            usable = [p for p in items if p.sku not in e.unknown and p.unit_weight_g]
            missing = [(p.sku, p.unit_weight_g or 0.0) for p in usable]
            extra_skus = self._order_weights(j, state.order_id)
            key = self._key(j, items, reading.net)
            spread = history.recall(j.cur, key, s) if key is not None else None
            if key is not None and spread is not None:
                rule = "history"
                check = history.judge(spread, key, reading.weight_g, s, missing, extra_skus)
                e = history.as_expectation(e, spread, s)
            else:
                rule = "expected"
                check = decide(e, reading.weight_g, missing, extra_skus)
            self._reading(j, reading, e, check.status.value, check.message, hint=check.hint)
            set_package_weight(j, state.package_id, check.status, reading.weight_g, e)
            self._track.weighed = (state.package_id, reading.weight_g, reading.net)
            if check.status is WeightStatus.PASS:
                self._learn(j, reading.weight_g, reading.net)
                self._verified(j, reading.weight_g, reading.net)
        verdict = {
            WeightStatus.PASS: Verdict.WEIGHT_PASS,
            WeightStatus.FAIL: Verdict.WEIGHT_MISMATCH,
        }.get(check.status, Verdict.WEIGHT_UNKNOWN)
        extra = {
            "measured_g": check.measured_g,
            "expected_g": check.expected_g,
            "tolerance_g": check.tolerance_g,
            "difference_g": check.difference_g,
            "hint": check.hint,
            "estimated": list(e.estimated),
            "unknown": list(e.unknown),
            # Which rule judged the package: "history" (its SKU set in its box) or "expected".
            "rule": rule,
            "history_packs": spread.packs if spread is not None else 0,
        }
        awaiting = "supervisor" if verdict is Verdict.WEIGHT_UNKNOWN else None
        return self._answer(verdict, check.message, extra, awaiting)

    def override_weight(self, approver: str, reason: str) -> Outcome:
        """A supervisor (not the packer) accepts the open package's weight, with a reason."""
        with self._tx() as j:
            state = self._ctx.state
            if state is None:
                return self._answer(Verdict.NO_ORDER_OPEN, "no order open")
            status, weight_g, expected_g = package_weight(j, state.package_id)
            if not reason.strip():
                return self._answer(Verdict.NOT_ALLOWED, "an override needs a reason")
            if status in (WeightStatus.PASS, WeightStatus.OVERRIDE):
                return self._answer(
                    Verdict.NOT_ALLOWED, f"package {state.package_no}: weight already {status}"
                )
            boss = self._approve(j, approver, Action.OVERRIDE_WEIGHT)
            if boss is None:
                return self._answer(
                    Verdict.NEEDS_SUPERVISOR,
                    "a supervisor other than the packer must approve by badge (or badge and PIN)",
                    awaiting="supervisor",
                )
            packer = self._ctx.user.id if self._ctx.user else None
            row = Reading(weight_g, "none", "", expected_g, None, "override", reason.strip())
            insert_reading(j, state, self._ctx.user, row, approved_by=boss)
            j.insert_exception(
                state, "weight_override", "weight", None, 0, reason.strip(), packer, boss.id
            )
            j.audit(
                boss.id,
                "approve.weight_override",
                "package",
                str(state.package_id),
                {"was": status, "weight_g": weight_g, "expected_g": expected_g, "reason": reason},
            )
            set_status(j, state.package_id, WeightStatus.OVERRIDE)
            weighed = self._track.weighed
            if weighed is not None and weighed[0] == state.package_id:
                self._learn(j, weighed[1], weighed[2])
                self._verified(j, weighed[1], weighed[2])
        return self._answer(
            Verdict.WEIGHT_OVERRIDE,
            f"package {state.package_no}: weight accepted by {boss.name} ({reason.strip()})",
        )

    def take_photo(self, kind: str = "package") -> Outcome:
        """Photograph the open package now (an exception, damage, or before completion)."""
        with self._tx() as j:
            if self._ctx.state is None:
                return self._answer(Verdict.NO_ORDER_OPEN, "no order open")
            why = self._photo(j, kind)
        if why:
            return self._answer(Verdict.PHOTO_REQUIRED, f"no photo taken: {why}")
        return self._answer(Verdict.PHOTO_TAKEN, f"photo of package {self._ctx.state.package_no}")

    def suggest_box(self) -> BoxSuggestion | None:
        """The box for the open package's items: the smallest, or the one billed least where
        the hub gave its carriers' DIM rules (None when no order is open)."""
        if self._ctx.state is None:
            return None
        cur = self._conn.cursor()
        try:
            j = Journal(cur, self._ctx.station, self._clock())
            items = box_items(j, self._ctx.state.package_id)
            return suggest_box(items, box_types(j), billed_weight(j.cur))
        finally:
            cur.close()

    def expected_weight(self) -> Expectation | None:
        """What the open package should weigh now (for the screen), or None."""
        if self._ctx.state is None:
            return None
        cur = self._conn.cursor()
        try:
            j = Journal(cur, self._ctx.station, self._clock())
            return expectation(j, self._ctx.state, self._proof.weight, net=False)[1]
        finally:
            cur.close()

    # --- the PackageProof of the item and command rules -------------------------------------

    def refuse_unit(self, j: Journal, d: Draft, qty: int) -> Draft | None:
        """Scale-confirmed scans: a unit is counted only if the stable weight rose by it."""
        state = self._ctx.state
        self._unit_check = None
        if not self._proof.weight.scale_confirmed_scans or state is None or d.product is None:
            return None
        track = self._track
        track.for_package(state.package_id)
        if track.state is not ScaleState.STABLE or track.current_g is None:
            what = track.state.value if track.state else "silent"
            d.line_id = None
            message = f"{d.product.sku} not counted: the scale is {what}; scan again once stable"
            self._scan_reading(j, None, "scan_unstable", message)
            return verdict(d, Verdict.WEIGHT_UNSTABLE, message)
        unit = unit_weight(j, d.product.id, self._proof.weight.learn_min_samples)
        now_g, sku, s = track.current_g, d.product.sku, self._proof.weight
        checks = [scan_check(now_g - ref, unit, qty, sku, s) for ref in track.references()]
        check = next((c for c in checks if c.ok), None)
        check = check or (checks[0] if checks else scan_check(None, unit, qty, sku, s))
        if not check.ok:
            d.line_id = None
            self._scan_reading(j, check.expected_g, "scan_fail", check.message)
            return verdict(d, Verdict.SCAN_WEIGHT_MISMATCH, check.message)
        self._unit_check = check
        return None

    def unit_counted(self, j: Journal, d: Draft, qty: int) -> None:
        """A unit went in: the weight check starts over; a confirmed unit is the baseline."""
        self.package_changed(j)
        check, self._unit_check = self._unit_check, None
        if check is not None:
            self._track.accepted()
            decision = "scan_pass" if check.expected_g is not None else "scan_skip"
            self._scan_reading(j, check.expected_g, decision, check.message)

    def package_changed(self, j: Journal) -> None:
        """The package is not what was weighed any more."""
        if self._ctx.state is not None:
            reset_weight(j, self._ctx.state.package_id)
            history.forget(j.cur, self._ctx.state.package_id)
        self._track.changed()

    def before_close(self, j: Journal, d: Draft) -> Draft | None:
        """Weight passed (or overridden), photo taken: else the refusal to close."""
        state = self._ctx.state
        assert state is not None
        if state.package_items == 0:
            return None  # an empty last box (all short-shipped) ships nothing to prove
        status, weight_g, expected_g = package_weight(j, state.package_id)
        no = state.package_no
        if status is WeightStatus.FAIL:
            return verdict(
                d,
                Verdict.NOT_COMPLETE,
                f"package {no} weighs {weight_g or 0:.0f} g, expected {expected_g or 0:.0f} g:"
                " re-weigh it, correct it, or a supervisor overrides",
            )
        if status is WeightStatus.UNKNOWN:
            return verdict(
                d, Verdict.NOT_COMPLETE, f"package {no}: unknown product weight, supervisor check"
            )
        if status is WeightStatus.PENDING and self._proof.require_weight:
            return verdict(d, Verdict.NOT_COMPLETE, f"package {no}: weigh it first")
        mode = self._proof.photo_mode
        if mode == "off":
            return None
        why = self._photo(j, "completion")
        if why and mode == "required" and not has_photo(j, state.package_id):
            return verdict(d, Verdict.PHOTO_REQUIRED, f"package {no}: photo required ({why})")
        if why:
            log.warning("package %s of %s closed without a photo: %s", no, state.order_number, why)
        return None

    # --- helpers ---------------------------------------------------------------------------

    def _answer(
        self,
        verdict: Verdict,
        message: str,
        extra: dict[str, object] | None = None,
        awaiting: str | None = None,
    ) -> Outcome:
        state = self._ctx.state
        return Outcome(
            verdict=verdict,
            message=message,
            order_number=state.order_number if state else None,
            lines=state.progress() if state else (),
            package_no=state.package_no if state else None,
            awaiting=awaiting,
            user=self._ctx.user.name if self._ctx.user else None,
            extra=extra or {},
        )

    def _reading(
        self,
        j: Journal,
        reading: ScaleReading,
        e: Expectation | None,
        decision: str,
        reason: str,
        hint: str = "",
    ) -> None:
        assert self._ctx.state is not None
        row = Reading(
            reading.weight_g if reading.stable else None,
            reading.state.value,
            reading.raw,
            e.expected_g if e else None,
            e.tolerance_g if e else None,
            decision,
            reason,
            hint,
        )
        insert_reading(j, self._ctx.state, self._ctx.user, row)

    def _scan_reading(self, j: Journal, expected: float | None, decision: str, why: str) -> None:
        assert self._ctx.state is not None
        t = self._track
        state = t.state.value if t.state else "unknown"
        weight = t.current_g if t.state is ScaleState.STABLE else None
        row = Reading(weight, state, t.raw, expected, None, decision, why)
        insert_reading(j, self._ctx.state, self._ctx.user, row)

    def _order_weights(self, j: Journal, order_id: int) -> list[tuple[str, float]]:
        return order_weights(j, order_id, self._proof.weight.learn_min_samples)

    def _key(self, j: Journal, items: list[ProductWeight], net: bool) -> history.PackKey | None:
        """The open package's SKU set and box, as the weight history knows them."""
        assert self._ctx.state is not None
        box = package_box(j, self._ctx.state.package_id)
        return history.PackKey.of(items, history.box_key(box.code if box else None, net))

    def _verified(self, j: Journal, measured_g: float, net: bool) -> None:
        """A pass or a supervisor's override: the package's weight joins its history."""
        assert self._ctx.state is not None
        package_id = self._ctx.state.package_id
        key = self._key(j, package_items(j, package_id), net)
        if key is not None:
            history.remember(j.cur, package_id, key, measured_g, j.now)

    def _learn(self, j: Journal, measured_g: float, net: bool) -> None:
        """Refine the estimate of the package's one product without a catalog weight."""
        assert self._ctx.state is not None
        items, tare = package_items(j, self._ctx.state.package_id), None
        box = package_box(j, self._ctx.state.package_id)
        if net:
            tare = 0.0
        elif box is not None:
            tare = box.tare_g
        if tare is None:
            return  # an assumed box's tare would teach a guess as if it were a weight
        learned = learn(items, measured_g, tare, self._proof.weight)
        if learned is not None:
            store_learned(j, learned, self._ctx.user.id if self._ctx.user else None)

    def _photo(self, j: Journal, kind: str) -> str:
        """Photograph the open package; "" when recorded, else the reason none was taken."""
        state = self._ctx.state
        assert state is not None
        _, weight_g, _ = package_weight(j, state.package_id)
        user = self._ctx.user
        lines = [
            f"Order {state.order_number}  package {state.package_no}  station {self._ctx.station}",
            f"{user.name if user else '-'}  {j.now:%Y-%m-%d %H:%M:%S} UTC  "
            + (f"{weight_g:.0f} g" if weight_g is not None else "not weighed"),
        ]
        context: dict[str, object] = {
            "order": state.order_number,
            "package": state.package_no,
            "station": self._ctx.station,
            "user": user.name if user else None,
        }
        return photograph(
            j.cur,
            self._proof.photos,
            self._proof.camera,
            lines=lines,
            kind=kind,
            order_id=state.order_id,
            package_id=state.package_id,
            user_id=user.id if user else None,
            now=j.now,
            event=context,
        )
