"""Carrier accounts from the secrets file and the environment; credentials never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.hub.shipping.accounts import AccountError, parse_accounts
from station.hub.shipping.config import ShippingConfig

FILE = """
carrier_timeout_s = 8
[accounts.usps-main]
carrier = "usps"
server_url = "http://127.0.0.1:9"
[accounts.usps-main.credentials]
client_id = "from-file"
"""


def test_the_environment_completes_and_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "carriers.toml"
    path.write_text(FILE, encoding="utf-8")
    env = {
        "STATION_HUB_CARRIERS": str(path),
        "STATION_CARRIER_USPS_MAIN_CLIENT_SECRET": "from-env",
        "STATION_CARRIER_USPS_MAIN_CLIENT_ID": "env-wins",
    }
    config = ShippingConfig.load(None, env)
    account = config.accounts["usps-main"]
    assert dict(account.credentials) == {"client_id": "env-wins", "client_secret": "from-env"}
    assert config.carrier_timeout_s == 8
    assert "from-env" not in repr(account) and "env-wins" not in repr(account)
    assert "from-env" not in str(account.public())


def test_bad_accounts_are_all_named() -> None:
    with pytest.raises(AccountError) as refused:
        parse_accounts(
            {
                "accounts": {
                    "a": {"carrier": "pigeon"},
                    "b": {"carrier": "ups", "server_url": "ftp://x"},
                    "Bad Name": {"carrier": "ups"},
                }
            },
            {},
        )
    message = str(refused.value)
    assert "accounts.a.carrier: 'pigeon' is not one of usps, ups" in message
    assert "accounts.b.server_url: not an http(s) URL" in message
    assert "accounts.Bad Name:" in message


def test_an_unreadable_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "carriers.toml"
    path.write_text("[accounts.x\n", encoding="utf-8")
    with pytest.raises(AccountError, match=r"carriers\.toml: not valid TOML"):
        ShippingConfig.load(path, {})
    with pytest.raises(AccountError, match="cannot read"):
        ShippingConfig.load(tmp_path / "absent.toml", {})
