"""Saving ``[devices.*]`` from the devices screen: text converted and checked with the field
named, the TOML file rewritten keeping everything else, read back by ``load_settings``, and
the change audited in the same transaction."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from drivers.registry import PrinterDeviceConfig, ScaleDeviceConfig
from station.config import ConfigError, DeviceSettings, load_settings
from station.config_write import (
    AUDIT_ACTION,
    DeviceSettingsError,
    devices_document,
    parse_devices,
    read_devices,
    save_devices,
)
from station.db import Database, open_database
from station.db.models import AuditEntry, Role
from station.permissions import PermissionDenied
from station.user_ref import UserRef
from station.users import create_user

STATION_TOML = """\
# Bench 7, north wall. Ask Sam before changing the scale.
[station]
name = "bench-7"  # as the hub knows it

[devices.scale]
kind = "mt-sics"   # the Mettler at the bench
port = "/dev/ttyUSB0"

[weight]
tolerance_g = 25  # heavy boxes

[ui]
theme = "high_contrast"
"""


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "station.sqlite")
    yield database
    database.close()


def user(db: Database, name: str = "sam", role: Role = Role.SUPERVISOR) -> UserRef:
    with db.session() as session:
        row = create_user(session, name, role, badge=f"BADGE-{name.upper()}")
        session.commit()
        return UserRef(row.id, row.name, role.value)


def audit_rows(db: Database) -> list[AuditEntry]:
    with db.session() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == AUDIT_ACTION)))


def test_text_from_the_screen_becomes_typed_settings() -> None:
    form = {
        "scale": {"kind": "nci", "port": " /dev/pts/7 ", "baud": "19200", "unit": "lb"},
        "printer": {"kind": "zpl", "url": "tcp://10.0.0.9:9100", "dpi": "300"},
        "camera": {"kind": "opencv", "source": "/dev/video0"},
    }
    devices = parse_devices(form, DeviceSettings())
    assert devices.scale == replace(
        ScaleDeviceConfig(), kind="nci", port="/dev/pts/7", baud=19200, unit="lb"
    )
    assert devices.printer.url == "tcp://10.0.0.9:9100" and devices.printer.dpi == 300
    assert devices.camera.source == "/dev/video0"
    assert devices.scanner == DeviceSettings().scanner  # not in the form: kept


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"scale": {"baud": "abc"}}, "devices.scale.baud", "expected a whole number, got 'abc'"),
        ({"scale": {"kind": "mt-sics", "port": ""}}, "devices.scale.port", "required"),
        ({"scanner": {"kind": "serial", "port": "  "}}, "devices.scanner.port", "required"),
        ({"scale": {"kind": "scalomatic"}}, "devices.scale.kind", "'scalomatic' is unknown"),
        ({"printer": {"kind": "zpl", "url": "10.0.0.9"}}, "devices.printer.url", "no scheme"),
        ({"printer": {"kind": "zpl", "url": "usb:04b8:0202"}}, "devices.printer.url", "ESC/POS"),
        ({"printer": {"dpi": "250"}}, "devices.printer.dpi", "not one of 203, 300"),
        ({"scale": {"kind": "hid", "hid": "scale"}}, "devices.scale.hid", "VID:PID"),
        ({"camera": {"kind": "opencv", "source": ""}}, "devices.camera.source", "required"),
        ({"scale": {"stable_count": "0"}}, "devices.scale.stable_count", "at least 1"),
        ({"scale": {"colour": "red"}}, "devices.scale.colour", "unknown setting"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(
    form: dict[str, dict[str, str]], field: str, words: str
) -> None:
    with pytest.raises(DeviceSettingsError) as refused:
        parse_devices(form, DeviceSettings())
    assert refused.value.field == field
    section, _, key = field.rpartition(".")
    assert str(refused.value).startswith(f"[{section}] {key}: ")
    assert words in str(refused.value)


def test_the_file_keeps_its_other_tables_and_comments(tmp_path: Path) -> None:
    devices = DeviceSettings(
        scale=replace(ScaleDeviceConfig(), kind="nci", port="/dev/ttyUSB1", baud=4800),
        printer=replace(PrinterDeviceConfig(), kind="escpos", url="tcp://10.1.1.2:9100"),
    )
    text = devices_document(STATION_TOML, devices)
    for kept in (
        "# Bench 7, north wall. Ask Sam before changing the scale.",
        'name = "bench-7"  # as the hub knows it',
        'kind = "nci"   # the Mettler at the bench',  # the value changed, its comment stayed
        "tolerance_g = 25  # heavy boxes",
        '[ui]\ntheme = "high_contrast"',
    ):
        assert kept in text
    assert 'port = "/dev/ttyUSB1"' in text and "baud = 4800" in text
    assert '[devices.printer]\nkind = "escpos"' in text
    # Settings left at their defaults are not spelled out.
    assert "[devices.camera]" not in text and "poll_interval_s" not in text

    path = tmp_path / "station.toml"
    path.write_text(text, encoding="utf-8")
    settings = load_settings(path, env={})
    assert settings.devices == devices
    assert settings.station_name == "bench-7" and settings.weight.tolerance_g == 25
    # Saving the same again changes nothing in the text.
    assert devices_document(text, devices) == text


def test_save_writes_the_file_and_audits_old_and_new(db: Database, tmp_path: Path) -> None:
    sam = user(db)
    path = tmp_path / "station.toml"
    path.write_text(STATION_TOML, encoding="utf-8")
    before = read_devices(path)
    devices = replace(before, scale=replace(before.scale, port="/dev/ttyUSB3", baud=2400))

    changes = save_devices(path, devices, db, "bench-7", sam)

    assert [(c.field, c.old, c.new) for c in changes] == [
        ("devices.scale.port", "/dev/ttyUSB0", "/dev/ttyUSB3"),
        ("devices.scale.baud", 0, 2400),
    ]
    assert load_settings(path, env={}).devices == devices
    assert "# Bench 7, north wall." in path.read_text(encoding="utf-8")
    [entry] = audit_rows(db)
    assert entry.user_id == sam.id and entry.station == "bench-7"
    assert (entry.entity, entry.entity_id) == ("settings", "devices")
    assert entry.detail is not None
    assert entry.detail["file"] == str(path)
    assert entry.detail["changes"] == [
        {"field": "devices.scale.port", "old": "/dev/ttyUSB0", "new": "/dev/ttyUSB3"},
        {"field": "devices.scale.baud", "old": 0, "new": 2400},
    ]
    assert not list(tmp_path.glob(".station.toml.*"))  # no temporary file left

    # The same settings again: nothing written, nothing audited.
    stamp = path.stat().st_mtime_ns
    assert save_devices(path, devices, db, "bench-7", sam) == []
    assert path.stat().st_mtime_ns == stamp and len(audit_rows(db)) == 1


def test_a_station_without_a_file_gets_one(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "config" / "pack-station" / "station.toml"
    devices = replace(DeviceSettings(), scale=replace(ScaleDeviceConfig(), kind="none"))
    changes = save_devices(path, devices, db, "bench-1", user(db))
    assert [c.field for c in changes] == ["devices.scale.kind"]
    assert path.read_text(encoding="utf-8").strip() == '[devices.scale]\nkind = "none"'
    assert load_settings(path, env={}).devices == devices


def test_a_file_the_station_cannot_read_is_not_overwritten(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    broken = "[weight]\ntolerance_g = 'twenty'\n"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[weight\] tolerance_g"):
        save_devices(path, DeviceSettings(scale=ScaleDeviceConfig(kind="none")), db, "b", user(db))
    assert path.read_text(encoding="utf-8") == broken and audit_rows(db) == []


def test_when_the_audit_cannot_be_written_the_file_stays_as_it_was(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "station.toml"
    path.write_text(STATION_TOML, encoding="utf-8")
    devices = DeviceSettings(scale=ScaleDeviceConfig(kind="none"))
    sam = user(db)
    with db.engine.begin() as conn:  # the audit log refuses every row from now on
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    with pytest.raises(Exception, match="no"):
        save_devices(path, devices, db, "bench-7", sam)
    assert path.read_text(encoding="utf-8") == STATION_TOML
    assert not list(tmp_path.glob(".station.toml.*"))


def test_a_file_that_cannot_be_written_says_why(db: Database, tmp_path: Path) -> None:
    # A file where the configuration folder should be: refused with the system's reason
    # (this works as root too, where a read-only folder would not stop the write).
    (tmp_path / "pack-station").write_text("not a folder", encoding="utf-8")
    path = tmp_path / "pack-station" / "station.toml"
    devices = DeviceSettings(scale=ScaleDeviceConfig(kind="none"))
    with pytest.raises(OSError, match=r"Not a directory|File exists"):
        save_devices(path, devices, db, "bench-7", user(db))
    assert audit_rows(db) == []


@pytest.mark.parametrize(
    ("who", "refusal"),
    [("packer", r"alice \(packer\) may not change settings"), ("nobody", "nobody is signed in")],
)
def test_only_a_role_that_may_change_settings_saves(
    db: Database, tmp_path: Path, who: str, refusal: str
) -> None:
    path = tmp_path / "station.toml"
    path.write_text(STATION_TOML, encoding="utf-8")
    by = user(db, "alice", Role.PACKER) if who == "packer" else None
    devices = DeviceSettings(scale=ScaleDeviceConfig(kind="none"))
    with pytest.raises(PermissionDenied, match=refusal):
        save_devices(path, devices, db, "bench-7", by)
    assert path.read_text(encoding="utf-8") == STATION_TOML and audit_rows(db) == []
