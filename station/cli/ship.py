"""``station ship rates|buy|void|label|manifest``: carrier labels through the hub.

Every command reads the package from this station's database and asks the hub it is
enrolled with; bad input (an unknown order, a package not weighed, a voided label) exits 1
with the reason on standard error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from station.cli.opening import open_or_say
from station.config import Settings


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``ship`` to the ``station`` parser."""
    ship = sub.add_parser("ship", help="carrier rates, labels, voids and manifests via the hub")
    cmds = ship.add_subparsers(dest="ship_command", required=True, metavar="COMMAND")

    def package_args(p: argparse.ArgumentParser, *, package_required: bool = False) -> None:
        p.add_argument("--order", required=True, help="order number")
        p.add_argument(
            "--package", type=int, default=None if package_required else 1,
            required=package_required, help="package number (1)",
        )  # fmt: skip

    rates = cmds.add_parser("rates", help="rates for a weighed package, and the rule's choice")
    package_args(rates)
    rates.add_argument("--json", action="store_true", help="print one JSON object")
    rates.set_defaults(handler=run_rates)

    buy = cmds.add_parser("buy", help="buy the package's label (the rule's choice by default)")
    package_args(buy)
    buy.add_argument("--account", help="carrier account (with --service)")
    buy.add_argument("--service", help="service code, as `station ship rates` lists it")
    buy.add_argument("--format", choices=("zpl", "pdf"), default="zpl", help="label (zpl)")
    buy.add_argument("--dpi", type=int, choices=(203, 300), default=203, help="ZPL dpi (203)")
    buy.add_argument("-o", "--output", type=Path, help="write the label's bytes to FILE")
    buy.add_argument("--json", action="store_true", help="print one JSON object")
    buy.set_defaults(handler=run_buy)

    void = cmds.add_parser("void", help="void the package's label (not once manifested)")
    package_args(void, package_required=True)
    void.add_argument("--json", action="store_true", help="print one JSON object")
    void.set_defaults(handler=run_void)

    label = cmds.add_parser("label", help="the bought label again (a reprint)")
    package_args(label, package_required=True)
    label.add_argument("-o", "--output", type=Path, required=True, help="label file")
    label.set_defaults(handler=run_label)

    manifest = cmds.add_parser("manifest", help="close out an account's labels of a day")
    manifest.add_argument("--account", required=True, help="carrier account")
    manifest.add_argument("--date", help="YYYY-MM-DD (today, UTC)")
    manifest.add_argument("-o", "--output", type=Path, required=True, help="manifest PDF")
    manifest.add_argument("--json", action="store_true", help="print one JSON object")
    manifest.set_defaults(handler=run_manifest)


def _fail(message: str) -> int:
    print(f"station ship: {message}", file=sys.stderr)
    return 1


def _call(settings: Settings, args: argparse.Namespace, work: Any) -> int:
    """Open the database and the hub client, run ``work``; every refusal exits 1 with why."""
    from station.ship.client import ShipClient
    from station.ship.package import PackageError
    from station.sync.client import HubRefused, HubUnavailable
    from station.sync.state import load_enrolment

    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        enrolment = load_enrolment(db)
        if enrolment is None:
            return _fail("this station is not enrolled with a hub (station enroll)")
        with ShipClient(enrolment) as client:
            status: int = work(db, client, enrolment.station)
            return status
    except PackageError as exc:
        return _fail(str(exc))
    except HubRefused as exc:
        return _fail(f"the hub refused: {exc}")
    except HubUnavailable as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.filename}: {exc.strerror}")
    finally:
        db.close()


def _package(db: Any, args: argparse.Namespace) -> Any:
    from station.ship.package import package_request

    with db.session() as session:
        found = package_request(session, args.order, args.package)
        session.rollback()
    return found


def run_rates(args: argparse.Namespace, settings: Settings) -> int:
    """Print the rates, cheapest first, each with actual, DIM and billed weight."""

    def work(db: Any, client: Any, _station: str) -> int:
        request, _ = _package(db, args)
        answer = client.rates(request)
        if args.json:
            print(answer.model_dump_json())
            return 0
        for r in answer.rates:
            mark = "*" if answer.chosen == r else " "
            print(
                f"{mark} {r.account:14} {r.service:50} {r.price:8.2f} {r.currency} "
                f"{r.transit_days or '-'} d  actual {r.actual_weight_g:.0f} g, "
                f"DIM {r.dim_weight_g:.0f} g, billed {r.billed_weight_g:.0f} g"
            )
        for problem in answer.problems:
            print(f"  {problem.account}: {problem.code}: {problem.message}", file=sys.stderr)
        return 0

    return _call(settings, args, work)


def run_buy(args: argparse.Namespace, settings: Settings) -> int:
    """Buy the label (a retry of the same package gets the same label)."""
    from station.ship.package import idempotency_key
    from station.ship.protocol import BuyRequest

    if (args.account is None) != (args.service is None) and args.account is not None:
        return _fail("--account needs --service")
    if args.format == "pdf" and args.dpi != 203:
        return _fail("--dpi is for ZPL labels only")

    def work(db: Any, client: Any, station: str) -> int:
        request, package_id = _package(db, args)
        buy = BuyRequest(
            **request.model_dump(),
            idempotency_key=idempotency_key(station, package_id, request),
            account=args.account,
            service=args.service,
            label_format=args.format,
            dpi=args.dpi,
        )
        shipment = client.buy(buy)
        if args.output is not None:
            args.output.write_bytes(client.label(args.order, args.package))
        if args.json:
            print(shipment.model_dump_json())
        else:
            print(
                f"{shipment.carrier} {shipment.service} {shipment.tracking_number} "
                f"{shipment.price} {shipment.currency} (billed {shipment.billed_weight_g:.0f} g)"
            )
        return 0

    return _call(settings, args, work)


def run_void(args: argparse.Namespace, settings: Settings) -> int:
    """Void the label."""

    def work(_db: Any, client: Any, _station: str) -> int:
        shipment = client.void(args.order, args.package)
        print(shipment.model_dump_json() if args.json else f"voided {shipment.tracking_number}")
        return 0

    return _call(settings, args, work)


def run_label(args: argparse.Namespace, settings: Settings) -> int:
    """Write the bought label's bytes (refused for a voided label)."""

    def work(_db: Any, client: Any, _station: str) -> int:
        args.output.write_bytes(client.label(args.order, args.package))
        return 0

    return _call(settings, args, work)


def run_manifest(args: argparse.Namespace, settings: Settings) -> int:
    """Close out an account's day and write the manifest's document."""

    def work(_db: Any, client: Any, _station: str) -> int:
        made = client.manifest(args.account, args.date)
        if made.document_sha256:
            args.output.write_bytes(client.document(made.document_sha256))
        if args.json:
            print(json.dumps(made.model_dump()))
        else:
            print(f"manifest {made.manifest_number}: {len(made.tracking_numbers)} label(s)")
        return 0

    return _call(settings, args, work)
