"""Pulling the hub's decisions: orders, catalog changes in force at once, central blocks,
conflicts decided by the hub, and the reset path."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from station.db.models import Order, OrderStatus, Product, ProductBarcode, Rma, User
from station.hub.admin import delete, purge, put_users
from station.hub.stats import hub_stats
from station.packing.verdicts import Verdict
from station.sync.backlog import dead_letters
from station.sync.records import UserRecord
from station.sync.state import CURSOR, read_setting
from station.users import find_by_badge
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.pgcluster import BOTH
from tests.station.packfixtures import MUG, TEE
from tests.sync.events import add_event

Make = Callable[[str], StationUnderTest]


def order_status(station: StationUnderTest, number: str) -> str:
    with station.db.session() as s:
        status = s.execute(select(Order.status).where(Order.number == number)).scalar_one()
        s.rollback()
    return OrderStatus(status).value


def pack(station: StationUnderTest, number: str, *codes: str) -> None:
    svc = station.service()
    assert svc.scan(number).verdict is Verdict.ORDER_OPENED
    for code in codes:
        assert svc.scan(code).verdict is Verdict.ACCEPTED
    assert svc.complete().verdict is Verdict.COMPLETED


def test_orders_and_catalog_arrive_with_lines_barcodes_and_address(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    report = a.sync()
    assert (report.pulled, report.pushed, report.blocked) == (8, 0, [])
    with a.db.session() as s:
        mug = s.scalars(select(Product).where(Product.sku == "MUG")).one()
        assert sorted(b.raw for b in mug.barcodes) == sorted([MUG, "INT-MUG-01"])
        assert mug.unit_weight_g == 350
        order = s.scalars(select(Order).where(Order.number == "SO-1001")).one()
        assert [(ln.line_no, ln.product.sku, ln.quantity) for ln in order.lines] == [
            (1, "MUG", 2),
            (2, "TEE", 1),
        ]
        assert order.tote == "TOTE-7"
        assert order.ship_to is not None and order.ship_to.city == "Leiden"
        s.rollback()
    assert read_setting(a.db, CURSOR)
    assert a.sync().pulled == 0  # nothing new after the cursor


def test_a_new_barcode_and_weight_apply_without_a_restart(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    a.sync()
    svc = a.service()
    assert svc.scan("SO-1002").verdict is Verdict.ORDER_OPENED
    assert svc.scan("INT-MUG-02").verdict is Verdict.UNKNOWN_CODE
    hub.load("catalog", "sku,name,barcode,weight_g\nMUG,Mug,INT-MUG-01|INT-MUG-02,365\n")
    assert a.sync().pulled == 1
    # The same engine, mid-order: the new barcode counts at once.
    assert svc.scan("INT-MUG-02").verdict is Verdict.ACCEPTED
    with a.db.session() as s:
        mug = s.scalars(select(Product).where(Product.sku == "MUG")).one()
        assert mug.unit_weight_g == 365
        codes = s.scalars(select(ProductBarcode.raw).where(ProductBarcode.product_id == mug.id))
        assert sorted(codes) == ["INT-MUG-01", "INT-MUG-02"]
        s.rollback()


@pytest.mark.parametrize(
    ("status", "said"), [("cancelled", "cancelled"), ("on_hold", "put on hold")]
)
def test_an_order_blocked_centrally_while_offline_is_refused_on_the_next_pull(
    hub: HubUnderTest, make_station: Make, status: str, said: str
) -> None:
    a = make_station("bench-1")
    a.sync()
    # The station goes offline; meanwhile the office blocks SO-1003.
    hub.load("orders", f"order_number,sku,quantity,status\nSO-1003,TEE,1,{status}\n")
    report = a.sync()
    assert [(b.number, b.status) for b in report.blocked] == [("SO-1003", status)]
    assert report.blocked[0].message == f"order SO-1003 was {said} centrally: do not pack it"
    refused = a.service().scan("SO-1003")
    assert refused.verdict is Verdict.NOT_PACKABLE
    assert refused.message == f"order SO-1003 is {status.replace('_', ' ')}: do not pack it"
    # Released again centrally: the station may pack it.
    hub.load("orders", "order_number,sku,quantity,status\nSO-1003,TEE,1,open\n")
    assert a.sync().blocked == []
    assert order_status(a, "SO-1003") == "open"


@BOTH
def test_packed_offline_then_cancelled_is_a_conflict_for_a_supervisor(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    a.sync()
    pack(a, "SO-1004", MUG)  # offline
    hub.load("orders", "order_number,sku,quantity,status\nSO-1004,MUG,1,cancelled\n")
    report = a.sync()
    assert (report.pushed, report.rejected, report.conflicts) == (5, 0, 1)
    assert order_status(a, "SO-1004") == "packed"  # the box exists; the station keeps it
    with hub.db.read() as s:
        stats = hub_stats(s)
    assert stats["conflicts"] == 1
    conflict = stats["open_conflicts"][0]
    assert (conflict["kind"], conflict["order"], conflict["station"]) == (
        "packed_while_cancelled",
        "SO-1004",
        "bench-1",
    )


@BOTH
def test_the_same_order_packed_at_two_stations_first_push_wins(
    hub: HubUnderTest, make_station: Make
) -> None:
    a, b, c = make_station("bench-1"), make_station("bench-2"), make_station("bench-3")
    for station in (a, b, c):
        station.sync()
    pack(a, "SO-1002", MUG)
    pack(b, "SO-1002", MUG)
    pack(b, "SO-1003", TEE)  # b's later work must not be held back
    assert a.sync().rejected == 0
    report = b.sync()
    assert (report.pushed, report.rejected, report.dead_letters) == (9, 1, 1)
    (letter,) = dead_letters(b.db)
    assert (letter.type, letter.code, letter.order) == (
        "pack.completed",
        "already_packed",
        "SO-1002",
    )
    assert letter.message == "order SO-1002 was already packed at bench-1"
    with hub.db.read() as s:
        stats = hub_stats(s)
    assert [r["code"] for r in stats["rejections"]] == ["already_packed"]
    assert "bench-1" in stats["rejections"][0]["message"]
    assert [x["kind"] for x in stats["open_conflicts"]] == ["packed_twice"]
    # A third station learns that SO-1002 is packed and will not pack it.
    report = c.sync()
    assert order_status(c, "SO-1002") == "packed"
    assert c.service().scan("SO-1002").verdict is Verdict.NOT_PACKABLE


def test_users_arrive_and_a_badge_moves(hub: HubUnderTest, make_station: Make) -> None:
    a = make_station("bench-1")
    put_users(hub.db, [UserRecord(name="ann", role="packer", badge_code="BADGE-ANN")])
    a.sync()
    put_users(
        hub.db,
        [
            UserRecord(name="ann", role="packer", badge_code=None, active=False),
            UserRecord(name="bea", role="supervisor", badge_code="BADGE-ANN"),
        ],
    )
    assert a.sync().pulled == 2
    with a.db.session() as s:
        users = {u.name: (u.role.value, u.badge_hash, u.active) for u in s.scalars(select(User))}
        holder = find_by_badge(s, "BADGE-ANN")
        assert holder is not None and holder.name == "bea"
        s.rollback()
    assert users["ann"] == ("packer", None, False)
    assert users["bea"][0::2] == ("supervisor", True)


def test_reset_required_pushes_first_then_rebuilds(hub: HubUnderTest, make_station: Make) -> None:
    a = make_station("bench-1")
    a.sync()
    pack(a, "SO-1001", MUG, MUG, TEE)  # offline work, still pending
    assert delete(hub.db, "order", ["SO-1004"]) == 1
    # Tombstones are kept for a while; once purged, a cursor from before them is too old.
    assert purge(hub.db, timedelta(0)) == 1
    report = a.sync()
    assert report.reset is True
    assert (report.pushed, report.pending) == (7, 0)  # pushed before anything was rebuilt
    with a.db.session() as s:
        numbers = sorted(s.scalars(select(Order.number)))
        s.rollback()
    assert numbers == ["SO-1001", "SO-1002", "SO-1003"]
    assert order_status(a, "SO-1001") == "packed"
    assert a.sync().reset is False


def rmas_at(station: StationUnderTest) -> dict[str, tuple[str, str | None, list[tuple[str, int]]]]:
    with station.db.session() as s:
        found = {
            r.number: (r.status.value, r.return_label, [(i.sku, i.quantity) for i in r.items])
            for r in s.scalars(select(Rma))
        }
        s.rollback()
    return found


def test_return_authorisations_reach_every_bench(hub: HubUnderTest, make_station: Make) -> None:
    a, b = make_station("bench-1"), make_station("bench-2")
    hub.load(
        "rmas",
        "rma_number,order_number,sku,quantity,reason,return_label\n"
        "RMA-1,SO-1001,MUG,1,broken,RL-1\n",
    )
    a.sync()
    assert rmas_at(a) == {"RMA-1": ("open", "RL-1", [("MUG", 1)])}
    # A parcel came without an RMA; bench-1 created one. The hub passes it on to bench-2.
    add_event(
        a.db,
        "rma.created",
        {
            "number": "RMA-BENCH-1-00001",
            "order_number": "SO-1002",
            "status": "open",
            "items": [{"sku": "MUG", "quantity": 1, "reason": "other"}],
            "station": "bench-1",
        },
    )
    hub.load("rmas", "rma_number,order_number,sku,quantity,status\nRMA-1,SO-1001,MUG,1,cancelled\n")
    assert a.sync().rejected == 0
    assert rmas_at(a)["RMA-1"] == ("cancelled", "RL-1", [("MUG", 1)])
    b.sync()
    # bench-2 never had RMA-1, so its cancellation creates nothing there.
    assert rmas_at(b) == {"RMA-BENCH-1-00001": ("open", None, [("MUG", 1)])}


def test_an_order_before_its_product_in_the_feed_is_completed_later(
    hub: HubUnderTest, make_station: Make
) -> None:
    # MUG changes after the orders naming it were imported, so the compacted feed sends those
    # orders first; one record per page makes the station meet them before MUG itself.
    hub.load("catalog", f"sku,name,barcode,weight_g\nMUG,Big mug,{MUG}|INT-MUG-01,400\n")
    a = make_station("bench-1")
    report = a.syncer(page=1).run_cycle()
    assert report.pulled == 8
    with a.db.session() as s:
        mug = s.scalars(select(Product).where(Product.sku == "MUG")).one()
        assert (mug.name, mug.unit_weight_g, len(mug.barcodes)) == ("Big mug", 400, 2)
        lines = s.scalars(select(Order).where(Order.number == "SO-1002")).one().lines
        assert [ln.product_id for ln in lines] == [mug.id]
        s.rollback()
    pack(a, "SO-1002", MUG)
