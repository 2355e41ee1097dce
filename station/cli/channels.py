"""``station hub channels add | list | test | sync``: the shops the hub takes orders from.

Credentials are never arguments (they would land in shell history and process lists): they
come from the environment or the hub's secrets file (``station.hub.channels.secrets``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from station.config import Settings


def register(cmds: argparse._SubParsersAction[Any], db_option: Any) -> None:
    """Add ``channels`` and its commands under ``station hub``."""
    channels = cmds.add_parser("channels", help="shops: Shopify, WooCommerce")
    sub = channels.add_subparsers(dest="channels_command", required=True, metavar="COMMAND")

    add = sub.add_parser("add", help="add or change a shop (credentials: see docs/channels.md)")
    db_option(add)
    add.add_argument("name", help="the channel's name (letters, digits, '-', '_')")
    add.add_argument("--kind", required=True, choices=("shopify", "woocommerce"))
    add.add_argument("--url", required=True, help="https://SHOP.myshopify.com or the shop's URL")
    add.add_argument(
        "--location", action="append", default=[], help="Shopify location id (repeatable)"
    )
    add.set_defaults(handler=run_add)

    for command, text, handler in (
        ("list", "list the shops", run_list),
        ("test", "check each shop answers with its credentials", run_test),
        ("sync", "take the shops' open orders and send pending tracking", run_sync),
    ):
        p = sub.add_parser(command, help=text)
        db_option(p)
        if command != "list":
            p.add_argument("--channel", metavar="NAME", help="only this channel")
        p.set_defaults(handler=handler)


def open_hub(args: argparse.Namespace) -> Any:
    """The hub database named by ``--db`` (or the default); None, said on stderr, if it fails."""
    from station.hub.db import default_hub_url, open_hub_database

    try:
        return open_hub_database(args.hub_db or default_hub_url())
    except Exception as exc:  # a bad URL, an unreachable server, a failed migration
        print(f"station hub channels: cannot open the hub database: {exc}", file=sys.stderr)
        return None


def run_add(args: argparse.Namespace, _settings: Settings) -> int:
    """Add or change a channel."""
    from station.hub.channels.registry import add_channel
    from station.hub.channels.secrets import env_prefix

    hub = open_hub(args)
    if hub is None:
        return 2
    try:
        info = add_channel(hub, args.name, args.kind, args.url, args.location)
    except ValueError as exc:
        print(f"station hub channels add: {exc}", file=sys.stderr)
        return 2
    finally:
        hub.close()
    print(f"channel {info.name}: {info.kind} at {info.base_url}, locations {info.location_ids}")
    print(f"credentials: {env_prefix(info.name)}TOKEN and {env_prefix(info.name)}WEBHOOK_SECRET")
    return 0


def run_list(args: argparse.Namespace, _settings: Settings) -> int:
    """Print the channels, one a line, with whether their credentials are present."""
    from station.hub.channels.registry import list_channels
    from station.hub.channels.secrets import channel_secrets

    hub = open_hub(args)
    if hub is None:
        return 2
    try:
        infos = list_channels(hub)
    finally:
        hub.close()
    for info in infos:
        secrets = channel_secrets(info.name)
        have = "token set" if secrets.token else "NO TOKEN"
        hook = "webhook secret set" if secrets.webhook_secret else "no webhook secret"
        print(f"{info.name}\t{info.kind}\t{info.base_url}\t{have}, {hook}")
    if not infos:
        print("no channels")
    return 0


def _names(hub: Any, only: str | None) -> list[str]:
    from station.hub.channels.registry import list_channels

    return [i.name for i in list_channels(hub) if only is None or i.name == only]


def run_test(args: argparse.Namespace, _settings: Settings) -> int:
    """Ask each shop for one page of orders; say per shop whether it answered."""
    from station.hub.channels.errors import ChannelError
    from station.hub.channels.registry import get_channel
    from station.hub.channels.secrets import channel_secrets
    from station.hub.channels.shopify import ShopifyClient

    hub = open_hub(args)
    if hub is None:
        return 2
    failed = 0
    try:
        names = _names(hub, args.channel)
        if not names:
            print(
                f"station hub channels test: no channel {args.channel or ''}".rstrip(),
                file=sys.stderr,
            )
            return 1
        for name in names:
            info = get_channel(hub, name)
            token = channel_secrets(name).token
            if info.kind != "shopify":
                print(f"{name}: testing {info.kind} is not available yet")
                continue
            if not token:
                print(f"{name}: no token configured", file=sys.stderr)
                failed += 1
                continue
            client = ShopifyClient.open(name, info.base_url, token)
            try:
                next(iter(client.fulfillment_orders(info.location_ids)), None)
                print(f"{name}: answers")
            except ChannelError as exc:
                print(str(exc), file=sys.stderr)
                failed += 1
            finally:
                client.close()
    finally:
        hub.close()
    return 1 if failed else 0


def run_sync(args: argparse.Namespace, _settings: Settings) -> int:
    """Take each shop's orders, then send pending tracking; a failing shop stops no other."""
    from station.hub.channels.errors import ChannelError
    from station.hub.channels.outbound import dispatch_fulfilments
    from station.hub.channels.sync import sync_channel

    hub = open_hub(args)
    if hub is None:
        return 2
    failed = 0
    try:
        names = _names(hub, args.channel)
        if not names:
            print(
                f"station hub channels sync: no channel {args.channel or ''}".rstrip(),
                file=sys.stderr,
            )
            return 1
        for name in names:
            try:
                report = sync_channel(hub, name)
            except ChannelError as exc:
                print(str(exc), file=sys.stderr)
                failed += 1
                continue
            t = report.taken
            print(
                f"{name}: {len(t.created)} created, {len(t.updated)} updated, "
                f"{len(t.unchanged)} unchanged, {len(t.refused)} refused, "
                f"{len(report.malformed)} malformed"
            )
            for number, why in {**t.refused, **report.malformed}.items():
                print(f"{name}: {number}: {why}", file=sys.stderr)
            out = dispatch_fulfilments(hub, name)
            print(
                f"{name}: {len(out.sent)} fulfilment(s) sent, {len(out.retrying)} to retry, "
                f"{len(out.failed)} failed"
            )
            for key, why in {**out.retrying, **out.failed}.items():
                print(f"{name}: {key}: {why}", file=sys.stderr)
    finally:
        hub.close()
    return 1 if failed else 0
