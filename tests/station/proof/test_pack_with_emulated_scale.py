"""A whole pack weighed on an emulated scale: real protocol bytes over a pty into the engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.scale.driver import ScaleConfig
from drivers.scale.emulator import ScaleEmulator
from drivers.scale.model import ScaleReading
from drivers.scale.oneshot import read_weight
from station.db import Database
from station.packing.verdicts import Verdict
from tests.station.packfixtures import MUG, TEE
from tests.station.proof.prooffixtures import prove, rows


@pytest.fixture(params=["mtsics", "nci", "8217"])
def scale(request: pytest.FixtureRequest) -> Iterator[tuple[ScaleEmulator, ScaleConfig]]:
    protocol = str(request.param)
    with ScaleEmulator(protocol, weight="0.000", unit="kg") as emulator:
        yield (
            emulator,
            ScaleConfig(
                emulator.port, protocol, unit="kg", poll_interval_s=0.02, reply_timeout_s=0.5
            ),
        )


def weigh(config: ScaleConfig, *, stable: bool = True) -> ScaleReading:
    return read_weight(config, stable=stable, timeout_s=3.0)


def test_pack_weighed_on_an_emulated_scale(
    db: Database, tmp_path: Path, scale: tuple[ScaleEmulator, ScaleConfig]
) -> None:
    emulator, config = scale
    svc = prove(db, tmp_path, photo_mode="required", camera=True)
    svc.scan("SO-1001")
    for code in (MUG, MUG, TEE):
        svc.scan(code)
    emulator.set_moving("0.480")
    moving = svc.record_weight(weigh(config, stable=False))
    assert moving.verdict is Verdict.WEIGHT_UNSTABLE and "moving" in moving.message
    emulator.set_weight("0.396")  # one unit short
    short = svc.record_weight(weigh(config))
    assert short.verdict is Verdict.WEIGHT_MISMATCH and short.extra["difference_g"] == -99.0
    assert svc.complete().verdict is Verdict.NOT_COMPLETE
    emulator.set_weight("0.497")
    assert svc.record_weight(weigh(config)).verdict is Verdict.WEIGHT_PASS
    assert svc.complete().verdict is Verdict.COMPLETED
    readings = rows(db, "SELECT weight_g, scale_state, decision FROM weight_readings ORDER BY id")
    assert readings == [
        (None, "moving", "unstable"),
        (396.0, "stable", "fail"),
        (497.0, "stable", "pass"),
    ]
    assert rows(db, "SELECT count(*) FROM photos") == [(1,)]
    svc.close()
