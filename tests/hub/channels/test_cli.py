"""``station hub channels add | list | test | sync``, in process, against the emulators."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.cli.main import main
from station.hub.db import open_hub_database
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
