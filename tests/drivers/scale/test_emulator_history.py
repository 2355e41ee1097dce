"""The emulated scale keeps its last commands only (it runs a whole shift inside the demo)."""

from __future__ import annotations

import os

from drivers.scale.emulator import DEFAULT_HISTORY, MAX_DISTINCT, ScaleEmulator


def test_the_last_commands_are_kept_and_every_one_is_counted() -> None:
    with ScaleEmulator("nci", weight="1.000", history=16) as emulator:
        fd = os.open(emulator.port, os.O_RDWR | os.O_NOCTTY)
        try:
            for _ in range(50):
                os.write(fd, b"W\r")
            os.write(fd, b"Z\r")
            assert emulator.wait_for_command(b"W\r", count=50, timeout_s=5.0)
            assert emulator.wait_for_command(b"Z\r", timeout_s=5.0)
        finally:
            os.close(fd)
        assert emulator.commands == [b"W\r"] * 15 + [b"Z\r"]


def test_line_noise_cannot_grow_the_counts_without_bound() -> None:
    with ScaleEmulator("nci") as emulator:
        fd = os.open(emulator.port, os.O_RDWR | os.O_NOCTTY)
        try:
            for _ in range(3):  # a driver polling
                os.write(fd, b"W\r")
            for n in range(MAX_DISTINCT + 200):
                os.write(fd, f"X{n}\r".encode())
            os.write(fd, b"W\r")
            # Counted through the noise: the polls were not pushed out by noise seen once.
            assert emulator.wait_for_command(b"W\r", count=4, timeout_s=10.0)
        finally:
            os.close(fd)
        assert len(emulator.commands) == DEFAULT_HISTORY
        assert emulator.distinct_counted == MAX_DISTINCT
