"""Writing ``[devices.*]`` back into the station's TOML file, for the devices screen.

The screen hands over what its fields say, as text; :func:`parse_devices` turns that into the
driver registry's config dataclasses and :func:`check_devices` refuses what the station could
not run, with :class:`DeviceSettingsError` naming the field (``devices.scale.baud``).
:func:`save_devices` then rewrites only the ``[devices.*]`` tables of the file with tomlkit, so
every other table and every comment stays as the person who wrote it left it, checks that
``load_settings`` reads the new file back to the same devices, and records who changed what
in the audit log, in the same transaction as the file is replaced.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol, TypeVar

import tomlkit
import tomlkit.exceptions
from tomlkit.items import Table

from drivers.printer.url import UsbUrl, parse_printer_url
from drivers.registry import (
    NONE,
    SCALE_PROTOCOLS,
    AnyDeviceConfig,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
    build_registry,
    parse_vid_pid,
)
from station.audit import append_audit
from station.config import ConfigError, DeviceSettings, load_settings
from station.db import Database
from station.db.models import utcnow
from station.permissions import Action, Actor, require

ROLES = ("scanner", "scale", "printer", "camera")
AUDIT_ACTION = "settings_changed"
# What a serial line usually runs at; any positive rate is accepted (some scales differ).
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
SCANNER_SUFFIXES = ("auto", "cr", "lf", "crlf", "tab")
SCALE_UNITS = ("kg", "lb", "g")
PRINTER_LANGUAGES = ("zpl", "escpos")
PRINTER_DPIS = (203, 300)

Value = str | int | float | bool
_Config = TypeVar("_Config", bound=AnyDeviceConfig)


class DeviceSettingsError(ValueError):
    """A device setting that cannot be saved; ``field`` is ``devices.<role>.<key>``."""

    def __init__(self, field: str, message: str) -> None:
        section, _, key = field.rpartition(".")
        super().__init__(f"[{section}] {key}: {message}")
        self.field = field


@dataclass(frozen=True)
class SettingChange:
    """One setting the save changed, as the audit log records it."""

    field: str  # devices.<role>.<key>
    old: Value
    new: Value

    def as_json(self) -> dict[str, object]:
        """The change as the audit entry's detail lists it."""
        return {"field": self.field, "old": self.old, "new": self.new}


# --- from the screen's text to settings ------------------------------------------------


def parse_devices(form: Mapping[str, Mapping[str, str]], base: DeviceSettings) -> DeviceSettings:
    """``base`` with the fields the screen shows replaced by its text, converted and checked.

    ``form`` maps a role to ``{key: text}``; keys it does not give keep ``base``'s value, so
    settings the screen does not show (poll interval, status interval...) survive a save.
    """
    roles = {role: parse_role(role, form.get(role, {}), getattr(base, role)) for role in ROLES}
    return DeviceSettings(**roles)


def parse_role(role: str, given: Mapping[str, str], base: _Config) -> _Config:
    """One role's config: ``base`` with ``given`` texts converted, then checked."""
    known = {f.name for f in fields(base)}
    changes: dict[str, Any] = {}
    for key, text in given.items():
        if key not in known:
            raise DeviceSettingsError(f"devices.{role}.{key}", "unknown setting")
        changes[key] = _convert(f"devices.{role}.{key}", text, getattr(base, key))
    config = replace(base, **changes)
    check_role(role, config)
    return config


def _convert(field: str, text: str, default: Value) -> Value:
    """``text`` as a value of ``default``'s type; the error says what was expected."""
    value = text.strip()
    if isinstance(default, bool):
        if value.lower() in ("true", "yes", "1"):
            return True
        if value.lower() in ("false", "no", "0"):
            return False
        raise DeviceSettingsError(field, f"expected true or false, got {text!r}")
    if isinstance(default, int):
        try:
            return int(value)
        except ValueError:
            raise DeviceSettingsError(field, f"expected a whole number, got {text!r}") from None
    if isinstance(default, float):
        try:
            return float(value)
        except ValueError:
            raise DeviceSettingsError(field, f"expected a number, got {text!r}") from None
    return value


def check_devices(devices: DeviceSettings) -> None:
    """Refuse settings the station could not run; the error names the first bad field."""
    for role in ROLES:
        check_role(role, getattr(devices, role))


