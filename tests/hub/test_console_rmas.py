"""RMAs created and edited in the console reach the stations through the change feed
(real hub, real station database pulling it); refused ones name every problem."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlalchemy import select

from station.db.models import Rma
from station.hub.console.models import ConsoleAudit
from station.hub.feed import get_record
from tests.hub.consoleclient import Browsers, browsers, csrf_of
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.pgcluster import BOTH
from tests.sync.events import add_event

__all__ = ["browsers"]  # the fixture

Make = Callable[[str], StationUnderTest]


def station_rma(
    station: StationUnderTest, number: str
) -> tuple[str, list[tuple[str, int, str | None]]]:
    """(status, [(sku, quantity, reason)]) of an RMA in the station's database."""
    with station.db.session() as s:
        rma = s.scalar(select(Rma).where(Rma.number == number))
        assert rma is not None, f"{number} did not reach {station.name}"
        items: list[tuple[str, int, str | None]] = [
            (i.sku, int(i.quantity), i.reason or None) for i in rma.items
        ]
        status = str(rma.status)
        s.rollback()
    return status, items


def create(client: httpx.Client, **fields: str) -> httpx.Response:
    """The new-RMA form of the RMA page, filled in and sent."""
    form = client.get("/console/rmas")
    assert form.status_code == 200, form.text
    return client.post("/console/rmas", data={"csrf": csrf_of(form.text), **fields})


@BOTH
def test_an_rma_created_in_the_console_reaches_the_station_and_is_audited(
    hub: HubUnderTest, make_station: Make, browsers: Browsers
) -> None:
    bench = make_station("bench-1")
    boss = browsers.user("dan", "supervisor")
    answer = create(
        boss,
        rma_number="RMA-77",
        order_number="SO-1001",
        items="MUG, 1, arrived broken\nTEE, 1",
        tracking_number="1Z-BACK-77",
        note="customer called",
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/console/rmas/RMA-77?saved=1"
    listed = boss.get("/console/rmas", params={"order": "SO-1001"})
    assert "RMA-77" in listed.text and "1Z-BACK-77" in listed.text
    bench.sync()
    assert station_rma(bench, "RMA-77") == (
        "open",
        [("MUG", 1, "arrived broken"), ("TEE", 1, None)],
    )
    with hub.db.read() as s:
        audited = s.scalars(
            select(ConsoleAudit.subject).where(ConsoleAudit.action == "create_rma")
        ).all()
    assert audited == ["RMA-77"]
    # Found by the evidence search as any imported RMA is.
    assert "SO-1001" in boss.get("/console/search", params={"q": "RMA-77"}).text


def test_an_edit_reaches_the_station_until_a_bench_has_received_the_parcel(
    hub: HubUnderTest, make_station: Make, browsers: Browsers
) -> None:
    bench = make_station("bench-1")
    boss = browsers.user("dan", "supervisor")
    assert (
        create(boss, rma_number="RMA-8", order_number="SO-1001", items="MUG, 2").status_code == 303
    )
    page = boss.get("/console/rmas/RMA-8")
    assert page.status_code == 200 and "MUG, 2" in page.text
    edited = boss.post(
        "/console/rmas/RMA-8",
        data={"csrf": csrf_of(page.text), "order_number": "SO-1001", "items": "MUG, 1, scratched"},
    )
    assert edited.status_code == 303, edited.text
    bench.sync()
    assert station_rma(bench, "RMA-8") == ("open", [("MUG", 1, "scratched")])
    # The bench opens the parcel: from then on the RMA is the bench's to decide.
    add_event(bench.db, "return.inspection_started", {"rma": "RMA-8", "order": "SO-1001"})
    bench.sync()
    page = boss.get("/console/rmas/RMA-8")
    assert "bench-1 has received this RMA" in page.text
    assert 'action="/console/rmas/RMA-8"' not in page.text
    refused = boss.post(
        "/console/rmas/RMA-8",
        data={"csrf": csrf_of(page.text), "order_number": "SO-1001", "status": "cancelled",
              "items": "MUG, 1"},
    )  # fmt: skip
    assert refused.status_code == 422
    assert "bench-1 has received this RMA" in refused.text
    with hub.db.read() as s:
        assert get_record(s, "rma", "RMA-8")["status"] == "open"  # type: ignore[index]


def test_a_refused_rma_names_every_problem_and_nothing_is_written(
    hub: HubUnderTest, browsers: Browsers
) -> None:
    boss = browsers.user("dan", "supervisor")
    wrong = create(boss, rma_number="RMA-9", order_number="SO-1001", items="MUG, 3\nPHONE, 1\nTEE")
    assert wrong.status_code == 422
    text = wrong.text
    assert "3 is more than the 2 ordered" in text
    assert "&#39;PHONE&#39; is not on order SO-1001" in text
    assert "items line 3: write SKU, quantity" in text
    assert 'value="RMA-9"' in text  # the form comes back as typed
    unknown = create(boss, rma_number="RMA-9", order_number="SO-404", items="MUG, 1")
    assert "unknown order &#39;SO-404&#39;" in unknown.text
    assert (
        create(boss, rma_number="RMA-9", order_number="SO-1002", items="MUG, 1").status_code == 303
    )
    again = create(boss, rma_number="RMA-9", order_number="SO-1002", items="MUG, 1")
    assert "RMA RMA-9 exists already" in again.text
    with hub.db.read() as s:
        assert get_record(s, "rma", "RMA-9")["order_number"] == "SO-1002"  # type: ignore[index]
    missing = boss.get("/console/rmas/RMA-404")
    assert missing.status_code == 404


def test_customer_service_cannot_create_or_edit_rmas(hub: HubUnderTest, browsers: Browsers) -> None:
    agent = browsers.user("cara", "customer_service")
    search = agent.get("/console/search")
    assert 'href="/console/rmas"' not in search.text
    assert agent.get("/console/rmas").status_code == 403
    assert agent.get("/console/shipping").status_code == 403
    posted = agent.post(
        "/console/rmas",
        data={"csrf": csrf_of(search.text), "rma_number": "RMA-1", "order_number": "SO-1001",
              "items": "MUG, 1"},
    )  # fmt: skip
    assert posted.status_code == 403
    boss = browsers.user("dan", "supervisor")
    forged = boss.post(
        "/console/rmas",
        data={
            "csrf": "forged",
            "rma_number": "RMA-1",
            "order_number": "SO-1001",
            "items": "MUG, 1",
        },
    )
    assert forged.status_code == 403
    with hub.db.read() as s:
        assert get_record(s, "rma", "RMA-1") is None


@BOTH
def test_control_characters_are_refused_by_name_never_a_server_error(
    hub: HubUnderTest, browsers: Browsers
) -> None:
    boss = browsers.user("dan", "supervisor")
    refused = create(boss, rma_number="RMA\x00-1", order_number="SO-1001", items="MUG\x00, 1")
    assert refused.status_code == 422
    assert "rma_number: holds a control character" in refused.text
    assert "items: holds a control character" in refused.text
    assert boss.get("/console/rmas/RMA%00-1").status_code == 404
    assert boss.get("/console/rmas", params={"order": "SO\x00"}).status_code == 200
    page = boss.get("/console/rmas")
    edited = boss.post("/console/rmas/RMA%00-1", data={"csrf": csrf_of(page.text), "items": "x"})
    assert edited.status_code == 404
    # The evidence search and record the same way.
    assert boss.get("/console/orders/SO%00-1").status_code == 404
    assert boss.get("/console/orders/SO%00-1/evidence.pdf").status_code == 404
    assert "No order matches" in boss.get("/console/search", params={"q": "SO\x00"}).text
