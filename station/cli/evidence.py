"""``station evidence ORDER [--json]``: what was packed, weighed, photographed and printed."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sqlalchemy.orm import Session

from station.cli.opening import open_or_say
from station.config import Settings
from station.db.engine import reader
from station.evidence import Evidence, gather


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``evidence`` to the ``station`` parser."""
    p = sub.add_parser("evidence", help="the evidence record of an order (scans, weights, photos)")
    p.add_argument("order", help="order number")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the record; exit 1 for an unknown order, 2 if the database cannot be opened."""
    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        # Read-only (BEGIN DEFERRED): looking at evidence never holds the write lock.
        with Session(reader(db.engine)) as session:
            record = gather(session, args.order, settings.photo_dir)
    finally:
        db.close()
    if record is None:
        print(f"station: no order {args.order!r} in {settings.db_path}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(record.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_text(record))
    return 0


def _g(grams: object) -> str:
    return "-" if grams is None else f"{float(str(grams)):.0f} g"


def format_text(e: Evidence) -> str:
    """The record for a person: one block per package, times in UTC."""
    out = [f"Order {e.order} ({e.status})"]
    for ps in e.sessions:
        out.append(
            f"  packed at {ps['station']} by {ps['user'] or '-'}: {ps['started_at']}"
            f" .. {ps['ended_at'] or 'open'} ({ps['status']})"
        )
    for p in e.packages:
        out.append(
            f"Package {p.no}  box {p.box or '-'}  SSCC {p.sscc or '-'}  weight {_g(p.weight_g)}"
            f" (expected {_g(p.expected_weight_g)}, {p.weight_status})"
        )
        for sc in p.scans:
            undone = " (undone)" if sc["undone"] else ""
            who = sc["user"] or "-"
            out.append(f"  scan   {sc['at']}  {who:8}  {sc['verdict']:20} {sc['raw']}{undone}")
        for w in p.weights:
            who = f", approved by {w['approved_by']}" if w["approved_by"] else ""
            out.append(
                f"  weight {w['at']}  {w['user'] or '-':8}  {w['decision']:20}"
                f" {_g(w['weight_g'])} ({w['scale_state']}){who}: {w['reason'] or ''}"
            )
        for ph in p.photos:
            where = "on disk" if ph["present"] else f"purged {ph['purged_at'] or '(file missing)'}"
            out.append(f"  photo  {ph['at']}  {ph['kind']:10} {ph['sha256']}  {where}")
        for lb in p.labels:
            out.append(f"  label  {lb['at']}  {lb['template']:12} {lb['status']} x{lb['copies']}")
        if (c := p.carrier) is not None:
            out.append(
                f"  carrier {c['status']}  {c['carrier'] or '-'} {c['service'] or '-'}"
                f"  tracking {c['tracking_number'] or '-'}{_carrier_extra(c)}"
            )
    for v in e.videos:
        where = "on disk" if v["present"] else f"purged {v['purged_at'] or '(file missing)'}"
        out.append(f"Video {v['at']}  {v['user'] or '-'}  {v['sha256']}  {where}: {v['path']}")
    for lb in e.labels:
        out.append(f"Document {lb['template']}: {lb['status']} x{lb['copies']}")
    for ex in e.exceptions:
        what = f"{ex['kind']} {ex['reason']} {ex['quantity']} × {ex['sku'] or '-'}"
        out.append(
            f"Exception {ex['at']}  {what} requested by {ex['requested_by'] or '-'},"
            f" approved by {ex['approved_by'] or '-'}"
        )
    for hz in e.hazmat:
        out.append(f"Hazmat {hz['sku']}: {hz['un']} {hz['name']}")
    for ins in e.inserts:
        out.append(f"Insert {ins['at']}  {ins['code']} {ins['status']} by {ins['user'] or '-'}")
    out.extend(_returns_text(e.returns))
    users = ", ".join(f"{u['name']} ({u['role']})" for u in e.users)
    out.append(f"Users: {users or '-'}")
    return "\n".join(out)


def _refund_text(refund: object, pct: object) -> str:
    return f"partial {pct}%" if refund == "partial" else str(refund or "-")


def _returns_text(returns: list[dict[str, object]]) -> list[str]:
    """What came back: one block per RMA, a line per unit with its grade and outcome."""
    out: list[str] = []
    for rma in returns:
        out.append(f"Return {rma['rma']} ({rma['status']}, from {rma['source']})")
        inspections = rma["inspections"]
        assert isinstance(inspections, list)
        for ins in inspections:
            out.append(
                f"  inspected at {ins['station']} by {ins['user'] or '-'}: {ins['started_at']}"
                f" .. {ins['ended_at'] or 'open'} ({ins['status']})"
            )
            for u in ins["units"]:
                serial = f" {u['serial']}" if u["serial"] else ""
                refund = _refund_text(u["refund"], u["refund_pct"])
                out.append(
                    f"  unit   {u['sku'] or '?'}{serial} grade {u['grade'] or '-'}:"
                    f" {u['disposition'] or '-'}, {refund} ({u['status']};"
                    f" customer: {u['customer_reason'] or '-'},"
                    f" observed: {u['observed_reason'] or '-'})"
                )
                if u["override_reason"]:
                    out.append(
                        f"    override by {u['override_by'] or '-'}, approved by"
                        f" {u['override_approved_by'] or '-'}: {u['override_reason']}"
                    )
                if u["fraud"]:
                    out.append(f"    POSSIBLE FRAUD: {u['fraud_reason'] or ''}")
                for ph in u["photos"]:
                    where = "on disk" if ph["present"] else "purged or missing"
                    out.append(f"    photo {ph['at']}  {ph['sha256']}  {where}")
    return out


def _carrier_extra(c: dict[str, object]) -> str:
    """Box k of N and the master tracking number of a multi-piece shipment, and who chose
    the rate (nothing when the rule chose for a single package)."""
    out = ""
    count = c.get("package_count")
    if isinstance(count, int) and count > 1:
        out += f"  box {c.get('package_no')} of {count}"
    if c.get("master_tracking_number"):
        out += f"  master {c['master_tracking_number']}"
    if c.get("chosen_by") or c.get("chosen_account"):
        out += f"  rate chosen by {c.get('chosen_by') or '-'}"
    return out
