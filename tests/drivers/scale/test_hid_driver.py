"""The HID scale driver with a fake ``hid`` module.

There is no HID device node in the test environment (and no USB scale), so the driver is
given a stand-in with hidapi's ``enumerate``/``device`` shape. The report bytes it hands out
are real scale reports; the codec itself is tested by value in test_hidpos.py.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from drivers.backoff import Backoff
from drivers.base import DeviceState
from drivers.scale.hid_driver import HidScaleDriver
from drivers.scale.model import ScaleState

from .conftest import Recorder

DYMO = {"path": b"/dev/hidraw7", "vendor_id": 0x0922, "product_id": 0x8003,
        "product_string": "M10 10 Kg Postal Scale"}  # fmt: skip
KEYBOARD = {"path": b"/dev/hidraw1", "vendor_id": 0x046D, "product_id": 0xC31C}


class FakeDevice:
    """Reports queued by the test; ``read`` returns [] after ``timeout_ms`` like hidapi."""

    def __init__(self, hid: FakeHid) -> None:
        self.hid = hid
        self.reports: queue.Queue[list[int] | OSError] = queue.Queue()
        self.written: list[bytes] = []
        self.opened: bytes | None = None
        self.closed = threading.Event()

    def open_path(self, path: bytes) -> None:
        self.opened = path

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]:
        try:
            item = self.reports.get(timeout=timeout_ms / 1000)
        except queue.Empty:
            return []
        if isinstance(item, OSError):
            raise item
        return item[:max_length]

    def write(self, buff: bytes) -> int:
        self.written.append(bytes(buff))
        return len(buff)

    def close(self) -> None:
        self.closed.set()


class FakeHid:
    """A stand-in for the ``hid`` module."""

    def __init__(self, *infos: dict[str, Any]) -> None:
        self.infos = list(infos)
        self.devices: list[FakeDevice] = []
        self.stale_first = [3, 4, 2, 0, 0x39, 0x05]  # 1337 g: left over from long ago
        self.current = [3, 4, 2, 0, 0xE8, 0x03]  # 1000 g

    def enumerate(self, vendor_id: int = 0, product_id: int = 0) -> list[dict[str, Any]]:
        return [
            i
            for i in self.infos
            if vendor_id in (0, i["vendor_id"]) and product_id in (0, i["product_id"])
        ]

    def device(self) -> FakeDevice:
        device = FakeDevice(self)
        device.reports.put(self.stale_first)
        device.reports.put(self.current)
        self.devices.append(device)
        return device


@pytest.fixture
def run_hid(recorder: Recorder) -> Iterator[Callable[..., HidScaleDriver]]:
    started: list[HidScaleDriver] = []

    def start(hid: Callable[[], Any] | None, **kwargs: Any) -> HidScaleDriver:
        if hid is not None:
            kwargs["hid_api"] = hid
        driver = HidScaleDriver(
            recorder.on_reading,
            recorder.on_status,
            poll_interval_s=0.01,
            backoff=Backoff(first_s=0.02, cap_s=0.05),
            **kwargs,
        )
        driver.start()
        started.append(driver)
        return driver

    yield start
    for driver in started:
        driver.stop()


def test_reads_the_second_report_after_opening_and_accepts_a_stable_weight(run_hid, recorder):
    hid = FakeHid(KEYBOARD, DYMO)
    run_hid(lambda: hid)
    update = recorder.wait_update(lambda u: u.accepted)
    assert (update.reading.state, update.reading.weight_g) == (ScaleState.STABLE, 1000.0)
    assert all(u.reading.weight_g != 1337.0 for u in recorder.updates)  # stale report skipped
    assert hid.devices[0].opened == b"/dev/hidraw7"  # the scale, not the keyboard
    assert recorder.wait_status(DeviceState.CONNECTED)


def test_new_reports_replace_the_state(run_hid, recorder):
    hid = FakeHid(DYMO)
    run_hid(lambda: hid)
    recorder.wait_update(lambda u: u.accepted)
    hid.devices[0].reports.put([3, 3, 2, 0, 0x10, 0x00])  # in motion
    moving = recorder.wait_update(lambda u: u.reading.state is ScaleState.MOVING)
    assert not moving.accepted
    hid.devices[0].reports.put([3, 6, 2, 0, 0, 0])  # over weight
    over = recorder.wait_update(lambda u: u.reading.state is ScaleState.OVERLOAD)
    assert over.reading.weight_g is None


def test_zero_writes_the_output_report(run_hid, recorder):
    hid = FakeHid(DYMO)
    driver = run_hid(lambda: hid)
    recorder.wait_update(lambda u: True)
    assert driver.zero().result(timeout=2).ok
    assert hid.devices[0].written == [b"\x02\x02"]


def test_no_scale_plugged_in_is_an_error_with_a_reason(run_hid, recorder):
    run_hid(lambda: FakeHid(KEYBOARD))
    status = recorder.wait_status(DeviceState.ERROR)
    assert status.reason.startswith("no USB HID scale found (looked for 0922:8003 Dymo M10")


def test_missing_hidapi_package_is_an_error_with_a_reason(run_hid, recorder, monkeypatch):
    monkeypatch.setitem(sys.modules, "hid", None)  # makes "import hid" raise ImportError
    run_hid(None)  # the driver's own lazy import
    status = recorder.wait_status(DeviceState.ERROR)
    assert status.reason.startswith(
        "USB HID scales need the hidapi package (pip install hidapi), which is not installed"
    )


def test_unplug_reconnects(run_hid, recorder):
    hid = FakeHid(DYMO)
    run_hid(lambda: hid)
    recorder.wait_update(lambda u: u.accepted)
    hid.current = [3, 4, 2, 0, 0xD0, 0x07]  # 2000 g on the re-plugged scale
    hid.devices[0].reports.put(OSError("read error"))
    lost = recorder.wait_status(DeviceState.RECONNECTING)
    assert lost.reason.startswith("M10 10 Kg Postal Scale (0922:8003) vanished (unplugged?)")
    back = recorder.wait_update(lambda u: u.accepted and u.reading.weight_g == 2000.0)
    assert back.reading.stable
    assert hid.devices[0].closed.is_set()
    assert recorder.statuses[-1].state is DeviceState.CONNECTED
