"""``station bench decode``: the camera's live decoding path against zxing-cpp and zbar defaults.

Generates 1280x720 grey frames (:mod:`drivers.camera.synth`: Code 128, EAN-13, UPC-A,
GS1-128, GS1 DataMatrix and QR at 1-4 px modules, tilted 0-30 or 90 degrees, blurred and
noisy, and frames with no code among the clutter) as scenes of two consecutive frames, the
way a code held under a camera appears. Each frame is decoded by zxing-cpp with its default
settings (every format, text mode Plain so GS1 strings compare), by pyzbar with its defaults,
and by the live path; the three are interleaved frame by frame so a noisy moment on a shared
machine hits all of them. Only decoding is timed, on one core: the process is pinned to one
CPU (``sched_setaffinity``, where the system has it) and OpenCV to one thread.

Counting: zxing and zbar are judged per frame (a frame is read if a decoded text is its
code's). The live path is judged the way the station sees it, per scene: read if the code was
*reported* (agreement rule applied) during the scene's frames; its raw per-frame reads are
given too. A false positive is any reported text that is not the frame's code.

An engine that cannot be loaded (zbar without the system library libzbar0) is left out: the
others are still compared, and the report and the JSON (``missing_engines``) say which one
is missing and why.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from drivers.camera.confirm import Confirmer
from drivers.camera.decode import (
    Decoded,
    Decoder,
    ZbarDecoder,
    ZbarUnavailableError,
    ZxingDecoder,
)
from drivers.camera.live import LiveDecoder
from drivers.camera.synth import SynthFrame, same_text, scene_set
from station.tools.benchmarks.scan import percentile

SHOTS = 2  # frames per scene


@dataclass
class Tally:
    """Times and reads of one engine."""

    ms: list[float] = field(default_factory=list)
    read_2px: int = 0
    read_all: int = 0
    false_positives: int = 0
    misses: list[str] = field(default_factory=list)

    def p(self, q: float) -> float:
        """The ``q`` quantile of the times, in ms."""
        return percentile(self.ms, q)


@dataclass(frozen=True)
class DecodeBenchmarkResult:
    """Figures printed by the benchmark (JSON keys are stable)."""

    frames: int
    scenes: int
    frames_with_code: int
    frames_2px: int
    scenes_with_code: int
    scenes_2px: int
    zxing: Tally
    zbar: Tally | None
    """None when zbar could not be loaded (see ``missing``)."""
    live: Tally
    live_raw: Tally
    live_cold_ms: list[float]
    pinned: str
    missing: dict[str, str] = field(default_factory=dict)
    """Engines left out, and why (``{"zbar": "zbar is not available (...): install ..."}``)."""

    def to_json(self) -> dict[str, object]:
        """The figures as a JSON object (fractions 0..1, times in ms)."""
        z, live = self.zxing, self.live
        figures: dict[str, object] = {
            "frames": self.frames,
            "scenes": self.scenes,
            "live_p50_ms": round(live.p(0.5), 3),
            "live_p99_ms": round(live.p(0.99), 3),
            "live_cold_p50_ms": round(percentile(self.live_cold_ms, 0.5), 3),
            "live_read": _frac(live.read_2px, self.scenes_2px),
            "live_read_all": _frac(live.read_all, self.scenes_with_code),
            "live_frame_read": _frac(self.live_raw.read_2px, self.frames_2px),
            "live_false_positives": live.false_positives,
            "live_raw_false_positives": self.live_raw.false_positives,
            "zxing_default_p50_ms": round(z.p(0.5), 3),
            "zxing_default_p99_ms": round(z.p(0.99), 3),
            "zxing_default_read": _frac(z.read_2px, self.frames_2px),
            "zxing_default_read_all": _frac(z.read_all, self.frames_with_code),
            "zxing_default_false_positives": z.false_positives,
            **_zbar_figures(self.zbar, self.frames_2px, self.frames_with_code),
            "live_vs_zxing_p50_ratio": round(live.p(0.5) / z.p(0.5), 4),
            "pinned": self.pinned,
            "missing_engines": dict(self.missing),
        }
        return figures


def _zbar_figures(b: Tally | None, frames_2px: int, frames_with_code: int) -> dict[str, object]:
    """zbar's keys; null when zbar was missing, so a reader sees it was not measured."""
    return {
        "zbar_default_p50_ms": round(b.p(0.5), 3) if b else None,
        "zbar_default_p99_ms": round(b.p(0.99), 3) if b else None,
        "zbar_default_read": _frac(b.read_2px, frames_2px) if b else None,
        "zbar_default_read_all": _frac(b.read_all, frames_with_code) if b else None,
        "zbar_default_false_positives": b.false_positives if b else None,
    }


