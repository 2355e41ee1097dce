"""The demo hub's carrier accounts, all on the emulator: what ``./dev start`` configures.

The demo site ships from the US (``./dev``'s ``start_demo_hub`` sets its address): USPS serves
its US orders and DHL Express the others (most demo orders go to Europe). Each carrier
refuses what it does not carry (karrio's USPS connector takes US destinations only; DHL
Express carries no domestic US shipment), so the ship method's rule (the cheapest rate meeting
its promise) chooses among the carriers that serve the destination.
"""

from __future__ import annotations

import os
from pathlib import Path

import tomlkit

# account -> (carrier, karrio settings); the emulator checks no credential.
DEMO_ACCOUNTS: dict[str, tuple[str, dict[str, str]]] = {
    "demo-usps": ("usps", {"client_id": "demo", "client_secret": "demo", "account_number": "1"}),
    "demo-dhl-express": (
        "dhl_express",
        {"site_id": "demo", "password": "demo", "account_number": "950000002"},
    ),
}


def demo_carriers(url: str) -> str:
    """The carriers file (TOML) of the demo hub, every account on the emulator at ``url``."""
    document = tomlkit.document()
    document.add(tomlkit.comment("written by ./dev start: the demo hub's emulated carriers"))
    accounts = tomlkit.table(is_super_table=True)
    for name, (carrier, credentials) in DEMO_ACCOUNTS.items():
        accounts[name] = {"carrier": carrier, "server_url": url, "credentials": credentials}
    document["accounts"] = accounts
    return tomlkit.dumps(document)


def write_demo_carriers(path: Path, url: str) -> None:
    """Write the demo carriers file at ``path``, readable by this user only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(demo_carriers(url))
