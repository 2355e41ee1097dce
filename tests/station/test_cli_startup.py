"""Issue 17, point 3 and 7: the command line imports only the command it runs, and says which
database a command opened (on stderr, so JSON on stdout stays clean)."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from station.cli.commands import COMMANDS
from station.cli.main import build_parser, command_of, main

HEAVY = ("cv2", "PySide6", "sqlalchemy", "escpos", "fastapi", "numpy", "biip", "uvicorn")
PROBE = """
import json, sys
from station.cli.main import main
try:
    status = main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def modules_loaded_by(*argv: str, tmp_path: Path) -> tuple[int, set[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    probe = json.loads(done.stderr.splitlines()[-1])
    return probe["status"], set(probe["modules"]), done.stdout


def heavy_in(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY}


def test_help_imports_no_heavy_module(tmp_path: Path) -> None:
    status, modules, out = modules_loaded_by("--help", tmp_path=tmp_path)
    assert status == 0
    assert heavy_in(modules) == set()
    assert not any(m.startswith("station.cli.") and m != "station.cli.commands"
                   for m in modules - {"station.cli.main"})  # fmt: skip
    for command in COMMANDS:  # every command listed, with its help, though none was imported
        assert command.name in out


def test_devices_list_imports_only_its_command(tmp_path: Path) -> None:
    status, modules, out = modules_loaded_by("devices", "list", "--json", tmp_path=tmp_path)
    assert status == 0
    assert set(json.loads(out)) == {"serial_ports", "configured", "cameras"}
    assert heavy_in(modules) == set()
    assert {m for m in modules if m.startswith("station.cli.")} == {
        "station.cli.main", "station.cli.commands", "station.cli.devices"
    }  # fmt: skip


def test_a_typo_is_answered_with_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["devcies", "list"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'devcies'" in err and "'devices'" in err


def test_the_command_is_found_after_the_global_options() -> None:
    assert command_of(["--db", "x.sqlite", "orders", "list"]) == "orders"
    assert command_of(["--config=c.toml", "--db", "devices", "devices", "list"]) == "devices"
    assert command_of(["--help"]) is None


def test_the_table_matches_what_the_modules_register() -> None:
    """A command added to a module and not to station/cli/commands.py (or the other way round)
    would be missing from --help or never found: the two must say the same."""
    for module in sorted({c.module for c in COMMANDS}):
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"station.cli.{module}").register(sub)
        registered = {a.dest: a.help for a in sub._choices_actions}
        table = {c.name: c.help for c in COMMANDS if c.module == module}
        assert registered == table, module
    full = build_parser()  # every module registered: still one parser, no name twice
    assert full.parse_args(["devices", "list"]).handler.__module__ == "station.cli.devices"


def test_a_command_says_which_database_it_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "here.sqlite"
    assert main(["--db", str(db), "orders", "list", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert captured.err.splitlines()[0] == f"station: database {db}"
    assert main(["devices", "list", "--json"]) == 0  # no database: says none
    assert "database" not in capsys.readouterr().err


def test_bench_startup_prints_medians_and_ratios_of_one_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["bench", "startup", "--runs", "2", "--json"]) == 0
    out = capsys.readouterr().out.splitlines()
    figures = json.loads(out[-1])
    names = [t["command"] for t in figures["timings"]]
    assert names == ["python -c pass", "station --help", "station devices list --json"]
    floor = figures["timings"][0]["median_s"]
    for timing in figures["timings"]:
        assert 0 < timing["median_s"] <= timing["p99_s"]
        assert timing["ratio"] == pytest.approx(timing["median_s"] / floor)
        assert f"{timing['command']:32} median" in "\n".join(out)
