"""Fixtures of the proof-of-the-pack tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station.db import Database
from tests.station.packfixtures import build_db


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """The pack engine's test database (every product 100 g, one box BOX-M of 180 g)."""
    database = build_db(tmp_path / "pack.sqlite")
    yield database
    database.close()
