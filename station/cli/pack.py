"""``station pack``: a headless pack bench reading scans from standard input.

One scan per line (exactly what a serial scanner or a script would send); each verdict is
printed, and flushed, only after its transaction committed, so whatever a caller has read is
in the database even if the process dies the next instant.

``--weigh`` proves packages as the bench is configured (``ProofOptions.from_settings``): the
configured scale is read by its driver the whole time, and before a package is closed
(``CMD-NEWBOX``, ``CMD-COMPLETE``) its latest stable weight is checked and printed like a
verdict; photos as ``[photos] mode`` says, with the configured camera if there is one.
``--labels`` queues the labels of each completed order (``[labels] auto_print``) and, at
start, those a crash left unqueued; the station app or ``station print retry`` prints them.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import Any

from drivers.registry import NONE, Listeners, build_registry
from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from station.barcodes import Command, Interpreter, ScanKind
from station.config import Settings
from station.db import Database, open_database
from station.db.engine import DiskFullError
from station.packing.approvals import badge_and_pin_approver
from station.packing.completion import LabelCompletion
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Verdict
from station.permissions import Action, PermissionDenied, allowed
from station.photos import Image, Snapshot
from station.printing.printers import ConfiguredPrinters
from station.printing.queue import PrintQueue

SETTLE_S = 3.0  # how long a close waits for the scale's first stable weight
_CLOSING = (Command.COMPLETE, Command.NEW_BOX)


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``pack`` to the ``station`` parser."""
    p = sub.add_parser("pack", help="pack from scans read on standard input, one per line")
    p.add_argument("--user", help="badge code of the packer (as if scanned first)")
    p.add_argument("--json", action="store_true", help="one JSON object per verdict")
    p.add_argument("--weigh", action="store_true", help="weigh each package on the scale")
    p.add_argument("--labels", action="store_true", help="queue the labels of packed orders")
    p.set_defaults(handler=run)


class _ScaleWatch:
    """The configured scale, read by its driver on its own thread; readings kept for the
    engine, which takes them on this (the caller's) thread only."""

    def __init__(self, settings: Settings, stack: ExitStack) -> None:
        self._lock = threading.Condition()
        self._updates: list[ScaleUpdate] = []
        self._stable: ScaleReading | None = None
        device = build_registry().scale(settings.devices.scale, Listeners(on_reading=self._on))
        stack.callback(device.stop)
        device.start()

    def _on(self, update: ScaleUpdate) -> None:
        with self._lock:
            self._updates = [*self._updates[-50:], update]
            if update.accepted:
                self._stable = update.reading
            self._lock.notify_all()

    def drain(self) -> list[ScaleReading]:
        """Readings since the last call (for scale-confirmed scans)."""
        with self._lock:
            updates, self._updates = self._updates, []
        return [u.reading for u in updates]

    def weight(self) -> ScaleReading:
        """The latest stable weight, or (none within SETTLE_S) what the scale says instead."""
        with self._lock:
            self._lock.wait_for(lambda: self._stable is not None, SETTLE_S)
            if self._stable is not None:
                return self._stable
            last = self._updates[-1].reading if self._updates else None
        return last or ScaleReading(ScaleState.UNKNOWN, None, None, "", detail="no answer")


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
        labels = _labels(db, settings, stack) if args.labels else None
        return _serve(args, settings, service, scale, labels)


def _labels(db: Database, settings: Settings, stack: ExitStack) -> LabelCompletion:
    printers = ConfiguredPrinters(settings.devices.printer, build_registry())
    stack.callback(printers.close)
    completion = LabelCompletion(db, settings, PrintQueue(db, printers, settings.station_name))
    for number in completion.sweep(datetime.now(UTC)):
        print(f"# labels of {number} queued (left unqueued by a crash)", file=sys.stderr)
    return completion


def _serve(
    args: argparse.Namespace,
    settings: Settings,
    service: PackService,
    scale: _ScaleWatch | None,
    labels: LabelCompletion | None,
) -> int:
    def show(outcome: Outcome) -> None:
        if args.json:
            print(json.dumps(outcome.to_json(), ensure_ascii=False), flush=True)
        else:
            print(f"{outcome.verdict.value:16} {outcome.message}", flush=True)

    interpreter = Interpreter(settings.barcodes)
    if service.state is not None:
        print(f"# resumed order {service.state.order_number}", file=sys.stderr, flush=True)
    if args.user:
        signed = service.scan(args.user)
        refusal = signed.message
        if signed.verdict is Verdict.USER_CHANGED and not allowed(service.user, Action.PACK):
            refusal = str(PermissionDenied(service.user, Action.PACK))
        elif signed.verdict is Verdict.USER_CHANGED:
            refusal = ""
        if refusal:
            print(f"station: --user {args.user}: {refusal}", file=sys.stderr)
            return 2
    not_stored = 0
    for line in sys.stdin:
        code = line.rstrip("\r\n")
        if scale is not None:
            for reading in scale.drain():
                service.observe_weight(reading)
            meaning = interpreter.interpret(code)
            closing = meaning.kind is ScanKind.COMMAND and meaning.command in _CLOSING
            if closing and service.state is not None and service.state.package_items:
                show(service.record_weight(scale.weight()))
        try:
            outcome = service.scan(code)
        except PermissionDenied as exc:  # nothing was written
            print(f"station: {exc}", file=sys.stderr)
            return 2
        except DiskFullError as exc:
            # Nothing of this scan was stored and no verdict is given; the bench goes on, so
            # that once space is freed the same scan (sent again) is stored.
            not_stored += 1
            print(f"station: {code}: {exc}", file=sys.stderr, flush=True)
            continue
        show(outcome)
        if labels is not None:
            labels.after(outcome, service.user.id if service.user else None)
    return 1 if not_stored else 0
