"""Station settings: a TOML file (platform config directory or ``--config``) plus environment.

Every section has defaults that run the demo (emulated devices, embedded hub), so a first start
needs no file at all. Environment variables override the file: ``STATION_DB`` for the database
path, ``STATION_NAME`` for the station's name.
"""

from __future__ import annotations

import os
import re
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
from station.config.inserts import InsertRule, parse_inserts
from station.config.returns import ReturnsConfigError, ReturnSettings, parse_returns

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
    # Short-ship and damaged item: open the supervisor's dialog in the pack window.
    cmd_short: str = r"CMD-SHORT"
    cmd_damaged: str = r"CMD-DAMAGED"
    # One group: the number of the carrier rate shown that the packer chooses.
    cmd_rate: str = r"CMD-RATE-(\d{1,2})"
    # Packing instructions followed; the inserts shown are in the box (station.packing).
    cmd_confirm_instruction: str = r"CMD-CONFIRM-INSTR"
    cmd_inserts: str = r"CMD-INSERTS"
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
    # Quantities above this need a supervisor's badge (or badge and PIN).
    max_quantity_without_supervisor: int = 10
    # Short-ship and damage reason codes offered to the packer.
    short_ship_reasons: tuple[str, ...] = ("out_of_stock", "damaged", "not_found", "customer")
    damage_reasons: tuple[str, ...] = ("crushed", "broken", "wet", "packaging", "other")
    # Single-item batch mode: a product scanned with no order open picks the next packable
    # single-unit order holding it (priority, then age, then ``batch_tie_break``), and the
    # order completes itself once its weight passes (station.packing.batch).
    single_item_batch: bool = False
    batch_tie_break: str = "order_number"  # or "import_order" (the order they came in)
    # Kits (station.packing.kits): once a kit's components are begun, components of another
    # kit are refused until it is whole, so two half kits never share a box.
    kits_one_at_a_time: bool = False
    # Flyers and samples by rule (``[[packing.inserts]]``, station.config.inserts).
    inserts: tuple[InsertRule, ...] = ()


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
    # Weight by history (station.packing.history): once a SKU set in a box type has this many
    # verified packs, a package of it is checked against their mean and spread, and flagged
    # only when off by more than history_pct % AND history_sigma standard deviations AND
    # history_floor_g grams. history_packs: how many of the latest packs count.
    history_min_packs: int = 3
    history_pct: float = 5.0
    history_sigma: float = 2.0
    history_floor_g: float = 10.0
    history_packs: int = 50


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
class VideoSettings:
    """``[video]``: a video of each pack, from order open to complete (``station.video``)."""

    enabled: bool = False
    # A pack is a minute or two; at 5 fps and 640 px wide MJPEG takes about 2 MB a minute.
    # Frames past the cap are not written (the video says it was cut), the pack goes on.
    max_mb: float = 50.0
    fps: float = 5.0
    codec: str = "auto"  # "auto" (H.264 where OpenCV has it, else MJPEG), "h264" or "mjpeg"
    width: int = 640  # frames are scaled down to this width (aspect kept) before the text


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
    # The sender on customs forms (UPU CN 22 / CN 23) and the commercial invoice.
    sender_phone: str = "+31 20 555 0100"
    sender_email: str = "shipping@example.com"
    sender_customs_reference: str = ""  # EORI / VAT number, "if any" on the forms
    office_of_posting: str = "Amsterdam"  # CN 23 "office of origin"
    # CN 22/23 category: gift, documents, commercial_sample, returned_goods, sale_of_goods
    # or other (which needs an explanation); comments, licences and certificates if any.
    customs_category: str = "sale_of_goods"
    customs_explanation: str = ""
    customs_comments: str = ""
    licence_numbers: str = ""
    certificate_numbers: str = ""
    postal_charges: float = 6.95  # postage declared per item, in the order's currency
    incoterm: str = "DAP"  # on the commercial invoice
    # GS1 company prefix and extension digit for the SSCC of each package.
    gs1_company_prefix: str = "0614141"
    sscc_extension: int = 0
    # CN22 applies up to this gross weight, this value in SDR and this many lines; above
    # any, CN23. The value is converted at ``sdr_rates`` (units of a currency per SDR, the
    # IMF's rate of ``sdr_rate_date``).
    cn22_max_weight_g: float = 2000.0
    cn22_max_value: float = 300.0
    cn22_max_lines: int = 7
    sdr_rates: dict[str, float] = field(
        default_factory=lambda: {"EUR": 1.17, "USD": 1.37, "GBP": 1.02, "PLN": 4.98, "JPY": 205.0}
    )
    sdr_rate_date: str = "2026-01-02"
    # A font on the ZPL printer with every script (e.g. a TrueType font downloaded as
    # E:NOTOSANS.TTF), used with ^A@; empty: text font 0 lacks is sent as a graphic.
    zpl_unicode_font: str = ""
    # Dots across the ESC/POS paper; 0: the python-escpos profile's width.
    escpos_dots_per_line: int = 0
    auto_print: bool = True
    # Scanning the printed label on the box confirms it belongs to this package.
    scan_back: bool = False
    # Buy each completed package's carrier label through the hub this station is enrolled
    # with, and print it (station.ship.buyer); packages wait while the hub is out of reach.
    carrier_labels: bool = False
    # Seconds after completion in which the packer may choose the rate (a key or CMD-RATE-n);
    # then, or with 0, the rule's choice is bought.
    rate_choice_s: float = 0.0


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
    video: VideoSettings = field(default_factory=VideoSettings)

    @property
    def photo_dir(self) -> Path:
        """Where photos are stored (by SHA-256)."""
        if self.photos.folder:
            return Path(self.photos.folder).expanduser()
        return self.db_path.parent / "photos"


