"""Coverage-guided fuzzing of the scale codecs (atheris / libFuzzer).

    python tests/fuzz/atheris/fuzz_scale.py -runs=100000 [CORPUS_DIR]

The first byte picks the codec (MT-SICS, NCI, Toledo 8217 through the frame assembler, or
a HID POS report); the rest is the bytes read. Anything but CodecError, or a reading that
could mislead a weight check, is a crash that libFuzzer reports and saves.
"""

from __future__ import annotations

import contextlib
import math
import sys

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

with atheris.instrument_imports():
    from drivers.scale import hidpos
    from drivers.scale.frames import Frame, FrameAssembler
    from drivers.scale.model import CodecError, ScaleReading, ScaleState
    from drivers.scale.protocols import serial_protocol

PROTOCOLS = [serial_protocol("mtsics"), serial_protocol("nci"), serial_protocol("8217", "kg")]


def check(reading: object) -> None:
    if not isinstance(reading, ScaleReading):
        return
    if reading.weight_g is None:
        return
    if reading.state not in (ScaleState.STABLE, ScaleState.MOVING):
        raise AssertionError(f"a weight in state {reading.state}: {reading}")
    if not math.isfinite(reading.weight_g) or reading.weight_g < 0:
        raise AssertionError(f"an impossible weight: {reading}")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    which, rest = data[0] % 4, data[1:]
    if which == 3:
        with contextlib.suppress(CodecError):
            check(hidpos.decode(rest))
        return
    protocol = PROTOCOLS[which]
    assembler = FrameAssembler(protocol.framing)
    # Reads cut where the input says: each 0xFF ends one read (and is not data).
    for chunk in rest.split(b"\xff"):
        for item in assembler.feed(chunk):
            if isinstance(item, Frame):
                with contextlib.suppress(CodecError):
                    check(protocol.decode(item.data))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
