"""A configuration file with several mistakes: every one is reported at once, section by section
(in the order of ``Settings``), as the importers report every bad row."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.cli.main import main as station_main
from station.config import ConfigError, load_settings

MANY_MISTAKES = """\
[station]
name = "bench-7"

[barcodes]
tote = "TOTE-("
quantity = "QTY-\\\\d+"
cmd_short = "SHORT"

[packing]
max_quantity_without_supervisor = "ten"
colour = "blue"

[devices.scale]
kind = "abacus"

[devices.fax]
kind = "g3"

[photos]
mode = "sometimes"

[privacy]
label_days = 0

[returns]
flavour = "mint"

[[returns.rules]]
name = "first"
disposition = "burn"

[[returns.rules]]
disposition = "restock"
refund_pct = "half"
"""

EXPECTED = [
    "[barcodes] tote: invalid regular expression: missing ), unterminated subpattern at position 5",
    "[barcodes] quantity: needs one group that captures the number",
    "[packing] max_quantity_without_supervisor: expected int, got str",
    "[packing] colour: unknown setting",
    "[devices] fax: unknown device; use scanner, scale, printer, camera",
    "[devices.scale] kind: 'abacus' is unknown; use",
    "[photos] mode: expected required, optional or off",
    "[returns] flavour: unknown setting",
    "[returns] rules[1] disposition: 'burn' is unknown; use",
    "[returns] rules[2] name: missing",
    "[returns] rules[2] refund_pct: expected int, got str",
    "[privacy] label_days: expected at least 1 day",
]


def problems_of(tmp_path: Path, text: str) -> tuple[str, ...]:
    config = tmp_path / "station.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, MANY_MISTAKES)
    assert len(problems) == len(EXPECTED), problems
    for problem, expected in zip(problems, EXPECTED, strict=True):
        assert problem.startswith(expected), (problem, expected)


def test_the_command_line_prints_them_all_and_runs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "station.toml"
    config.write_text(MANY_MISTAKES, encoding="utf-8")
    db = tmp_path / "station.sqlite"
    status = station_main(["--config", str(config), "--db", str(db), "orders", "list"])
    assert status == 2
    err = capsys.readouterr().err
    for expected in EXPECTED:
        assert expected in err
    assert not db.exists()  # nothing ran on a configuration it could not read


def test_a_table_that_is_not_a_table_does_not_hide_the_others(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, 'barcodes = 3\nweight = "heavy"\n[packing]\nnope = 1\n')
    assert problems == (
        "[barcodes] must be a table, not int",
        "[packing] nope: unknown setting",
        "[weight] must be a table, not str",
    )


def test_a_checklist_with_bad_rows_reports_each_and_skips_what_depends_on_it(
    tmp_path: Path,
) -> None:
    text = (
        "[[returns.checklist]]\nkey = 'works'\n"
        "[[returns.checklist]]\nquestion = 'Clean?'\nextra = 1\n"
        "[[returns.grades]]\ncode = 'A'\nname = 'a'\nrequires = { nothing = true }\n"
    )
    assert problems_of(tmp_path, text) == (
        "[returns] checklist[1] question: missing",
        "[returns] checklist[2] key: missing",
        "[returns] checklist[2] extra: unknown setting",
    )


def test_a_sound_file_still_loads(tmp_path: Path) -> None:
    config = tmp_path / "station.toml"
    config.write_text('[barcodes]\ncmd_short = "SHORT-\\\\d"\n[packing]\nmin_days_to_expiry = 3\n')
    settings = load_settings(config)
    assert settings.barcodes.cmd_short == r"SHORT-\d"
    assert settings.packing.min_days_to_expiry == 3
