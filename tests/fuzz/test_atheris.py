"""The atheris (libFuzzer) targets, each for a bounded number of runs in its own process.

Skipped where atheris is not installed (it is a dev dependency only where a wheel exists).
The corpus starts from replies and scans the emulators and the tests use, so the fuzzer
begins at valid input and mutates from there. ``STATION_ATHERIS_RUNS`` scales the runs
(runs per target; default 20,000 for the scale codecs, 5,000 for the slower barcode
interpreter).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from drivers.scale import hidpos, mtsics, nci, toledo8217
from drivers.scale.firmware import Panel, firmware_for
from drivers.scale.model import ScaleState
from tests.fuzz.budget import INPUTS

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("atheris") is None, reason="atheris is not installed here"
)

TARGETS = Path(__file__).parent / "atheris"
RUNS = {"scale": 20_000, "barcodes": 5_000}


def runs(target: str) -> int:
    value = os.environ.get("STATION_ATHERIS_RUNS")
    return int(value) if value else RUNS[target]


def scale_seeds() -> list[bytes]:
    seeds = []
    for selector, name, poll in ((0, "mtsics", mtsics.IMMEDIATE_WEIGHT), (1, "nci", nci.WEIGHT),
                                 (2, "8217", toledo8217.WEIGHT)):  # fmt: skip
        for state in ScaleState:
            (exchange,), _ = firmware_for(name).feed(poll, Panel(state=state, weight="1.250"))
            seeds.append(bytes([selector]) + exchange.reply)
    seeds.append(bytes([3]) + bytes([hidpos.REPORT_ID, 4, 2, 0xFF, 0xD2, 0x04]))
    return seeds


BARCODE_SEEDS = [
    b"4006381333931",
    b"]E04006381333931",
    b"]C10109506000134352\x1d3103001234\x1d10ABC",
    b"]d201095060001343521725123110LOT|21SER",
    b"00106141411234567897",
    b"https://id.gs1.org/01/09506000134352/10/ABC",
    b"SO-1001",
    # What outside trials broke (issue 12 point 12), so the fuzzer mutates from there too.
    b"]J101095060001343521725123110LOT\x1d21SER",
    b"]E0036000291452",
    b"]C100106141411234567898\x1d0109506000134352",
    b"]C1010950600013435210ABC\x1d10XYZ",
    b"https://id.gs1.org/01/09506000134352?01=09501101530003&10=A&10=B",
    b"HtTpS://id.gs1.org/01/9506000134352?999=faux&utm_source=x",
    b"]C1010950600013435217251331",
]


@pytest.mark.parametrize("target", ["scale", "barcodes"])
def test_fuzz_target_survives_its_runs(target: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = scale_seeds() if target == "scale" else BARCODE_SEEDS
    for n, seed in enumerate(seeds):
        (corpus / f"seed-{n}").write_bytes(seed)
    count = runs(target)
    command = [
        sys.executable,
        str(TARGETS / f"fuzz_{target}.py"),
        f"-runs={count}",
        "-seed=1",  # reproducible in CI; a long local run can drop it
        f"-artifact_prefix={tmp_path}/",
        str(corpus),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    log = done.stderr[-4000:]
    assert done.returncode == 0, log
    ran = re.search(r"Done (\d+) runs", done.stderr)
    assert ran is not None, log
    INPUTS[f"atheris: {target}"] += int(ran.group(1))
    assert not list(tmp_path.glob("crash-*")), log
