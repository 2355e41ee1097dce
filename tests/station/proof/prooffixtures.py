"""Helpers for the proof-of-the-pack tests: scale readings, frames and a proving service."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from drivers.scale.model import ScaleReading, ScaleState
from station.config import WeightSettings
from station.db import Database
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.photos import Image, PhotoStore
from tests.station.packfixtures import make_service


def stable(grams: float, *, net: bool = False) -> ScaleReading:
    """A stable reading as an MT-SICS scale would give it."""
    return ScaleReading(
        ScaleState.STABLE, grams, 1.0, f"S S {grams:10.0f} g", net=net, unit_raw="g"
    )


def state(kind: ScaleState, grams: float | None = None, detail: str = "") -> ScaleReading:
    """A reading that is not a weight (moving, negative, overload, fault)."""
    return ScaleReading(kind, grams, None, f"<{kind.value}>", detail=detail)


def frame(width: int = 640, height: int = 480) -> Image:
    """A BGR test picture with some structure (so JPEG has something to encode)."""
    y, x = np.mgrid[0:height, 0:width]
    image = np.zeros((height, width, 3), np.uint8)
    image[..., 0] = (x * 255 // width).astype(np.uint8)
    image[..., 1] = (y * 255 // height).astype(np.uint8)
    image[..., 2] = ((x // 40 + y // 40) % 2 * 200).astype(np.uint8)
    return image


def prove(
    db: Database,
    tmp_path: Path,
    *,
    require_weight: bool = True,
    photo_mode: str = "off",
    camera: bool = False,
    weight: WeightSettings | None = None,
) -> PackService:
    """A pack service with proof options (fixed clock, as the engine tests use)."""
    picture = frame()
    options = ProofOptions(
        weight=weight or WeightSettings(),
        require_weight=require_weight,
        photo_mode=photo_mode,
        photos=PhotoStore(tmp_path / "photos"),
        camera=(lambda: picture) if camera else None,
    )
    return make_service(db, proof=options)


def rows(db: Database, sql: str, *args: object) -> list[tuple[object, ...]]:
    """Rows of a query on a separate connection (what another process would see)."""
    con = sqlite3.connect(db.path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def _immutable(folder: Path, on: bool) -> bool:
    """Set or clear the immutable attribute (the only thing that stops root writing)."""
    try:
        done = subprocess.run(
            ["chattr", "+i" if on else "-i", str(folder)], check=False, capture_output=True
        )
    except FileNotFoundError:
        return False
    return done.returncode == 0


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` unwritable, even for root where possible; skip the test where not."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    root = os.geteuid() == 0
    if root and not _immutable(folder, on=True):
        folder.chmod(0o755)
        pytest.skip("cannot make a folder read-only for root here (no chattr +i)")
    try:
        yield
    finally:
        if root:
            _immutable(folder, on=False)
        folder.chmod(0o755)
