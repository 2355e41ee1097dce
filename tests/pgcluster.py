"""The hub's database under test: SQLite by default, PostgreSQL for tests marked ``BOTH``.

One throwaway PostgreSQL cluster serves the whole session (started on first use, as an
unprivileged user when we are root; see ``station.tools.pgcluster``) and each test gets a fresh
database on it. If the cluster cannot start, a PostgreSQL test fails with the reason in CI
(``CI`` set, as every CI service does) and is skipped elsewhere, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.tools.pgcluster import ClusterUnavailable, PgCluster, start_cluster

BACKENDS = ("sqlite", "postgresql")
# Parametrises a test over both hub databases (through the ``hub_backend`` fixture).
BOTH = pytest.mark.parametrize("hub_backend", BACKENDS, indirect=True)


def in_ci() -> bool:
    """True when running in CI, where a PostgreSQL test may not be skipped."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


class _Shared:
    """The session's one cluster: tests/hub and tests/sync each register this fixture (a
    fixture imported into two conftests is two fixtures), so they share it by count."""

    cluster: PgCluster | None = None
    users = 0


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A PostgreSQL cluster on a free loopback port for the session, removed at the end."""
    if _Shared.cluster is None:
        problem = ""
        try:
            _Shared.cluster = start_cluster(durable=False)
        except ClusterUnavailable as exc:
            problem = f"PostgreSQL could not start: {exc}"
        if _Shared.cluster is None:
            if in_ci():
                pytest.fail(problem, pytrace=False)
            pytest.skip(problem)
    _Shared.users += 1
    try:
        yield _Shared.cluster
    finally:
        _Shared.users -= 1
        if _Shared.users == 0:
            _Shared.cluster.stop()
            _Shared.cluster = None


@pytest.fixture
def hub_backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` unless a test is parametrised with ``BOTH``."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def hub_url(hub_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A new, empty hub database of the test's backend."""
    if hub_backend == "sqlite":
        folder = tmp_path / "hub"
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'hub.sqlite'}"
    # Only PostgreSQL tests start the cluster.
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database()
