"""``station demo-data`` and ``station import catalog|orders FILE``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from station.cli.opening import open_or_say
from station.config import Settings
from station.importers import ImportFailed, ImportReport, import_catalog, import_orders
from station.tools.demo import seed_demo

_Importer = Callable[..., ImportReport]


def _count(minimum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return number

    return parse


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``demo-data`` and ``import`` to the ``station`` parser."""
    demo = sub.add_parser(
        "demo-data", help="load demo products, orders, box types and users into the database"
    )
    demo.add_argument("--orders", type=_count(0), required=True, help="orders to add")
    demo.add_argument("--products", type=_count(1), default=200, help="catalog size (200)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (1)")
    demo.set_defaults(handler=run_demo)

    imp = sub.add_parser("import", help="import a catalog or orders file (.csv or .json)")
    kinds = imp.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind, importer in (("catalog", import_catalog), ("orders", import_orders)):
        p = kinds.add_parser(kind, help=f"import {kind} (all or nothing)")
        p.add_argument("file", type=Path, help="a .csv or .json file")
        p.set_defaults(handler=run_import, importer=importer)


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Load the demo data and print a one-line summary."""
    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        summary = seed_demo(
            db, args.orders, args.products, args.seed, station=settings.station_name
        )
    except ImportFailed as exc:  # only if the database holds conflicting data already
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    finally:
        db.close()
    print(summary)
    return 0


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    """Import one file; on refusal print every problem to stderr and exit 1."""
    db = open_or_say(settings)
    if db is None:
        return 2
    importer: _Importer = args.importer
    try:
        report = importer(db, args.file, station=settings.station_name)
    except ImportFailed as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            f"station: {args.file} refused ({len(exc.problems)} problem(s)); nothing was imported",
            file=sys.stderr,
        )
        return 1
    finally:
        db.close()
    print(report)
    return 0
