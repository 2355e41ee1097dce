"""``station db``: check, back up and restore the station's database (``station.db.care``).

    station db check [--verify-photos] [--json]
    station db backup FILE [--json]
    station db restore FILE [--force] [--json]
    station db disk [--days 7] [--json]

``check`` reads the database without changing it: integrity, foreign keys, the outbox
sequence, the schema revision, half-written records and the photo files; with ``--json`` the
last line is one object with ``ok``, ``integrity`` ("ok" or the problem), ``outbox_gaps``
(how many ranges are missing; ``outbox_missing`` lists them), ``foreign_key_check``,
``schema`` and ``head``. Exit status 0 when all is well, 1 when not (or no database).

``backup`` copies the database with SQLite's backup API while the station runs, checks the
copy and prints where it is; ``restore`` puts a backup back (see ``station.db.care``). Both exit
1 with the reason when refused or failed, having changed nothing.

``disk`` reports the disk the database and the photos use, what is written per day (averaged
over ``--days``) and the days left at that rate (``station.disk``); the dashboard shows the
same line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from station.config import Settings
from station.db import DatabaseError, MigrationError, open_database
from station.db.care import (
    CareError,
    CheckReport,
    backup_database,
    check_database,
    head_revision,
    restore_database,
)
from station.db.models import utcnow
from station.disk import disk_report


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``db check|backup|restore|disk`` to the ``station`` parser."""
    db = sub.add_parser("db", help="check, back up and restore the station's database")
    commands = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="integrity, outbox sequence, schema, records")
    check.add_argument(
        "--verify-photos", action="store_true", help="also hash every photo file against its row"
    )
    check.add_argument("--json", action="store_true", help="last line: one JSON object")
    check.set_defaults(handler=run_check)
    backup = commands.add_parser("backup", help="a checked copy made while the station runs")
    backup.add_argument("file", type=Path, metavar="FILE", help="where to write the copy")
    backup.add_argument("--json", action="store_true", help="last line: one JSON object")
    backup.set_defaults(handler=run_backup)
    restore = commands.add_parser("restore", help="put a backup back (the current one is kept)")
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    restore.add_argument(
        "--force", action="store_true", help="even while another process has the database open"
    )
    restore.add_argument("--json", action="store_true", help="last line: one JSON object")
    restore.set_defaults(handler=run_restore)
    disk = commands.add_parser("disk", help="disk used per day and the days left at that rate")
    disk.add_argument("--days", type=int, default=7, help="averaged over (default 7 days)")
    disk.add_argument("--json", action="store_true", help="last line: one JSON object")
    disk.set_defaults(handler=run_disk)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    """Check the database; 0 when sound, 1 when not."""
    try:
        report = check_database(
            settings.db_path, photo_dir=settings.photo_dir, verify_photos=args.verify_photos
        )
    except CareError as exc:
        report = CheckReport(str(settings.db_path), str(exc), head=head_revision())
    print(report)
    if args.json:
        print(json.dumps(report.to_json(), sort_keys=True))
    return 0 if report.ok else 1


def run_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Back the database up to FILE and verify the copy."""
    try:
        result = backup_database(settings.db_path, args.file)
    except CareError as exc:
        print(f"station db backup: {exc}", file=sys.stderr)
        return 1
    print(
        f"backup of {settings.db_path} written to {result.path}: integrity ok, schema"
        f" {result.schema}, outbox seq {result.outbox_seq}, {result.size_bytes} bytes"
    )
    if args.json:
        print(json.dumps(result.to_json(), sort_keys=True))
    return 0


def run_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Restore FILE in place of the database, keeping the current one aside."""
    try:
        result = restore_database(settings.db_path, args.file, force=args.force)
    except (CareError, DatabaseError, MigrationError) as exc:
        print(f"station db restore: {exc}", file=sys.stderr)
        return 1
    migrated = (
        f", migrated {result.schema_before} -> {result.schema}"
        if result.schema != result.schema_before
        else ""
    )
    print(f"restored {settings.db_path} from {result.restored_from}{migrated}")
    if result.kept:
        print(f"the database it replaced is kept as {result.kept}")
    if result.replaced_outbox_seq is not None and result.replaced_outbox_seq > result.outbox_seq:
        # Those events may have reached the hub already; the hub refuses a seq twice.
        print(
            f"warning: the replaced database had outbox events up to seq"
            f" {result.replaced_outbox_seq}, the restored one up to {result.outbox_seq}:"
            f" events {result.outbox_seq + 1}-{result.replaced_outbox_seq} are only in"
            f" {result.kept}",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps(result.to_json(), sort_keys=True))
    return 0


def run_disk(args: argparse.Namespace, settings: Settings) -> int:
    """Print the disk report; 1 when there is no database to report on."""
    if args.days < 1:
        print("station db disk: --days must be at least 1", file=sys.stderr)
        return 2
    if not settings.db_path.exists():
        print(f"station db disk: no database at {settings.db_path}", file=sys.stderr)
        return 1
    try:
        db = open_database(settings.db_path, migrate=False)
    except DatabaseError as exc:
        print(f"station db disk: {exc}", file=sys.stderr)
        return 1
    try:
        report = disk_report(
            db,
            settings.photo_dir,
            retention_days=settings.photos.retention_days,
            now=utcnow(),
            days=args.days,
        )
    finally:
        db.close()
    print(report)
    if args.json:
        print(json.dumps(report.to_json(), sort_keys=True))
    return 0
