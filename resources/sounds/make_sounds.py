"""Write the station's verdict sounds as short WAV files next to this script.

Run ``python resources/sounds/make_sounds.py`` after changing a sound; the WAVs are committed
so the station needs no generator at run time. Only the standard library (``wave``): 16-bit
mono PCM at 44.1 kHz, which QSoundEffect plays everywhere. Deterministic, so a re-run gives
byte-identical files.

The sounds differ in pitch, rhythm and length, so a packer who is not looking can tell them
apart: a high short chirp for a good scan, a falling low buzz for an error, a rising
arpeggio for a finished order.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 44_100
PEAK = 0.6  # of full scale: loud on a bench speaker, no clipping when partials add up
FADE_S = 0.005  # ramps at both ends of every note: no click

# A note: (frequency in Hz, or 0 for silence, duration in seconds, waveform).
Note = tuple[float, float, str]

SOUNDS: dict[str, list[Note]] = {
    # Good scan: two quick high notes going up.
    "ok": [(1320.0, 0.06, "sine"), (0.0, 0.02, "sine"), (1760.0, 0.08, "sine")],
    # Neutral (order opened, undone, confirmed): one soft mid tick.
    "info": [(880.0, 0.07, "sine")],
    # Needs attention (serial wanted, not complete): two even mid beeps.
    "warning": [(660.0, 0.12, "triangle"), (0.0, 0.06, "sine"), (660.0, 0.12, "triangle")],
    # Error to acknowledge: a long, low, harsh buzz falling in pitch.
    "error": [(330.0, 0.18, "square"), (0.0, 0.04, "sine"), (220.0, 0.35, "square")],
    # A scan held back until the error is acknowledged: three short low knocks.
    "held": [
        (200.0, 0.07, "square"),
        (0.0, 0.05, "sine"),
        (200.0, 0.07, "square"),
        (0.0, 0.05, "sine"),
        (200.0, 0.07, "square"),
    ],
    # Order complete: a rising major arpeggio.
    "complete": [(1047.0, 0.09, "sine"), (1319.0, 0.09, "sine"), (1568.0, 0.18, "sine")],
}


def _wave(shape: str, phase: float) -> float:
    """One sample of a unit waveform at ``phase`` (in cycles)."""
    x = phase % 1.0
    if shape == "square":
        # A square with its 3rd and 5th harmonics only: harsh but not painful.
        return sum(math.sin(2 * math.pi * k * x) / k for k in (1, 3, 5)) * 0.9
    if shape == "triangle":
        return 4 * abs(x - 0.5) - 1
    return math.sin(2 * math.pi * x)


def samples(notes: list[Note]) -> list[int]:
    """The 16-bit samples of ``notes`` played one after the other."""
    out: list[int] = []
    fade = int(FADE_S * RATE)
    for freq, seconds, shape in notes:
        count = int(seconds * RATE)
        for i in range(count):
            if freq == 0.0:
                out.append(0)
                continue
            envelope = min(1.0, i / fade, (count - 1 - i) / fade)
            value = _wave(shape, freq * i / RATE) * envelope * PEAK
            out.append(max(-32767, min(32767, round(value * 32767))))
    return out


def write(path: Path, notes: list[Note]) -> None:
    """Write ``notes`` to ``path`` as mono 16-bit PCM."""
    data = samples(notes)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(struct.pack(f"<{len(data)}h", *data))


def main() -> None:
    """Write every sound into this script's folder."""
    folder = Path(__file__).resolve().parent
    for name, notes in SOUNDS.items():
        write(folder / f"{name}.wav", notes)
        print(f"{name}.wav")


if __name__ == "__main__":
    main()
