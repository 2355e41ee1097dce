"""Issue 17, point 2: the standalone bundle (``./dev bundle``, PyInstaller one-folder) opens the
window offscreen, renders a label, reads an emulated scale, and exits 0.

``./dev test`` builds the bundle beside pytest (only when the sources changed since the last
build) and names its state file in ``STATION_BUNDLE_STATUS``: this test waits for the build,
fails when it failed, and is skipped, saying why, only where ``./dev`` found that the machine
cannot build it. Run otherwise, it smoke-tests the bundle ``./dev bundle`` left in dist/ (or
the one ``STATION_BUNDLE`` names) and is skipped, saying so, when there is none.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from drivers.scale.emulator import ScaleEmulator
from tests.install.conftest import ROOT

pytestmark = pytest.mark.slow
BUNDLE = Path(os.environ.get("STATION_BUNDLE", ROOT / "dist" / "pack-station" / "pack-station"))
# A build from scratch takes 4-6 minutes of one core; on a machine shared with the suite
# itself it may take several times that. Waiting longer means the build is stuck.
BUILD_WAIT_S = 45 * 60


def build_state(status: Path) -> str:
    """The state ``./dev test``'s background build ends in: ok, failed: ..., skipped: ...."""
    waited_until = time.monotonic() + BUILD_WAIT_S
    while (state := status.read_text().strip()) == "building":
        if time.monotonic() > waited_until:
            return f"failed: still building after {BUILD_WAIT_S} s (build/bundle.log)"
        time.sleep(2)
    return state


@pytest.fixture
def bundle() -> Path:
    status = os.environ.get("STATION_BUNDLE_STATUS")
    if status:
        state = build_state(Path(status))
        if state.startswith("skipped"):
            pytest.skip(f"the bundle was not built: {state}")
        if state != "ok":
            log = Path(status).with_name("bundle.log")
            tail = log.read_text(errors="replace")[-3000:] if log.is_file() else ""
            pytest.fail(f"./dev bundle did not build the bundle: {state}\n{tail}")
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
