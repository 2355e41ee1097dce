"""``station pack``: a headless pack bench reading scans from standard input.

One scan per line (exactly what a serial scanner or a script would send); each verdict is
printed, and flushed, only after its transaction committed, so whatever a caller has read is
in the database even if the process dies the next instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from station.barcodes import Interpreter
from station.config import Settings
from station.db import open_database
from station.packing.approvals import pin_approver
from station.packing.service import PackService


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``pack`` to the ``station`` parser."""
    p = sub.add_parser("pack", help="pack from scans read on standard input, one per line")
    p.add_argument("--user", help="badge code of the packer (as if scanned first)")
    p.add_argument("--json", action="store_true", help="one JSON object per verdict")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Read scans until end of input."""
    db = open_database(settings.db_path)
    service = PackService(
        db,
        Interpreter(settings.barcodes),
        settings.packing,
        settings.station_name,
        approver=pin_approver(db),
    )
    try:
        if service.state is not None:
            print(f"# resumed order {service.state.order_number}", file=sys.stderr, flush=True)
        if args.user:
            service.scan(args.user)
        for line in sys.stdin:
            code = line.rstrip("\r\n")
            outcome = service.scan(code)
            if args.json:
                print(json.dumps(outcome.to_json(), ensure_ascii=False), flush=True)
            else:
                print(f"{outcome.verdict.value:16} {outcome.message}", flush=True)
    finally:
        service.close()
        db.close()
    return 0