def check_role(role: str, config: AnyDeviceConfig) -> None:
    """Refuse one role's settings the station could not run, naming the field."""
    kinds = build_registry().kinds(role)
    if config.kind not in kinds:
        raise DeviceSettingsError(
            f"devices.{role}.kind", f"{config.kind!r} is unknown; use {', '.join(kinds)}"
        )
    if not config.name.strip():
        raise DeviceSettingsError(f"devices.{role}.name", "must not be empty")
    if isinstance(config, ScannerDeviceConfig):
        _check_scanner(config)
    elif isinstance(config, ScaleDeviceConfig):
        _check_scale(config)
    elif isinstance(config, PrinterDeviceConfig):
        _check_printer(config)
    elif config.kind != NONE:
        _required("devices.camera.source", config.source, "opencv", "0, /dev/video0 or a file")


def _required(field: str, value: str, kind: str, example: str) -> None:
    if not value.strip():
        raise DeviceSettingsError(field, f"required for kind {kind}, e.g. {example}")


def _one_of(field: str, value: object, choices: tuple[object, ...]) -> None:
    if value not in choices:
        raise DeviceSettingsError(
            field, f"{value!r} is not one of {', '.join(str(c) for c in choices)}"
        )


def _baud(field: str, baud: int, *, zero_ok: bool) -> None:
    if baud < 0 or (baud == 0 and not zero_ok):
        allowed = "0 (the protocol's default) or " if zero_ok else ""
        raise DeviceSettingsError(field, f"expected {allowed}a rate such as 9600, got {baud}")


def _check_scanner(scanner: ScannerDeviceConfig) -> None:
    if scanner.kind in ("serial", "emulated"):
        if scanner.kind == "serial":
            _required("devices.scanner.port", scanner.port, "serial", "/dev/ttyACM0")
        _baud("devices.scanner.baud", scanner.baud, zero_ok=False)
        _one_of("devices.scanner.suffix", scanner.suffix, SCANNER_SUFFIXES)
    if scanner.kind == "camera":
        _required("devices.scanner.source", scanner.source, "camera", "1 or /dev/video2")
        _one_of("devices.scanner.engine", scanner.engine, ("zxing",))


def _check_scale(scale: ScaleDeviceConfig) -> None:
    if scale.kind == NONE:
        return
    if scale.kind in SCALE_PROTOCOLS:
        _required("devices.scale.port", scale.port, scale.kind, "/dev/ttyUSB0")
        _baud("devices.scale.baud", scale.baud, zero_ok=True)
    if scale.unit or scale.kind == "toledo8217":  # the 8217 sends no unit of its own
        _one_of("devices.scale.unit", scale.unit, SCALE_UNITS)
    if scale.kind == "hid" and scale.hid.strip():
        try:
            parse_vid_pid(scale.hid)
        except ValueError as exc:
            raise DeviceSettingsError("devices.scale.hid", str(exc)) from None
    if scale.kind == "emulated":
        _one_of("devices.scale.protocol", scale.protocol, tuple(SCALE_PROTOCOLS))
        try:
            Decimal(scale.demo_weight)
        except InvalidOperation:
            raise DeviceSettingsError(
                "devices.scale.demo_weight", f"expected a number, got {scale.demo_weight!r}"
            ) from None
    if scale.stable_count < 1:
        raise DeviceSettingsError("devices.scale.stable_count", "must be at least 1")
    if scale.poll_interval_s <= 0:
        raise DeviceSettingsError("devices.scale.poll_interval_s", "must be more than 0")


def _check_printer(printer: PrinterDeviceConfig) -> None:
    if printer.kind == NONE:
        return
    if printer.kind in PRINTER_LANGUAGES:
        _required("devices.printer.url", printer.url, printer.kind, "tcp://192.168.1.50:9100")
        try:
            url = parse_printer_url(printer.url)
        except ValueError as exc:
            raise DeviceSettingsError("devices.printer.url", str(exc)) from None
        if isinstance(url, UsbUrl) and printer.kind != "escpos":
            raise DeviceSettingsError(
                "devices.printer.url", "usb: printers are driven as ESC/POS only"
            )
    if printer.kind == "lp":
        _required("devices.printer.url", printer.url, "lp", "cups:Office")
    _one_of("devices.printer.language", printer.language, PRINTER_LANGUAGES)
    _one_of("devices.printer.dpi", printer.dpi, PRINTER_DPIS)
    if printer.timeout_s <= 0:
        raise DeviceSettingsError("devices.printer.timeout_s", "must be more than 0")


# --- what changed, and the file ---------------------------------------------------------


def device_changes(old: DeviceSettings, new: DeviceSettings) -> list[SettingChange]:
    """Every setting that differs between ``old`` and ``new``, role by role."""
    changes: list[SettingChange] = []
    for role in ROLES:
        before: AnyDeviceConfig = getattr(old, role)
        after: AnyDeviceConfig = getattr(new, role)
        for f in fields(after):
            was, now = getattr(before, f.name), getattr(after, f.name)
            if was != now:
                changes.append(SettingChange(f"devices.{role}.{f.name}", was, now))
    return changes


