"""``station hub site|carriers|manifest``: the hub's sites, carrier accounts and close-outs.

Carrier accounts live in the carriers file (``--carriers FILE`` or ``STATION_HUB_CARRIERS``);
``carriers add`` writes an account there (mode 0600), its credentials read as ``KEY=VALUE``
lines from standard input so they never appear in a process list or shell history.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from station.config import Settings


def register(
    cmds: argparse._SubParsersAction[Any], db_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Add ``site``, ``carriers`` and ``manifest`` to ``station hub``."""
    site = cmds.add_parser("site", help="sites and their ship-from addresses")
    site_cmds = site.add_subparsers(dest="site_command", required=True, metavar="COMMAND")
    site_list = site_cmds.add_parser("list", help="every site")
    db_option(site_list)
    site_list.set_defaults(handler=run_site_list)
    site_set = site_cmds.add_parser("set", help="create or change a site")
    db_option(site_set)
    site_set.add_argument("code", help="the site's code (main is the default site)")
    site_set.add_argument("--name", required=True, help="name shown and printed as sender")
    for field in ("company", "street1", "street2", "city", "postcode", "region", "country"):
        site_set.add_argument(f"--{field}", help=f"ship-from {field}")
    site_set.add_argument("--phone", help="ship-from phone")
    site_set.add_argument("--default", action="store_true", help="make it the default site")
    site_set.set_defaults(handler=run_site_set)

    carriers = cmds.add_parser("carriers", help="carrier accounts (credentials stay on the hub)")
    c_cmds = carriers.add_subparsers(dest="carriers_command", required=True, metavar="COMMAND")
    c_list = c_cmds.add_parser("list", help="accounts, without their credentials")
    c_list.add_argument("--carriers", type=Path, help="carriers file (STATION_HUB_CARRIERS)")
    c_list.add_argument("--json", action="store_true", help="print one JSON array")
    c_list.set_defaults(handler=run_carriers_list)
    c_add = c_cmds.add_parser("add", help="add an account; credentials as KEY=VALUE on stdin")
    c_add.add_argument("name", help="account name (a-z, 0-9, - and _)")
    c_add.add_argument("--carrier", required=True, help="usps, ups, fedex, dhl_express, ...")
    c_add.add_argument("--site", help="the site it buys for (default site)")
    c_add.add_argument("--server-url", help="another server (the carrier emulator)")
    c_add.add_argument("--carriers", type=Path, help="carriers file (STATION_HUB_CARRIERS)")
    c_add.set_defaults(handler=run_carriers_add)
    c_test = c_cmds.add_parser("test", help="ask an account for a rate (its site to itself)")
    db_option(c_test)
    c_test.add_argument("name", help="account name")
    c_test.add_argument("--carriers", type=Path, help="carriers file (STATION_HUB_CARRIERS)")
    c_test.set_defaults(handler=run_carriers_test)

    manifest = cmds.add_parser("manifest", help="end-of-day close-out of a carrier at a site")
    db_option(manifest)
    manifest.add_argument("--carrier", required=True, help="account name, or a carrier's")
    manifest.add_argument("--site", help="site (default site)")
    manifest.add_argument("--date", help="YYYY-MM-DD (today, UTC)")
    manifest.add_argument("-o", "--output", type=Path, required=True, help="manifest PDF")
    manifest.add_argument("--carriers", type=Path, help="carriers file (STATION_HUB_CARRIERS)")
    manifest.set_defaults(handler=run_manifest)


def _fail(message: str) -> int:
    print(f"station hub: {message}", file=sys.stderr)
    return 1


def _carriers_file(args: argparse.Namespace) -> Path | None:
    if args.carriers is not None:
        return Path(args.carriers)
    env = os.environ.get("STATION_HUB_CARRIERS")
    return Path(env) if env else None


def _config(args: argparse.Namespace) -> Any:
    from station.hub.shipping.config import ShippingConfig

    return ShippingConfig.load(_carriers_file(args))


def _open(args: argparse.Namespace) -> Any:
    from station.hub.db import default_hub_url, open_hub_database

    return open_hub_database(args.hub_db or default_hub_url())


def run_site_list(args: argparse.Namespace, _settings: Settings) -> int:
    """Print the sites as JSON lines."""
    from station.hub.sites import list_sites

    hub = _open(args)
    try:
        with hub.read() as session:
            for site in list_sites(session):
                print(json.dumps(site))
    finally:
        hub.close()
    return 0


def run_site_set(args: argparse.Namespace, _settings: Settings) -> int:
    """Create or change a site and its ship-from address."""
    from station.hub.sites import SiteError, put_site

    fields = ("company", "street1", "street2", "city", "postcode", "region", "country", "phone")
    address = {f: getattr(args, f) for f in fields if getattr(args, f)}
    hub = _open(args)
    try:
        with hub.write() as session:
            put_site(
                session,
                args.code,
                args.name,
                {"name": args.name, **address} if address else None,
                make_default=args.default,
            )
    except SiteError as exc:
        return _fail(str(exc))
    finally:
        hub.close()
    print(f"site {args.code} saved")
    return 0


