"""The returns bench's parts: the inspection engine (its tags on the bench's print queue), the
returns bench (``station.returns.bench``) and the screen; built on the database worker like
the pack engine."""

from __future__ import annotations

from station.barcodes import Interpreter
from station.config import Settings
from station.db import Database
from station.packing.approvals import badge_and_pin_approver
from station.photos import PhotoStore, Snapshot
from station.printing.queue import PrintQueue
from station.returns.bench import ReturnsBench
from station.returns.service import InspectionService
from station.returns.tags import QueuedTags
from ui.returns.screen import ReturnsScreen
from ui.sounds import SoundPlayer
from ui.worker import DbWorker


def build_returns(
    worker: DbWorker,
    db: Database,
    settings: Settings,
    interpreter: Interpreter,
    queue: PrintQueue,
    camera: Snapshot | None,
    sounds: SoundPlayer,
) -> tuple[InspectionService, ReturnsScreen]:
    """The inspection engine and the returns screen on it."""
    service: InspectionService = worker.call(
        lambda: InspectionService(
            db,
            interpreter,
            settings.returns,
            settings.barcodes,
            settings.station_name,
            tags=QueuedTags(db, settings, queue),
            # A badge the engine resolves itself; "BADGE PIN" needs the PIN check.
            approver=badge_and_pin_approver(db),
        )
    )
    photos = PhotoStore.from_settings(settings.photo_dir, settings.photos)
    screen = ReturnsScreen(
        worker,
        db,
        service,
        ReturnsBench(db, service, interpreter),
        settings.returns,
        settings.photo_dir,
        photos,
        camera,
        sounds,
    )
    return service, screen
