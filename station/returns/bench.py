"""The returns bench: the one entry for the inspection flow's scans and actions. No Qt.

The window (``ui.returns``), ``station inspect`` and ``station simulate-returns`` all drive a
:class:`ReturnsBench`, used from one thread at a time (the window's database worker, or the
caller's thread on the command line).

The same acknowledgement rule as packing (``station.packing.bench``): a red verdict (a unit
not from the order, an unknown item, a possible fraud, a refusal) is cleared only by
CMD-CONFIRM or F12/Esc, never by Enter, and until then every scan and action is held back,
not sent, not stored. The inspection engine has no confirm of its own (CMD-CONFIRM is "not
allowed" there), so the acknowledgement is this bench's alone and is not stored.

A badge is not sent to the inspection engine either: it is answered :class:`Badge`, and the
caller signs its owner in (the window through its sign-in, for both engines at once; the
command line with :meth:`ReturnsBench.sign_in`). A typed name or number that matches several
open returns is answered with the matches, for the inspector to choose from, before anything
is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from station.barcodes import Command, Interpreter, ScanKind
from station.db import Database
from station.returns.lookup import Lookup, lookup
from station.returns.service import InspectionService
from station.returns.state import ItemView
from station.returns.verdicts import ReturnOutcome

LIVE = ("open", "receiving")


@dataclass(frozen=True)
class Held:
    """A scan or action that was not sent: an error waits for its acknowledgement."""

    what: str


@dataclass(frozen=True)
class Acked:
    """The error was acknowledged (or there was none to acknowledge)."""

    needed: bool


@dataclass(frozen=True)
class Badge:
    """A badge was scanned: the window signs its owner in."""

    code: str


@dataclass(frozen=True)
class Matches:
    """Several returns answer a lookup: the inspector chooses one."""

    text: str
    found: Lookup


@dataclass(frozen=True)
class Parcel:
    """The open inspection as the screen shows it (read after each answer)."""

    rma: str | None = None
    order: str | None = None
    outstanding: tuple[tuple[str, int, str], ...] = ()  # sku, units still missing, reason
    items: tuple[ItemView, ...] = ()


@dataclass(frozen=True)
class ReturnsReply:
    """What the worker hands back: the answer, the parcel now, and a pending error."""

    result: ReturnOutcome | Held | Acked | Badge | Matches
    parcel: Parcel
    pending: bool


class ReturnsBench:
    """Sends scans and actions to the inspection engine unless an error waits."""

    def __init__(self, db: Database, service: InspectionService, interpreter: Interpreter):
        self._db = db
        self._service = service
        self._interpreter = interpreter
        self._pending = False  # the bench's thread only

    @property
    def service(self) -> InspectionService:
        """The inspection engine inside the bench."""
        return self._service

    @property
    def pending(self) -> bool:
        """True while an error verdict has not been acknowledged."""
        return self._pending

    def scan(self, code: str) -> ReturnsReply:
        """A scanned or typed code: acknowledge, badge, lookup or the engine's verdict."""
        interp = self._interpreter.interpret(code)
        if interp.command is Command.CONFIRM:
            return self.acknowledge()
        if self._pending:
            return self._reply(Held(code))
        if interp.kind is ScanKind.BADGE:
            return self._reply(Badge(code))
        if self._service.state is None and interp.kind is not ScanKind.COMMAND:
            found = lookup(self._db, interp.data)
            if len([r for r in found.rmas if r.status in LIVE]) > 1:
                return self._reply(Matches(interp.data, found))
        return self._reply(self._note(self._service.scan(code)))

    def act(self, name: str, action: Callable[[], ReturnOutcome]) -> ReturnsReply:
        """An action (a key, a button, the checklist), or held back."""
        if self._pending:
            return self._reply(Held(name))
        return self._reply(self._note(action()))

    def create_rma(
        self,
        order_ref: str,
        approver: str | None = None,
        note: str | None = None,
        name: str = "New RMA",
    ) -> ReturnsReply:
        """F2: an RMA for a parcel that came without one; for an order never packed only with
        a supervisor's ``approver`` credential (the engine decides and audits)."""
        return self.act(
            name, lambda: self._service.create_rma(order_ref, note=note, approver=approver)
        )

    def sign_in(self, badge: str) -> ReturnsReply:
        """Sign the owner of ``badge`` in at the engine (the command line has no sign-in
        screen); a refusal is an answer like any other."""
        return self._reply(self._note(self._service.scan(badge)))

    def acknowledge(self) -> ReturnsReply:
        """CMD-CONFIRM or the acknowledge key."""
        needed, self._pending = self._pending, False
        return self._reply(Acked(needed))

    def parcel(self) -> ReturnsReply:
        """Nothing to do but tell the screen what is open (at start, a resumed parcel)."""
        return self._reply(Acked(needed=False))

    def _note(self, outcome: ReturnOutcome) -> ReturnOutcome:
        if outcome.severity == "error":
            self._pending = True
        return outcome

    def _reply(self, result: ReturnOutcome | Held | Acked | Badge | Matches) -> ReturnsReply:
        state = self._service.state
        if state is None:
            return ReturnsReply(result, Parcel(), self._pending)
        outstanding = tuple((line.sku, n, line.reason) for line, n in state.outstanding())
        parcel = Parcel(state.rma_number, state.order_number, outstanding, tuple(state.items))
        return ReturnsReply(result, parcel, self._pending)
