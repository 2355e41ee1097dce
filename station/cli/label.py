"""``station label``: labels of an order to a file.

    station label render --order NUMBER [--package N] --template TEMPLATE --format FORMAT
                         [--dpi 203|300] [--profile P] [--field key=value]... -o FILE
    station label carrier --order NUMBER -o FILE

``render`` fills a template (shipping, packing-slip, gift-note, customs, return-tag) from the
order and writes ZPL, ESC/POS, PNG or PDF; ``-o -`` writes to standard output. ``carrier``
writes the carrier-supplied label exactly as supplied. An unknown order or package, or a
template that does not apply, exits 1 with the reason.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from station.cli.opening import open_or_say
from station.config import Settings
from station.labels.errors import LabelError
from station.labels.render import FORMATS
from station.labels.rules import TEMPLATES
from station.labels.service import order_carrier_label, render_order_label


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _field(value: str) -> tuple[str, str]:
    key, sep, text = value.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected key=value, not {value!r}")
    return key.strip(), text


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``label render`` and ``label carrier`` to the ``station`` parser."""
    label = sub.add_parser("label", help="shipping labels, slips, notes, customs forms")
    commands = label.add_subparsers(dest="label_command", required=True, metavar="COMMAND")
    render = commands.add_parser("render", help="render a template of an order to a file")
    render.add_argument("--order", required=True, metavar="NUMBER", help="order number")
    render.add_argument("--package", type=_positive, metavar="N", help="package number (default 1)")
    render.add_argument("--template", required=True, choices=TEMPLATES)
    render.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    render.add_argument(
        "--dpi", type=int, choices=(203, 300), help="ZPL/PNG/PDF resolution ([labels] dpi)"
    )
    render.add_argument("--profile", help="ESC/POS printer profile (the configured printer's)")
    render.add_argument(
        "--field",
        type=_field,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="return-tag fields: tag_id, disposition, grade, destination, sku, rma",
    )
    render.add_argument("-o", "--output", required=True, help="file to write, - for stdout")
    render.set_defaults(handler=run_render)
    carrier = commands.add_parser("carrier", help="write the carrier-supplied label as is")
    carrier.add_argument("--order", required=True, metavar="NUMBER", help="order number")
    carrier.add_argument("-o", "--output", required=True, help="file to write, - for stdout")
    carrier.set_defaults(handler=run_carrier)


def _write(output: str, data: bytes) -> None:
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        Path(output).write_bytes(data)


def run_render(args: argparse.Namespace, settings: Settings) -> int:
    """Render the template and write it; 1 with the reason if it cannot be made."""
    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        data = render_order_label(
            db,
            settings,
            args.order,
            args.template,
            args.fmt,
            package_no=args.package,
            dpi=args.dpi,
            profile=args.profile,
            fields=dict(args.field),
        )
    except LabelError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    _write(args.output, data)
    if args.output != "-":
        print(f"{args.template} of {args.order} ({args.fmt}, {len(data)} bytes) -> {args.output}")
    return 0


def run_carrier(args: argparse.Namespace, settings: Settings) -> int:
    """Write the carrier-supplied label unchanged; 1 if the order has none."""
    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        supplied = order_carrier_label(db, settings, args.order)
    except LabelError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    _write(args.output, supplied.data)
    if args.output != "-":
        print(f"carrier label of {args.order} ({supplied.format}) -> {args.output}")
    return 0
