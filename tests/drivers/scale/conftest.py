"""Helpers for scale tests: emulators on ptys and a recorder that waits on conditions."""

from __future__ import annotations

import os
import threading
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.base import DeviceState, DeviceStatus
from drivers.scale.emulator import ScaleEmulator
from drivers.scale.worker import ScaleUpdate


class Recorder:
    """Collects a driver's updates and statuses; tests wait on conditions, not on sleeps."""

    def __init__(self) -> None:
        self.updates: list[ScaleUpdate] = []
        self.statuses: list[DeviceStatus] = []
        self._changed = threading.Condition()

    def on_reading(self, update: ScaleUpdate) -> None:
        with self._changed:
            self.updates.append(update)
            self._changed.notify_all()

    def on_status(self, status: DeviceStatus) -> None:
        with self._changed:
            self.statuses.append(status)
            self._changed.notify_all()

    def wait_update(
        self, predicate: Callable[[ScaleUpdate], bool], timeout_s: float = 3.0
    ) -> ScaleUpdate:
        """The first update from now on that satisfies ``predicate``."""
        with self._changed:
            start = len(self.updates)
            found: list[ScaleUpdate] = []

            def seen() -> bool:
                found[:] = [u for u in self.updates[start:] if predicate(u)]
                return bool(found)

            assert self._changed.wait_for(seen, timeout_s), f"no such update in {self.updates}"
            return found[0]

    def wait_status(self, state: DeviceState, timeout_s: float = 3.0) -> DeviceStatus:
        """The first status in ``state`` reported so far or from now on."""
        with self._changed:

            def seen() -> list[DeviceStatus]:
                return [s for s in self.statuses if s.state is state]

            assert self._changed.wait_for(seen, timeout_s), f"no {state} in {self.statuses}"
            return seen()[0]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def emulators() -> Iterator[Callable[..., ScaleEmulator]]:
    """Start emulators; every one is closed at the end of the test."""
    started: list[ScaleEmulator] = []

    def start(protocol: str, weight: str = "1.234", unit: str = "kg") -> ScaleEmulator:
        emulator = ScaleEmulator(protocol, weight=weight, unit=unit)
        emulator.start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.close()


@pytest.fixture
def link_path(tmp_path: Path) -> Callable[[ScaleEmulator], str]:
    """A stable path that can be re-pointed at a new emulator, like a udev by-id link."""
    path = tmp_path / "serial-by-id-scale"

    def point_at(emulator: ScaleEmulator) -> str:
        temporary = tmp_path / "link.tmp"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(emulator.port)
        os.replace(temporary, path)  # atomic, as udev replaces its links
        return str(path)

    return point_at


class RawPort:
    """The slave end of an emulator's pty opened directly, to check the exact bytes."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)

    def ask(self, command: bytes, expect_len: int, timeout_s: float = 2.0) -> bytes:
        import select

        os.write(self.fd, command)
        data = b""
        while len(data) < expect_len:
            ready, _, _ = select.select([self.fd], [], [], timeout_s)
            if not ready:
                break
            data += os.read(self.fd, 1024)
        return data

    def close(self) -> None:
        os.close(self.fd)


@pytest.fixture
def raw_port() -> Iterator[Callable[[str], RawPort]]:
    opened: list[RawPort] = []

    def open_raw(path: str) -> RawPort:
        port = RawPort(path)
        opened.append(port)
        return port

    yield open_raw
    for port in opened:
        port.close()
