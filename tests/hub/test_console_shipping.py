"""The console's shipping page against a hub buying through karrio's USPS connector and the
carrier emulator: accounts with their health and last test, manifests downloaded, shops and
webhooks with their backlog, and never a credential."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy import select

from station.hub.channels.registry import add_channel
from station.hub.channels.webhooks_out import add_subscription, emit
from station.hub.console.models import CarrierCheck, ConsoleAudit
from station.hub.models import HubConflict
from station.tools.carrier_emulator import CarrierEmulator, Fault
from tests.hub.consoleclient import Browsers, csrf_of, open_browsers
from tests.hub.shipping.shipfixtures import SECRET, ShipHub, start_ship_hub


@pytest.fixture(scope="module")
def ship_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShipHub]:
    """One hub with a USPS account on the carrier emulator for the module (karrio is slow to
    start; each test looks at its own part of the page)."""
    with ExitStack() as stack:
        emulator = stack.enter_context(CarrierEmulator(timeout_hold_s=3))
        folder = tmp_path_factory.mktemp("console-ship")
        yield start_ship_hub(stack, folder / "hub", emulator, timeout=1.5)


@pytest.fixture
def ship_browsers(ship_hub: ShipHub) -> Iterator[Browsers]:
    """Console clients of the shipping hub."""
    yield from open_browsers(ship_hub.url, ship_hub.db)


def buy_and_manifest(ship_hub: ShipHub) -> dict[str, object]:
    """A label bought and the day's manifest made, through the station API."""
    bought = ship_hub.client.post(
        "/v1/ship/buy", json={**ship_hub.package(), "idempotency_key": "key-1-console"}
    )
    assert bought.status_code == 200, bought.text
    made = ship_hub.client.post("/v1/ship/manifest", json={"account": "usps-0"})
    assert made.status_code == 200, made.text
    result: dict[str, object] = made.json()
    return result


def test_a_manifest_is_listed_and_downloaded_and_no_page_shows_a_credential(
    ship_hub: ShipHub, ship_browsers: Browsers
) -> None:
    made = buy_and_manifest(ship_hub)
    boss = ship_browsers.user("dan", "supervisor")
    page = boss.get("/console/shipping")
    assert page.status_code == 200, page.text
    assert "usps-0" in page.text and "(emulator)" in page.text
    number = str(made["manifest_number"])
    assert f"Download manifest {number}" in page.text
    doc = boss.get(f"/console/shipping/manifests/{made['id']}/document")
    assert doc.status_code == 200
    assert doc.content.startswith(b"%PDF")
    assert doc.headers["content-disposition"].startswith('attachment; filename="manifest-usps-0-')
    assert boss.get("/console/shipping/manifests/999/document").status_code == 404
    with ship_hub.db.read() as s:
        actions = s.scalars(select(ConsoleAudit.action)).all()
    assert "download_manifest" in actions
    admin = ship_browsers.user("ann", "admin")
    for path in ("/console/shipping", "/console/rmas", "/console/network", "/console/audit"):
        shown = admin.get(path)
        assert shown.status_code == 200, path
        assert SECRET not in shown.text and "id-usps-0" not in shown.text, path


def test_a_carrier_test_is_kept_as_the_accounts_last_result(
    ship_hub: ShipHub, ship_browsers: Browsers
) -> None:
    boss = ship_browsers.user("dan", "supervisor")
    with ship_hub.db.read() as s:
        assert s.scalars(select(CarrierCheck)).all() == []
    page = boss.get("/console/shipping")
    assert "Test carrier account usps-0" in page.text
    form = {"csrf": csrf_of(page.text)}
    passed = boss.post("/console/shipping/carriers/usps-0/test", data=form)
    assert passed.status_code == 303
    page = boss.get("/console/shipping")
    assert "passed" in page.text and "rate(s), from" in page.text
    ship_hub.emulator.fail_next(Fault.ERROR_500)
    boss.post("/console/shipping/carriers/usps-0/test", data=form)
    page = boss.get("/console/shipping")
    assert "failing" in page.text and "carrier_error" in page.text
    assert boss.post("/console/shipping/carriers/nope/test", data=form).status_code == 404
    assert boss.post("/console/shipping/carriers/usps-0/test", data={}).status_code == 403
    with ship_hub.db.read() as s:
        assert [c.ok for c in s.scalars(select(CarrierCheck).order_by(CarrierCheck.id))] == [
            True,
            False,
        ]


def test_shops_and_webhooks_are_listed_with_their_backlog(
    ship_hub: ShipHub, ship_browsers: Browsers
) -> None:
    add_channel(ship_hub.db, "shop-a", "shopify", "https://shop-a.example/admin?key=k1", [])
    add_subscription(ship_hub.db, "erp", "https://erp.example/hooks?token=t1", ["order.packed"])
    with ship_hub.db.write() as s:
        emit(s, "order.packed", {"order": "SO-1001"})
        s.add(
            HubConflict(
                kind="channel_unknown_sku",
                order_number="#1001",
                detail={"channel": "shop-a", "message": "SKU GHOST is not in the catalog"},
            )
        )
    page = ship_browsers.user("dan", "supervisor").get("/console/shipping")
    assert "shop-a" in page.text and "https://shop-a.example" in page.text
    assert "SKU GHOST is not in the catalog" in page.text and "attention" in page.text
    assert "erp" in page.text
    # Addresses without their query: a key in a shop's URL is not shown.
    assert "k1" not in page.text and "t1" not in page.text
