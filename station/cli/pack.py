"""``station pack``: a headless pack bench reading scans from standard input.

One scan per line (exactly what a serial scanner or a script would send); each verdict is
printed, and flushed, only after its transaction committed, so whatever a caller has read is
in the database even if the process dies the next instant.

``--weigh`` proves packages as the bench is configured (``ProofOptions.from_settings``): the
configured scale is read by its driver the whole time, and before a package is closed
(``CMD-NEWBOX``, ``CMD-COMPLETE``) its latest stable weight is checked and printed like a
verdict; photos as ``[photos] mode`` says, with the configured camera if there is one.

The scans go through the pack bench (``station.packing.bench``), as the window's do: after a
red verdict every scan is held back (printed as ``held``, or ``{"held": code}`` with
``--json``: not counted, not stored) until ``CMD-CONFIRM``; a blank line is nothing.
``--labels`` queues the labels of each completed order (``[labels] auto_print``) and, at
start, those a crash left unqueued; the station app or ``station print retry`` prints them.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import Any

from drivers.registry import NONE, Listeners, build_registry
from drivers.scale.worker import ScaleUpdate
from station.barcodes import Interpreter
from station.config import Settings
from station.db import Database, open_database
from station.db.engine import DiskFullError
from station.packing.approvals import badge_and_pin_approver
from station.packing.bench import Held, PackBench, Reply
from station.packing.completion import LabelCompletion
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Verdict
from station.permissions import Action, PermissionDenied, allowed
from station.photos import Image, Snapshot
from station.printing.printers import ConfiguredPrinters
from station.printing.queue import PrintQueue
from station.user_ref import UserRef

SETTLE_S = 3.0  # how long a close waits for the scale's first stable weight
KEEP = 200  # runs of equal readings kept between two scans (oldest dropped first)
HELD = "not counted: acknowledge the error (CMD-CONFIRM), then scan it again"


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``pack`` to the ``station`` parser."""
    p = sub.add_parser("pack", help="pack from scans read on standard input, one per line")
    p.add_argument("--user", help="badge code of the packer (as if scanned first)")
    p.add_argument("--json", action="store_true", help="one JSON object per verdict")
    p.add_argument("--weigh", action="store_true", help="weigh each package on the scale")
    p.add_argument("--labels", action="store_true", help="queue the labels of packed orders")
    p.set_defaults(handler=run)


class _ScaleWatch:
    """The configured scale, read by its driver on its own thread; its readings (with the
    driver's timestamps) kept for the bench, which takes them on this (the caller's) thread."""

    def __init__(self, settings: Settings, stack: ExitStack) -> None:
        self._lock = threading.Condition()
        self._updates: list[ScaleUpdate] = []
        self._accepted_at = float("-inf")  # driver time of the newest accepted reading
        device = build_registry().scale(settings.devices.scale, Listeners(on_reading=self._on))
        stack.callback(device.stop)
        device.start()

    def _on(self, update: ScaleUpdate) -> None:
        with self._lock:
            kept = self._updates
            # A run of equal readings keeps its first (when the plateau settled) and its last
            # (the newest word of the scale): bounded, and nothing the bench judges by is lost.
            if len(kept) >= 2 and _same(kept[-1], update) and _same(kept[-2], update):
                kept[-1] = update
            else:
                kept.append(update)
                del kept[:-KEEP]
            if update.accepted:
                self._accepted_at = update.at
            self._lock.notify_all()

    def drain(self) -> list[ScaleUpdate]:
        """Readings since the last call, oldest first."""
        with self._lock:
            updates, self._updates = self._updates, []
        return updates

    def settle(self, after: float) -> None:
        """Wait (at most SETTLE_S) for a weight the stable-weight rule accepted after ``after``
        (the last scan): what is on the platter now, not before."""
        with self._lock:
            self._lock.wait_for(lambda: self._accepted_at > after, SETTLE_S)


def _same(a: ScaleUpdate, b: ScaleUpdate) -> bool:
    """The same word of the scale (state, weight and the stable-weight rule's say)."""
    return (a.reading.state, a.reading.weight_g, a.accepted) == (
        b.reading.state,
        b.reading.weight_g,
        b.accepted,
    )


