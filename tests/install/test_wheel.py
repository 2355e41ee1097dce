"""Issue 17, point 1: the wheel carries everything the station reads at run time."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.install.conftest import ROOT

pytestmark = pytest.mark.slow
CHECK = Path(__file__).with_name("wheel_check.py")


def test_the_wheel_holds_every_resource(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind, pattern in (("labels", "*.toml"), ("sounds", "*.wav"), ("themes", "*.qss"),
                          ("i18n", "*.qm")):  # fmt: skip
        for file in (ROOT / "resources" / kind).glob(pattern):
            assert f"station/resources/{kind}/{file.name}" in names
    assert "station/db/migrations/script.py.mako" in names


def test_the_build_warns_of_nothing(built: tuple[Path, str]) -> None:
    """Issue 17, point 8: no deprecation (the licence table) or ambiguity from our packaging."""
    _, output = built
    assert "running bdist_wheel" in output  # the backend's own output is there to be read
    for warning in ("Deprecat", "BuildBackendWarning", "SetuptoolsWarning"):
        assert warning not in output, output[output.find(warning) - 300 :][:1500]


def test_a_fresh_venv_packs_prints_and_loads_its_resources(installed: Path, tmp_path: Path) -> None:
    # From a folder outside the checkout, so nothing can be found beside the sources.
    done = subprocess.run(
        [str(installed), str(CHECK), str(tmp_path)],
        capture_output=True, text=True, timeout=900, check=False, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["simulated"]["orders_packed"] == 3
    assert set(report["rendered"]) == {"shipping", "packing-slip", "gift-note", "customs",
                                       "commercial-invoice", "return-tag"}  # fmt: skip
    assert report["translation"].startswith("de")
    assert report["german"] == "Aufsicht"
