"""Station settings: a TOML file (platform config directory or ``--config``) plus environment.

Every section has defaults that run the demo (emulated devices, embedded hub), so a first start
needs no file at all. Environment variables override the file: ``STATION_DB`` for the database
path, ``STATION_NAME`` for the station's name.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from drivers.registry import (
    AnyDeviceConfig,
    CameraDeviceConfig,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
    build_registry,
)
from station.returns.settings import ReturnsConfigError, ReturnSettings, parse_returns

APP_NAME = "pack-station"
_S = TypeVar("_S")


def default_data_dir() -> Path:
    """Where the database, photos and labels live unless configured otherwise."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    """The TOML file read when no ``--config`` is given."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "station.toml"


@dataclass(frozen=True)
class BarcodeSettings:
    """Regular expressions (full match) that give a scan its meaning, and the GS placeholder."""

    order: str = r"(?:SO|ORD)-?\d{3,}"
    tote: str = r"TOTE-\d{1,6}"
    box_type: str = r"BOX-[A-Z0-9]{1,12}"
    badge: str = r"BADGE-[A-Z0-9]{2,32}"
    cmd_complete: str = r"CMD-COMPLETE"
    cmd_undo: str = r"CMD-UNDO"
    cmd_new_box: str = r"CMD-NEWBOX"
    cmd_confirm: str = r"CMD-CONFIRM"
    cmd_cancel: str = r"CMD-CANCEL"
    # One group: the quantity that applies to the next item scan.
    quantity: str = r"QTY-(\d{1,4})"
    # A return authorisation's own barcode (read by station.returns, not by the Interpreter).
    rma: str = r"RMA-?\d{3,}"
    # What the scanner sends in place of GS (ASCII 29) when it cannot send GS itself;
    # empty means only the real GS character separates GS1 fields.
    gs_placeholder: str = ""


@dataclass(frozen=True)
class PackingSettings:
    """Rules of the pack verification engine."""

    # A lot whose expiry is closer than this many days is refused.
    min_days_to_expiry: int = 0
    # Quantities above this need a supervisor's badge or PIN.
    max_quantity_without_supervisor: int = 10
    # Short-ship and damage reason codes offered to the packer.
    short_ship_reasons: tuple[str, ...] = ("out_of_stock", "damaged", "not_found", "customer")
    damage_reasons: tuple[str, ...] = ("crushed", "broken", "wet", "packaging", "other")


@dataclass(frozen=True)
class WeightSettings:
    """``[weight]``: how a package's weight is checked against what its items should weigh."""

    # Tolerance: the larger of the two wins (products may override both).
    tolerance_g: float = 20.0
    tolerance_pct: float = 3.0
    # Tape, void fill and paperwork on top of the box tare, per package.
    packing_material_g: float = 15.0
    # Readings in a row that must agree (at the scale's resolution) before a weight is taken.
    stable_readings: int = 3
    # Scale-confirmed scans: with the box on the scale, each scanned unit must add about
    # one unit's weight (catches a unit scanned twice or dropped in unscanned).
    scale_confirmed_scans: bool = False
    scan_tolerance_g: float = 10.0
    scan_tolerance_pct: float = 15.0
    # A product with no catalog weight gets an estimate after this many verified packs.
    learn_min_samples: int = 3


@dataclass(frozen=True)
class PhotoSettings:
    """``[photos]``: photo proof of each package."""

    mode: str = "optional"  # "required", "optional" or "off"
    folder: str = ""  # empty: "photos" beside the database
    retention_days: int = 90
    # A 1920x1080 frame at quality 90 averaged 206 KB (6 GB over the retention of a busy
    # bench); 1280 wide at 70 keeps labels and barcodes readable at about 50-100 KB.
    jpeg_quality: int = 70
    max_width: int = 1280  # wider frames are scaled down (aspect kept) before the caption


@dataclass(frozen=True)
class PrivacySettings:
    """``[privacy]``: how long personal data and printed labels stay on the station."""

    # Customer and ship-to data is purged this many days after the order shipped.
    personal_data_days: int = 30
    # The bytes of finished print jobs (labels carry the address) are cleared after this.
    label_days: int = 30


@dataclass(frozen=True)
class LabelSettings:
    """``[labels]``: sender, SSCC numbering and printing behaviour."""

    dpi: int = 203
    sender_name: str = "Pack Station Demo Hub"
    sender_street: str = "1 Depot Lane"
    sender_city: str = "Amsterdam"
    sender_postcode: str = "1011 AA"
    sender_country: str = "NL"
    # GS1 company prefix and extension digit for the SSCC of each package.
    gs1_company_prefix: str = "0614141"
    sscc_extension: int = 0
    # CN22 applies up to this weight and value; above either, CN23.
    cn22_max_weight_g: float = 2000.0
    cn22_max_value: float = 300.0
    auto_print: bool = True
    # Scanning the printed label on the box confirms it belongs to this package.
    scan_back: bool = False


@dataclass(frozen=True)
class DeviceSettings:
    """``[devices]``: the bench's scanner, scale, printer and camera.

    Each sub-table (``[devices.scale]``...) is the driver registry's config dataclass, so what
    the file can say is exactly what ``drivers.registry`` can build. The defaults are the
    emulated devices (and no camera): a first start shows a live weight without hardware.
    """

    scanner: ScannerDeviceConfig = field(default_factory=ScannerDeviceConfig)
    scale: ScaleDeviceConfig = field(default_factory=ScaleDeviceConfig)
    printer: PrinterDeviceConfig = field(default_factory=PrinterDeviceConfig)
    camera: CameraDeviceConfig = field(default_factory=CameraDeviceConfig)


