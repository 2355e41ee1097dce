"""The shipping configuration of one hub: accounts and rules, from the carriers file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from station.hub.shipping.accounts import CarrierAccount, load_secrets, parse_accounts
from station.hub.shipping.rules import ShippingRules, parse_rules

CARRIERS_ENV = "STATION_HUB_CARRIERS"


@dataclass(frozen=True)
class ShippingConfig:
    """Carrier accounts by name, the rules, and how long a carrier may take to answer."""

    accounts: Mapping[str, CarrierAccount] = field(default_factory=dict)
    rules: ShippingRules = field(default_factory=ShippingRules)
    carrier_timeout_s: float = 15.0

    @classmethod
    def load(cls, path: Path | None, environ: Mapping[str, str] | None = None) -> ShippingConfig:
        """From the carriers file at ``path`` (or ``STATION_HUB_CARRIERS``); none: no accounts."""
        env = os.environ if environ is None else environ
        if path is None and env.get(CARRIERS_ENV):
            path = Path(env[CARRIERS_ENV])
        if path is None:
            return cls(parse_accounts({}, env))
        data = load_secrets(path)
        timeout = data.get("carrier_timeout_s", 15.0)
        return cls(parse_accounts(data, env), parse_rules(data), float(timeout))
