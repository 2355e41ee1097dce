"""Device states and a station's last failure on the network page: reported by the station
with the pulls its sync cycle makes anyway (real hub, real station database and syncer)."""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx

from drivers.base import DeviceState, DeviceStatus
from station.sync.protocol import MAX_REPORT_BYTES, PULL, REPORT_HEADER
from station.sync.report import DeviceBoard, report_header
from station.sync.state import load_enrolment
from tests.hub.consoleclient import Browsers, browsers
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.sync.events import add_event

__all__ = ["browsers"]  # the fixture

Make = Callable[[str], StationUnderTest]


def closed_port() -> str:
    """The URL of a loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_device_states_and_the_last_failure_reach_the_network_page(
    hub: HubUnderTest, make_station: Make, browsers: Browsers
) -> None:
    bench = make_station("bench-1")
    board = DeviceBoard()
    board.update(DeviceStatus("scale", DeviceState.ERROR, "port /dev/ttyUSB0 vanished"))
    board.update(DeviceStatus("scanner", DeviceState.CONNECTED))
    add_event(bench.db, "shift.noted", {"station": "bench-1"})  # one event waiting to go
    syncer = bench.syncer(devices=board.snapshot)
    syncer.run_cycle()
    boss = browsers.user("dan", "supervisor")
    html = boss.get("/console/network/live").text
    assert "scale: error (port /dev/ttyUSB0 vanished)" in html
    assert "scanner: connected" in html
    # Reported again after the push: the queue the push left (none waiting), not before it.
    assert "<td>bench-1</td>" in html and '<td class="waiting">0</td>' in html
    # The hub is out of reach for one cycle: the next pull that gets through says so.
    away = bench.syncer(devices=board.snapshot, hub_url=closed_port())
    try:
        away.run_cycle()
    except Exception as exc:
        failure = type(exc).__name__
    else:
        raise AssertionError("a cycle against a closed port succeeded")
    board.update(DeviceStatus("scale", DeviceState.CONNECTED))
    away.hub_url = None  # the link is back
    away.run_cycle()
    html = boss.get("/console/network/live").text
    assert "scale: connected" in html and "ttyUSB0" not in html
    assert f"{failure}: hub unreachable" in html
    away.run_cycle()  # a clean cycle clears the station's own error
    assert "hub unreachable" not in boss.get("/console/network/live").text
    # The command line's syncer reports no devices, and the page says so.
    bench.sync()
    assert "not reported" in boss.get("/console/network/live").text


def test_an_unreadable_report_never_fails_the_pull_and_is_named(
    hub: HubUnderTest, make_station: Make, browsers: Browsers
) -> None:
    bench = make_station("bench-1")
    enrolment = load_enrolment(bench.db)
    assert enrolment is not None
    auth = {"Authorization": f"Bearer {enrolment.token}"}
    boss = browsers.user("dan", "supervisor")
    for header, why in (
        ("{not json", "the station&#39;s report could not be read"),
        ('{"devices": "scale"}', "the station&#39;s report could not be read"),
        ("x" * (MAX_REPORT_BYTES + 1), f"the station&#39;s report is over {MAX_REPORT_BYTES}"),
    ):
        answer = httpx.get(hub.url + PULL, headers={**auth, REPORT_HEADER: header}, timeout=30)
        assert answer.status_code == 200, answer.text
        assert why in boss.get("/console/network/live").text


def test_a_report_stays_ascii_and_within_its_limit() -> None:
    devices = [DeviceStatus(f"device-{n}", DeviceState.ERROR, "ü" * 200) for n in range(16)]
    text = report_header(devices, pending=3, dead_letters=1, last_error="é" * 500)
    assert text.isascii() and len(text) <= MAX_REPORT_BYTES
    assert '"pending":3' in text and '"device":"device-0"' in text
