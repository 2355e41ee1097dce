"""The network page: stations, orders per state, dead letters and conflicts resolved."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import select

from station.hub.console.models import DeadLetterResolution
from station.hub.models import HubConflict
from tests.hub.consoleclient import Browsers, browsers, csrf_of
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.pgcluster import BOTH
from tests.station.packfixtures import MUG, TEE

__all__ = ["browsers"]  # the fixture

Make = Callable[[str], StationUnderTest]


def pack(station: StationUnderTest) -> None:
    svc = station.service()
    for code in ("SO-1001", MUG, MUG, TEE):
        svc.scan(code)
    svc.complete()
    station.sync()


@BOTH
def test_a_second_pack_of_one_order_shows_as_a_dead_letter_and_a_conflict_to_resolve(
    hub: HubUnderTest, make_station: Make, browsers: Browsers
) -> None:
    first, second = make_station("bench-1"), make_station("bench-2")
    first.sync()
    second.sync()  # both have SO-1001 open before either packs it
    pack(first)
    pack(second)
    boss = browsers.user("dan", "supervisor")
    page = boss.get("/console/network")
    assert page.status_code == 200
    html = page.text
    assert "<td>bench-1</td>" in html and "<td>bench-2</td>" in html
    assert "<td>packed</td><td>1</td>" in html  # SO-1001; the others are open
    assert "already_packed: order SO-1001 was already packed at bench-1" in html
    assert "packed_twice" in html
    token = csrf_of(html)
    with hub.db.read() as s:
        conflict = s.scalars(select(HubConflict.id)).one()
    dead = [int(x) for x in re.findall(r'id="dead-letter-(\d+)"', html)]
    assert len(dead) == 1
    # Replaying cannot help: the order is still packed at bench-1.
    again = boss.post(f"/console/dead-letters/{dead[0]}/replay", data={"csrf": token})
    assert again.status_code == 409
    assert "still refused: already_packed" in again.text
    with hub.db.read() as s:
        assert len(s.scalars(select(HubConflict)).all()) == 1  # the replay added none
    resolved = boss.post(
        f"/console/dead-letters/{dead[0]}/resolve",
        data={"csrf": token, "note": "bench-2 unpacked the box"},
    )
    assert resolved.status_code == 303
    closed = boss.post(f"/console/conflicts/{conflict}/resolve", data={"csrf": token})
    assert closed.status_code == 303
    after = boss.get("/console/network/live").text
    assert "No open dead letters." in after and "No open conflicts." in after
    with hub.db.read() as s:
        note = s.scalars(select(DeadLetterResolution)).one()
        assert (note.resolved_by, note.note) == ("dan", "bench-2 unpacked the box")
        assert s.get(HubConflict, conflict).resolved_at is not None  # type: ignore[union-attr]
