"""The rule that an error verdict is acknowledged before anything else reaches the engine.

An error (red) verdict must be seen. It is cleared only by the confirm barcode
(``CMD-CONFIRM``, the engine answers CONFIRMED) or the acknowledge key, never by the Enter
that ends every scan. Until then every other scan, command or order pick is *held back*: not
sent to the engine, not stored, not queued. Queueing would be wrong: the packer may have put
the item aside while reading the banner, and a scan counted later, unseen, is the very
mistake the banner is there to stop. The screen says "not counted: acknowledge, then scan it
again".

The gate runs on the database worker thread, in the same order as the engine calls: a scan
fired by the scanner before the red banner was even painted is held back too, which a check
on the GUI thread could not promise. No Qt here.

Weighings pass through here too (``ui.pack.weighing`` decides which readings are weighings):
a weight mismatch is an error like a wrong item, and closing a box weighs it first. A
supervisor's weight override clears a pending error: the supervisor has looked at it, and
making them acknowledge their own approval would only add a key press.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from drivers.scale.model import ScaleReading
from station.barcodes import Command, Interpreter
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Severity, Verdict
from station.user_ref import UserRef
from ui.pack.weighing import WeightFeed

CLOSING = (Command.COMPLETE, Command.NEW_BOX)


@dataclass(frozen=True)
class Held:
    """A scan or command that was not sent: an error waits for its acknowledgement."""

    what: str  # the code as scanned, or the command's name


@dataclass(frozen=True)
class Reply:
    """What the worker hands back to the pack screen: the answer, who is packing now, and
    whether an error still waits for its acknowledgement."""

    result: Outcome | Held
    user: UserRef | None
    pending: bool = False


class AckGate:
    """Sends scans and commands to the engine unless an error waits for acknowledgement."""

    def __init__(
        self, service: PackService, interpreter: Interpreter, feed: WeightFeed | None = None
    ) -> None:
        self._service = service
        self._interpreter = interpreter
        self._feed = feed or WeightFeed(service)
        self._pending = False  # touched on the worker thread only

    @property
    def pending(self) -> bool:
        """True while an error verdict has not been acknowledged (worker thread only)."""
        return self._pending

    def command_of(self, code: str) -> Command | None:
        """The command a code stands for under the configured patterns, if any (pure)."""
        return self._interpreter.interpret(code).command

    def scan(self, code: str) -> Reply:
        """Hand a scanned code to the engine, or hold it back."""
        command = self._interpreter.interpret(code).command
        if self._pending and command is not Command.CONFIRM:
            return self._reply(Held(code))
        if command in CLOSING and (stop := self._feed.before_close()) is not None:
            return self._reply(self._note(stop))
        return self._reply(self._note(self._service.scan(code)))

    def act(self, name: str, action: Callable[[], Outcome], *, closes: bool = False) -> Reply:
        """Run a command or an order pick (a key, a button, the order list), or hold it back.

        ``closes``: the command closes the box (complete, new box), so it is weighed first.
        """
        if self._pending:
            return self._reply(Held(name))
        if closes and (stop := self._feed.before_close()) is not None:
            return self._reply(self._note(stop))
        return self._reply(self._note(action()))

    def reading(self, reading: ScaleReading) -> None:
        """Any scale reading (the engine keeps track of the platter)."""
        self._feed.reading(reading)

    def stable_weight(self, reading: ScaleReading) -> Reply | None:
        """A stable weight: the answer when it was recorded as the package's weighing."""
        outcome = self._feed.stable(reading, hold=self._pending)
        return None if outcome is None else self._reply(self._note(outcome))

    def weigh(self, name: str, no_weight: str) -> Reply:
        """The weigh key: record the weight on the platter now (held back like any key)."""
        if self._pending:
            return self._reply(Held(name))
        return self._reply(self._note(self._feed.weigh_now(no_weight)))

    def override_weight(self, credential: str, reason: str) -> Reply:
        """A supervisor accepts the package's weight; approved, it clears a pending error."""
        outcome = self._service.override_weight(credential, reason)
        if outcome.verdict is Verdict.WEIGHT_OVERRIDE:
            self._pending = False
        return self._reply(self._note(outcome))

    def approve(self, record: Callable[[], Outcome]) -> Reply:
        """A supervisor's exception (short-ship, damage): never held back. Its dialog opens only
        once errors are acknowledged, and the supervisor at the bench has seen the rest."""
        return self._reply(self._note(record()))

    def acknowledge(self) -> Reply:
        """The acknowledge key: the same as scanning the confirm barcode (and stored alike)."""
        return self._reply(self._note(self._service.run_command(Command.CONFIRM)))

    def _note(self, outcome: Outcome) -> Outcome:
        self._feed.after(outcome)
        if outcome.severity is Severity.ERROR:
            self._pending = True
        elif outcome.verdict is Verdict.CONFIRMED:
            self._pending = False
        return outcome

    def _reply(self, result: Outcome | Held) -> Reply:
        return Reply(result, self._service.user, self._pending)