def run_carriers_list(args: argparse.Namespace, _settings: Settings) -> int:
    """Accounts without credentials."""
    from station.hub.shipping.accounts import AccountError

    try:
        config = _config(args)
    except AccountError as exc:
        return _fail(str(exc))
    accounts = [a.public() for a in config.accounts.values()]
    if args.json:
        print(json.dumps(accounts))
        return 0
    for a in accounts:
        where = a["site"] or "(default site)"
        print(
            f"{a['name']:20} {a['carrier']:14} {where:16} keys: {', '.join(a['credential_keys'])}"
        )
    return 0


def run_carriers_add(args: argparse.Namespace, _settings: Settings) -> int:
    """Append an account to the carriers file (created 0600); credentials from stdin."""
    import tomlkit

    from station.hub.shipping.accounts import AccountError, parse_accounts

    path = _carriers_file(args)
    if path is None:
        return _fail("no carriers file: give --carriers FILE or set STATION_HUB_CARRIERS")
    credentials: dict[str, str] = {}
    if not sys.stdin.isatty():
        for n, line in enumerate(sys.stdin.read().splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep or not key.strip():
                return _fail(f"stdin line {n}: expected KEY=VALUE")
            credentials[key.strip()] = value.strip()
    table: dict[str, Any] = {"carrier": args.carrier}
    if args.site:
        table["site"] = args.site
    if args.server_url:
        table["server_url"] = args.server_url
    table["credentials"] = credentials
    try:
        document = (
            tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
        )
    except OSError as exc:
        return _fail(f"{path}: {exc.strerror}")
    except tomlkit.exceptions.ParseError as exc:
        return _fail(f"{path}: not valid TOML ({exc})")
    accounts = document.setdefault("accounts", tomlkit.table(is_super_table=True))
    if args.name in accounts:
        return _fail(f"account {args.name!r} is already in {path}")
    accounts[args.name] = table
    try:
        parse_accounts(document.unwrap(), {})
    except AccountError as exc:
        return _fail(str(exc))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(tomlkit.dumps(document))
    print(f"account {args.name} added to {path} ({len(credentials)} credential(s))")
    return 0


def _service(args: argparse.Namespace) -> Any:
    from station.hub.shipping.service import ShippingService

    return ShippingService(_open(args), _config(args))


def run_carriers_test(args: argparse.Namespace, _settings: Settings) -> int:
    """Rates for a 1 kg package from the account's site to its own address."""
    from station.hub.shipping.accounts import AccountError
    from station.hub.shipping.service import ShipError
    from station.hub.sites import SiteError, default_site, ship_from
    from station.ship.protocol import PackageRequest
    from station.sync.records import ShipToRecord

    try:
        service = _service(args)
    except AccountError as exc:
        return _fail(str(exc))
    try:
        account = service.config.accounts.get(args.name)
        if account is None:
            return _fail(f"no carrier account {args.name!r}")
        with service.db.read() as session:
            default = default_site(session)
            site = account.site or default
            origin = ship_from(session, site)
        package = PackageRequest(
            order_number="TEST",
            package_no=1,
            weight_g=1000,
            ship_to=ShipToRecord(customer_name=origin["name"], **{
                k: origin.get(k) or "" for k in ("street1", "city", "postcode", "country")
            }, region=origin.get("region")),
        )  # fmt: skip
        answer = service.rates(site, default, package)
    except (ShipError, SiteError) as exc:
        return _fail(str(exc))
    finally:
        service.close()
        service.db.close()
    mine = [r for r in answer.rates if r.account == args.name]
    for problem in answer.problems:
        if problem.account == args.name:
            return _fail(f"{problem.code}: {problem.message}")
    print(f"{args.name}: {len(mine)} rate(s), from {min((r.price for r in mine), default=0):.2f}")
    return 0 if mine else 1


def run_manifest(args: argparse.Namespace, _settings: Settings) -> int:
    """Close out a carrier's labels of the day at a site and write the document."""
    from station.hub.shipping.accounts import AccountError
    from station.hub.shipping.service import ShipError
    from station.hub.sites import SiteError, check_site, default_site
    from station.ship.protocol import ManifestRequest

    try:
        service = _service(args)
    except AccountError as exc:
        return _fail(str(exc))
    try:
        with service.db.read() as session:
            default = default_site(session)
            site = check_site(session, args.site)
        accounts = service.accounts_of(site, default)
        named = [a for a in accounts if args.carrier in (a.name, a.carrier)]
        if len(named) != 1:
            known = ", ".join(a.name for a in accounts) or "none"
            return _fail(
                f"{args.carrier!r} names {len(named)} account(s) at site {site} (accounts: {known})"
            )
        made = service.manifest(
            site, default, ManifestRequest(account=named[0].name, date=args.date)
        )
        document = service.document(made.document_sha256) if made.document_sha256 else None
    except (ShipError, SiteError) as exc:
        return _fail(str(exc))
    finally:
        service.close()
        service.db.close()
    if document is not None:
        args.output.write_bytes(document[0])
    print(json.dumps(made.model_dump()))
    return 0
