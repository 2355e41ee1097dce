"""Channel credentials: from the environment or the hub's secrets file, never the database.

For a channel named ``shop-eu`` the hub reads ``STATION_CHANNEL_SHOP_EU_TOKEN`` (Shopify: the
Admin API access token; WooCommerce: ``consumer_key:consumer_secret``) and
``STATION_CHANNEL_SHOP_EU_WEBHOOK_SECRET`` (the secret the shop signs its webhooks with), or,
where they are unset, the same keys under ``channels.shop-eu`` in the JSON file named by
``STATION_HUB_SECRETS``. Nothing here is ever logged, printed or sent to a station; the repr of
``ChannelSecrets`` hides the values.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ChannelSecrets:
    """A channel's token and webhook secret (either may be missing)."""

    token: str | None = field(default=None, repr=False)
    webhook_secret: str | None = field(default=None, repr=False)


def env_prefix(name: str) -> str:
    """``shop-eu`` -> ``STATION_CHANNEL_SHOP_EU_``."""
    return "STATION_CHANNEL_" + re.sub(r"[^A-Z0-9]", "_", name.upper()) + "_"


def channel_secrets(name: str, environ: Mapping[str, str] | None = None) -> ChannelSecrets:
    """The credentials of channel ``name``; ValueError if the secrets file is unreadable."""
    env = os.environ if environ is None else environ
    prefix = env_prefix(name)
    from_file: dict[str, str] = {}
    path = env.get("STATION_HUB_SECRETS")
    if path:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            # The exception names the file and the cause, never its content.
            raise ValueError(
                f"STATION_HUB_SECRETS: cannot read {path}: {type(exc).__name__}"
            ) from None
        entry = (data.get("channels") or {}).get(name) if isinstance(data, dict) else None
        if isinstance(entry, dict):
            from_file = {k: str(v) for k, v in entry.items() if isinstance(v, str)}
    return ChannelSecrets(
        token=env.get(prefix + "TOKEN") or from_file.get("token"),
        webhook_secret=env.get(prefix + "WEBHOOK_SECRET") or from_file.get("webhook_secret"),
    )
