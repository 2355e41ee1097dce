"""The ``station`` command: one module per command group, each with ``register(subparsers)``.

Only the module of the command given is imported (the table is ``station.cli.commands``):
``station --help`` imports none, ``station devices list`` only ``station.cli.devices``. The
other commands stay in the parser as names with their help, so a typo is still answered with
the list of commands.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station.cli.commands import BY_NAME, COMMANDS

if TYPE_CHECKING:
    from station.config import Settings


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="SQLite database file (env STATION_DB)")
    parser.add_argument("--config", type=Path, help="TOML configuration file")


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser with the modules of ``commands`` registered (all when None; for
    tests and shell completion); every other command is there by name and help only."""
    wanted = None if commands is None else {BY_NAME[n].module for n in commands if n in BY_NAME}
    parser = argparse.ArgumentParser(prog="station", description="Pack station command line")
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    registered: set[str] = set()
    for command in COMMANDS:
        if wanted is None or command.module in wanted:
            if command.module not in registered:
                registered.add(command.module)
                importlib.import_module(f"station.cli.{command.module}").register(sub)
        else:
            sub.add_parser(command.name, help=command.help, add_help=False)
    return parser


def command_of(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (after the global options), None if there is none."""
    pre = argparse.ArgumentParser(add_help=False)
    _global_options(pre)
    pre.add_argument("command", nargs="?")
    known, _ = pre.parse_known_args(argv)
    command: str | None = known.command
    return command


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings for this run: file, environment, then ``--db``."""
    from station.config import load_settings

    return load_settings(args.config, db_path=args.db)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = command_of(arguments)
    parser = build_parser([command] if command in BY_NAME else [])
    args = parser.parse_args(arguments)
    from station.config import ConfigError

    try:
        settings = settings_from(args)
    except ConfigError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return 2
    if BY_NAME[args.command].station_db:
        # On stderr, so that --json output stays one clean document.
        print(f"station: database {settings.db_path}", file=sys.stderr)
    handler: Any = args.handler
    status: int = handler(args, settings)
    return status


if __name__ == "__main__":
    sys.exit(main())
