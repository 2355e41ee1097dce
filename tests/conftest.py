"""Suite-wide settings: Qt without a display, and no user configuration leaking in."""

from __future__ import annotations

import os
import tempfile

import pytest

# Before any Qt import: tests drive real widgets on the offscreen platform.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A developer's own station.toml or STATION_DB must not change what the tests see.
os.environ.pop("STATION_DB", None)
os.environ.pop("STATION_NAME", None)
# Nor may the tests write into the developer's own folders (PulseAudio, the demo database).
_home = tempfile.mkdtemp(prefix="station-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_home, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_home, "data")
os.environ["XDG_RUNTIME_DIR"] = os.path.join(_home, "run")
os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700)  # Qt insists on a private one

# In CI every hypothesis test replays the same inputs (a red CI is a change, not a lucky
# draw); developers' runs draw fresh ones. tests/fuzz does the same through its budget.
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("ci", derandomize=True)
    _hypothesis_settings.load_profile("ci")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The bundle's smoke test last while ``./dev test`` builds the bundle beside the suite
    (``STATION_BUNDLE_STATUS``): the build has the whole run to finish before it is needed."""
    if os.environ.get("STATION_BUNDLE_STATUS"):
        items.sort(key=lambda item: item.nodeid.startswith("tests/install/test_bundle.py"))


# How many inputs the fuzz tests tried (tests/fuzz/budget.py counts them), printed at the end.
# Here rather than in tests/fuzz: under pytest-xdist the controller, which prints, loads only
# this conftest; each worker hands its counts over when it finishes (``workeroutput``).
def pytest_sessionfinish(session: pytest.Session) -> None:
    from tests.fuzz.budget import INPUTS

    workeroutput: dict[str, object] | None = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["fuzz_inputs"] = dict(INPUTS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """xdist's hook on the controller: a worker finished; add up its fuzz counts."""
    from tests.fuzz.budget import INPUTS

    output = getattr(node, "workeroutput", {})
    INPUTS.update(output.get("fuzz_inputs", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.fuzz.budget import BASE, INPUTS

    if not INPUTS:
        return
    terminalreporter.section("inputs fuzzed")
    for target, count in sorted(INPUTS.items()):
        terminalreporter.write_line(f"{target:<40} {count:>9,}")
    total = sum(INPUTS.values())
    terminalreporter.write_line(f"{'total':<40} {total:>9,}  (STATION_FUZZ_EXAMPLES={BASE})")
