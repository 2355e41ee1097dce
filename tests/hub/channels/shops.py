"""Emulated shops on 127.0.0.1 and a hub database with a catalog, for the channel tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from station.hub.db import HubDatabase
from station.hub.imports import import_catalog_file
from station.tools.shopify_emulator import EmulatedShop, LeakyBucket, create_shop_app
from station.tools.woocommerce_emulator import EmulatedWooShop, create_woo_app
from tests.hub.hubfixtures import CATALOG_CSV
from tests.hub.server import running_hub

TOKEN = "shpat_test_token_0123456789"
LOCATION = "gid://shopify/Location/1"


@contextmanager
def shopify(bucket: LeakyBucket | None = None) -> Iterator[tuple[EmulatedShop, str]]:
    """A running Shopify emulator: the shop's state and its base URL."""
    shop = EmulatedShop(token=TOKEN, bucket=bucket or LeakyBucket())
    with running_hub(create_shop_app(shop)) as url:
        yield shop, url


def load_catalog(hub: HubDatabase, folder: Path) -> None:
    """The hub tests' catalog: MUG, TEE, PHONE, STRAY."""
    path = folder / "catalog.csv"
    path.write_text(CATALOG_CSV, encoding="utf-8")
    import_catalog_file(hub, path)


WOO_KEY, WOO_SECRET = "ck_test_0123", "cs_test_4567"


@contextmanager
def woocommerce() -> Iterator[tuple[EmulatedWooShop, str]]:
    """A running WooCommerce emulator: the shop's state and its base URL."""
    shop = EmulatedWooShop(key=WOO_KEY, secret=WOO_SECRET)
    with running_hub(create_woo_app(shop)) as url:
        yield shop, url
