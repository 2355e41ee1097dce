"""What the print worker shows the UI, kept thread-safe: queue length, printer trouble, errors."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from drivers.printer.model import PrinterStatus


@dataclass(frozen=True)
class WorkerState:
    """A snapshot of the print worker for the status bar and the print queue view.

    ``problems`` holds, per printer that is being waited for, why (the printer's own words:
    "paper out", "print head open", "printer status unknown: ..."); it empties when the
    printer takes a job. ``statuses`` is the last status each printer gave. ``last_error``
    stays after the trouble is over, so "what went wrong last" can still be answered.
    """

    queue_length: int = 0
    problems: Mapping[str, str] = field(default_factory=dict)
    statuses: Mapping[str, PrinterStatus] = field(default_factory=dict)
    last_error: str | None = None

    @property
    def problem(self) -> str | None:
        """The current trouble in one line, or None when every printer is fine."""
        return "; ".join(self.problems.values()) or None

    @property
    def paper_out(self) -> bool:
        """A printer said it is out of paper (in its last status)."""
        return any(s.paper_out for s in self.statuses.values())

    @property
    def head_open(self) -> bool:
        """A printer said its print head (or cover) is open (in its last status)."""
        return any(s.head_open for s in self.statuses.values())


class StateKeeper:
    """Holds the current :class:`WorkerState` and counts the worker's passes for waiters."""

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._state = WorkerState()
        self._begun = 0
        self._ended = 0
        self._idle = False

    def snapshot(self) -> WorkerState:
        """The current state (immutable: each change builds a new one)."""
        with self._cv:
            return self._state

    def set_queue_length(self, length: int) -> None:
        """The number of jobs still to print."""
        with self._cv:
            self._state = replace(self._state, queue_length=length)

    def set_error(self, error: str) -> None:
        """Something went wrong that is not one printer's problem."""
        with self._cv:
            self._state = replace(self._state, last_error=error)

    def set_problem(self, printer: str, problem: str, error: str) -> None:
        """``printer`` cannot print now, because of ``problem``."""
        with self._cv:
            problems = {**self._state.problems, printer: problem}
            self._state = replace(self._state, problems=problems, last_error=error)

    def clear_problem(self, printer: str) -> None:
        """``printer`` took a job."""
        with self._cv:
            problems = {k: v for k, v in self._state.problems.items() if k != printer}
            self._state = replace(self._state, problems=problems)

    def set_status(self, printer: str, status: PrinterStatus) -> None:
        """The last status ``printer`` gave."""
        with self._cv:
            statuses = {**self._state.statuses, printer: status}
            self._state = replace(self._state, statuses=statuses)

    def pass_begins(self) -> int:
        """The worker starts a pass; returns its number."""
        with self._cv:
            self._begun += 1
            return self._begun

    def pass_ends(self, number: int, *, idle: bool) -> None:
        """Pass ``number`` is over; ``idle`` when it changed no job."""
        with self._cv:
            self._ended = number
            self._idle = idle
            self._cv.notify_all()

    def wait_settled(self, kick: Callable[[], None], timeout_s: float) -> bool:
        """Wait until a pass begun after this call ended idle; ``kick`` starts one at once."""
        with self._cv:
            after = self._begun
        kick()
        deadline = time.monotonic() + timeout_s
        with self._cv:
            while not (self._ended > after and self._idle):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cv.wait(left)
            return True
