"""A headless packer: N orders through the real engine and emulated devices, with mistakes.

``station simulate`` (and the returns, sync and reliability work that needs packed orders)
runs this. Every scan goes in through the serial scanner driver reading a pty emulator, every
weight through the scale driver's stable-weight rule reading an MT-SICS emulator, photos are
taken of a generated frame, and labels go through the print queue's worker to a TCP printer
emulator. Nothing is invented in the database: orders are the open ones already there, and
each change is what a bench would write (scans, weights, photos, exceptions, print jobs and
their outbox events).

Mistakes, each drawn per order with probability ``mistakes`` and then corrected as a packer
would: a wrong item scanned (put back), a unit scanned once too often (taken out), and a
wrong weight: either a unit put in unscanned (scanned once the scale says so; a unit lighter
than the tolerance passes unseen, and is scanned all the same) or a heavier box (a supervisor
overrides with a reason). Orders of more than ``UNITS_PER_BOX`` units go in several packages.

After a crash the station resumes where the database says it was: ``resumable_order`` is the
order this station had open (it comes first), the packer cancels a capture the crash left
pending, and it packs what remains (serials continue after those already packed). Each
committed answer of the engine can be reported as it commits (``on_commit``): the crash tests
hold the station to what it reported.

Scale-confirmed scans are switched off for the simulated packer: it puts a whole package on
the scale once, rather than unit by unit, so every scan would be refused as unconfirmed.

The packer works at a pack bench (``station.packing.bench``), as the window and ``station
pack`` do: it acknowledges each red verdict (the acknowledge key) before going on, and a scale
that does not settle is a weighing recorded as unsettled and tried again (up to
``WEIGH_ATTEMPTS`` times), not the end of the run.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from station.barcodes import Command, Interpreter
from station.config import Settings
from station.db import Database
from station.db.models import Role
from station.packing.approvals import badge_and_pin_approver
from station.packing.bench import Held, PackBench, Reply
from station.packing.completion import LabelCompletion
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.state import LineState
from station.packing.verdicts import Outcome, Severity, Verdict
from station.tools.demo.seeding import USERS as DEMO_USERS
from station.tools.simulate.rig import Rig, SimulationError, UnsettledError
from station.users import find_by_badge

UNITS_PER_BOX = 10  # a bigger order is split into packages of this many units
_CANCELLED = (Verdict.CAPTURE_CANCELLED, Verdict.NOTHING_TO_UNDO)
OVERRIDE_REASON = "heavier void fill, contents checked"
WEIGH_ATTEMPTS = 5  # a scale that settles in none of these is a finding, not a glitch


@dataclass
class Tally:
    """What a simulation did, counted as it goes."""

    orders_packed: int = 0
    packages: int = 0
    problems: Counter[str] = field(default_factory=Counter)  # verdicts that were not a success
    mistakes: Counter[str] = field(default_factory=Counter)
    jobs: list[int] = field(default_factory=list)
    labels_confirmed: int = 0


def packable_orders(db: Database, limit: int) -> list[str]:
    """Open orders whose every product has a barcode, most urgent first."""
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT number FROM orders o WHERE status = 'open' AND NOT EXISTS (SELECT 1 FROM"
            " order_lines l WHERE l.order_id = o.id AND NOT EXISTS (SELECT 1 FROM"
            " product_barcodes b WHERE b.product_id = l.product_id)) AND EXISTS (SELECT 1 FROM"
            " order_lines l WHERE l.order_id = o.id) ORDER BY priority DESC, id LIMIT ?",
            (limit,),
        )
        return [str(n) for (n,) in rows]


def resumable_order(db: Database, station: str) -> str | None:
    """The order whose session this station had open when it stopped, if any."""
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT o.number FROM pack_sessions s JOIN orders o ON o.id = s.order_id"
            " WHERE s.station = ? AND s.status = 'open' ORDER BY s.id DESC LIMIT 1",
            (station,),
        ).first()
    return None if row is None else str(row[0])


def _badges(db: Database) -> tuple[str | None, str | None]:
    """A packer's badge and a supervisor's (None when the database has no such user).

    The database keeps only badge hashes, so the simulated packer carries the demo users'
    badges and uses those that open an active user of the right role here.
    """
    with Session(db.engine) as session:

        def first(roles: tuple[Role, ...]) -> str | None:
            for _name, _role, badge, _pin in DEMO_USERS:
                user = find_by_badge(session, badge)
                if user is not None and user.role in roles:
                    return badge
            return None

        return first((Role.PACKER,)), first((Role.SUPERVISOR, Role.ADMIN))


def unit_scans(line: LineState, serial: str, expiry: str) -> list[str]:
    """What a packer scans for one unit of ``line``: one GS1 code carrying the serial or lot
    (and expiry, as YYMMDD) when the product has a GTIN, else the barcode and then each."""
    code, lot = line.barcode, f"L{serial}"
    gs1 = f"]C101{code.zfill(14)}" if code.isdigit() else None
    if line.tracking == "serial":
        return [f"{gs1}21{serial}"] if gs1 else [code, serial]
    if line.tracking == "lot":
        return [f"{gs1}10{lot}"] if gs1 else [code, lot]
    if line.tracking == "lot_expiry":
        return [f"{gs1}17{expiry}10{lot}"] if gs1 else [code, lot, expiry]
    return [code]


def unit_weight(db: Database, product_id: int) -> float:
    """A product's unit weight in grams (0 when unknown)."""
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT unit_weight_g FROM products WHERE id = ?", (product_id,)
        ).first()
    return float(row[0]) if row is not None and row[0] is not None else 0.0


