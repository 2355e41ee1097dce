"""Builds the station's parts from settings and a database, and takes them down again.

Used by ``station-ui``, ``station-screenshot`` and the tests alike, so all three run the same
wiring: one database worker, one pack engine (with its proof: weight, photo, box) inside the
pack bench (``station.packing.bench``: the pack flow's rules), sign-in, the print queue and
the window (:func:`build_station`); then the devices, the print worker and the sync worker
(:func:`start_bench`), which subscribe to the bench's outcomes. Nothing here is global;
:class:`Station` holds each part and :meth:`Station.close` stops them in the order that leaves
no thread and no widget behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shiboken6 import Shiboken
from sqlalchemy.orm import Session

from drivers.registry import NONE
from station.barcodes import Interpreter
from station.config import Settings, default_config_path
from station.db import Database
from station.db.engine import reader
from station.orders import OrderSummary, list_orders
from station.packing.approvals import badge_and_pin_approver
from station.packing.bench import PackBench
from station.packing.lock import OrderLocks
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Verdict
from station.privacy import DailyPurge, PrivacyPurge
from station.returns.service import InspectionService
from station.session_login import SessionLogin
from station.ship.awaiting import AwaitingLabels
from station.ship.buyer import LabelBuyer, enrolled_client
from station.ship.choice import RateChoices
from station.sync.locks import enrolled_lock_calls
from station.user_ref import UserRef
from station.video.pack_video import PackVideo
from ui.bridge import DeviceBridge
from ui.camera import CameraSlot
from ui.dashboard import build_dashboard
from ui.devices import install_wedge, start_devices
from ui.devices_screen import DevicesScreen
from ui.engines import BenchEngines
from ui.evidence.screen import EvidenceScreen
from ui.main_window import StationWindow
from ui.pack.label_load import load_label_preview
from ui.pack.order_info import load_order_info
from ui.pack.screen import PackScreen
from ui.printing import PrintStation
from ui.returns.build import build_returns
from ui.settings import UiSettings
from ui.sounds import QtSoundPlayer, SilentPlayer, SoundPlayer
from ui.sync_link import SyncLink
from ui.worker import DbWorker

__all__ = ["Station", "build_station", "install_wedge", "start_bench", "start_devices"]


def packable_orders(db: Database) -> list[OrderSummary]:
    """Orders a packer can open now, for the list beside the lines."""
    with Session(reader(db.engine)) as session:
        return list_orders(session, status="in_progress", limit=50) + list_orders(
            session, status="open", limit=200
        )


@dataclass
class Station:
    """The running parts of one station window."""

    window: StationWindow
    worker: DbWorker
    bench: PackBench
    login: SessionLogin
    printing: PrintStation
    camera: CameraSlot
    inspection: InspectionService
    bridge: DeviceBridge | None = None
    sync: SyncLink | None = None
    purge: DailyPurge | None = None
    reads: DbWorker | None = None
    labels: AwaitingLabels | None = None
    buyer: LabelBuyer | None = None
    locks: OrderLocks | None = None  # the hub's order lock (its thread starts with sync)
    video: PackVideo | None = None

    @property
    def service(self) -> PackService:
        """The pack engine inside the bench."""
        return self.bench.service

    def close(self) -> None:
        """Stop sync, printing and devices, then database work, then delete the window."""
        if self.purge is not None:
            self.purge.stop()
            self.purge = None
        if self.sync is not None:
            self.sync.stop()
            self.sync = None
        if self.buyer is not None:
            self.buyer.stop()
            self.buyer = None
        if self.locks is not None:
            self.locks.stop()
        self.printing.stop()
        if self.bridge is not None:
            self.camera.attach(None)
            self.bridge.stop()  # device threads end before the window they report to
            self.bridge = None
        if self.video is not None:
            self.video.stop()  # after the camera: no frame comes; an open take is stored
            self.video = None
        self.worker.call(self.service.close)
        self.worker.call(self.inspection.close)
        self.worker.shutdown()
        if self.reads is not None:
            self.reads.shutdown()
        # Results already queued to the GUI thread must not reach deleted widgets: deleting
        # the worker's QObject drops the events posted to it.
        for worker in (self.worker, self.reads):
            if worker is not None and Shiboken.isValid(worker):
                Shiboken.delete(worker)
        if Shiboken.isValid(self.window):
            Shiboken.delete(self.window)


def build_station(
    settings: Settings,
    db: Database,
    ui: UiSettings,
    sounds: SoundPlayer | None = None,
    *,
    config_path: Path | None = None,
) -> Station:
    """Worker, engine, sign-in and window on ``db``; devices are started separately.

    ``config_path`` is the TOML file the devices screen saves to: the one the station was
    started with, or the default file when none was given.
    """
    worker = DbWorker()
    # The dashboard's week of figures takes ~150 ms to read on a busy bench: on a thread of its
    # own (WAL readers never block the writer) it never delays a scan queued on ``worker``.
    reads = DbWorker(name="station-reads")
    interpreter = Interpreter(settings.barcodes)
    camera = CameraSlot()
    has_camera = settings.devices.camera.kind != NONE
    proof = ProofOptions.from_settings(settings, camera=camera if has_camera else None)
    locks = OrderLocks(enrolled_lock_calls(db))
    service: PackService = worker.call(
        lambda: PackService(
            db,
            interpreter,
            settings.packing,
            settings.station_name,
            approver=badge_and_pin_approver(db),
            proof=proof,
            locks=locks,
        )
    )
    # Every listener of the bench (the hub's lock, labels, auto-print, sync, the video) starts
    # work on another thread: it runs as a follow-up, once the outcome's verdict is painted,
    # so that work does not compete with the paint (ui/worker.py).
    bench = PackBench(service, interpreter, announce=worker.after_reply)
    bench.subscribe(locks.on_outcome)  # notes the order to hold; its thread asks the hub
    printing = PrintStation(db, settings, worker)
    # Carrier labels: the queue of packages awaiting one (its buyer starts with the bench).
    labels = AwaitingLabels(db, settings.station_name) if settings.labels.carrier_labels else None
    if labels is not None:
        waiting = labels

        def queue_labels(outcome: Outcome, user: UserRef | None) -> None:
            # A job of its own on the worker, like auto-print: the packer sees the verdict first.
            if outcome.verdict is Verdict.COMPLETED:
                worker.submit(lambda: waiting.after(outcome, user), _done, _done)

        bench.subscribe(queue_labels)
        # The packer's choice of rate (a key or CMD-RATE-n), through the bench.
        choices = RateChoices(labels, settings.labels.rate_choice_s, settings.barcodes.cmd_rate)
        bench.rates = choices

    player: SoundPlayer = sounds if sounds is not None else SilentPlayer()
    if sounds is None and ui.sounds:
        player = QtSoundPlayer()
    snapshot = camera if has_camera else None
    inspection, returns = build_returns(
        worker, db, settings, interpreter, printing.queue, snapshot, player
    )
    engines = BenchEngines(service, inspection)
    login = SessionLogin(db, interpreter, engines, settings.station_name)
    sender = settings.labels.sender_country

    def render_png(number: str, template: str, package_no: int | None) -> bytes:
        # The label preview of a printer that takes ESC/POS: the same label, drawn as PNG.
        from station.labels.service import render_order_label

        return render_order_label(db, settings, number, template, "png", package_no=package_no)

    pack = PackScreen(
        worker,
        bench,
        lambda: packable_orders(db),
        lambda number: load_order_info(db, number, sender),
        player,
        packing=settings.packing,
        load_labels=lambda number: load_label_preview(
            db, number, printing.queue.history(number), settings.labels.dpi, render_png
        ),
        load_shipping=bench.rates.summary if isinstance(bench.rates, RateChoices) else None,
    )
    # A badge scanned at the pack screen switches the packing engine's user by itself.
    pack.user_switched.connect(
        lambda ref: worker.submit(lambda: setattr(engines, "user", ref), _done, _done)
    )
    evidence = EvidenceScreen(
        worker,
        db,
        interpreter,
        settings.photo_dir,
        settings.db_path.parent / "evidence",
        settings.station_name,
    )
    window = StationWindow(
        worker,
        login,
        pack,
        settings.station_name,
        ui.idle_lock_s,
        ui.theme,
        returns=returns,
        evidence=evidence,
        dashboard=build_dashboard(reads, db, settings=settings),
        devices=DevicesScreen(
            worker,
            db,
            settings.devices,
            config_path or default_config_path(),
            settings.station_name,
            lambda: login.current,
        ),
    )
    if isinstance(player, QtSoundPlayer):
        player.setParent(window)  # its sound effects go with the window
    return Station(
        window,
        worker,
        bench,
        login,
        printing,
        camera,
        inspection,
        reads=reads,
        labels=labels,
        locks=locks,
    )


def _done(_result: object) -> None:
    return None


def start_bench(
    station: Station, settings: Settings, db: Database, *, sync: bool = True, demo: bool = False
) -> None:
    """Start the devices, the print worker (auto-print, start-up sweep) and the sync worker.

    ``station.close()`` stops them all again. ``sync=False`` leaves the hub alone (a test of
    printing that must not wait on a sync cycle).
    """
    window = station.window
    bench = station.bench
    video = None
    if settings.video.enabled:
        # A video of each pack, a subscriber like auto-print: its own thread encodes.
        video = station.video = PackVideo.from_settings(db, settings)
        video.start()
        bench.subscribe(video.after)
    bridge = start_devices(
        settings,
        window,
        station.camera,
        demo=demo,
        scale=window.pack.feed_scale,
        video=video.offer if video is not None else None,
    )
    station.bridge = bridge
    bridge.print_state.connect(window.show_print)
    bridge.print_state.connect(window.pack.show_print)  # the label preview's job states
    bridge.sync_state.connect(window.show_sync)
    printing = station.printing
    bench.subscribe(printing.after)  # auto-print, once the verdict is painted
    printing.start(bridge)
    # Tags of units disposed of just before a crash reach the queue now.
    station.worker.submit(station.inspection.catch_up_tags, _done, _done)
    # Personal data past its retention goes at start and once a day (its own thread).
    station.purge = DailyPurge(db, PrivacyPurge.from_settings(db, settings)).start()
    if sync:
        link = SyncLink(db, settings, bridge)
        station.sync = link
        bench.subscribe(
            lambda outcome, _user: link.nudge() if outcome.verdict is Verdict.COMPLETED else None
        )
        if video is not None:
            video.on_stored = lambda _stored: link.nudge()  # its blob goes up now
        link.start()
        if station.locks is not None:
            state = station.worker.call(lambda: station.service.state)
            station.locks.start(state.order_number if state is not None else None)
    if station.labels is not None:
        start_label_buyer(station, station.labels, settings, db)


def start_label_buyer(
    station: Station, labels: AwaitingLabels, settings: Settings, db: Database
) -> None:
    """Carrier labels: each completed package waits in ``carrier_labels`` (``labels`` is a
    subscriber of the bench) and the buyer's thread buys and queues its label."""
    printing = station.printing
    buyer = LabelBuyer(
        labels,
        printing.queue,
        lambda: enrolled_client(db),
        printer=printing.labels.printer,
        language=printing.labels.language,
        dpi=settings.labels.dpi,
        choices=station.bench.rates if isinstance(station.bench.rates, RateChoices) else None,
    )
    station.buyer = buyer
    buyer.start()
