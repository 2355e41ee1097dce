"""Carrier accounts from the hub's secrets file and the environment; never shown in full.

The secrets file (``STATION_HUB_CARRIERS`` or ``--carriers``, TOML, readable by the hub's
user only) holds one table per account::

    [accounts.usps-main]
    carrier = "usps"            # usps, ups, fedex, dhl_express, dhl_parcel_de, generic
    site = "main"               # the site whose labels it buys (default: the default site)
    server_url = "http://127.0.0.1:9000"   # optional: the carrier emulator
    [accounts.usps-main.credentials]
    client_id = "..."
    client_secret = "..."

``STATION_CARRIER_<ACCOUNT>_<KEY>`` (account name upper-cased, ``-`` as ``_``) sets or
overrides a credential from the environment, so a file need hold no secret at all.
Credentials go only into karrio's settings: ``public()`` and ``repr`` leave them out.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CARRIERS = ("usps", "ups", "fedex", "dhl_express", "dhl_parcel_de", "generic")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class AccountError(ValueError):
    """A secrets file or account that cannot be used; the message names the cause."""


@dataclass(frozen=True)
class CarrierAccount:
    """One carrier account of the hub (credentials are kept out of ``repr``)."""

    name: str
    carrier: str
    site: str | None = None
    server_url: str | None = None
    credentials: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def public(self) -> dict[str, Any]:
        """What may be shown or sent to a station: never a credential, only their names."""
        return {
            "name": self.name,
            "carrier": self.carrier,
            "site": self.site,
            "emulated": self.server_url is not None,
            "credential_keys": sorted(self.credentials),
        }


def _env_key(account: str) -> str:
    return "STATION_CARRIER_" + account.upper().replace("-", "_") + "_"


def parse_accounts(
    data: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> dict[str, CarrierAccount]:
    """Accounts from a parsed secrets file, credentials completed from the environment."""
    env = os.environ if environ is None else environ
    tables = data.get("accounts", {})
    if not isinstance(tables, dict):
        raise AccountError("accounts: expected a table of accounts")
    accounts: dict[str, CarrierAccount] = {}
    problems: list[str] = []
    for name, table in tables.items():
        where = f"accounts.{name}"
        if not _NAME.match(name):
            problems.append(f"{where}: a name of a-z, 0-9, - and _ (at most 64)")
            continue
        if not isinstance(table, dict):
            problems.append(f"{where}: expected a table")
            continue
        carrier = table.get("carrier")
        if carrier not in CARRIERS:
            problems.append(f"{where}.carrier: {carrier!r} is not one of {', '.join(CARRIERS)}")
            continue
        credentials = table.get("credentials", {})
        if not isinstance(credentials, dict):
            problems.append(f"{where}.credentials: expected a table")
            continue
        prefix = _env_key(name)
        merged = dict(credentials)
        for key, value in env.items():
            if key.startswith(prefix) and len(key) > len(prefix):
                merged[key[len(prefix) :].lower()] = value
        server_url = table.get("server_url")
        if server_url is not None and not str(server_url).startswith(("http://", "https://")):
            problems.append(f"{where}.server_url: not an http(s) URL")
            continue
        site = table.get("site")
        accounts[name] = CarrierAccount(
            name=name,
            carrier=str(carrier),
            site=str(site) if site else None,
            server_url=str(server_url) if server_url else None,
            credentials=merged,
        )
    if problems:
        raise AccountError("; ".join(problems))
    return accounts


def load_secrets(path: Path) -> dict[str, Any]:
    """The parsed secrets file; AccountError naming the file and the cause otherwise."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AccountError(f"{path}: cannot read ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AccountError(f"{path}: not valid TOML ({exc})") from None