def devices_document(text: str, devices: DeviceSettings) -> str:
    """``text`` (a TOML document) with its ``[devices.*]`` tables saying ``devices``.

    Only keys whose value changes are assigned (tomlkit keeps a line's comment when its value
    is replaced); a key the file does not have is added only when it differs from the default,
    so a file stays as short as its author wrote it. Everything else is left untouched.
    """
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(f"the configuration is not valid TOML: {exc}") from exc
    defaults = DeviceSettings()
    if "devices" not in doc:
        doc.add("devices", tomlkit.table(is_super_table=True))
    section = doc["devices"]
    if not isinstance(section, dict):
        raise ConfigError("[devices] must be a table")
    for role in ROLES:
        config: AnyDeviceConfig = getattr(devices, role)
        default: AnyDeviceConfig = getattr(defaults, role)
        table: Any = section.get(role)
        created = table is None
        if created:
            if config == default:
                continue
            table = tomlkit.table()
        if not isinstance(table, dict):
            raise ConfigError(f"[devices.{role}] must be a table")
        for f in fields(config):
            value = getattr(config, f.name)
            if f.name in table:
                if table[f.name] != value:
                    table[f.name] = value
            elif value != getattr(default, f.name):
                table[f.name] = value
        if created and isinstance(table, Table):
            table.add(tomlkit.nl())  # a blank line before whatever table follows
            section[role] = table
    return tomlkit.dumps(doc)


def read_devices(path: Path) -> DeviceSettings:
    """The devices ``path`` configures now (the defaults when there is no file yet)."""
    if not path.exists():
        return DeviceSettings()
    return load_settings(path, env={}).devices


class Editor(Actor, Protocol):
    """Whoever saves: a signed-in user (``BenchUser``, ``UserRef``) with an id to audit."""

    @property
    def id(self) -> int: ...


def save_devices(
    path: Path,
    devices: DeviceSettings,
    db: Database,
    station: str,
    by: Editor | None,
    now: datetime | None = None,
) -> list[SettingChange]:
    """Write ``devices`` into ``path`` and audit the change as ``by``'s; returns what changed.

    Only a role that may change settings may save (PermissionDenied names who tried).
    Nothing is written when nothing changed. The new file is read back with ``load_settings``
    before it replaces the old one (a file the station cannot start with is never saved), and
    it replaces the old one inside the audit entry's transaction: either both happen or
    neither does. Raises ConfigError (the file as it is cannot be read) or OSError (it cannot
    be written: the message says why, e.g. permission denied).
    """
    require(by, Action.CHANGE_SETTINGS)
    assert by is not None  # require() refuses nobody
    check_devices(devices)
    old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    changes = device_changes(read_devices(path), devices)
    if not changes:
        return []
    new_text = devices_document(old_text, devices)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _write_beside(path, new_text)
    try:
        written = load_settings(temporary, env={}).devices
        if written != devices:  # a bug here must not leave a station that starts differently
            raise ConfigError(f"the new {path.name} would not read back as the settings saved")
        detail: dict[str, object] = {
            "file": str(path),
            "changes": [c.as_json() for c in changes],
        }
        _replace_audited(db, path, temporary, old_text, station, by.id, now or utcnow(), detail)
    finally:
        temporary.unlink(missing_ok=True)
    return changes


def _write_beside(path: Path, text: str) -> Path:
    """``text`` in a new file in ``path``'s folder (so the replace is atomic), flushed to disk,
    with the permissions of the file it replaces."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(name, path.stat().st_mode & 0o7777)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _replace_audited(
    db: Database,
    path: Path,
    temporary: Path,
    old_text: str,
    station: str,
    user_id: int | None,
    now: datetime,
    detail: dict[str, object],
) -> None:
    raw = db.engine.raw_connection()
    conn = raw.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    cur = conn.cursor()
    replaced = False
    try:
        cur.execute("BEGIN IMMEDIATE")
        try:
            append_audit(cur, now, station, user_id, AUDIT_ACTION, "settings", "devices", detail)
            os.replace(temporary, path)
            replaced = True
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            if replaced:  # the audit did not commit: the file goes back to what it said
                with contextlib.suppress(OSError):
                    _write_back(path, old_text)
            raise
    finally:
        cur.close()
        raw.close()


def _write_back(path: Path, text: str) -> None:
    if not text:
        path.unlink(missing_ok=True)
        return
    os.replace(_write_beside(path, text), path)
