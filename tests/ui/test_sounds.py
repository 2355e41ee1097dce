"""Which sound each verdict asks for, the WAV files behind them, and a player that carries on
without an audio device (this machine has none, like many CI runners)."""

from __future__ import annotations

import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station.packing.verdicts import Severity, Verdict, severity_of
from ui.sounds import QtSoundPlayer, Sound, sound_for


@pytest.mark.parametrize(
    ("verdict", "sound"),
    [
        (Verdict.ACCEPTED, Sound.OK),
        (Verdict.COMPLETED, Sound.COMPLETE),
        (Verdict.ORDER_OPENED, Sound.INFO),
        (Verdict.CONFIRMED, Sound.INFO),
        (Verdict.USER_CHANGED, Sound.INFO),
        (Verdict.NEEDS_SERIAL, Sound.WARNING),
        (Verdict.NOT_COMPLETE, Sound.WARNING),
        (Verdict.WRONG_ITEM, Sound.ERROR),
        (Verdict.OVER_SCAN, Sound.ERROR),
        (Verdict.UNKNOWN_CODE, Sound.ERROR),
        (Verdict.DUPLICATE_SERIAL, Sound.ERROR),
    ],
)
def test_the_sound_of_a_verdict(verdict: Verdict, sound: Sound) -> None:
    assert sound_for(verdict) is sound


def test_every_verdict_has_the_sound_of_its_colour() -> None:
    by_severity = {
        Severity.OK: Sound.OK,
        Severity.INFO: Sound.INFO,
        Severity.WARNING: Sound.WARNING,
        Severity.ERROR: Sound.ERROR,
    }
    for verdict in Verdict:
        expected = (
            Sound.COMPLETE if verdict is Verdict.COMPLETED else by_severity[severity_of(verdict)]
        )
        assert sound_for(verdict) is expected, verdict


def test_each_sound_is_a_short_distinct_wav() -> None:
    contents = set()
    for sound in Sound:
        with wave.open(str(sound.path), "rb") as wav:
            assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 44100)
            seconds = wav.getnframes() / wav.getframerate()
            assert 0.05 <= seconds <= 0.7, sound  # heard between two scans, never in the way
            contents.add(wav.readframes(wav.getnframes()))
    assert len(contents) == len(Sound)


def test_the_qt_player_carries_on_without_an_audio_device(qtbot: QtBot) -> None:
    player = QtSoundPlayer()
    try:
        for sound in Sound:
            player.play(sound)  # no device: nothing is heard, nothing raises
        qtbot.wait(50)
    finally:
        player.deleteLater()


AUDIO_START = """
import logging
from PySide6.QtWidgets import QApplication
from ui.sounds import QtSoundPlayer
logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
app = QApplication([])
print("audible" if QtSoundPlayer().audible else "silent")
"""


def test_a_station_without_sound_says_so_once_in_one_line(tmp_path: Path) -> None:
    # A process of its own: QtMultimedia speaks (or not) only the first time it loads.
    done = subprocess.run(
        [sys.executable, "-c", AUDIO_START],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)},
    )
    noise = [line for line in done.stderr.splitlines() if "propagateSizeHints" not in line]
    if done.stdout.strip() == "audible":
        assert noise == []
        return
    assert len(noise) == 1, done.stderr
    assert noise[0].startswith("WARNING ui.sounds: sound off: ")
    assert "apt install pulseaudio" in noise[0]
