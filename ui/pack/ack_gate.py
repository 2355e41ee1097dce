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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from station.barcodes import Command, Interpreter
from station.packing.journal import UserRef
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Severity, Verdict


@dataclass(frozen=True)
class Held:
    """A scan or command that was not sent: an error waits for its acknowledgement."""

    what: str  # the code as scanned, or the command's name


@dataclass(frozen=True)
class Reply:
    """What the worker hands back to the pack screen: the answer and who is packing now."""

    result: Outcome | Held
    user: UserRef | None


class AckGate:
    """Sends scans and commands to the engine unless an error waits for acknowledgement."""

    def __init__(self, service: PackService, interpreter: Interpreter) -> None:
        self._service = service
        self._interpreter = interpreter
        self._pending = False  # touched on the worker thread only

    @property
    def pending(self) -> bool:
        """True while an error verdict has not been acknowledged (worker thread only)."""
        return self._pending

    def scan(self, code: str) -> Reply:
        """Hand a scanned code to the engine, or hold it back."""
        if self._pending and self._interpreter.interpret(code).command is not Command.CONFIRM:
            return self._reply(Held(code))
        return self._reply(self._note(self._service.scan(code)))

    def act(self, name: str, action: Callable[[], Outcome]) -> Reply:
        """Run a command or an order pick (a key, a button, the order list), or hold it back."""
        if self._pending:
            return self._reply(Held(name))
        return self._reply(self._note(action()))

    def acknowledge(self) -> Reply:
        """The acknowledge key: the same as scanning the confirm barcode (and stored alike)."""
        return self._reply(self._note(self._service.run_command(Command.CONFIRM)))

    def _note(self, outcome: Outcome) -> Outcome:
        if outcome.severity is Severity.ERROR:
            self._pending = True
        elif outcome.verdict is Verdict.CONFIRMED:
            self._pending = False
        return outcome

    def _reply(self, result: Outcome | Held) -> Reply:
        return Reply(result, self._service.user)
