"""What a printer says about itself, shared by the ZPL and ESC/POS drivers.

Every flag is three-valued: ``None`` means the printer did not tell us (no answer, a torn
answer, or a language that has no such flag). A status is "ready" only when the printer
positively said so; silence is never read as "fine".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrinterStatus:
    """A printer's state as read from its own status answer, with a readable reason.

    ``online`` means "would print now": ESC/POS reports it directly (``DLE EOT 1`` bit 3);
    for ZPL it is derived from the ``~HS`` flags, since a Zebra has no single online bit.
    ``raw`` keeps the answer as received so a supervisor can see what the printer said.
    """

    online: bool | None
    paper_out: bool | None
    head_open: bool | None
    paused: bool | None
    ribbon_out: bool | None
    buffer_full: bool | None
    raw: str
    reason: str
    # Not in the CLI's JSON; ESC/POS and some ZPL clones report it, and it is worth a warning.
    paper_near_end: bool | None = None

    @property
    def blocking_problems(self) -> list[str]:
        """The known conditions that stop printing, as words for a person."""
        problems = [
            ("paper out", self.paper_out),
            ("print head open", self.head_open),
            ("paused", self.paused),
            ("ribbon out", self.ribbon_out),
        ]
        return [text for text, flag in problems if flag]

    @property
    def ready(self) -> bool | None:
        """True only when the printer said it is online and reported nothing blocking."""
        if self.blocking_problems or self.online is False:
            return False
        if self.online is True:
            return True
        return None

    def as_cli_json(self) -> dict[str, bool | str | None]:
        """The fields ``station devices printer status --json`` prints; null means unknown."""
        return {
            "online": self.online,
            "paper_out": self.paper_out,
            "head_open": self.head_open,
            "paused": self.paused,
            "ribbon_out": self.ribbon_out,
            "raw": self.raw,
        }


def unknown_status(reason: str, raw: str = "") -> PrinterStatus:
    """A status with every flag unknown, for silence, errors and status-less connections."""
    return PrinterStatus(
        online=None,
        paper_out=None,
        head_open=None,
        paused=None,
        ribbon_out=None,
        buffer_full=None,
        raw=raw,
        reason=reason,
    )


@dataclass(frozen=True)
class PrintResult:
    """Outcome of one print job: sent or not, and why, with the status checked before it."""

    sent: bool
    reason: str
    status: PrinterStatus | None = None
    forced: bool = False


def refusal_reason(status: PrinterStatus) -> str | None:
    """Why a job must not be sent given ``status``, or None when the printer is ready.

    The printer's own reason, in the words its language uses ("cover open" on a receipt
    printer, "print head open" on a Zebra); unknown is said as such, never as ready.
    """
    ready = status.ready
    if ready is None:
        return f"printer status unknown: {status.reason}"
    return None if ready else status.reason