class ConfigError(ValueError):
    """The configuration file is unreadable or holds values of the wrong kind.

    Holds every problem found (``problems``, one per line in the message), as the importers
    do, so that a file with several mistakes is mended in one go.
    """

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems: tuple[str, ...] = problems


def _section(cls: type[_S], data: dict[str, Any], name: str, problems: list[str]) -> _S:
    """Build a settings section from a TOML table; unknown keys and wrong kinds are added to
    ``problems`` and left at their defaults, so that the next ones are found too."""
    defaults = cls()
    known = {f.name for f in fields(defaults)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            problems.append(f"[{name}] {key}: unknown setting")
            continue
        default = getattr(defaults, key)
        if isinstance(default, tuple):
            if not isinstance(value, list):
                problems.append(f"[{name}] {key}: expected a list")
                continue
            value = tuple(value)  # noqa: PLW2901 - TOML lists become tuples
        elif type(value) is not type(default) and not (
            isinstance(default, float) and type(value) is int
        ):
            got = type(value).__name__
            problems.append(f"[{name}] {key}: expected {type(default).__name__}, got {got}")
            continue
        values[key] = value
    return cls(**values)


def _table(data: dict[str, Any], key: str, name: str, problems: list[str]) -> dict[str, Any]:
    """The sub-table ``key`` of ``data``: empty if absent, or (with a problem) if not a table."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.append(f"[{name}] must be a table, not {type(value).__name__}")
        return {}
    return value


def _patterns(barcodes: BarcodeSettings, problems: list[str]) -> None:
    """Every barcode pattern compiles (as the Interpreter compiles them: ASCII, full match)."""
    for f in fields(barcodes):
        pattern = getattr(barcodes, f.name)
        if f.name == "gs_placeholder" or not pattern:
            continue  # the placeholder is text, not a pattern; empty switches a kind off
        try:
            compiled = re.compile(pattern, re.ASCII)
        except re.error as exc:
            problems.append(f"[barcodes] {f.name}: invalid regular expression: {exc}")
            continue
        if f.name == "quantity" and compiled.groups < 1:
            problems.append("[barcodes] quantity: needs one group that captures the number")


def _devices(data: dict[str, Any], problems: list[str]) -> DeviceSettings:
    """``[devices]`` and its sub-tables, each kind checked against the driver registry."""
    roles: dict[str, type[AnyDeviceConfig]] = {
        "scanner": ScannerDeviceConfig,
        "scale": ScaleDeviceConfig,
        "printer": PrinterDeviceConfig,
        "camera": CameraDeviceConfig,
    }
    for unknown in sorted(set(data) - set(roles)):
        problems.append(f"[devices] {unknown}: unknown device; use {', '.join(roles)}")
    registry = build_registry()
    sections: dict[str, Any] = {}
    for role, cls in roles.items():
        name = f"devices.{role}"
        section = _section(cls, _table(data, role, name, problems), name, problems)
        known = registry.kinds(role)
        if section.kind not in known:
            problems.append(f"[{name}] kind: {section.kind!r} is unknown; use {', '.join(known)}")
        sections[role] = section
    return DeviceSettings(**sections)


def _returns(data: dict[str, Any], problems: list[str]) -> ReturnSettings:
    """``[returns]``: grade scale, checklist, rules... (parsed by ``station.config.returns``)."""
    try:
        return parse_returns(data)
    except ReturnsConfigError as exc:
        problems.extend(exc.problems)
        return ReturnSettings()


def video_problems(video: VideoSettings) -> list[str]:
    """What is wrong with ``[video]`` (empty when nothing)."""
    problems = []
    if video.codec not in ("auto", "h264", "mjpeg"):
        problems.append("[video] codec: expected auto, h264 or mjpeg")
    if not 0.5 <= video.fps <= 30:
        problems.append("[video] fps: expected 0.5 to 30 frames a second")
    if video.max_mb <= 0:
        problems.append("[video] max_mb: expected more than 0")
    if video.width < 160:
        problems.append("[video] width: expected at least 160 pixels")
    return problems


def load_settings(
    path: Path | None = None, env: dict[str, str] | None = None, db_path: Path | None = None
) -> Settings:
    """Read settings from ``path`` (or the default file if it exists) and the environment.

    Raises :class:`ConfigError` with every problem of the file, not only the first.
    """
    env = dict(os.environ) if env is None else env
    data: dict[str, Any] = {}
    file = path or default_config_path()
    if path is not None or file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read configuration {file}: {exc}") from exc
    problems: list[str] = []

    def section(cls: type[_S], name: str) -> _S:
        return _section(cls, _table(data, name, name, problems), name, problems)

    station = _table(data, "station", "station", problems)
    barcodes = section(BarcodeSettings, "barcodes")
    _patterns(barcodes, problems)
    packing_table = dict(_table(data, "packing", "packing", problems))
    inserts = parse_inserts(packing_table.pop("inserts", []), problems)
    packing = _section(PackingSettings, packing_table, "packing", problems)
    packing = replace(packing, inserts=inserts)
    if packing.batch_tie_break not in ("order_number", "import_order"):
        problems.append("[packing] batch_tie_break: expected order_number or import_order")
    devices = _devices(_table(data, "devices", "devices", problems), problems)
    weight = section(WeightSettings, "weight")
    photos = section(PhotoSettings, "photos")
    if photos.mode not in ("required", "optional", "off"):
        problems.append("[photos] mode: expected required, optional or off")
    labels = section(LabelSettings, "labels")
    returns = _returns(_table(data, "returns", "returns", problems), problems)
    privacy = section(PrivacySettings, "privacy")
    video = section(VideoSettings, "video")
    problems += video_problems(video)
    if not 1 <= photos.jpeg_quality <= 100:
        problems.append("[photos] jpeg_quality: expected 1 to 100")
    if photos.max_width < 320:
        problems.append("[photos] max_width: expected at least 320 pixels")
    for key in ("personal_data_days", "label_days"):
        if getattr(privacy, key) < 1:
            problems.append(f"[privacy] {key}: expected at least 1 day")
    if problems:
        raise ConfigError(*problems)
    settings = Settings(
        barcodes=barcodes,
        packing=packing,
        devices=devices,
        weight=weight,
        photos=photos,
        labels=labels,
        returns=returns,
        privacy=privacy,
        video=video,
    )
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
