"""``station privacy purge [--dry-run] [--json] [--user BADGE]``: personal data retention.

Removes what :mod:`station.privacy` says is past its retention and prints the count of each
kind; ``--dry-run`` prints the same counts and changes nothing. The station runs the same
purge by itself once a day (``station.privacy.schedule``); this command runs it now.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from station.cli.opening import open_or_say
from station.config import Settings
from station.db.engine import reader
from station.permissions import PermissionDenied
from station.privacy import PrivacyPurge, PurgeReport
from station.user_ref import UserRef
from station.users import find_by_badge

_KINDS = (
    ("orders", "orders whose personal data goes"),
    ("ship_to", "ship-to records (name, address, phone, e-mail)"),
    ("gift_notes", "gift notes"),
    ("rma_notes", "RMA notes"),
    ("label_jobs", "printed labels (bytes; the hash stays)"),
    ("carrier_labels", "carrier label files"),
    ("photos", "photos"),
    ("backups", "database copies taken before migrations"),
)


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``privacy`` to the ``station`` parser."""
    p = sub.add_parser("privacy", help="personal data retention")
    actions = p.add_subparsers(dest="privacy_command", required=True, metavar="ACTION")
    purge = actions.add_parser(
        "purge", help="remove personal data, labels and photos past their retention"
    )
    purge.add_argument("--dry-run", action="store_true", help="count only, change nothing")
    purge.add_argument("--json", action="store_true", help="last line: one JSON object")
    purge.add_argument(
        "--user", help="badge of the admin asking (default: the station's scheduled purge)"
    )
    purge.set_defaults(handler=run_purge)


def format_report(report: PurgeReport) -> str:
    """The counts for a person."""
    verb = "would remove" if report.dry_run else "removed"
    lines = [f"{verb}:"]
    lines += [f"  {getattr(report, key):6}  {label}" for key, label in _KINDS]
    if report.order_numbers:
        shown = ", ".join(report.order_numbers[:10])
        more = len(report.order_numbers) - 10
        lines.append(f"  orders: {shown}" + (f" and {more} more" if more > 0 else ""))
    return "\n".join(lines)


def run_purge(args: argparse.Namespace, settings: Settings) -> int:
    """Purge (or count); exit 2 if the database cannot be opened or the user may not."""
    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        by = None
        if args.user:
            with Session(reader(db.engine)) as session:
                user = find_by_badge(session, args.user)
                by = None if user is None else UserRef(user.id, user.name, user.role.value)
            if by is None:
                print(f"station: --user {args.user}: unknown or inactive badge", file=sys.stderr)
                return 2
        purge = PrivacyPurge.from_settings(db, settings)
        try:
            report = purge.run(datetime.now(UTC), dry_run=args.dry_run, by=by)
        except PermissionDenied as exc:
            print(f"station: {exc}", file=sys.stderr)
            return 2
    finally:
        db.close()
    print(format_report(report))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    return 0
