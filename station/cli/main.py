"""The ``station`` command: one module per command group, each with ``register(subparsers)``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from station.cli import bench, data, decode, devices, hub, label, orders, pack, printing, ship, sync
from station.cli import dashboard as dashboard_cli
from station.cli import db as db_cli
from station.cli import evidence as evidence_cli
from station.cli import privacy as privacy_cli
from station.cli import returns as returns_cli
from station.cli import screenshot as screenshot_cli
from station.cli import simulate as simulate_cli
from station.config import ConfigError, Settings, load_settings

GROUPS = (
    data,
    orders,
    pack,
    bench,
    devices,
    decode,
    label,
    printing,
    hub,
    sync,
    ship,
    evidence_cli,
    returns_cli,
    simulate_cli,
    screenshot_cli,
    dashboard_cli,
    privacy_cli,
    db_cli,
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (exposed for tests and shell completion)."""
    parser = argparse.ArgumentParser(prog="station", description="Pack station command line")
    parser.add_argument("--db", type=Path, help="SQLite database file (env STATION_DB)")
    parser.add_argument("--config", type=Path, help="TOML configuration file")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings for this run: file, environment, then ``--db``."""
    return load_settings(args.config, db_path=args.db)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from(args)
    except ConfigError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return 2
    status: int = args.handler(args, settings)
    return status


if __name__ == "__main__":
    sys.exit(main())
