"""``station enroll`` and ``station sync``: this station and its hub."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from station.cli.opening import open_or_say
from station.config import Settings

REQUIRE_TLS_HELP = "refuse a plain http:// hub on another machine (else: a warning)"


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``enroll`` and ``sync`` to the ``station`` parser."""
    enroll = sub.add_parser("enroll", help="enrol this station with a hub (one-time code)")
    enroll.add_argument("--hub", required=True, metavar="URL", help="the hub's address")
    enroll.add_argument("--code", required=True, help="code from `station hub enroll-code`")
    enroll.add_argument("--ca", metavar="FILE", help="CA certificate(s) to trust for the hub")
    enroll.add_argument("--require-tls", action="store_true", help=REQUIRE_TLS_HELP)
    enroll.set_defaults(handler=run_enroll)

    sync = sub.add_parser("sync", help="push the outbox to the hub and pull its changes")
    mode = sync.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one cycle, then exit")
    mode.add_argument("--until-idle", action="store_true", help="until nothing is left to push")
    sync.add_argument("--hub", metavar="URL", help="use this address instead of the enrolled one")
    sync.add_argument("--json", action="store_true", help="last line: one JSON object")
    sync.add_argument("--require-tls", action="store_true", help=REQUIRE_TLS_HELP)
    sync.add_argument(
        "--timeout", type=float, default=120.0, help="--until-idle gives up after (120 s)"
    )
    sync.add_argument("--interval", type=float, default=15.0, help="seconds between cycles (15)")
    sync.set_defaults(handler=run_sync)


def run_enroll(args: argparse.Namespace, settings: Settings) -> int:
    """Exchange the code for a token and store it (the token is never printed)."""
    from station.sync.cleartext import CleartextRefused, cleartext_problem
    from station.sync.client import HubRefused, HubUnavailable
    from station.sync.enroll import enroll_station

    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        warning = cleartext_problem(args.hub, "the enrolment code and the token")
        if warning is not None and not args.require_tls:
            print(f"station enroll: warning: {warning}", file=sys.stderr)
        ca = str(Path(args.ca).resolve()) if args.ca else None
        enrolment = enroll_station(
            db, args.hub, args.code, settings.station_name, ca=ca, require_tls=args.require_tls
        )
    except CleartextRefused as exc:
        print(f"station enroll: {exc}", file=sys.stderr)
        return 2
    except (HubRefused, HubUnavailable) as exc:
        print(f"station enroll: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(f"enrolled station {enrolment.station} with {enrolment.url}")
    return 0


def run_sync(args: argparse.Namespace, settings: Settings) -> int:
    """Sync once, until idle, or continuously (until interrupted)."""
    from station.sync.cycle import Syncer, SyncError
    from station.sync.runner import sync_once, sync_until_idle
    from station.sync.worker import SyncStatus, SyncWorker

    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        syncer = Syncer(db, settings.photo_dir, hub_url=args.hub, require_tls=args.require_tls)
        try:
            warning = syncer.cleartext_warning()
        except SyncError as exc:
            print(f"station sync: {exc}", file=sys.stderr)
            return 2
        if warning is not None:
            print(f"station sync: warning: {warning}", file=sys.stderr)
        if args.once or args.until_idle:
            worker = SyncWorker(syncer)
            if args.once:
                totals = sync_once(worker)
            else:
                totals = sync_until_idle(worker, timeout_s=args.timeout)
            if args.json:
                print(json.dumps(totals.as_json(), ensure_ascii=False))
            else:
                state = "ok" if totals.ok else f"failed: {totals.last_error}"
                print(
                    f"sync {state}: pushed {totals.pushed}, rejected {totals.rejected}, "
                    f"pulled {totals.pulled}, pending {totals.pending}"
                )
            return 0 if totals.ok else 1

        def show(status: SyncStatus) -> None:
            online = {True: "online", False: "offline", None: "?"}[status.online]
            error = f", {status.last_error}" if status.last_error else ""
            print(f"{online}: {status.pending} pending, {status.dead_letters} rejected{error}")
            for blocked in status.blocked:
                print(f"  {blocked.message}")

        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        worker = SyncWorker(syncer, interval_s=args.interval, on_status=show).start()
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            worker.stop()
            signal.signal(signal.SIGTERM, previous)
        return 0
    finally:
        db.close()
