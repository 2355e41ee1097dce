"""``[[packing.inserts]]`` in the station's configuration file (issue 18, point 3): rules
read into ``PackingSettings.inserts``; every mistake reported at once, by insert and key."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from station.cli.main import main as station_main
from station.config import ConfigError, load_settings
from station.config.inserts import InsertRule


def test_insert_rules_are_read_with_their_conditions(tmp_path: Path) -> None:
    config = tmp_path / "station.toml"
    config.write_text(
        "[packing]\nsingle_item_batch = true\n"
        '[[packing.inserts]]\ncode = "FLYER"\nname = "Spring flyer"\nbarcode = "INS-FLYER"\n'
        'channels = ["web"]\nmin_order_value = 50\nlow_stock = 20\n'
        '[[packing.inserts]]\ncode = "WELCOME"\nname = "Welcome"\nbarcode = "INS-W"\n'
        "first_order = true\n",
        encoding="utf-8",
    )
    packing = load_settings(config, env={}).packing
    assert packing.single_item_batch  # the rest of [packing] still read
    assert packing.inserts == (
        InsertRule("FLYER", "Spring flyer", "INS-FLYER", ("web",), (), 50.0, False, 20),
        InsertRule("WELCOME", "Welcome", "INS-W", first_order=True),
    )


def test_every_mistake_in_the_insert_rules_is_named(tmp_path: Path) -> None:
    config = tmp_path / "station.toml"
    config.write_text(
        '[[packing.inserts]]\ncode = "A"\nname = "A"\nbarcode = "INS-A"\n'
        '[[packing.inserts]]\ncode = "B"\nbarcode = "INS-A"\nskus = "TEE"\nchanel = ["web"]\n'
        'min_order_value = -1\nfirst_order = "yes"\nlow_stock = 1.5\n'
        '[[packing.inserts]]\ncode = "C"\nname = "C"\nbarcode = "INS-A"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as failed:
        load_settings(config, env={})
    assert failed.value.problems == (
        "[[packing.inserts]] #2 chanel: unknown setting",
        "[[packing.inserts]] #2 name: required text",
        "[[packing.inserts]] #2 skus: expected a list of text",
        "[[packing.inserts]] #2 min_order_value: expected a number of at least 0",
        "[[packing.inserts]] #2 first_order: expected true or false",
        "[[packing.inserts]] #2 low_stock: expected a whole number of at least 0",
        "[[packing.inserts]] #3: 'INS-A' is also used by insert #1",
    )


def test_the_command_line_counts_and_lists_insert_stock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "station.toml"
    config.write_text(
        '[[packing.inserts]]\ncode = "FLYER"\nname = "Spring flyer"\nbarcode = "INS-FLYER"\n'
        "low_stock = 20\n",
        encoding="utf-8",
    )
    base = ["--config", str(config), "--db", str(tmp_path / "s.sqlite"), "inserts"]
    assert station_main([*base, "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert listed["inserts"][0]["on_hand"] is None
    assert station_main([*base, "count", "FLYER", "12"]) == 0
    assert "FLYER            INS-FLYER                 12  LOW  Spring flyer" in (
        capsys.readouterr().out
    )
    assert station_main([*base, "count", "NOPE", "1"]) == 1
    assert "no insert 'NOPE' in [[packing.inserts]] (FLYER)" in capsys.readouterr().err
    con = sqlite3.connect(tmp_path / "s.sqlite")
    try:
        audit = con.execute("SELECT action, entity_id FROM audit_log").fetchall()
    finally:
        con.close()
    assert ("inserts.counted", "FLYER") in audit
