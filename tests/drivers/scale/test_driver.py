"""The serial scale driver against each protocol's emulator over a real pty."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from drivers.backoff import Backoff
from drivers.base import DeviceState
from drivers.scale.driver import ScaleConfig, ScaleDriver
from drivers.scale.model import CommandReply, ScaleError, ScaleState

from .conftest import Recorder

PROTOCOLS = ["mtsics", "nci", "8217"]
POLL = {"mtsics": b"SI\r\n", "nci": b"W\r", "8217": b"W"}
ZERO = {"mtsics": b"Z\r\n", "nci": b"Z\r", "8217": b"Z"}
FAULT = {"mtsics": "Error 1b", "nci": "EEPROM error", "8217": "outside the zero capture range"}


def config(port: str, protocol: str) -> ScaleConfig:
    # Short intervals keep the suite fast; the 8217 needs its unit from configuration.
    return ScaleConfig(
        port=port,
        protocol=protocol,
        unit="kg",
        poll_interval_s=0.02,
        reply_timeout_s=0.3,
        backoff=Backoff(first_s=0.05, cap_s=0.2),
    )


@pytest.fixture
def drive(recorder: Recorder) -> Iterator[Callable[[str, str], ScaleDriver]]:
    started: list[ScaleDriver] = []

    def start(port: str, protocol: str) -> ScaleDriver:
        driver = ScaleDriver.from_config(
            config(port, protocol), recorder.on_reading, recorder.on_status
        )
        driver.start()
        started.append(driver)
        return driver

    yield start
    for driver in started:
        driver.stop()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_stable_weight_is_accepted(protocol, emulators, drive, recorder):
    emulator = emulators(protocol, weight="1.234", unit="kg")
    drive(emulator.port, protocol)
    update = recorder.wait_update(lambda u: u.accepted)
    assert (update.reading.state, update.reading.weight_g) == (ScaleState.STABLE, 1234.0)
    assert update.reading.resolution_g == 1.0
    # the stable rule: three agreeing stable readings before the first acceptance
    first = recorder.updates.index(update)
    assert first >= 2
    assert all(not u.accepted for u in recorder.updates[:first])
    assert recorder.wait_status(DeviceState.CONNECTED).reason == ""
    assert set(emulator.commands) == {POLL[protocol]}


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_moving_is_never_a_weight_of_zero_nor_accepted(protocol, emulators, drive, recorder):
    emulator = emulators(protocol, weight="1.234")
    emulator.set_moving()
    drive(emulator.port, protocol)
    moving = recorder.wait_update(lambda u: u.reading.state is ScaleState.MOVING)
    assert moving.reading.weight_g in (None, 1234.0)  # 8217 sends no moving weight
    recorder.wait_update(lambda u: True)  # one more poll, still moving
    assert all(u.reading.state is ScaleState.MOVING for u in recorder.updates)
    assert all(u.reading.weight_g != 0 and not u.accepted for u in recorder.updates)
    emulator.set_weight("0.950")
    settled = recorder.wait_update(lambda u: u.accepted)
    assert settled.reading.weight_g == 950.0


@pytest.mark.parametrize(
    ("protocol", "make_state", "state", "detail"),
    [
        ("mtsics", "set_negative", ScaleState.NEGATIVE, "below zero"),
        ("nci", "set_negative", ScaleState.NEGATIVE, "below zero"),
        ("8217", "set_negative", ScaleState.NEGATIVE, "under zero"),
        (
            "mtsics",
            "set_overload",
            ScaleState.OVERLOAD,
            "upper limit of the weighing range exceeded",
        ),
        ("nci", "set_overload", ScaleState.OVERLOAD, "over capacity"),
        ("8217", "set_overload", ScaleState.OVERLOAD, "over capacity"),
        ("mtsics", "set_fault", ScaleState.FAULT, FAULT["mtsics"]),
        ("nci", "set_fault", ScaleState.FAULT, FAULT["nci"]),
        ("8217", "set_fault", ScaleState.FAULT, FAULT["8217"]),
    ],
)
def test_states_without_weight(protocol, make_state, state, detail, emulators, drive, recorder):
    emulator = emulators(protocol)
    getattr(emulator, make_state)()
    drive(emulator.port, protocol)
    update = recorder.wait_update(lambda u: True)
    assert (update.reading.state, update.reading.weight_g, update.reading.detail) == (
        state,
        None,
        detail,
    )
    assert not update.accepted
    # the scale answers: the device itself is connected, the reading carries the problem
    assert recorder.wait_status(DeviceState.CONNECTED)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_silent_scale_is_an_error_with_a_reason_until_it_answers(
    protocol, emulators, drive, recorder
):
    emulator = emulators(protocol)
    emulator.set_silent(True)
    drive(emulator.port, protocol)
    error = recorder.wait_status(DeviceState.ERROR)
    assert error.reason.startswith(f"no answer from the scale on {emulator.port} ({protocol})")
    assert "within 0.3 s" in error.reason
    assert recorder.updates == []
    emulator.set_silent(False)
    assert recorder.wait_update(lambda u: u.accepted).reading.weight_g == 1234.0
    assert recorder.statuses[-1].state is DeviceState.CONNECTED


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_garbage_before_replies_is_tolerated(protocol, emulators, drive, recorder, caplog):
    emulator = emulators(protocol)
    emulator.set_garbage(b"\xff\x00\xfe")
    drive(emulator.port, protocol)
    assert recorder.wait_update(lambda u: u.accepted).reading.weight_g == 1234.0
    assert DeviceState.ERROR not in {s.state for s in recorder.statuses}
    assert "dropped b'\\xff\\x00\\xfe'" in caplog.text


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_replies_torn_across_writes_are_reassembled(protocol, emulators, drive, recorder, caplog):
    emulator = emulators(protocol)
    emulator.set_split(5, 0.01)
    drive(emulator.port, protocol)
    assert recorder.wait_update(lambda u: u.accepted).reading.weight_g == 1234.0
    assert all(u.reading.state is ScaleState.STABLE for u in recorder.updates)
    assert "dropped" not in caplog.text


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_unplug_then_replug_reconnects_through_the_same_path(
    protocol, emulators, drive, recorder, link_path
):
    # The driver is configured with a link, as a station uses /dev/serial/by-id/...; the
    # re-plugged scale comes back on a new pty and the link is pointed at it.
    first = emulators(protocol, weight="1.234")
    path = link_path(first)
    drive(path, protocol)
    recorder.wait_update(lambda u: u.accepted)
    first.unplug()
    lost = recorder.wait_status(DeviceState.RECONNECTING)
    assert lost.reason.startswith(f"port {path} vanished (unplugged or switched off)")
    assert "retrying in 0.05 s" in lost.reason
    second = emulators(protocol, weight="2.000")
    link_path(second)
    back = recorder.wait_update(lambda u: u.accepted and u.reading.weight_g == 2000.0)
    assert back.reading.state is ScaleState.STABLE
    states = [s.state for s in recorder.statuses]
    assert states.index(DeviceState.RECONNECTING) < len(states) - 1
    assert states[-1] is DeviceState.CONNECTED


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_zero_reaches_the_scale_as_bytes(protocol, emulators, drive, recorder):
    emulator = emulators(protocol, weight="0.004")
    driver = drive(emulator.port, protocol)
    recorder.wait_update(lambda u: u.accepted)
    reply = driver.zero().result(timeout=3)
    assert reply.ok
    assert emulator.wait_for_command(ZERO[protocol])
    zeroed = recorder.wait_update(lambda u: u.accepted and u.reading.weight_g == 0.0)
    assert zeroed.reading.stable


def test_mtsics_tare_reaches_the_scale_and_answers_the_tare(emulators, drive, recorder):
    emulator = emulators("mtsics", weight="0.250")
    driver = drive(emulator.port, "mtsics")
    recorder.wait_update(lambda u: u.accepted)
    assert driver.tare().result(timeout=3) == CommandReply(
        True, "tare 0.250 kg", "T S      0.250 kg"
    )
    assert emulator.wait_for_command(b"T\r\n")


def test_8217_tare_is_sent_without_reply_and_weights_turn_net(emulators, drive, recorder):
    emulator = emulators("8217", weight="0.250")
    driver = drive(emulator.port, "8217")
    recorder.wait_update(lambda u: u.accepted)
    reply = driver.tare().result(timeout=3)
    assert reply == CommandReply(True, "sent; this protocol does not acknowledge it", "")
    assert emulator.wait_for_command(b"T")
    net = recorder.wait_update(lambda u: u.reading.net)
    assert (net.reading.weight_g, net.reading.raw) == (0.0, "00.000N")


def test_nci_has_no_tare(emulators, drive):
    emulator = emulators("nci")
    driver = drive(emulator.port, "nci")
    with pytest.raises(ScaleError, match="tare is not supported by the nci protocol"):
        driver.tare().result(timeout=3)


def test_commands_are_queued_one_at_a_time(emulators, drive, recorder):
    emulator = emulators("mtsics")
    driver = drive(emulator.port, "mtsics")
    recorder.wait_status(DeviceState.CONNECTED)
    futures = [driver.zero(), driver.tare(), driver.zero()]
    assert [f.result(timeout=3).raw for f in futures] == ["Z A", "T S      0.000 kg", "Z A"]
    commands = [c for c in emulator.commands if c != b"SI\r\n"]
    assert commands == [b"Z\r\n", b"T\r\n", b"Z\r\n"]


def test_stop_joins_the_worker_and_fails_later_commands(emulators, recorder):
    emulator = emulators("mtsics")
    driver = ScaleDriver.from_config(
        config(emulator.port, "mtsics"), recorder.on_reading, recorder.on_status
    )
    driver.start()
    recorder.wait_status(DeviceState.CONNECTED)
    driver.stop()
    assert recorder.statuses[-1].state is DeviceState.DISCONNECTED
    assert "scale-scale" not in {t.name for t in threading.enumerate()}
    with pytest.raises(ScaleError, match="not running"):
        driver.zero().result(timeout=1)


def test_a_missing_port_keeps_retrying_with_a_reason(recorder, drive, tmp_path):
    driver = drive(str(tmp_path / "no-scale-here"), "mtsics")
    status = recorder.wait_status(DeviceState.RECONNECTING)
    assert status.reason.startswith(f"cannot open port {tmp_path / 'no-scale-here'}")
    assert status.reason.endswith("retrying in 0.05 s")
    # a command while disconnected fails at once instead of running after a reconnect
    with pytest.raises(ScaleError, match=r"^scale scale is not connected: cannot open port"):
        driver.zero().result(timeout=0)


def test_commands_pending_when_the_port_vanishes_fail(emulators, drive, recorder):
    emulator = emulators("mtsics")
    emulator.set_silent(True)  # the zero waits for its reply...
    driver = drive(emulator.port, "mtsics")
    recorder.wait_status(DeviceState.ERROR)
    pending = driver.zero()
    assert emulator.wait_for_command(b"Z\r\n")
    emulator.unplug()  # ...and the port vanishes meanwhile
    with pytest.raises(ScaleError, match="vanished"):
        pending.result(timeout=3)
