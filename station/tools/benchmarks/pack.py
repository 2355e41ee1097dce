"""``station bench pack``: the station's own time from the last scan to the label on the wire.

Per package: from the moment the stable weight is in hand after the last item scan's verdict
(the wait for the packer to put the box down and the scale to settle is the packer's time, not
the station's) to the shipping label's bytes handed to the printer transport: the weight check
(the pack bench's weighing rule, ``station.packing.bench``), closing the package with its photo
encoded and stored, the labels rendered and queued, and the print worker sending the first of
them to a TCP printer emulator that answers at once. Every scan goes through the pack bench,
and its verdict is timed too, on the same database in the same run, so
the ratio ``pack_p50 / verdict_p50`` compares like with like on a noisy machine.

The database is a demo one (orders through the real importers), one package per order; the
first packages warm the caches and are not counted.
"""

from __future__ import annotations

import hashlib
import queue
import random
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from drivers.printer.factory import Printer
from drivers.printer.model import PrinterStatus, PrintResult
from station.barcodes import Command, Interpreter
from station.config import PhotoSettings, Settings
from station.db import Database, open_database
from station.packing.bench import Held, PackBench, Reply
from station.packing.completion import LabelCompletion
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Verdict
from station.printing.queue import PrinterFactory
from station.tools.benchmarks.scan import percentile
from station.tools.demo import seed_demo
from station.tools.simulate.packer import packable_orders, unit_scans
from station.tools.simulate.rig import Rig

WARM_UP = 3
FRAME = (1920, 1080)  # the camera's full resolution


@dataclass(frozen=True)
class PackBenchmarkResult:
    """Figures printed by ``station bench pack`` (JSON keys are stable)."""

    packages: int
    pack_p50_ms: float
    pack_p99_ms: float
    verdict_p50_ms: float
    verdict_p99_ms: float
    ratio_to_verdict_p50: float
    weigh_p50_ms: float  # record_weight: the check and its rows
    close_p50_ms: float  # complete(): the photo encoded and stored, the package closed
    labels_p50_ms: float  # every label of the order rendered and queued (shipping first)
    to_printer_p50_ms: float  # from the close to the shipping label handed to the printer
    scans: int
    photo: str

    def to_json(self) -> dict[str, object]:
        """The figures as a JSON object."""
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(self).items()}

    def __str__(self) -> str:
        return (
            f"packages timed: {self.packages} (photo {self.photo})\n"
            f"pack (stable weight -> label handed to the printer): p50 {self.pack_p50_ms:.2f} ms,"
            f" p99 {self.pack_p99_ms:.2f} ms\n"
            f"  p50: weigh {self.weigh_p50_ms:.2f} ms, close + photo {self.close_p50_ms:.2f} ms,"
            f" then the label at the printer after {self.to_printer_p50_ms:.2f} ms"
            f" (all labels rendered and queued in {self.labels_p50_ms:.2f} ms)\n"
            f"scan verdict, same database: p50 {self.verdict_p50_ms:.3f} ms,"
            f" p99 {self.verdict_p99_ms:.3f} ms ({self.scans} scans)\n"
            f"ratio pack p50 / verdict p50: {self.ratio_to_verdict_p50:.1f}"
        )


class _Timed:
    """A printer driver that notes when each job's bytes were handed to its transport."""

    def __init__(self, inner: Printer, handed: queue.Queue[tuple[float, bytes]]) -> None:
        self._inner = inner
        self._handed = handed

    def status(self) -> PrinterStatus:
        return self._inner.status()

    def send(self, data: bytes) -> None:
        self._inner.send(data)

    def print_job(self, data: bytes, *, force: bool = False) -> PrintResult:
        result = self._inner.print_job(data, force=force)
        if result.sent:
            self._handed.put((time.perf_counter(), data))
        return result


@dataclass
class _Samples:
    verdict: list[float]
    pack: list[float]
    weigh: list[float]
    close: list[float]
    labels: list[float]
    to_printer: list[float]


