"""The ``bench`` command group (placeholder until the benchmarks are written)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``bench`` commands to the ``station`` parser (none yet)."""
