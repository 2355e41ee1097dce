"""A whole pack through emulated devices, each read by its real driver.

Scans go through the serial scanner driver from a pty emulator, weights through the scale
driver's stable-weight rule from an MT-SICS emulator on a pty, the photo is of a camera frame,
and the labels leave through the print worker for a ZPL printer emulator on a TCP port.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station.config import Settings, WeightSettings
from station.db import Database
from station.labels.service import render_order_label
from station.packing.completion import LabelCompletion
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Verdict
from station.photos import PhotoStore
from station.tools.simulate.rig import Rig
from tests.station.packfixtures import MUG, STRAY, TEE, make_service
from tests.station.simulate.packing import rows

EXPECTED_G = 2 * 100 + 100 + 180 + 15  # two mugs, a tee, BOX-M and packing material


@pytest.fixture
def rig(db: Database, settings: Settings) -> Iterator[Rig]:
    bench = Rig(db, settings, printer="printer", language="zpl", frame_size=(640, 480))
    bench.start_printing()
    yield bench
    bench.close()


def proving(db: Database, rig: Rig, tmp_path: Path) -> PackService:
    options = ProofOptions(
        weight=WeightSettings(),
        require_weight=True,
        photo_mode="required",
        photos=PhotoStore(tmp_path / "photos"),
        camera=rig.snapshot,
    )
    return make_service(db, proof=options)


def test_a_whole_pack_through_emulated_devices(
    db: Database, settings: Settings, rig: Rig, tmp_path: Path
) -> None:
    svc = proving(db, rig, tmp_path)

    def scan(code: str) -> Outcome:
        return svc.scan(rig.scan(code))  # what the scanner driver read off the pty

    assert scan("BADGE-ALICE").verdict is Verdict.USER_CHANGED
    assert scan("SO-1001").verdict is Verdict.ORDER_OPENED
    assert scan(MUG).verdict is Verdict.ACCEPTED
    assert scan(STRAY).verdict is Verdict.WRONG_ITEM  # put back on the shelf
    assert scan(MUG).verdict is Verdict.ACCEPTED
    assert scan(MUG).verdict is Verdict.OVER_SCAN  # the third mug goes back
    assert scan(TEE).verdict is Verdict.ACCEPTED
    assert scan("BOX-M").verdict is Verdict.BOX_SELECTED
    assert svc.expected_weight() is not None
    heavy = svc.record_weight(rig.weigh(EXPECTED_G + 60).reading)
    assert heavy.verdict is Verdict.WEIGHT_MISMATCH and heavy.extra["measured_g"] == 555.0
    assert scan("CMD-COMPLETE").verdict is Verdict.NOT_COMPLETE
    refused = svc.override_weight("BADGE-ALICE", "extra padding")  # not the packer herself
    assert refused.verdict is Verdict.NEEDS_SUPERVISOR
    approved = svc.override_weight("BADGE-SAM", "extra padding for a fragile mug")
    assert approved.verdict is Verdict.WEIGHT_OVERRIDE
    done = scan("CMD-COMPLETE")
    assert done.verdict is Verdict.COMPLETED

    labels = LabelCompletion(db, settings, rig.queue)
    assert len(labels.after(done)) == 2  # shipping label and packing slip
    received = rig.printer.wait_for_jobs(2, timeout=10)
    shipping = render_order_label(db, settings, "SO-1001", "shipping", "zpl", package_no=1)
    slip = render_order_label(db, settings, "SO-1001", "packing-slip", "zpl")
    assert received == [shipping, slip]
    assert rig.worker.wait_until_settled(10)
    assert rows(db, "SELECT template, status, attempts FROM print_jobs ORDER BY id") == [
        ("shipping", "done", 1),
        ("packing-slip", "done", 1),
    ]
    (sscc,) = rows(db, "SELECT sscc FROM packages")[0]
    assert scan(f"]C100{sscc}").verdict is Verdict.CONFIRMED

    assert rows(db, "SELECT verdict FROM scans WHERE verdict != 'accepted' ORDER BY id") == [
        ("user_changed",),
        ("order_opened",),
        ("wrong_item",),
        ("over_scan",),
        ("box_selected",),
        ("not_complete",),
        ("completed",),
        ("confirmed",),
    ]
    readings = rows(db, "SELECT weight_g, scale_state, decision FROM weight_readings ORDER BY id")
    assert readings == [(555.0, "stable", "fail"), (555.0, "none", "override")]
    exceptions = rows(
        db, "SELECT e.kind, u.name FROM exceptions e JOIN users u ON u.id = e.approved_by"
    )
    assert exceptions == [("weight_override", "sam")]
    (path,) = rows(db, "SELECT path FROM photos WHERE kind = 'completion'")[0]
    assert (tmp_path / "photos" / str(path)).is_file()
    package = rows(db, "SELECT status, weight_status, weight_g, label_confirmed FROM packages")
    assert package == [("closed", "override", 555.0, 1)]
    svc.close()
