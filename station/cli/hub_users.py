"""``station hub users import|sites``: the people at the benches, and the sites they work at.

A user belongs to one or more sites (none given: the default site, so a single-site shop
names none); only those sites' stations receive the user, and a user moved off a site is
removed from that site's stations by a tombstone in their feed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from station.config import Settings

# A users file is small (people, not orders); a bigger one is refused before it is parsed.
MAX_USERS_FILE = 16 * 1024 * 1024


def register(
    cmds: argparse._SubParsersAction[Any], db_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Add ``users`` to ``station hub``."""
    users = cmds.add_parser("users", help="users and the sites they work at")
    u_cmds = users.add_subparsers(dest="users_command", required=True, metavar="COMMAND")
    imp = u_cmds.add_parser("import", help="create or update users from a JSON file")
    db_option(imp)
    imp.add_argument(
        "file",
        type=Path,
        help='a JSON list of {"name", "role", "pin_hash", "badge_code", "active", "sites"}',
    )
    imp.add_argument(
        "--site",
        action="append",
        dest="sites",
        metavar="SITE",
        help="site of the users whose entry names none (repeatable; default: the default site)",
    )
    imp.set_defaults(handler=run_users_import)
    sites = u_cmds.add_parser("sites", help="set the sites a user works at")
    db_option(sites)
    sites.add_argument("name", help="the user's name")
    sites.add_argument(
        "--site",
        action="append",
        dest="sites",
        metavar="SITE",
        help="a site (repeatable; none: the default site)",
    )
    sites.set_defaults(handler=run_users_sites)


def _fail(message: str) -> int:
    print(f"station hub users: {message}", file=sys.stderr)
    return 1


def _open(args: argparse.Namespace) -> Any:
    from station.hub.db import default_hub_url, open_hub_database

    return open_hub_database(args.hub_db or default_hub_url())


def read_users(path: Path, default_sites: list[str] | None) -> list[Any]:
    """The file's users; ValueError naming the entry and field at fault, nothing half-read."""
    from station.sync.records import UserRecord

    if path.stat().st_size > MAX_USERS_FILE:
        raise ValueError(f"{path}: larger than {MAX_USERS_FILE // (1024 * 1024)} MiB")
    try:
        entries = json.loads(path.read_bytes())
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"{path}: not JSON ({exc})") from None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a JSON list of users")
    users = []
    for number, entry in enumerate(entries, 1):
        try:
            user = UserRecord.model_validate(entry)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "entry"
            raise ValueError(f"{path}: user {number}: {where}: {first['msg']}") from None
        if not user.sites and default_sites:
            user = user.model_copy(update={"sites": default_sites})
        users.append(user)
    return users


def run_users_import(args: argparse.Namespace, _settings: Settings) -> int:
    """Import users (all or nothing); prints how many and where each went."""
    from station.hub.admin import put_users
    from station.hub.sites import SiteError

    try:
        users = read_users(args.file, args.sites)
    except (OSError, ValueError) as exc:
        return _fail(str(exc))
    hub = _open(args)
    try:
        put_users(hub, users)
    except SiteError as exc:
        return _fail(f"{args.file}: {exc}; nothing imported")
    finally:
        hub.close()
    for user in users:
        print(f"user {user.name}: {', '.join(user.sites or ['(default site)'])}")
    print(f"{len(users)} users imported")
    return 0


def run_users_sites(args: argparse.Namespace, _settings: Settings) -> int:
    """Move a user to the given sites."""
    from station.hub.admin import set_user_sites
    from station.hub.sites import SiteError

    hub = _open(args)
    try:
        stored = set_user_sites(hub, args.name, args.sites)
    except KeyError:
        return _fail(f"no user {args.name!r} at the hub")
    except SiteError as exc:
        return _fail(str(exc))
    finally:
        hub.close()
    print(f"user {args.name}: {', '.join(stored or ['(default site)'])}")
    return 0
