"""``station hub webhooks add | list | replay | deliver``: the hub's outgoing webhooks.

The signing secret of a subscription ``erp`` is ``STATION_WEBHOOK_ERP_SECRET`` (or
``webhooks.erp.secret`` in the secrets file), never an argument.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from station.cli.channels import open_hub
from station.config import Settings


def register(cmds: argparse._SubParsersAction[Any], db_option: Any) -> None:
    """Add ``webhooks`` and its commands under ``station hub``."""
    hooks = cmds.add_parser("webhooks", help="endpoints told of packed, shipped, returned")
    sub = hooks.add_subparsers(dest="webhooks_command", required=True, metavar="COMMAND")
    add = sub.add_parser("add", help="add or change a subscription")
    db_option(add)
    add.add_argument("name", help="the subscription's name")
    add.add_argument("--url", required=True, help="the https endpoint")
    add.add_argument("--event", action="append", default=[], help="an event (default: all)")
    add.set_defaults(handler=run_add)
    listing = sub.add_parser("list", help="subscriptions, and the dead deliveries")
    db_option(listing)
    listing.set_defaults(handler=run_list)
    rep = sub.add_parser("replay", help="queue dead deliveries again (given ids, or all)")
    db_option(rep)
    rep.add_argument("ids", nargs="*", help="delivery ids (default: every dead one)")
    rep.set_defaults(handler=run_replay)
    deliver = sub.add_parser("deliver", help="post the deliveries that are due")
    db_option(deliver)
    deliver.set_defaults(handler=run_deliver)


def run_add(args: argparse.Namespace, _settings: Settings) -> int:
    """Add or change a subscription."""
    from station.hub.channels.webhooks_out import add_subscription

    hub = open_hub(args)
    if hub is None:
        return 2
    try:
        add_subscription(hub, args.name, args.url, args.event)
    except ValueError as exc:
        print(f"station hub webhooks add: {exc}", file=sys.stderr)
        return 2
    finally:
        hub.close()
    print(f"webhook {args.name}: {args.url} for {', '.join(args.event) or 'every event'}")
    return 0


def run_list(args: argparse.Namespace, _settings: Settings) -> int:
    """Print each subscription, then each dead delivery with its last error."""
    from station.hub.channels.webhooks_out import dead_letters, list_subscriptions

    hub = open_hub(args)
    if hub is None:
        return 2
    try:
        subs = list_subscriptions(hub)
        dead = dead_letters(hub)
    finally:
        hub.close()
    for s in subs:
        print(f"{s.name}\t{s.url}\t{','.join(s.events)}\t{s.pending} pending, {s.dead} dead")
    for delivery_id, name, event, error in dead:
        print(f"dead {delivery_id}\t{name}\t{event}\t{error or ''}")
    if not subs:
        print("no webhooks")
    return 0


def run_replay(args: argparse.Namespace, _settings: Settings) -> int:
    """Queue dead deliveries again."""
    from station.hub.channels.webhooks_out import replay

    hub = open_hub(args)
    if hub is None:
        return 2
    try:
        count = replay(hub, args.ids or None)
    finally:
        hub.close()
    print(f"{count} dead deliver{'y' if count == 1 else 'ies'} queued again")
    return 0 if count or not args.ids else 1


def run_deliver(args: argparse.Namespace, _settings: Settings) -> int:
    """Post what is due; print each failure."""
    from station.hub.channels.webhooks_out import deliver_due

    hub = open_hub(args)
    if hub is None:
        return 2
    try:
        report = deliver_due(hub)
    finally:
        hub.close()
    print(
        f"{len(report.delivered)} delivered, {len(report.retrying)} to retry, "
        f"{len(report.dead)} dead"
    )
    for delivery_id, why in {**report.retrying, **report.dead}.items():
        print(f"{delivery_id}: {why}", file=sys.stderr)
    return 0