def _camera(settings: Settings) -> Snapshot | None:
    """A photo from the configured camera, opened for each shot (a CLI takes few)."""
    camera = settings.devices.camera
    if camera.kind == NONE:
        return None
    from drivers.camera.oneshot import take_snapshot

    def snapshot() -> Image:
        return take_snapshot(camera.source, timeout_s=5.0)

    return snapshot


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Read scans until end of input."""
    db = open_database(settings.db_path)
    with ExitStack() as stack:
        stack.callback(db.close)
        proof, scale = None, None
        if args.weigh:
            proof = ProofOptions.from_settings(settings, camera=_camera(settings))
            if settings.devices.scale.kind != NONE:
                scale = _ScaleWatch(settings, stack)
        service = PackService(
            db,
            Interpreter(settings.barcodes),
            settings.packing,
            settings.station_name,
            approver=badge_and_pin_approver(db),
            proof=proof,
        )
        stack.callback(service.close)
        bench = PackBench(service, Interpreter(settings.barcodes))
        if args.labels:
            labels = _labels(db, settings, stack)
            bench.subscribe(lambda outcome, user: _queue(labels, outcome, user))
        return _serve(args, service, bench, scale)


def _queue(labels: LabelCompletion, outcome: Outcome, user: UserRef | None) -> None:
    labels.after(outcome, user.id if user is not None else None)


def _labels(db: Database, settings: Settings, stack: ExitStack) -> LabelCompletion:
    printers = ConfiguredPrinters(settings.devices.printer, build_registry())
    stack.callback(printers.close)
    completion = LabelCompletion(db, settings, PrintQueue(db, printers, settings.station_name))
    for number in completion.sweep(datetime.now(UTC)):
        print(f"# labels of {number} queued (left unqueued by a crash)", file=sys.stderr)
    return completion


def _serve(
    args: argparse.Namespace,
    service: PackService,
    bench: PackBench,
    scale: _ScaleWatch | None,
) -> int:
    def show(reply: Reply) -> None:
        result = reply.result
        if isinstance(result, Held):
            if args.json:
                print(json.dumps({"held": result.what, "pending": True}), flush=True)
            else:
                print(f"{'held':16} {result.what}: {HELD}", flush=True)
        elif args.json:
            print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
        else:
            print(f"{result.verdict.value:16} {result.message}", flush=True)

    if service.state is not None:
        print(f"# resumed order {service.state.order_number}", file=sys.stderr, flush=True)
    if args.user:
        signed = service.scan(args.user)  # before any scan: nothing can be held back yet
        refusal = signed.message
        if signed.verdict is Verdict.USER_CHANGED and not allowed(service.user, Action.PACK):
            refusal = str(PermissionDenied(service.user, Action.PACK))
        elif signed.verdict is Verdict.USER_CHANGED:
            refusal = ""
        if refusal:
            print(f"station: --user {args.user}: {refusal}", file=sys.stderr)
            return 2
    not_stored = 0
    last_at = time.monotonic()
    for line in sys.stdin:
        at = time.monotonic()  # the scan's own time: readings are judged against it
        code = line.rstrip("\r\n")
        try:
            if scale is not None:
                if bench.closes(code):
                    scale.settle(last_at)  # a close weighs the box: the weight on it now
                for update in scale.drain():
                    if (weighed := bench.reading(update)) is not None:
                        show(weighed)
            reply = bench.scan(code, at)
        except PermissionDenied as exc:  # nothing was written
            print(f"station: {exc}", file=sys.stderr)
            return 2
        except DiskFullError as exc:
            # Nothing of this scan was stored and no verdict is given; the bench goes on, so
            # that once space is freed the same scan (sent again) is stored.
            not_stored += 1
            print(f"station: {code}: {exc}", file=sys.stderr, flush=True)
            continue
        if reply is not None:  # a blank line is the Enter of a scan on its own: nothing
            last_at = at
            show(reply)
    return 1 if not_stored else 0
