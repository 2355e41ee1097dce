"""Fixtures of the sync tests: a running hub and stations enrolled with it."""

from tests.hub.hubfixtures import hub, make_station, station_factory

__all__ = ["hub", "make_station", "station_factory"]