def _frac(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def pin_to_one_core() -> tuple[str, set[int] | None]:
    """Pin this process to one CPU and OpenCV to one thread; (what was done, old affinity)."""
    cv2.setNumThreads(1)
    if not hasattr(os, "sched_setaffinity"):
        return "OpenCV 1 thread; CPU affinity not available on this system", None
    previous = os.sched_getaffinity(0)
    cpu = max(previous)
    os.sched_setaffinity(0, {cpu})
    return f"CPU {cpu} (sched_setaffinity), OpenCV 1 thread", previous


def _judge(tally: Tally, frame: SynthFrame, codes: list[Decoded]) -> bool:
    """Count ``codes`` against ``frame``'s truth into ``tally``; True if the code was read."""
    truth = frame.codes[0] if frame.codes else None
    read = truth is not None and any(same_text(truth, c.text) for c in codes)
    tally.false_positives += sum(1 for c in codes if truth is None or not same_text(truth, c.text))
    if read:
        tally.read_all += 1
        tally.read_2px += frame.module_px >= 2
    elif truth is not None and frame.module_px >= 2:
        tally.misses.append(frame.label)
    return read


def _timed(tally: Tally, decoder: Decoder, image: np.ndarray) -> list[Decoded]:
    started = time.perf_counter()
    codes = decoder.decode(image)
    tally.ms.append((time.perf_counter() - started) * 1000)
    return codes


class _LiveAdapter:
    """The live decoder as a :class:`Decoder` (raw reads, no agreement)."""

    def __init__(self, live: LiveDecoder) -> None:
        self.live = live

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        return self.live.read(gray)


def _engines() -> tuple[dict[str, Decoder], dict[str, str]]:
    """The default engines to compare the live path with that can be loaded, and the others
    with the reason each is missing."""
    engines: dict[str, Decoder] = {"zxing": ZxingDecoder(formats=None)}
    missing: dict[str, str] = {}
    try:
        engines["zbar"] = ZbarDecoder()
    except ZbarUnavailableError as exc:
        missing["zbar"] = str(exc)
    return engines, missing


def run_decode_benchmark(frames: int = 60, seed: int = 1) -> DecodeBenchmarkResult:
    """Generate ``frames`` frames (rounded up to whole scenes), decode them three ways (two
    when zbar is missing)."""
    scenes = scene_set(math.ceil(frames / SHOTS), seed=seed, shots=SHOTS)
    engines, missing = _engines()
    pinned, previous = pin_to_one_core()
    try:
        live = _LiveAdapter(LiveDecoder())
        confirmer = Confirmer()
        blank = np.full((720, 1280), 128, np.uint8)
        for decoder in (*engines.values(), live):
            decoder.decode(blank)  # first-call set-up is not a frame's cost
        tallies = {name: Tally() for name in (*engines, "live", "live_raw")}
        cold: list[float] = []
        frame_no = 0
        for shots in scenes:
            frame_no += 100  # scenes far apart in time: a new appearance each
            reported: list[Decoded] = []
            for shot_index, shot in enumerate(shots):
                frame_no += 1
                for name, engine in engines.items():
                    _judge(tallies[name], shot, _timed(tallies[name], engine, shot.image))
                raw = _timed(tallies["live"], live, shot.image)
                if shot_index == 0:
                    cold.append(tallies["live"].ms[-1])
                _judge(tallies["live_raw"], shot, raw)
                reported += confirmer.feed(frame_no, raw)
            _judge(tallies["live"], shots[0], reported)
    finally:
        if previous is not None:
            os.sched_setaffinity(0, previous)
    every = [shot for shots in scenes for shot in shots]
    return DecodeBenchmarkResult(
        frames=len(every),
        scenes=len(scenes),
        frames_with_code=sum(1 for f in every if f.codes),
        frames_2px=sum(1 for f in every if f.codes and f.module_px >= 2),
        scenes_with_code=sum(1 for s in scenes if s[0].codes),
        scenes_2px=sum(1 for s in scenes if s[0].codes and s[0].module_px >= 2),
        zxing=tallies["zxing"],
        zbar=tallies.get("zbar"),
        live=tallies["live"],
        live_raw=tallies["live_raw"],
        live_cold_ms=cold,
        pinned=pinned,
        missing=missing,
    )


def report(result: DecodeBenchmarkResult) -> str:
    """The figures as the benchmark prints them."""
    r = result
    lines = [
        f"frames: {r.frames} at 1280x720 ({r.scenes} scenes of {SHOTS} frames;"
        f" {r.frames_with_code} frames with a code, {r.frames_2px} with modules >= 2 px)",
        f"timed on one core: {r.pinned}",
        f"{'engine':22} {'p50 ms':>8} {'p99 ms':>8}  {'read, modules >= 2 px':>24}"
        f"  {'read, all':>16}  false positives",
    ]
    rows = (
        ("zxing-cpp defaults", r.zxing, r.zxing, r.frames_2px, r.frames_with_code, "frames"),
        ("zbar defaults", r.zbar, r.zbar, r.frames_2px, r.frames_with_code, "frames"),
        ("live, raw per frame", r.live_raw, r.live, r.frames_2px, r.frames_with_code, "frames"),
        ("live, reported", r.live, None, r.scenes_2px, r.scenes_with_code, "scenes"),
    )
    for name, tally, timed, of_2px, of_all, unit in rows:
        if tally is None:
            lines.append(f"{name:22} not measured: {r.missing.get('zbar', 'missing')}")
            continue
        timing = f"{timed.p(0.5):8.1f} {timed.p(0.99):8.1f}" if timed else f"{'':8} {'':8}"
        read = f"{tally.read_2px}/{of_2px} {unit} {_frac(tally.read_2px, of_2px):.1%}"
        every = f"{tally.read_all}/{of_all} {_frac(tally.read_all, of_all):.1%}"
        lines.append(f"{name:22} {timing}  {read:>24}  {every:>16}  {tally.false_positives}")
    cold = percentile(r.live_cold_ms, 0.5)
    lines.append(f"live, first frame of a scene (no last hit to reuse): p50 {cold:.1f} ms")
    ratio = r.live.p(0.5) / r.zxing.p(0.5)
    lines.append(f"live p50 / zxing-cpp default p50: {ratio:.3f}")
    lines.append("target: live p50 <= 33 ms, >= 95 % read (modules >= 2 px), 0 false positives")
    if r.live.misses:
        lines.append("live misses (modules >= 2 px): " + ", ".join(r.live.misses))
    return "\n".join(lines)
