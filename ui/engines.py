"""Both engines of a bench record under whoever is signed in.

``SessionLogin`` tells one engine who works at the bench (``engine.user = ...`` on sign-in,
lock and log-out); a bench that packs and inspects has two, so it is handed this pair, which
passes the user on to each. Used on the database worker only, like the engines themselves.
"""

from __future__ import annotations

from station.packing.service import PackService
from station.returns.service import InspectionService
from station.user_ref import UserRef


class BenchEngines:
    """The pack and the inspection engine as one ``EngineUser`` for sign-in."""

    def __init__(self, pack: PackService, inspection: InspectionService) -> None:
        self._pack = pack
        self._inspection = inspection

    @property
    def user(self) -> UserRef | None:
        """Who the engines record work under."""
        return self._pack.user

    @user.setter
    def user(self, ref: UserRef | None) -> None:
        self._pack.user = ref
        self._inspection.user = ref
