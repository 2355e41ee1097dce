"""``station hub serve | enroll-code | stats | import | users | revoke | console-user``: the hub."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from station.cli import hub_ship
from station.config import Settings
from station.hub.db import HubDatabase, default_hub_url, open_hub_database
from station.importers import ImportFailed, ImportReport

_Import = Callable[[HubDatabase, Path], ImportReport]


def _db_option(parser: argparse.ArgumentParser) -> None:
    # dest differs from the global --db (the station's SQLite file), which it must not clobber.
    parser.add_argument(
        "--db",
        dest="hub_db",
        metavar="URL",
        help="hub database URL (default: SQLite in the user data folder; postgresql://...)",
    )


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``hub`` and its commands to the ``station`` parser."""
    hub = sub.add_parser("hub", help="the central hub: serve, enrol stations, import, stats")
    cmds = hub.add_subparsers(dest="hub_command", required=True, metavar="COMMAND")

    serve = cmds.add_parser("serve", help="run the hub's HTTP API")
    _db_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port (8765)")
    serve.add_argument("--blobs", type=Path, help="folder of uploaded photos")
    serve.add_argument("--certfile", type=Path, help="TLS certificate chain (PEM)")
    serve.add_argument("--keyfile", type=Path, help="TLS private key (PEM)")
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="reverse proxies whose X-Forwarded-For is trusted (comma-separated; default none)",
    )
    serve.set_defaults(handler=run_serve)

    code = cmds.add_parser("enroll-code", help="print a one-time enrolment code for a station")
    _db_option(code)
    code.add_argument("--station", required=True, help="the station's name")
    code.add_argument("--ttl-hours", type=float, default=24.0, help="validity (24 hours)")
    code.add_argument("--site", help="the site the station packs for (default site)")
    code.set_defaults(handler=run_enroll_code)

    stats = cmds.add_parser("stats", help="events per station and type, stations, conflicts")
    _db_option(stats)
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.set_defaults(handler=run_stats)

    imp = cmds.add_parser("import", help="import catalog, orders or RMAs (.csv or .json)")
    kinds = imp.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind in ("catalog", "orders", "rmas"):
        p = kinds.add_parser(kind, help=f"import {kind} into the hub (all or nothing)")
        p.add_argument("file", type=Path, help="a .csv or .json file")
        _db_option(p)
        p.set_defaults(handler=run_import)

    from station.cli import channels, webhooks

    channels.register(cmds, _db_option)
    webhooks.register(cmds, _db_option)

    revoke = cmds.add_parser("revoke", help="revoke a station's token")
    _db_option(revoke)
    revoke.add_argument("--station", required=True, help="the station's name")
    revoke.set_defaults(handler=run_revoke)

    locks = cmds.add_parser("locks", help="orders locked at a bench: list, free by hand")
    what = locks.add_subparsers(dest="locks_command", required=True, metavar="COMMAND")
    listing = what.add_parser("list", help="the live locks: order, bench, until when")
    _db_option(listing)
    listing.set_defaults(handler=run_locks_list)
    release = what.add_parser("free", help="free an order's lock (a supervisor's hand)")
    release.add_argument("order", help="the order number")
    _db_option(release)
    release.set_defaults(handler=run_locks_free)

    hub_ship.register(cmds, _db_option)
    from station.cli import hub_users

    hub_users.register(cmds, _db_option)
    from station.cli.hub_console import register as register_console

    register_console(cmds, _db_option)


def _open(args: argparse.Namespace) -> HubDatabase | None:
    try:
        return open_hub_database(args.hub_db or default_hub_url())
    except Exception as exc:  # a bad URL, an unreachable server, a failed migration
        print(f"station hub: cannot open the hub database: {exc}", file=sys.stderr)
        return None


def run_serve(args: argparse.Namespace, _settings: Settings) -> int:
    """Serve the API until interrupted."""
    from station.hub.app import create_app
    from station.hub.serving import hub_config, serve
    from station.sync.cleartext import is_loopback

    if (args.certfile is None) != (args.keyfile is None):
        print("station hub serve: --certfile and --keyfile go together", file=sys.stderr)
        return 2
    if args.certfile is None and not is_loopback(args.host):
        print(
            f"station hub serve: warning: listening on {args.host} without TLS: enrolment "
            "codes and station tokens travel in clear; give --certfile and --keyfile, or "
            "listen on 127.0.0.1 behind a TLS proxy",
            file=sys.stderr,
        )
    from station.hub.shipping.accounts import AccountError
    from station.hub.shipping.rules import RuleError

    try:
        app = create_app(args.hub_db or default_hub_url(), blob_dir=args.blobs)
    except (AccountError, RuleError) as exc:
        print(f"station hub serve: carriers file: {exc}", file=sys.stderr)
        return 2
    config = hub_config(
        app,
        host=args.host,
        port=args.port,
        ssl_certfile=str(args.certfile) if args.certfile else None,
        ssl_keyfile=str(args.keyfile) if args.keyfile else None,
        forwarded_allow_ips=args.forwarded_allow_ips,
    )
    return serve(config)