def stray_barcode(db: Database, order_id: int, rng: random.Random) -> str:
    """The GTIN of a product that is nowhere in the order, nor in one of its kits."""
    with db.engine.connect() as conn:
        codes = [
            str(c)
            for (c,) in conn.exec_driver_sql(
                "SELECT b.raw FROM product_barcodes b WHERE b.raw GLOB '[0-9]*'"
                " AND b.product_id NOT IN (SELECT product_id FROM order_lines WHERE order_id = ?"
                " UNION SELECT k.component_id FROM kit_components k JOIN order_lines l"
                " ON l.product_id = k.kit_id WHERE l.order_id = ?) ORDER BY b.id LIMIT 50",
                (order_id, order_id),
            )
        ]
    if not codes:
        raise SimulationError("no product outside the order to scan by mistake")
    return rng.choice(codes)


def package_ssccs(db: Database, number: str) -> list[str]:
    """The SSCCs on the shipping labels of packed order ``number``, by package."""
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT p.sscc FROM packages p JOIN orders o ON o.id = p.order_id"
            " WHERE o.number = ? AND p.sscc IS NOT NULL ORDER BY p.session_id, p.seq_no",
            (number,),
        )
        return [str(s) for (s,) in rows]


class Packer:
    """One simulated packer at one bench: scans, weighs, corrects, completes."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        rig: Rig,
        completion: LabelCompletion | None,
        *,
        rng: random.Random,
        mistakes: float,
        on_commit: Callable[[Outcome], None] | None = None,
    ) -> None:
        weight = replace(settings.weight, scale_confirmed_scans=False)  # see the docstring
        proof = replace(
            ProofOptions.from_settings(settings, camera=rig.snapshot),
            weight=weight,
            require_weight=True,  # the packer weighs every package on the emulated scale
        )
        interpreter = Interpreter(settings.barcodes)
        self.service = PackService(
            db,
            interpreter,
            settings.packing,
            settings.station_name,
            approver=badge_and_pin_approver(db),
            proof=proof,
        )
        self.bench = PackBench(self.service, interpreter)
        self._db, self._rig, self._completion = db, rig, completion
        self._rng, self._rate = rng, mistakes
        self._on_commit = on_commit
        self._scan_back = settings.labels.scan_back
        self._expiry = (datetime.now(UTC) + timedelta(days=400)).strftime("%y%m%d")
        self.tally = Tally()
        self.packer_badge, self.supervisor_badge = _badges(db)

    def close(self) -> None:
        """Give the engine's connection back."""
        self.service.close()

    # --- one order ---------------------------------------------------------------------------

    def pack(self, number: str) -> None:
        """Pack order ``number`` completely, making and correcting the drawn mistakes."""
        if self.packer_badge and self.service.user is None:
            self._expect(self.scan(self.packer_badge), Verdict.USER_CHANGED)
        self._expect(self.scan(number), Verdict.ORDER_OPENED, Verdict.ORDER_RESUMED)
        state = self.service.state
        assert state is not None
        if state.pending is not None or state.quantity is not None:
            # A crash between a unit and its serial or lot: start that unit again.
            self._expect(self._command(Command.CANCEL), *_CANCELLED)
            state = self.service.state
            assert state is not None
        units = [line for line in state.lines for _ in range(line.remaining)]
        drawn = {k for k in ("wrong_item", "over_scan", "wrong_weight") if self._draw()}
        self.tally.mistakes.update(drawn)
        heavier = "wrong_weight" in drawn and self.supervisor_badge is not None and self._draw(0.5)
        unscanned = "wrong_weight" in drawn and not heavier
        stray_at = self._rng.randrange(len(units)) if "wrong_item" in drawn and units else None
        boxes = [units[i : i + UNITS_PER_BOX] for i in range(0, len(units), UNITS_PER_BOX)]
        if not boxes and state.package_items:
            boxes = [[]]  # resumed with every unit in: the open box is still to be weighed
        # Serials go on from those a crashed run already packed (they must stay unique).
        done = sum(line.packed for line in state.lines)
        stray_at = None if stray_at is None else stray_at + done
        for n, box in enumerate(boxes):
            last = n == len(boxes) - 1
            held = box.pop() if last and unscanned and box else None
            for line in box:
                if done == stray_at:
                    self._expect(self.scan(self._stray(state.order_id)), Verdict.WRONG_ITEM)
                self._unit(line, done)
                done += 1
            if last and stray_at is not None and stray_at >= done:  # it fell on the held unit
                self._expect(self.scan(self._stray(state.order_id)), Verdict.WRONG_ITEM)
            self._close_box(held, done, heavier=last and heavier)
            done += held is not None
            if last and "over_scan" in drawn and units:  # one unit more than wanted: taken out
                self._expect(self.scan(self._rng.choice(units).barcode), Verdict.OVER_SCAN)
            if not last:
                self._expect(self._command(Command.NEW_BOX), Verdict.PACKAGE_OPENED)
        outcome = self._expect(self._command(Command.COMPLETE), Verdict.COMPLETED)
        self.tally.orders_packed += 1
        self.tally.packages += len(boxes)
        self._labels(outcome)

    def _draw(self, rate: float | None = None) -> bool:
        return self._rng.random() < (self._rate if rate is None else rate)

    def _unit(self, line: LineState, n: int) -> None:
        """Scan one unit of ``line`` with what its tracking asks for (serial, lot, expiry)."""
        order_id = self.service.state.order_id if self.service.state else 0
        outcome = None
        for raw in unit_scans(line, f"SIM{order_id}U{n}", self._expiry):
            outcome = self.scan(raw)
        assert outcome is not None
        self._expect(outcome, Verdict.ACCEPTED)

    def _close_box(self, held: LineState | None, units_before: int, *, heavier: bool) -> None:
        """Scan the suggested box, weigh it, and settle a wrong weight."""
        suggestion = self.service.suggest_box()
        if suggestion is not None and suggestion.box is not None:
            self._expect(self.scan(suggestion.box.code), Verdict.BOX_SELECTED)
        expectation = self.service.expected_weight()
        assert expectation is not None
        tolerance, expected = expectation.tolerance_g, expectation.expected_g
        if held is not None:  # in the box, not scanned: the scale says so, the packer scans it
            grams = expected + unit_weight(self._db, held.product_id)
            # A unit lighter than the tolerance passes unseen; the packer still scans it.
            self._expect(self._weigh(grams), Verdict.WEIGHT_MISMATCH, Verdict.WEIGHT_PASS)
            self._unit(held, units_before)
            expectation = self.service.expected_weight()
            assert expectation is not None
            expected = expectation.expected_g
        elif heavier and self.supervisor_badge is not None:
            # Heavier than the catalog allows; a set with a history is judged by its packs
            # instead, whose band may be wider (boxes of it accepted heavy before): a pass then.
            weighed = self._weigh(expected + 2 * tolerance + 10)
            self._expect(weighed, Verdict.WEIGHT_MISMATCH, Verdict.WEIGHT_PASS)
            if weighed.verdict is Verdict.WEIGHT_MISMATCH:
                approved = self.bench.override_weight(self.supervisor_badge, OVERRIDE_REASON)
                self._expect(self._answer(approved), Verdict.WEIGHT_OVERRIDE)
            return
        noise = self._rng.uniform(-1, 1) * min(5.0, tolerance / 4)
        self._expect(self._weigh(expected + noise), Verdict.WEIGHT_PASS)

    def _labels(self, outcome: Outcome) -> None:
        """Auto-print, and (``[labels] scan_back``) scan each shipping label back."""
        if self._completion is None:
            return
        user = self.service.user
        jobs = self._completion.after(outcome, user.id if user else None)
        self.tally.jobs += jobs
        if not self._scan_back:
            return
        for sscc in package_ssccs(self._db, outcome.order_number or ""):
            self._expect(self.scan(f"]C100{sscc}"), Verdict.CONFIRMED)
            self.tally.labels_confirmed += 1

    # --- devices and answers --------------------------------------------------------------

    def scan(self, code: str) -> Outcome:
        """Send ``code`` through the emulated scanner; the bench's answer to what the driver
        delivered."""
        delivered = self._rig.scan(code)
        return self._answer(self.bench.scan(delivered))

    def _command(self, command: Command) -> Outcome:
        """A key pressed at the bench (cancel, new box, complete)."""
        return self._answer(self.bench.command(command, command.value))

    def _weigh(self, grams: float) -> Outcome:
        """Put ``grams`` on the scale; the bench weighs it by itself (the last unit is in) or
        at the weigh key. An unsettled scale is recorded as such and weighed again."""
        for attempt in range(1, WEIGH_ATTEMPTS + 1):
            try:
                update = self._rig.weigh(grams)
            except UnsettledError as exc:
                last = exc.last or ScaleUpdate(_SILENT, accepted=False)
                unsettled = self._answer(self.bench.weigh_reading(last))
                if attempt == WEIGH_ATTEMPTS:
                    raise SimulationError(f"{exc} ({WEIGH_ATTEMPTS} attempts)") from None
                self._expect(unsettled, Verdict.WEIGHT_UNSTABLE)
                continue
            reply = self.bench.reading(update)
            return self._answer(reply if reply is not None else self.bench.weigh_reading(update))
        raise AssertionError("unreachable")

    def _answer(self, reply: Reply | None) -> Outcome:
        """The outcome of a reply (nothing is held back: red verdicts are acknowledged)."""
        if reply is None or isinstance(reply.result, Held):
            raise SimulationError(f"the bench held back or ignored a scan: {reply}")
        outcome = self._done(reply.result)
        if reply.pending:  # a red verdict: the packer reads it and presses the acknowledge key
            self._expect(self._done(_result(self.bench.acknowledge())), Verdict.CONFIRMED)
        return outcome

    def _done(self, outcome: Outcome) -> Outcome:
        """Count a committed answer and report it (``on_commit``) before going on."""
        # An override is a success, but an exception all the same (it is recorded as one).
        problem = outcome.severity in (Severity.WARNING, Severity.ERROR)
        if problem or outcome.verdict is Verdict.WEIGHT_OVERRIDE:
            self.tally.problems[outcome.verdict.value] += 1
        if self._on_commit is not None:
            self._on_commit(outcome)
        return outcome

    def _expect(self, outcome: Outcome, *verdicts: Verdict) -> Outcome:
        if outcome.verdict not in verdicts:
            wanted = " or ".join(v.value for v in verdicts)
            raise SimulationError(
                f"order {outcome.order_number or '-'}: expected {wanted}, the engine said"
                f" {outcome.verdict.value}: {outcome.message}"
            )
        return outcome

    def _stray(self, order_id: int) -> str:
        """The barcode of a product that is nowhere in the order (nor in its kits)."""
        return stray_barcode(self._db, order_id, self._rng)


_SILENT = ScaleReading(ScaleState.UNKNOWN, None, None, "", detail="no answer")


def _result(reply: Reply) -> Outcome:
    if isinstance(reply.result, Held):
        raise SimulationError(f"the bench held back {reply.result.what!r}")
    return reply.result
