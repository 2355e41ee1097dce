"""The pack bench: the one entry for scans, scale readings and commands of the pack flow. No Qt.

The window (``ui.pack``), ``station pack``, ``station simulate`` and the benchmarks all drive
a :class:`PackBench`; what they show is what it returns, so the flow has one home. Used from
one thread at a time (the window's database worker, or the caller's thread on the command
line); every answer exists only after its COMMIT.

The rules it applies on top of the engine (``PackService``, which decides each scan):

- **acknowledgement**: an error (red) verdict must be seen. It is cleared only by the confirm
  barcode (``CMD-CONFIRM``, the engine answers CONFIRMED) or the acknowledge key, never by the
  Enter that ends every scan (a blank code is nothing at all). Until then every other scan,
  command or order pick is *held back*: not sent to the engine, not stored, not queued.
  Queueing would be wrong: the packer may have put the item aside while reading the banner,
  and a scan counted later, unseen, is the very mistake the banner is there to stop. Because
  the rule runs where the engine runs, in engine order, a scan fired before the red banner
  was even painted is held back too. A supervisor's weight override clears a pending error:
  the supervisor has looked at it;
- **weighing** (``station.packing.weighing``): which readings are weighings, by their own
  timestamps; closing a box weighs it first, and a mismatch is an error like a wrong item;
- **announcing**: each committed outcome goes to the subscribers (the print queue's
  auto-print, the sync nudge, ...) from here, whoever asked for it;
- **carrier rate**: ``CMD-RATE-<n>`` or the rate key picks rate *n* of those offered after
  completion (``rates``: ``station.ship.choice``), held back like any command.

Each code is interpreted once, here, and the interpretation is what the engine decides.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from drivers.scale.worker import ScaleUpdate
from station.barcodes import Command, Interpretation, Interpreter
from station.packing.service import PackService
from station.packing.state import PackState
from station.packing.verdicts import Outcome, Severity, Verdict
from station.packing.weighing import WeightFeed
from station.user_ref import UserRef

CLOSING = (Command.COMPLETE, Command.NEW_BOX)

Clock = Callable[[], float]
Listener = Callable[[Outcome, UserRef | None], None]
Announce = Callable[[Callable[[], None]], None]  # runs (or hands on) one listener's call


def at_once(call: Callable[[], None]) -> None:
    """The default :data:`Announce`: the listener runs now, on the bench's thread."""
    call()


class RatePicker(Protocol):
    """The packer's choice of carrier rate (``station.ship.choice.RateChoices``)."""

    def number_of(self, code: str) -> int | None:
        """The rate number a command barcode picks, or None."""

    def pick(self, number: int, user: UserRef | None) -> Outcome:
        """Choose rate ``number`` of the rates shown now (stored before the answer)."""


@dataclass(frozen=True)
class Held:
    """A scan or command that was not sent: an error waits for its acknowledgement."""

    what: str  # the code as scanned, or the command's name


@dataclass(frozen=True)
class Reply:
    """What the bench answers: the outcome (or what was held back), who is packing now, and
    whether an error still waits for its acknowledgement."""

    result: Outcome | Held
    user: UserRef | None
    pending: bool = False

    @property
    def label(self) -> str:
        """The verdict's name, or ``held`` (what a transcript of a session shows)."""
        return "held" if isinstance(self.result, Held) else self.result.verdict.value