class _PackRun:
    """Packs one order at a time and times it (see the module docstring)."""

    def __init__(self, db: Database, settings: Settings, seed: int) -> None:
        self.handed: queue.Queue[tuple[float, bytes]] = queue.Queue()

        def wrap(factory: PrinterFactory) -> PrinterFactory:
            return lambda printer, language: _Timed(factory(printer, language), self.handed)

        name = settings.devices.printer.name
        self.rig = Rig(db, settings, printer=name, language="zpl", frame_size=FRAME, wrap=wrap)
        self.labels = LabelCompletion(db, settings, self.rig.queue, language="zpl")
        proof = ProofOptions.from_settings(settings, camera=self.rig.snapshot)
        interpreter = Interpreter(settings.barcodes)
        self.service = PackService(
            db,
            interpreter,
            settings.packing,
            settings.station_name,
            proof=replace(proof, require_weight=True),
        )
        self.bench = PackBench(self.service, interpreter)
        self.rng = random.Random(seed)
        self.expiry = (datetime.now(UTC) + timedelta(days=400)).strftime("%y%m%d")
        self.samples = _Samples([], [], [], [], [], [])

    def close(self) -> None:
        self.service.close()
        self.rig.close()

    def scan(self, code: str) -> Outcome:
        t = time.perf_counter()
        outcome = _outcome(self.bench.scan(code))
        self.samples.verdict.append((time.perf_counter() - t) * 1000)
        return outcome

    def pack(self, number: str) -> None:
        svc, s = self.service, self.samples
        self.scan(number)
        assert svc.state is not None
        units = [line for line in svc.state.lines for _ in range(line.remaining)]
        for n, line in enumerate(units):
            if n == len(units) - 1:
                suggestion = svc.suggest_box()
                if suggestion is not None and suggestion.box is not None:
                    self.scan(suggestion.box.code)
            for code in unit_scans(line, f"B{svc.state.order_id}U{n}", self.expiry):
                last = self.scan(code)
        if last.verdict is not Verdict.ACCEPTED:
            raise RuntimeError(f"bench pack: {number}: {last.message}")
        expected = svc.expected_weight()
        assert expected is not None
        # The packer's time: the box goes on the scale and the reading settles.
        update = self.rig.weigh(expected.expected_g + self.rng.uniform(-3, 3))
        t1 = time.perf_counter()
        # Settled after the last scan with every unit in: the bench weighs it by itself.
        weighed = _outcome(self.bench.reading(update))
        t2 = time.perf_counter()
        done = _outcome(self.bench.command(Command.COMPLETE, "complete"))
        t3 = time.perf_counter()
        jobs = self.labels.after(done)
        t4 = time.perf_counter()
        if weighed.verdict is not Verdict.WEIGHT_PASS or not jobs:
            raise RuntimeError(f"bench pack: {number}: {weighed.message}; {done.message}")
        handed_at, data = self.handed.get(timeout=10)
        shipping = self.rig.queue.job(jobs[0])
        assert shipping.template == "shipping"
        assert hashlib.sha256(data).hexdigest() == shipping.payload_sha256
        s.pack.append((handed_at - t1) * 1000)
        s.weigh.append((t2 - t1) * 1000)
        s.close.append((t3 - t2) * 1000)
        s.labels.append((t4 - t3) * 1000)
        s.to_printer.append((handed_at - t3) * 1000)
        for _ in jobs[1:]:  # the next package starts with the printer idle, as at a bench
            self.handed.get(timeout=10)


def _outcome(reply: Reply | None) -> Outcome:
    if reply is None or isinstance(reply.result, Held):
        raise RuntimeError(f"bench pack: the bench answered nothing or held it back: {reply}")
    return reply.result


def run_pack_benchmark(
    settings: Settings, *, packages: int, seed: int = 7, workdir: Path | None = None
) -> PackBenchmarkResult:
    """Build a demo database, pack ``packages`` orders (after a warm-up), return the figures."""
    root = workdir or Path(tempfile.mkdtemp(prefix="station-bench-pack-"))
    root.mkdir(parents=True, exist_ok=True)
    for leftover in root.glob("pack.sqlite*"):
        leftover.unlink()
    settings = replace(
        settings,
        db_path=root / "pack.sqlite",
        station_name="bench",
        photos=PhotoSettings(mode="required", folder=str(root / "photos")),
    )
    db = open_database(settings.db_path)
    try:
        seed_demo(db, packages + WARM_UP + packages // 20 + 5, seed=seed, station="bench")
        numbers = packable_orders(db, packages + WARM_UP)
        run = _PackRun(db, settings, seed)
        run.rig.start_printing()
        try:
            for number in numbers[:WARM_UP]:
                run.pack(number)
            run.samples = _Samples([], [], [], [], [], [])
            for number in numbers[WARM_UP:]:
                run.pack(number)
        finally:
            run.close()
    finally:
        db.close()
    s = run.samples
    p50 = percentile(s.pack, 0.5)
    v50 = percentile(s.verdict, 0.5)
    return PackBenchmarkResult(
        packages=len(s.pack),
        pack_p50_ms=p50,
        pack_p99_ms=percentile(s.pack, 0.99),
        verdict_p50_ms=v50,
        verdict_p99_ms=percentile(s.verdict, 0.99),
        ratio_to_verdict_p50=p50 / v50,
        weigh_p50_ms=percentile(s.weigh, 0.5),
        close_p50_ms=percentile(s.close, 0.5),
        labels_p50_ms=percentile(s.labels, 0.5),
        to_printer_p50_ms=percentile(s.to_printer, 0.5),
        scans=len(s.verdict),
        photo=f"{FRAME[0]}x{FRAME[1]}",
    )
