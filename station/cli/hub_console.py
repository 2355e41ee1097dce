"""``station hub console-user``: create a web console user, or change one's role or password."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from station.config import Settings


def register(cmds: argparse._SubParsersAction[Any], db_option: Any) -> None:
    """Add ``console-user`` to ``station hub``."""
    user = cmds.add_parser(
        "console-user", help="create a web console user, or set one's role and password"
    )
    db_option(user)
    user.add_argument("name", help="the user's sign-in name")
    user.add_argument(
        "--role",
        required=True,
        choices=("admin", "supervisor", "customer_service"),
        help="what the user may open",
    )
    user.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (else it is asked for)",
    )
    user.set_defaults(handler=run_console_user)


def run_console_user(args: argparse.Namespace, _settings: Settings) -> int:
    """Create or update the user; the password is never an argument (it would show in ps)."""
    from station.hub.console.accounts import AccountError, add_user
    from station.hub.db import default_hub_url, open_hub_database

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            print("station hub console-user: the passwords differ", file=sys.stderr)
            return 2
    hub = open_hub_database(args.hub_db or default_hub_url())
    try:
        add_user(hub, args.name, args.role, password)
    except AccountError as exc:
        print(f"station hub console-user: {exc}", file=sys.stderr)
        return 2
    finally:
        hub.close()
    print(f"console user {args.name.strip()} ({args.role}) saved")
    return 0
