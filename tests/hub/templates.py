"""Databases made once per session and copied for each test: a migrated station database
and a hub with the test catalog and orders imported.

Migrating a station database and importing into the hub cost about half a second a test; a
copy costs milliseconds (SQLite: the file, once its engine is closed and the WAL folded in;
PostgreSQL: ``CREATE DATABASE ... TEMPLATE``). The copies share the hub's feed epoch, which
only tells one hub database from another, and no test mixes two of them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from station.db import open_database
from station.hub.db import open_hub_database
from station.hub.imports import import_catalog_file, import_orders_file
from station.tools.pgcluster import PgCluster


@dataclass
class Templates:
    """The session's template databases (PostgreSQL ones made on first use)."""

    folder: Path
    catalog_csv: str
    orders_csv: str
    _pg: dict[int, str] = field(default_factory=dict)  # cluster port -> template name

    def __post_init__(self) -> None:
        open_database(self.folder / "station.sqlite").close()
        self._seed(f"sqlite:///{self.folder / 'hub.sqlite'}")

    def _seed(self, url: str) -> None:
        hub = open_hub_database(url)
        try:
            (self.folder / "catalog.csv").write_text(self.catalog_csv, encoding="utf-8")
            (self.folder / "orders.csv").write_text(self.orders_csv, encoding="utf-8")
            import_catalog_file(hub, self.folder / "catalog.csv")
            import_orders_file(hub, self.folder / "orders.csv")
        finally:
            hub.close()

    def station(self, path: Path) -> Path:
        """A migrated, empty station database at ``path``."""
        _copy(self.folder / "station.sqlite", path)
        return path

    def hub_url(self, folder: Path, cluster: PgCluster | None = None) -> str:
        """A seeded hub database: a SQLite file in ``folder``, or one on ``cluster``."""
        if cluster is None:
            return f"sqlite:///{_copy(self.folder / 'hub.sqlite', folder / 'hub.sqlite')}"
        template = self._pg.get(cluster.port)
        if template is None:
            url = cluster.create_database("template")
            self._seed(url)
            template = self._pg[cluster.port] = url.rsplit("/", 1)[1]
        return cluster.create_database(template=template)


def _copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
