"""The station built as a wheel and installed into a fresh venv outside the checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.sqlite*")


def build_wheel(out: Path) -> tuple[Path, str]:
    """The project's wheel, built offline with the venv's setuptools (no build isolation),
    from a copy of the checkout (setuptools leaves a build/ folder whose stale files would
    end up in the next wheel); and what the build printed."""
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*SKIPPED))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-v",
         "-w", str(out), str(source)],
        check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    (wheel,) = out.glob("pack_station-*.whl")
    return wheel, done.stdout + done.stderr


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel of the checkout as it is now, and the build's output."""
    return build_wheel(tmp_path_factory.mktemp("wheelhouse"))


@pytest.fixture(scope="session")
def wheel(built: tuple[Path, str]) -> Path:
    """The wheel of the checkout as it is now."""
    return built[0]


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv (its python) with only the wheel installed from this project.

    The third-party dependencies are borrowed from the test venv through a ``.pth`` file
    rather than downloaded again (PySide6 and OpenCV are some 600 MB): the project's own code
    and resources come from the wheel alone, which is what this tests. The editable install
    of the test venv is not seen (its finder is started by a ``.pth`` the new venv never reads).
    """
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         "--disable-pip-version-check", str(wheel)],
        check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    yield python
