"""What every carrier module of the emulator works with: a call, an answer, the label ledger.

A carrier module (``usps.py``, ``ups.py``, ...) names the paths it serves (``PREFIXES``), which
of them are free of faults and latency (``free``: token requests, so a fault hits the call a
test means), its error shape (``error``) and its answers (``answer``).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class Fault(StrEnum):
    """What the emulator does instead of answering properly."""

    TIMEOUT = "timeout"
    ERROR_500 = "error_500"
    RATE_LIMITED = "rate_limited"
    INVALID_ADDRESS = "invalid_address"
    NO_LABEL = "no_label"


# Any destination with this postcode is an address the carrier cannot find (every carrier).
BAD_POSTCODE = "00000"


@dataclass(frozen=True)
class Call:
    """One request to the emulator: method, path, query, and the body (JSON decoded if JSON)."""

    method: str
    path: str
    query: dict[str, str]
    raw: bytes
    body: Any = None

    def text(self) -> str:
        """The body as text (XML carriers)."""
        return self.raw.decode("utf-8", "replace")


@dataclass(frozen=True)
class Answer:
    """What the emulator sends back."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, data: object, headers: dict[str, str] | None = None) -> Answer:
        """A JSON answer."""
        return cls(status, json.dumps(data).encode(), "application/json", headers or {})

    @classmethod
    def xml(cls, status: int, text: str) -> Answer:
        """An XML answer."""
        return cls(status, text.encode("utf-8"), "application/xml")


class Ledger:
    """Labels the emulator issued (tracking number → ``issued`` | ``cancelled``), all carriers."""

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}
        self._serial = 0
        self._lock = threading.Lock()

    def next_serial(self) -> int:
        """A number new to this emulator (tracking numbers are made from it)."""
        with self._lock:
            self._serial += 1
            return self._serial

    def issue(self, number: str) -> None:
        """Record a label."""
        with self._lock:
            self.labels[number] = "issued"

    def cancel(self, number: str) -> bool:
        """Cancel an issued label; False when there is none to cancel."""
        with self._lock:
            if self.labels.get(number) != "issued":
                return False
            self.labels[number] = "cancelled"
            return True

    def issued(self) -> list[str]:
        """Labels issued and not cancelled."""
        with self._lock:
            return [n for n, s in self.labels.items() if s == "issued"]


class CarrierApi(Protocol):
    """A carrier module as the server uses it."""

    NAME: str
    PREFIXES: tuple[str, ...]

    def free(self, call: Call) -> bool:
        """Whether ``call`` is never delayed or faulted (token requests)."""

    def error(self, status: int, code: str, message: str) -> Answer:
        """An error answer in the carrier's shape."""

    def answer(self, call: Call, ledger: Ledger, fault: Fault | None) -> Answer | None:
        """The carrier's answer (``fault`` is INVALID_ADDRESS, NO_LABEL or None); None: 404."""
