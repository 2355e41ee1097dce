"""The channels configured at the hub: add, list, look up."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select

from station.hub.db import HubDatabase
from station.hub.models import HubChannel

KINDS = ("shopify", "woocommerce")


@dataclass(frozen=True)
class ChannelInfo:
    """A channel as configured (no credentials: see ``station.hub.channels.secrets``)."""

    name: str
    kind: str
    base_url: str
    location_ids: list[str]


def _info(row: HubChannel) -> ChannelInfo:
    return ChannelInfo(row.name, row.kind, row.base_url, list(row.location_ids))


def add_channel(
    hub: HubDatabase, name: str, kind: str, base_url: str, location_ids: list[str]
) -> ChannelInfo:
    """Add or change a channel; ValueError naming the field if one is unacceptable."""
    if kind not in KINDS:
        raise ValueError(f"kind: not one of {', '.join(KINDS)} ({kind!r})")
    if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"name: letters, digits, '-' and '_', at most 64 ({name!r})")
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"url: not an http(s) URL ({base_url!r})")
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("url: a shop is reached over https (http only for 127.0.0.1)")
    with hub.write() as session:
        row = session.scalars(select(HubChannel).where(HubChannel.name == name)).one_or_none()
        if row is None:
            row = HubChannel(name=name, kind=kind, base_url=base_url, location_ids=location_ids)
            session.add(row)
        else:
            row.kind, row.base_url, row.location_ids = kind, base_url, location_ids
        session.flush()
        return _info(row)


def list_channels(hub: HubDatabase) -> list[ChannelInfo]:
    """Every channel, by name."""
    with hub.read() as session:
        return [_info(r) for r in session.scalars(select(HubChannel).order_by(HubChannel.name))]


def get_channel(hub: HubDatabase, name: str) -> ChannelInfo:
    """The channel ``name``; KeyError if none."""
    for info in list_channels(hub):
        if info.name == name:
            return info
    raise KeyError(f"no channel named {name!r}")
