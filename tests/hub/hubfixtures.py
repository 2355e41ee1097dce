"""A hub under test (real uvicorn; SQLite, or PostgreSQL for ``BOTH`` tests) and stations
enrolled with it (real engine)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from station.db import Database, open_database
from station.db.models import OutboxEvent, OutboxStatus
from station.hub.admin import enrol_code
from station.hub.app import create_app
from station.hub.context import HubContext, Limits
from station.hub.db import HubDatabase
from station.hub.imports import import_catalog_file, import_orders_file, import_rmas_file
from station.hub.serving import ServeLimits
from station.importers import ImportReport
from station.packing.service import PackService
from station.sync.cycle import CycleReport, Syncer
from station.sync.enroll import enroll_station
from tests.hub.server import running_hub
from tests.hub.templates import Templates
from tests.station.packfixtures import MUG, PHONE, STRAY, TEE, make_service

CATALOG_CSV = (
    "sku,name,barcode,weight_g,tracking\n"
    f"MUG,Mug,{MUG}|INT-MUG-01,350,none\n"
    f"TEE,Tee,{TEE},180,none\n"
    f"PHONE,Phone,{PHONE},200,serial\n"
    f"STRAY,Stray,{STRAY},50,none\n"
)
ORDERS_CSV = (
    "order_number,sku,quantity,tote,customer_name,street1,city,country\n"
    "SO-1001,MUG,2,TOTE-7,Ada Lovelace,1 Main St,Leiden,NL\n"
    "SO-1001,TEE,1,TOTE-7,,,,\n"
    "SO-1002,MUG,1,,,,,\n"
    "SO-1003,TEE,1,,,,,\n"
    "SO-1004,MUG,1,,,,,\n"
)


@dataclass
class HubUnderTest:
    """A running hub: its URL, its database (for central actions) and a scratch folder."""

    url: str
    db: HubDatabase
    folder: Path
    _files: int = 0

    def load(self, kind: str, text: str, suffix: str = ".csv") -> ImportReport:
        """Import ``text`` as a catalog, orders or RMA file, as `station hub import` does."""
        self._files += 1
        path = self.folder / f"{kind}-{self._files}{suffix}"
        path.write_text(text, encoding="utf-8")
        importer = {
            "catalog": import_catalog_file,
            "orders": import_orders_file,
            "rmas": import_rmas_file,
        }[kind]
        return importer(self.db, path)

    def code(self, station: str) -> str:
        """A one-time enrolment code."""
        return enrol_code(self.db, station)


@dataclass
class StationUnderTest:
    """A station database enrolled with the hub, with the real pack engine on it."""

    name: str
    db: Database
    photo_dir: Path
    hub_url: str
    _services: list[PackService] = field(default_factory=list)

    def service(self) -> PackService:
        """The pack engine of this station (closed with the station)."""
        svc = make_service(self.db, station=self.name)
        self._services.append(svc)
        return svc

    def syncer(self, **kwargs: object) -> Syncer:
        """A syncer for this station (``hub_url`` overrides the enrolled address)."""
        return Syncer(self.db, self.photo_dir, **kwargs)  # type: ignore[arg-type]

    def sync(self) -> CycleReport:
        """One push-and-pull cycle."""
        return self.syncer().run_cycle()

    def outbox(self) -> list[tuple[int, str, str, str | None]]:
        """(seq, type, status, rejected code) of every event, in order."""
        with self.db.session() as s:
            rows = s.execute(
                select(
                    OutboxEvent.station_seq,
                    OutboxEvent.type,
                    OutboxEvent.status,
                    OutboxEvent.rejected_code,
                ).order_by(OutboxEvent.station_seq)
            ).all()
            s.rollback()
        return [(int(q), t, OutboxStatus(st).value, c) for q, t, st, c in rows]

    def close(self) -> None:
        """Close the engines and the database."""
        for svc in self._services:
            svc.close()
        self.db.close()


def start_hub(
    stack: ExitStack,
    folder: Path,
    limits: Limits | None = None,
    url: str | None = None,
    serve: ServeLimits | None = None,
) -> HubUnderTest:
    """A hub on ``url`` (default: SQLite in ``folder``), served until ``stack`` closes."""
    folder.mkdir(parents=True, exist_ok=True)
    app = create_app(
        url or f"sqlite:///{folder / 'hub.sqlite'}", blob_dir=folder / "blobs", limits=limits
    )
    url = stack.enter_context(running_hub(app, limits=serve))
    ctx = app.state.hub
    assert isinstance(ctx, HubContext)
    return HubUnderTest(url, ctx.db, folder)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    """Template databases, copied for each test (see tests.hub.templates)."""
    return Templates(tmp_path_factory.mktemp("templates"), CATALOG_CSV, ORDERS_CSV)


@pytest.fixture
def hub(
    tmp_path: Path, hub_backend: str, templates: Templates, request: pytest.FixtureRequest
) -> Iterator[HubUnderTest]:
    """A running hub with the test catalog and orders imported."""
    folder = tmp_path / "hub"
    cluster = request.getfixturevalue("pg_cluster") if hub_backend == "postgresql" else None
    with ExitStack() as stack:
        yield start_hub(stack, folder, url=templates.hub_url(folder, cluster))


@pytest.fixture
def station_factory(
    tmp_path: Path, templates: Templates
) -> Iterator[Callable[[HubUnderTest, str], StationUnderTest]]:
    """Stations by hub and name, each enrolled (not yet synced); closed at the end."""
    stations: list[StationUnderTest] = []

    def make(hub: HubUnderTest, name: str) -> StationUnderTest:
        folder = tmp_path / "stations" / f"{name}-{len(stations)}"
        db = open_database(templates.station(folder / "station.sqlite"))
        enroll_station(db, hub.url, hub.code(name), name)
        station = StationUnderTest(name, db, folder / "photos", hub.url)
        stations.append(station)
        return station

    yield make
    for station in stations:
        station.close()


@pytest.fixture
def make_station(
    hub: HubUnderTest, station_factory: Callable[[HubUnderTest, str], StationUnderTest]
) -> Callable[[str], StationUnderTest]:
    """Stations by name, enrolled with ``hub``."""
    return lambda name: station_factory(hub, name)
