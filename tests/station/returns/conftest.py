"""A packed database with three RMAs, copied fresh for each test (built once per session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station.db import Database, open_database
from station.db.migrate import backup_sqlite
from station.returns.service import InspectionService
from tests.station.returns.returnfixtures import inspector, packed_db


@pytest.fixture(scope="session")
def packed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("returns") / "template.sqlite"
    packed_db(path).close()
    return path


@pytest.fixture
def db(packed_template: Path, tmp_path: Path) -> Iterator[Database]:
    database = open_database(backup_sqlite(packed_template, tmp_path / "r.sqlite"))
    yield database
    database.close()


@pytest.fixture
def svc(db: Database) -> Iterator[InspectionService]:
    service = inspector(db)
    yield service
    service.close()
