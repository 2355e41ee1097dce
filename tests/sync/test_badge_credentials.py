"""Badges are credentials (issue 12, point 9): kept only as salted slow hashes at the hub and
at the station, sent only so, and still found fast at sign-in.

Against a real hub on 127.0.0.1 (SQLite and PostgreSQL) and real station databases; the
hub's migration is run on a database written by the schema before it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from station.credentials import hash_secret, verify_secret
from station.db import open_database
from station.db.models import Role, User
from station.hub.admin import put_users
from station.hub.db import MIGRATIONS, make_hub_engine, open_hub_database
from station.hub.feed import lock_feed, put_records
from station.hub.models import HubRecord
from station.sync.apply_users import apply_user
from station.sync.records import UserRecord
from station.sync.state import load_enrolment
from station.users import create_user, find_by_badge
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.pgcluster import BOTH

Make = Callable[[str], StationUnderTest]
ANN, BEA = "BADGE-ANN-7731", "BADGE-BEA-0412"


def hub_rows(hub: HubUnderTest) -> list[str]:
    with hub.db.read() as s:
        return [str(d) for d in s.scalars(select(HubRecord.data).where(HubRecord.entity == "user"))]


@BOTH
def test_badges_reach_the_station_only_as_hashes_and_still_sign_in(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    put_users(
        hub.db,
        [
            UserRecord(name="ann", role="packer", badge_code=ANN),
            UserRecord(name="bea", role="supervisor", badge_code=BEA),
        ],
    )
    rows = hub_rows(hub)
    assert len(rows) == 2 and not any(ANN in r or BEA in r or "badge_code" in r for r in rows)
    # What the hub sends a station, as the station receives it.
    enrolment = load_enrolment(a.db)
    assert enrolment is not None
    feed = httpx.get(
        f"{hub.url}/v1/sync/pull",
        headers={"Authorization": f"Bearer {enrolment.token}"},
        timeout=10,
    ).text
    assert '"badge_hash":"scrypt$' in feed.replace(" ", "")
    assert ANN not in feed and BEA not in feed and "badge_code" not in feed
    a.sync()
    with a.db.session() as s:
        ann, bea = find_by_badge(s, ANN), find_by_badge(s, BEA)
        assert ann is not None and ann.name == "ann"
        assert bea is not None and (bea.name, bea.role) == ("bea", Role.SUPERVISOR)
        s.rollback()
    a.db.close()
    for name in ("station.sqlite", "station.sqlite-wal"):
        path = a.photo_dir.parent / name
        if path.exists():
            assert ANN.encode() not in path.read_bytes(), name


@BOTH
def test_a_badge_given_to_another_user_is_taken_from_its_holder_at_the_hub(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    put_users(hub.db, [UserRecord(name="ann", role="supervisor", badge_code=ANN)])
    a.sync()
    put_users(hub.db, [UserRecord(name="cy", role="packer", badge_code=f" {ANN} ")])
    assert a.sync().pulled == 2  # cy, and ann without the badge
    with a.db.session() as s:
        holder = find_by_badge(s, ANN)
        assert holder is not None and (holder.name, holder.role) == ("cy", Role.PACKER)
        ann = s.scalars(select(User).where(User.name == "ann")).one()
        assert (ann.badge_tag, ann.badge_hash, ann.active) == (None, None, True)
        s.rollback()


@BOTH
def test_the_hub_migration_hashes_badges_stored_in_clear_and_resends_them(
    hub_url: str, tmp_path: Path
) -> None:
    engine = make_hub_engine(hub_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, "0001")  # the hub as it was, with a user in clear
    with engine.begin() as conn:
        conn.execute(text("UPDATE hub_counters SET value = 41 WHERE name = 'change'"))
    with Session(engine) as session, session.begin():
        lock_feed(session)
        put_records(
            session,
            "user",
            [
                ("ann", {"name": "ann", "role": "supervisor", "badge_code": ANN, "active": True}),
                ("dan", {"name": "dan", "role": "packer", "badge_code": None, "active": True}),
            ],
        )
    engine.dispose()
    hub = open_hub_database(hub_url)  # migrates to head
    try:
        with hub.read() as s:
            rows = {
                r.key: (r.change_seq, r.data)
                for r in s.scalars(select(HubRecord).where(HubRecord.entity == "user"))
            }
    finally:
        hub.close()
    ann_seq, ann = rows["ann"]
    assert ann is not None and "badge_code" not in ann and ANN not in str(ann)
    assert ann_seq > 43  # renumbered: stations that pulled the clear record get the hashed one
    record = UserRecord.model_validate(ann)
    assert record.badge_hash is not None and verify_secret(ANN, record.badge_hash)
    _, dan = rows["dan"]
    assert dan is not None and "badge_code" not in dan and dan.get("badge_hash") is None


def test_a_record_from_an_older_hub_is_hashed_on_arrival(tmp_path: Path) -> None:
    db = open_database(tmp_path / "station.sqlite")
    try:
        with db.session() as s:
            create_user(s, "old", Role.PACKER, badge=BEA)
            apply_user(s, UserRecord(name="ann", role="packer", badge_code=ANN))
            apply_user(s, UserRecord(name="bea", role="supervisor", badge_code=BEA))
            s.commit()
        with db.session() as s:
            holder = find_by_badge(s, BEA)
            assert holder is not None and holder.name == "bea"  # taken from "old"
            assert find_by_badge(s, ANN) is not None
            s.rollback()
    finally:
        db.close()
    assert ANN.encode() not in (tmp_path / "station.sqlite").read_bytes()


def test_badge_sign_in_among_50_users_costs_one_slow_hash(tmp_path: Path) -> None:
    """Benchmark: sign-in by badge with 50 users, against one scrypt check (the floor)."""
    db = open_database(tmp_path / "station.sqlite")
    badges = [f"BADGE-{i:04d}-{i * 7919 % 10007:05d}" for i in range(50)]
    try:
        with db.session() as s:
            for i, code in enumerate(badges):
                create_user(s, f"user{i}", Role.PACKER, badge=code)
            s.commit()
        stored = hash_secret(badges[0])
        floor: list[float] = []
        sign_in: list[float] = []
        with db.session() as s:
            for round_ in range(2):
                for code in badges:
                    start = time.perf_counter()
                    assert verify_secret(code, stored) == (code == badges[0])
                    floor.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    user = find_by_badge(s, code)
                    sign_in.append(time.perf_counter() - start)
                    assert user is not None and user.name == f"user{badges.index(code)}", round_
            assert find_by_badge(s, "BADGE-NOBODY") is None
            s.rollback()
    finally:
        db.close()

    def p99(xs: list[float]) -> float:
        return sorted(xs)[max(0, round(0.99 * len(xs)) - 1)]

    median, base = statistics.median(sign_in), statistics.median(floor)
    print(
        f"\nbadge sign-in, 50 users: median {median * 1000:.1f} ms, p99 "
        f"{p99(sign_in) * 1000:.1f} ms; one scrypt check: median {base * 1000:.1f} ms, p99 "
        f"{p99(floor) * 1000:.1f} ms; ratio {median / base:.2f}"
    )
