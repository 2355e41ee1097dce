"""Fixtures of the pack video tests: a running hub and enrolled stations (tests.hub)."""

from tests.hub.hubfixtures import hub, make_station, station_factory, templates
from tests.pgcluster import hub_backend, hub_url, pg_cluster

__all__ = [
    "hub",
    "hub_backend",
    "hub_url",
    "make_station",
    "pg_cluster",
    "station_factory",
    "templates",
]