class PackBench:
    """The pack flow of one bench: the acknowledgement and weighing rules around the engine.

    ``clock`` is the monotonic clock of scan and reading timestamps (``ScaleUpdate.at``).
    ``announce`` runs each listener's call for an outcome: at once by default; the window
    hands them to the GUI thread for after the verdict is painted (``DbWorker.after_reply``).
    """

    def __init__(
        self,
        service: PackService,
        interpreter: Interpreter,
        *,
        clock: Clock = time.monotonic,
        announce: Announce = at_once,
    ) -> None:
        self.service = service
        self._announce = announce
        self._interpreter = interpreter
        self._clock = clock
        self._feed = WeightFeed(service)
        self._pending = False
        self._listeners: list[Listener] = []
        self._last_meaning: Interpretation | None = None  # read once for closes() and scan()
        self.rates: RatePicker | None = None  # set where the bench buys carrier labels

    # --- what callers may read -----------------------------------------------------------

    @property
    def pending(self) -> bool:
        """True while an error verdict has not been acknowledged."""
        return self._pending

    @property
    def state(self) -> PackState | None:
        """The open session, as the engine holds it."""
        return self.service.state

    @property
    def user(self) -> UserRef | None:
        """Who is packing (the last badge scanned here, or set by the sign-in)."""
        return self.service.user

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(outcome, user)`` with every outcome (each after its COMMIT; a
        held-back scan is none), through the bench's ``announce`` (by default at once, on the
        bench's thread, before the answer reaches the packer); returns the call that
        unsubscribes it. A listener must not block (hand long work to another thread)."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # --- scans and commands ----------------------------------------------------------------

    def scan(self, code: str, at: float | None = None) -> Reply | None:
        """A scanned or typed code, taken at monotonic time ``at`` (now if None).

        None for a blank code: the Enter that ends every scan means nothing on its own.
        """
        if not code.strip():
            return None
        at = self._clock() if at is None else at
        if self.rates is not None and (number := self.rates.number_of(code)) is not None:
            return self.choose_rate(number, code)
        meaning = self._meaning(code)
        command = meaning.command
        if self._pending and command is not Command.CONFIRM:
            return self._reply(Held(code))
        if command in CLOSING and (stop := self._feed.before_close()) is not None:
            return self._note(stop, at)
        return self._note(self.service.decide(meaning), at)

    def closes(self, code: str) -> bool:
        """True if ``code`` would close a package that holds something (so the caller makes
        sure the scale has spoken first); the interpretation is kept for :meth:`scan`."""
        state = self.service.state
        if state is None or not state.package_items or not code.strip():
            return False
        return self._meaning(code).command in CLOSING

    def command_of(self, code: str) -> Command | None:
        """The command a code stands for under the configured patterns, if any (pure: the
        screen asks it to open the exception dialogs on CMD-SHORT / CMD-DAMAGED)."""
        return self._interpreter.interpret(code).command  # not the worker's cache: GUI thread

    def _meaning(self, code: str) -> Interpretation:
        last = self._last_meaning
        if last is None or last.raw != code:
            last = self._last_meaning = self._interpreter.interpret(code)
        return last

    def command(self, command: Command, name: str, at: float | None = None) -> Reply:
        """A command given by a key or a button (undo, new box, complete, cancel); ``name``
        is what a held-back answer says was not counted."""
        at = self._clock() if at is None else at
        if command is Command.CONFIRM:
            return self.acknowledge()
        if self._pending:
            return self._reply(Held(name))
        if command in CLOSING and (stop := self._feed.before_close()) is not None:
            return self._note(stop, at)
        return self._note(self.service.run_command(command), at)

    def open_order(self, number: str, at: float | None = None) -> Reply:
        """Open an order picked from a list (held back like any command)."""
        at = self._clock() if at is None else at
        if self._pending:
            return self._reply(Held(number))
        return self._note(self.service.open_order(number), at)

    def choose_rate(self, number: int, name: str) -> Reply:
        """The packer picks carrier rate ``number`` of those shown (a key or ``CMD-RATE-n``);
        held back like any command while an error waits."""
        if self._pending:
            return self._reply(Held(name))
        if self.rates is None:
            outcome = Outcome(Verdict.NO_RATE, "this bench buys no carrier labels")
        else:
            outcome = self.rates.pick(number, self.service.user)
        return self._note(outcome, self._clock())

    def acknowledge(self) -> Reply:
        """The acknowledge key: the same as scanning the confirm barcode (and stored alike)."""
        return self._note(self.service.run_command(Command.CONFIRM), self._clock())

    # --- the scale ---------------------------------------------------------------------------

    def reading(self, update: ScaleUpdate) -> Reply | None:
        """Any scale reading; the answer when it was recorded as the package's weighing."""
        if self.service.proof.weighs and self.service.batch.closes_itself():
            return self._weigh_and_close(update)
        outcome = self._feed.reading(update, hold=self._pending)
        return None if outcome is None else self._note(outcome, update.at)

    def _weigh_and_close(self, update: ScaleUpdate) -> Reply | None:
        """Batch mode, the picked order's unit counted: a weighing that passes completes the
        order in the same transaction (one durable commit instead of two: ``station bench
        batch`` p99 144 ms under load with three commits an order). Both answers are given
        after that COMMIT, the pass first, as two separate commits would have given them."""
        with self.service.one_commit():
            weighed = self._feed.reading(update, hold=self._pending)
            done = None
            if weighed is not None and weighed.verdict is Verdict.WEIGHT_PASS:
                done = self.service.run_command(Command.COMPLETE)
        if weighed is None:
            return None
        if done is None:
            return self._note(weighed, update.at)
        self._note(weighed, update.at, closing=False)
        return self._note(done, update.at)

    def weigh(self, name: str, no_weight: str) -> Reply:
        """The weigh key: record the weight on the platter now (held back like any key);
        ``no_weight`` is what to say when no stable weight is there."""
        if self._pending:
            return self._reply(Held(name))
        return self._note(self._feed.weigh_now(no_weight), self._clock())

    def weigh_reading(self, update: ScaleUpdate) -> Reply:
        """Record this reading as the package's weighing, whatever it is: an unsettled scale
        is recorded (with its state) and answered WEIGHT_UNSTABLE, so it can be retried."""
        if self._pending:
            return self._reply(Held("weigh"))
        self._feed.reading(update, hold=True)
        return self._note(self._feed.weigh(update.reading), update.at)

    def override_weight(self, credential: str, reason: str) -> Reply:
        """A supervisor accepts the package's weight; approved, it clears a pending error."""
        outcome = self.service.override_weight(credential, reason)
        if outcome.verdict is Verdict.WEIGHT_OVERRIDE:
            self._pending = False
        return self._note(outcome, self._clock())

    # --- a supervisor's exceptions (never held back: the dialog opens only once errors are
    # acknowledged, and the supervisor at the bench has seen the rest) -----------------------

    def short_ship(self, line_no: int, quantity: int, reason: str, credential: str) -> Reply:
        """Ship a line short, approved by a supervisor's badge (or badge and PIN)."""
        outcome = self.service.short_ship(line_no, quantity, reason, credential)
        return self._note(outcome, self._clock())

    def report_damage(
        self, line_no: int, reason: str, credential: str, *, quantity: int, replaced: bool
    ) -> Reply:
        """Record damaged units, approved by a supervisor's badge (or badge and PIN)."""
        outcome = self.service.report_damage(
            line_no, reason, credential, quantity=quantity, replaced=replaced
        )
        return self._note(outcome, self._clock())

    # --- the rules after each answer ---------------------------------------------------------

    def _note(self, outcome: Outcome, at: float, *, closing: bool = True) -> Reply:
        self._feed.after(outcome, at)
        if outcome.severity is Severity.ERROR:
            self._pending = True
        elif outcome.verdict is Verdict.CONFIRMED:
            self._pending = False
        user = self.service.user
        for listener in tuple(self._listeners):
            self._announce(partial(listener, outcome, user))
        return (closing and self._batch_close(outcome, at)) or self._reply(outcome)

    def _batch_close(self, outcome: Outcome, at: float) -> Reply | None:
        """Single-item batch mode: an order the item picked completes itself (and so prints)
        without another key, once its unit is counted and, where the bench weighs, its weight
        passed; the completion's answer, or None when it is not yet time."""
        if outcome.verdict not in (
            Verdict.ACCEPTED,
            Verdict.WEIGHT_PASS,
            Verdict.INSTRUCTION_CONFIRMED,  # the step that held the completion is done
        ):
            return None
        if not self.service.batch.closes_itself():
            return None
        if outcome.verdict is Verdict.ACCEPTED and self.service.proof.weighs:
            # Not yet: the weight on the platter now may lack the unit in the packer's hand.
            # The reading that settles after this scan is recorded (WeightFeed) and its pass
            # closes the order; a mismatch stops it as any mismatch does.
            return None
        return self.command(Command.COMPLETE, "complete", at)

    def _reply(self, result: Outcome | Held) -> Reply:
        return Reply(result, self.service.user, self._pending)
