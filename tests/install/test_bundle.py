"""Issue 17, point 2: the standalone bundle (``./dev bundle``, PyInstaller one-folder) opens the
window offscreen, renders a label, reads an emulated scale, and exits 0.

Building the bundle takes minutes and a gigabyte, so the test command smoke-tests the bundle
``./dev bundle`` left in dist/ (or the one ``STATION_BUNDLE`` names) and is skipped, saying
so, when there is none.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from drivers.scale.emulator import ScaleEmulator
from tests.install.conftest import ROOT

pytestmark = pytest.mark.slow
BUNDLE = Path(os.environ.get("STATION_BUNDLE", ROOT / "dist" / "pack-station" / "pack-station"))


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    if not BUNDLE.is_file():
        pytest.skip(f"no bundle at {BUNDLE}: ./dev bundle builds it")
    return BUNDLE


def run(bundle: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",  # Qt warns of any other locale's encoding
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
    }
    return subprocess.run(
        [str(bundle), *args], capture_output=True, text=True, timeout=600, env=env,
        cwd=tmp_path, check=False,
    )  # fmt: skip


def test_the_bundle_opens_the_window_renders_a_label_and_reads_a_scale(
    bundle: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "station.sqlite")
    window = run(bundle, tmp_path, "ui", "--demo", "--db", db, "--exit-when-ready")
    assert window.returncode == 0, window.stderr[-2000:]
    assert window.stdout.split() == ["ready", "built"]
    label = tmp_path / "label.png"
    render = run(bundle, tmp_path, "--db", db, "label", "render", "--order", "SO-100001",
                 "--template", "packing-slip", "--format", "png", "-o", str(label))  # fmt: skip
    assert render.returncode == 0, render.stderr[-2000:]
    assert label.read_bytes().startswith(b"\x89PNG")
    scale = ScaleEmulator("mtsics", weight="1.250")
    scale.start()
    try:
        read = run(bundle, tmp_path, "devices", "scale", "read", "--port", scale.port,
                   "--protocol", "mt-sics", "--stable", "--json")  # fmt: skip
    finally:
        scale.close()
    assert read.returncode == 0, read.stderr[-2000:]
    assert json.loads(read.stdout)["weight_g"] == 1250.0
