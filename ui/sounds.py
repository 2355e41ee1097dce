"""Verdict sounds: which sound each verdict asks for, and the player that plays it.

The mapping is a pure function (:func:`sound_for`) so tests check what the station asks for;
whether a speaker made a noise is not testable here (no audio device). :class:`QtSoundPlayer`
plays the WAVs of ``resources/sounds/`` with QSoundEffect; with no audio device, QSoundEffect
only reports an error status, so the player notes that once and carries on: the verdict is on
the screen either way.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, QUrl, qInstallMessageHandler

from station.packing.verdicts import Severity, Verdict, severity_of
from station.resource_files import resource_dir

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

log = logging.getLogger(__name__)

SOUND_DIR = resource_dir("sounds")


class Sound(enum.StrEnum):
    """The station's sounds; each is ``resources/sounds/<value>.wav``."""

    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    HELD = "held"  # a scan was not sent: an error waits for its acknowledgement
    COMPLETE = "complete"

    @property
    def path(self) -> Path:
        """The WAV file of this sound."""
        return SOUND_DIR / f"{self.value}.wav"


_BY_SEVERITY = {
    Severity.OK: Sound.OK,
    Severity.INFO: Sound.INFO,
    Severity.WARNING: Sound.WARNING,
    Severity.ERROR: Sound.ERROR,
}


def sound_for(verdict: Verdict) -> Sound:
    """The sound a verdict asks for: by its severity (green/neutral/amber/red), and a sound
    of its own for a finished order, the one moment a packer should hear as different."""
    if verdict is Verdict.COMPLETED:
        return Sound.COMPLETE
    return _BY_SEVERITY[severity_of(verdict)]


@contextmanager
def qt_messages_collected() -> Iterator[list[str]]:
    """Qt's messages while the block runs, kept instead of printed (restored after)."""
    said: list[str] = []

    def keep(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        said.append(message)

    previous = qInstallMessageHandler(keep)
    try:
        yield said
    finally:
        qInstallMessageHandler(previous)


def no_audio_message(said: Sequence[str]) -> str:
    """One line for a station with no audio output: what is missing, what to install."""
    if any("pa_context_connect" in line for line in said):
        missing = "no PulseAudio or PipeWire sound server answered"
    else:
        missing = "no audio output device found"
    return (
        f"sound off: {missing}; verdicts are shown but not heard. For sound, run a sound"
        " server (Debian: apt install pulseaudio, or pipewire-pulse) with a speaker attached"
    )


class SoundPlayer(Protocol):
    """Anything that can be asked to play a sound (the Qt player, a test's recorder)."""

    def play(self, sound: Sound) -> None:
        """Start ``sound``; never blocks and never raises."""


class SilentPlayer:
    """Plays nothing: ``[ui] sounds = false``, or a screenshot."""

    def play(self, sound: Sound) -> None:
        """Do nothing."""


class QtSoundPlayer(QObject):
    """Plays the station's WAVs with QSoundEffect, one preloaded effect per sound."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[Sound, QSoundEffect] = {}
        with qt_messages_collected() as said:
            # Imported here: QtMultimedia loads audio back-ends, which a silent station
            # (and every test with a recording player) need not pay for.
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

            outputs = QMediaDevices.audioOutputs()
        for line in said:  # Qt's probing of optional libraries (VA-API, PipeWire, FFmpeg)
            log.debug("qt.multimedia: %s", line)
        if not outputs:
            log.warning(no_audio_message(said))
            return
        for sound in Sound:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(sound.path)))
            self._effects[sound] = effect

    @property
    def audible(self) -> bool:
        """False when there was no audio device at start."""
        return bool(self._effects)

    def play(self, sound: Sound) -> None:
        """Start ``sound``, cutting off the one before (a new verdict matters more)."""
        effect = self._effects.get(sound)
        if effect is None:
            return
        for other in self._effects.values():
            if other is not effect and other.isPlaying():
                other.stop()
        effect.play()
