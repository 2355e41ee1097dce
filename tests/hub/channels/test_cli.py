"""``station hub channels add | list | test | sync``, in process, against the emulators."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from station.cli.main import main
from station.hub.channels.outbound import package_shipped
from station.hub.channels.webhooks_out import MAX_ATTEMPTS
from station.hub.db import open_hub_database
from station.hub.models import HubWebhookDelivery
from tests.hub.channels.shops import LOCATION, TOKEN, load_catalog, shopify


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_add_list_test_and_sync_a_shop_without_printing_its_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    hub = open_hub_database(url)
    load_catalog(hub, tmp_path)
    hub.close()
    secrets = tmp_path / "secrets.json"
    secrets.write_text(f'{{"channels": {{"shop-eu": {{"token": "{TOKEN}"}}}}}}')
    monkeypatch.setenv("STATION_HUB_SECRETS", str(secrets))
    with shopify() as (shop, shop_url):
        shop.add_order("#1001", [("MUG", 1)])
        shop.add_order("#1002", [("NOPE", 1)])
        status, out, _ = run(
            capsys,
            "hub",
            "channels",
            "add",
            "shop-eu",
            "--db",
            url,
            "--kind",
            "shopify",
            "--url",
            shop_url,
            "--location",
            LOCATION,
        )
        assert status == 0 and "STATION_CHANNEL_SHOP_EU_TOKEN" in out
        status, out, _ = run(capsys, "hub", "channels", "list", "--db", url)
        assert status == 0 and "shop-eu\tshopify" in out and "token set" in out
        status, out, _ = run(capsys, "hub", "channels", "test", "--db", url)
        assert (status, out.strip()) == (0, "shop-eu: answers")
        status, out, err = run(
            capsys, "hub", "channels", "sync", "--db", url, "--channel", "shop-eu"
        )
    assert status == 0
    assert "shop-eu: 1 created, 0 updated, 0 unchanged, 1 refused" in out
    assert "#1002: order #1002: not in the catalog: NOPE" in err
    assert TOKEN not in out + err


def test_a_refused_token_is_reported_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    monkeypatch.setenv("STATION_CHANNEL_SHOP_EU_TOKEN", "shpat_wrong")
    with shopify() as (_shop, shop_url):
        run(
            capsys,
            "hub",
            "channels",
            "add",
            "shop-eu",
            "--db",
            url,
            "--kind",
            "shopify",
            "--url",
            shop_url,
        )
        status, _, err = run(capsys, "hub", "channels", "sync", "--db", url)
    assert status == 1
    assert "shop-eu: the shop refused the access token (HTTP 401)" in err
    assert "shpat_wrong" not in err


def test_an_unacceptable_channel_is_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    status, _, err = run(
        capsys,
        "hub",
        "channels",
        "add",
        "shop",
        "--db",
        url,
        "--kind",
        "shopify",
        "--url",
        "http://shop.example.com",
    )
    assert status == 2
    assert "url: a shop is reached over https" in err


def test_webhooks_add_list_deliver_and_replay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    monkeypatch.setenv("STATION_WEBHOOK_ERP_SECRET", "s3cret")
    status, out, _ = run(
        capsys,
        "hub",
        "webhooks",
        "add",
        "erp",
        "--db",
        url,
        "--url",
        "http://127.0.0.1:9/hook",
        "--event",
        "package.shipped",
    )
    assert status == 0 and "package.shipped" in out
    hub = open_hub_database(url)
    with hub.write() as s:
        package_shipped(s, "SO-1", 1, "DHL", "JD1", None)
        s.execute(update(HubWebhookDelivery).values(attempts=MAX_ATTEMPTS - 1))
    hub.close()
    status, out, err = run(capsys, "hub", "webhooks", "deliver", "--db", url)
    assert "0 delivered, 0 to retry, 1 dead" in out and "cannot reach the endpoint" in err
    status, out, _ = run(capsys, "hub", "webhooks", "list", "--db", url)
    assert "0 pending, 1 dead" in out and "\npackage.shipped" not in out and "dead " in out
    status, out, _ = run(capsys, "hub", "webhooks", "replay", "--db", url)
    assert out.strip() == "1 dead delivery queued again"
    status, _, err = run(
        capsys, "hub", "webhooks", "add", "x", "--db", url, "--url", "http://example.com/h"
    )
    assert status == 2 and "https only" in err