def run_enroll_code(args: argparse.Namespace, _settings: Settings) -> int:
    """Print a one-time code; the last line is the code alone."""
    from station.hub.admin import enrol_code
    from station.hub.sites import SiteError

    hub = _open(args)
    if hub is None:
        return 2
    try:
        code = enrol_code(hub, args.station, timedelta(hours=args.ttl_hours), args.site)
    except SiteError as exc:
        print(f"station hub enroll-code: {exc}", file=sys.stderr)
        return 1
    finally:
        hub.close()
    print(f"one-time enrolment code for station {args.station} (valid {args.ttl_hours:g} h):")
    print(code)
    return 0


def run_stats(args: argparse.Namespace, _settings: Settings) -> int:
    """Print what the hub holds; with ``--json`` the last line is one JSON object."""
    from station.hub.stats import hub_stats

    hub = _open(args)
    if hub is None:
        return 2
    try:
        with hub.read() as session:
            stats = hub_stats(session)
    finally:
        hub.close()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
        return 0
    print(f"{stats['events']} events from {stats['stations']} enrolled station(s)")
    for name, n in stats["by_station"].items():
        print(f"  {name}: {n}")
    for kind, n in stats["by_type"].items():
        print(f"  {kind}: {n}")
    print(f"{stats['rejected']} rejected, {stats['conflicts']} open conflict(s)")
    return 0


def run_import(args: argparse.Namespace, _settings: Settings) -> int:
    """Import one file into the hub; on refusal print every problem and exit 1."""
    from station.hub.image_fetch import ImageFetcher
    from station.hub.imports import import_catalog_file, import_orders_file, import_rmas_file

    fetch = ImageFetcher.from_env(os.environ)  # catalog pictures by URL: allowed hosts only
    importers: dict[str, _Import] = {
        "catalog": functools.partial(import_catalog_file, fetch=fetch),
        "orders": import_orders_file,
        "rmas": import_rmas_file,
    }
    hub = _open(args)
    if hub is None:
        return 2
    importer = importers[args.kind]
    try:
        report = importer(hub, args.file)
    except ImportFailed as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"station hub: {args.file} refused; nothing was imported", file=sys.stderr)
        return 1
    finally:
        hub.close()
    print(
        f"imported {report.rows} rows from {report.file}: {report.created} {args.kind} created, "
        f"{report.updated} updated in {report.seconds:.2f} s"
    )
    return 0


def run_revoke(args: argparse.Namespace, _settings: Settings) -> int:
    """Revoke a station's tokens."""
    from station.hub.admin import revoke

    hub = _open(args)
    if hub is None:
        return 2
    try:
        count = revoke(hub, args.station)
    finally:
        hub.close()
    print(f"revoked {count} token(s) of station {args.station}")
    return 0 if count else 1


def run_locks_list(args: argparse.Namespace, _settings: Settings) -> int:
    """Print the live order locks."""
    from station.hub.locks import list_live

    hub = _open(args)
    if hub is None:
        return 2
    try:
        held = list_live(hub)
    finally:
        hub.close()
    if not held:
        print("no order is locked")
    for lock in held:
        until = lock.expires_at.isoformat(timespec="seconds") if lock.expires_at else "-"
        print(f"{lock.order}  {lock.station}  until {until}")
    return 0


def run_locks_free(args: argparse.Namespace, _settings: Settings) -> int:
    """Free an order's lock by hand (the bench that held it is named)."""
    from station.hub.locks import free_by_hand

    hub = _open(args)
    if hub is None:
        return 2
    try:
        holder = free_by_hand(hub, args.order)
    finally:
        hub.close()
    if holder is None:
        print(f"order {args.order} was not locked")
        return 1
    print(f"order {args.order}: lock of {holder} freed")
    return 0
