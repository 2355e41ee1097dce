"""``station catalog weights --proposed``: unit weights the weight history suggests, for review.

The history of verified packs (``station.packing.history``) knows what a SKU really weighs
better than a catalog typed by hand, but a weight the bench checks against is never changed
behind a supervisor's back: this lists the proposals beside the catalog's value, and the
catalog is changed where it always is (the catalog import, or the hub's catalog).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from station.cli.opening import open_or_say
from station.config import Settings
from station.packing.history import Proposal, proposals


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``catalog weights`` to the ``station`` parser."""
    catalog = sub.add_parser("catalog", help="the product catalog: weights learned at the bench")
    commands = catalog.add_subparsers(dest="catalog_command", required=True, metavar="COMMAND")
    weights = commands.add_parser(
        "weights", help="unit weights the packs' weight history proposes, beside the catalog's"
    )
    weights.add_argument(
        "--proposed",
        action="store_true",
        required=True,
        help="list the proposals (nothing is changed)",
    )
    weights.add_argument("--json", action="store_true", help="print a JSON array")
    weights.set_defaults(handler=run_weights)


def run_weights(args: argparse.Namespace, settings: Settings) -> int:
    """Print the proposed unit weights as a table, or as JSON with ``--json``."""
    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        con = db.engine.raw_connection()
        try:
            cur = con.cursor()
            found = proposals(cur, settings.weight)  # type: ignore[arg-type]
        finally:
            con.close()
    finally:
        db.close()
    if args.json:
        print(json.dumps([as_dict(p) for p in found], ensure_ascii=False, indent=2))
    else:
        print(format_table(found))
    return 0


def as_dict(p: Proposal) -> dict[str, object]:
    """One proposal as JSON."""
    return {
        "sku": p.sku,
        "proposed_g": p.proposed_g,
        "packs": p.packs,
        "catalog_g": p.catalog_g,
        "catalog_estimated": p.estimated,
        "difference_g": None if p.difference_g is None else round(p.difference_g, 1),
    }


def format_table(found: list[Proposal]) -> str:
    """The proposals as aligned columns; a catalog weight learned earlier is marked ``~``."""
    if not found:
        return "no proposals: no SKU has enough verified single-SKU packs in a known box yet"
    head = ("SKU", "PROPOSED", "CATALOG", "DIFF", "PACKS")
    cells = [
        (
            p.sku,
            f"{p.proposed_g:.1f} g",
            "-" if p.catalog_g is None else f"{'~' if p.estimated else ''}{p.catalog_g:.1f} g",
            "-" if p.difference_g is None else f"{p.difference_g:+.1f} g",
            str(p.packs),
        )
        for p in found
    ]
    widths = [max(len(c[i]) for c in [head, *cells]) for i in range(len(head))]
    lines = [
        "  ".join(
            v.ljust(w) if i == 0 else v.rjust(w)
            for i, (v, w) in enumerate(zip(c, widths, strict=True))
        )
        for c in [head, *cells]
    ]
    return "\n".join(line.rstrip() for line in lines)
