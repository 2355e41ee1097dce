"""Who did something, as the pack and returns engines record it, and how a supervisor approves.

Both benches sign users in, record who scanned and ask a supervisor for approval, so these
types live here rather than in either engine: returns must not reach into packing's internals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class UserRef:
    """A user as the engines record them."""

    id: int
    name: str
    role: str


# A supervisor's badge or PIN in, the approving user out (None when not a supervisor's).
Approver = Callable[[str], UserRef | None]
