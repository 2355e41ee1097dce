"""Users per site on a real hub: each station receives only its site's users, and a user
moved off a site loses its credentials at that site's stations (a tombstone in their feed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from station.credentials import hash_secret
from station.db import open_database
from station.db.models import User
from station.hub.admin import enrol_code, put_users, set_user_sites
from station.hub.sites import SiteError, put_site
from station.sync.enroll import enroll_station
from station.sync.records import UserRecord
from station.sync.state import CURSOR, set_setting
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.hub.templates import Templates
from tests.pgcluster import BOTH

NORTH = {
    "name": "North micro-hub",
    "street1": "2 Quay",
    "city": "Groningen",
    "postcode": "9711",
    "country": "NL",
}


def _users(station: StationUnderTest) -> dict[str, tuple[bool, bool, bool]]:
    """name -> (active, has a PIN hash, has a badge hash), for the hub's users."""
    with station.db.session() as s:
        rows = s.execute(
            select(User.name, User.active, User.pin_hash, User.badge_hash).where(
                User.name.in_(["alice", "bob", "carol"])
            )
        ).all()
        s.rollback()
    return {n: (bool(a), p is not None, b is not None) for n, a, p, b in rows}


def _station_at(
    hub: HubUnderTest, tmp_path: Path, templates: Templates, name: str, site: str
) -> StationUnderTest:
    folder = tmp_path / "stations" / name
    db = open_database(templates.station(folder / "station.sqlite"))
    enroll_station(db, hub.url, enrol_code(hub.db, name, site=site), name)
    return StationUnderTest(name, db, folder / "photos", hub.url)


def _user(name: str, badge: str, sites: list[str] | None) -> UserRecord:
    return UserRecord(
        name=name, role="supervisor", pin_hash=hash_secret("4821"), badge_code=badge, sites=sites
    )


@BOTH
def test_each_station_receives_only_its_sites_users_and_loses_one_moved_away(
    hub: HubUnderTest,
    make_station: Callable[[str], StationUnderTest],
    tmp_path: Path,
    templates: Templates,
) -> None:
    with hub.db.write() as s:
        put_site(s, "north", "North", NORTH)
    put_users(
        hub.db,
        [
            _user("alice", "B-ALICE-1", None),  # no site named: the default site
            _user("bob", "B-BOB-1", ["north"]),
            _user("carol", "B-CAROL-1", ["main", "north"]),
        ],
    )
    main = make_station("bench-main")
    north = _station_at(hub, tmp_path, templates, "bench-north", "north")
    try:
        main.sync()
        north.sync()
        assert _users(main) == {"alice": (True, True, True), "carol": (True, True, True)}
        assert _users(north) == {"bob": (True, True, True), "carol": (True, True, True)}

        # carol leaves north: north's station drops her credentials, main keeps her.
        assert set_user_sites(hub.db, "carol", ["main"]) == ["main"]
        main.sync()
        north.sync()
        assert _users(north) == {"bob": (True, True, True), "carol": (False, False, False)}
        assert _users(main) == {"alice": (True, True, True), "carol": (True, True, True)}

        # bob moves to main too: main receives him whole on its next pull.
        set_user_sites(hub.db, "bob", ["north", "main"])
        main.sync()
        assert _users(main)["bob"] == (True, True, True)
    finally:
        north.close()


@BOTH
def test_a_station_pulling_from_the_start_drops_a_user_moved_off_its_site(
    hub: HubUnderTest, tmp_path: Path, templates: Templates
) -> None:
    """A rebuild (no cursor) sends other sites' users as tombstones too: a station that had
    the user before its cursor was lost still loses it."""
    with hub.db.write() as s:
        put_site(s, "north", "North", NORTH)
    put_users(hub.db, [_user("carol", "B-CAROL-1", ["north"])])
    north = _station_at(hub, tmp_path, templates, "bench-north", "north")
    try:
        north.sync()
        assert _users(north) == {"carol": (True, True, True)}
        set_user_sites(hub.db, "carol", None)  # to the default site only
        with north.db.session() as s:
            set_setting(s, CURSOR, None)
            s.commit()
        north.sync()
        assert _users(north) == {"carol": (False, False, False)}
    finally:
        north.close()


def test_a_user_at_an_unknown_site_is_refused(hub: HubUnderTest) -> None:
    with pytest.raises(SiteError, match="unknown site 'south'"):
        put_users(hub.db, [_user("dave", "B-DAVE-1", ["south"])])
    put_users(hub.db, [_user("dave", "B-DAVE-1", None)])
    with pytest.raises(SiteError, match="unknown site 'south'"):
        set_user_sites(hub.db, "dave", ["south"])
    with pytest.raises(KeyError):
        set_user_sites(hub.db, "nobody", ["main"])


def test_users_commands_take_sites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from station.cli.main import main
    from station.hub.db import open_hub_database
    from station.hub.feed import get_record

    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    assert main(["hub", "site", "set", "north", "--name", "North", "--street1", "2 Quay",
                 "--city", "Groningen", "--postcode", "9711", "--country", "NL",
                 "--db", url]) == 0  # fmt: skip
    users = tmp_path / "users.json"
    users.write_text(
        json.dumps(
            [
                {"name": "erin", "role": "packer", "badge_code": "B-ERIN-1"},
                {"name": "frank", "role": "packer", "sites": ["main"]},
            ]
        )
    )
    capsys.readouterr()
    assert main(["hub", "users", "import", str(users), "--site", "north", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "user erin: north" in out and "user frank: main" in out and "2 users imported" in out

    assert main(["hub", "users", "sites", "erin", "--site", "main", "--site", "north",
                 "--db", url]) == 0  # fmt: skip
    assert "user erin: main, north" in capsys.readouterr().out
    assert main(["hub", "users", "sites", "erin", "--db", url]) == 0
    assert "user erin: (default site)" in capsys.readouterr().out
    hub = open_hub_database(url)
    try:
        with hub.read() as s:
            erin = get_record(s, "user", "erin")
        assert erin is not None and erin["sites"] is None
        assert "badge_code" not in erin and erin["badge_hash"]
    finally:
        hub.close()

    assert main(["hub", "users", "sites", "erin", "--site", "south", "--db", url]) == 1
    assert "unknown site 'south'" in capsys.readouterr().err
    assert main(["hub", "users", "sites", "nobody", "--db", url]) == 1
    assert "no user 'nobody'" in capsys.readouterr().err
    users.write_text(json.dumps([{"name": "gina", "role": "packer", "sites": ["south"]}]))
    assert main(["hub", "users", "import", str(users), "--db", url]) == 1
    assert "unknown site 'south' (known: main, north); nothing imported" in capsys.readouterr().err
    users.write_text(json.dumps([{"name": "gina", "role": "packer"}, {"role": "packer"}]))
    assert main(["hub", "users", "import", str(users), "--db", url]) == 1
    assert "user 2: name: Field required" in capsys.readouterr().err
    users.write_text("{not json")
    assert main(["hub", "users", "import", str(users), "--db", url]) == 1
    assert "not JSON" in capsys.readouterr().err