@dataclass(frozen=True)
class Settings:
    """All of the station's settings."""

    station_name: str = "bench-1"
    db_path: Path = field(default_factory=lambda: default_data_dir() / "station.sqlite")
    barcodes: BarcodeSettings = field(default_factory=BarcodeSettings)
    packing: PackingSettings = field(default_factory=PackingSettings)
    devices: DeviceSettings = field(default_factory=DeviceSettings)
    weight: WeightSettings = field(default_factory=WeightSettings)
    photos: PhotoSettings = field(default_factory=PhotoSettings)
    labels: LabelSettings = field(default_factory=LabelSettings)
    returns: ReturnSettings = field(default_factory=ReturnSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)

    @property
    def photo_dir(self) -> Path:
        """Where photos are stored (by SHA-256)."""
        if self.photos.folder:
            return Path(self.photos.folder).expanduser()
        return self.db_path.parent / "photos"


class ConfigError(ValueError):
    """The configuration file is unreadable or holds a value of the wrong kind."""


def _section(cls: type[_S], data: dict[str, Any], name: str) -> _S:
    """Build a settings section from a TOML table, refusing unknown keys and wrong kinds."""
    defaults = cls()
    known = {f.name for f in fields(defaults)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"[{name}] {key}: unknown setting")
        default = getattr(defaults, key)
        if isinstance(default, tuple):
            if not isinstance(value, list):
                raise ConfigError(f"[{name}] {key}: expected a list")
            value = tuple(value)  # noqa: PLW2901 - TOML lists become tuples
        elif type(value) is not type(default) and not (
            isinstance(default, float) and type(value) is int
        ):
            raise ConfigError(
                f"[{name}] {key}: expected {type(default).__name__}, got {type(value).__name__}"
            )
        values[key] = value
    return cls(**values)


def _table(data: dict[str, Any], key: str, name: str) -> dict[str, Any]:
    """The sub-table ``key`` of ``data`` (empty if absent); ConfigError if it is not a table."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{name}] must be a table, not {type(value).__name__}")
    return value


def _devices(data: dict[str, Any]) -> DeviceSettings:
    """``[devices]`` and its sub-tables, each kind checked against the driver registry."""
    roles: dict[str, type[AnyDeviceConfig]] = {
        "scanner": ScannerDeviceConfig,
        "scale": ScaleDeviceConfig,
        "printer": PrinterDeviceConfig,
        "camera": CameraDeviceConfig,
    }
    unknown = set(data) - set(roles)
    if unknown:
        raise ConfigError(f"[devices] {sorted(unknown)[0]}: unknown device; use {', '.join(roles)}")
    registry = build_registry()
    sections: dict[str, Any] = {}
    for role, cls in roles.items():
        name = f"devices.{role}"
        section = _section(cls, _table(data, role, name), name)
        known = registry.kinds(role)
        if section.kind not in known:
            raise ConfigError(f"[{name}] kind: {section.kind!r} is unknown; use {', '.join(known)}")
        sections[role] = section
    return DeviceSettings(**sections)


def _returns(data: dict[str, Any]) -> ReturnSettings:
    """``[returns]``: grade scale, checklist, rules... (parsed by ``station.returns.settings``)."""
    try:
        return parse_returns(data)
    except ReturnsConfigError as exc:
        raise ConfigError(str(exc)) from exc


def load_settings(
    path: Path | None = None, env: dict[str, str] | None = None, db_path: Path | None = None
) -> Settings:
    """Read settings from ``path`` (or the default file if it exists) and the environment."""
    env = dict(os.environ) if env is None else env
    data: dict[str, Any] = {}
    file = path or default_config_path()
    if path is not None or file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read configuration {file}: {exc}") from exc
    station = data.get("station", {})
    settings = Settings(
        barcodes=_section(BarcodeSettings, data.get("barcodes", {}), "barcodes"),
        packing=_section(PackingSettings, data.get("packing", {}), "packing"),
        devices=_devices(_table(data, "devices", "devices")),
        weight=_section(WeightSettings, data.get("weight", {}), "weight"),
        photos=_section(PhotoSettings, data.get("photos", {}), "photos"),
        labels=_section(LabelSettings, data.get("labels", {}), "labels"),
        returns=_returns(_table(data, "returns", "returns")),
        privacy=_section(PrivacySettings, data.get("privacy", {}), "privacy"),
    )
    if settings.photos.mode not in ("required", "optional", "off"):
        raise ConfigError("[photos] mode: expected required, optional or off")
    if not 1 <= settings.photos.jpeg_quality <= 100:
        raise ConfigError("[photos] jpeg_quality: expected 1 to 100")
    if settings.photos.max_width < 320:
        raise ConfigError("[photos] max_width: expected at least 320 pixels")
    for key in ("personal_data_days", "label_days"):
        if getattr(settings.privacy, key) < 1:
            raise ConfigError(f"[privacy] {key}: expected at least 1 day")
    if "name" in station:
        settings = replace(settings, station_name=str(station["name"]))
    if "db" in station:
        settings = replace(settings, db_path=Path(str(station["db"])).expanduser())
    if env.get("STATION_NAME"):
        settings = replace(settings, station_name=env["STATION_NAME"])
    if env.get("STATION_DB"):
        settings = replace(settings, db_path=Path(env["STATION_DB"]).expanduser())
    if db_path is not None:
        settings = replace(settings, db_path=db_path)
    return settings
