"""Catalog import: products, their barcodes and kit components, from CSV or JSON.

One row (or JSON object) per product. A SKU already in the database is updated in place (its
id stays, so order lines and scans keep pointing at it) and its barcodes and kit components
are replaced by the file's.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session, aliased

from station.audit import record_audit
from station.db import Database
from station.db.models import (
    KitComponent,
    Product,
    ProductBarcode,
    ProductImage,
    Tracking,
    utcnow,
)
from station.gtin import barcode_key
from station.importers.common import (
    FieldError,
    ImportReport,
    Problems,
    check_keys,
    chunks,
    country,
    file_format,
    hs_code,
    insert_rows,
    non_negative,
    optional_text,
    paused_gc,
    positive,
    read_csv,
    read_json_array,
    read_text,
    required_text,
    text,
    update_rows,
    whole,
)
from station.importers.common import barcode_problem as _barcode_problem
from station.importers.images import Fetch, ImageLoader

REQUIRED = ("sku", "name", "barcode", "weight_g")
OPTIONAL = (
    "length_mm",
    "width_mm",
    "height_mm",
    "tracking",
    "category",
    "unit_value",
    "hs_code",
    "origin_country",
    "kit_components",
    "instructions",
    "image",
    "confirm_instruction",
    "hazmat",
)
_TRACKING = {t.value: t for t in Tracking}
_YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False,
           "false": False, "0": False, "": False}  # fmt: skip
# A UN number as the dangerous-goods lists write it (UN3481: lithium ion in equipment).
_UN_NUMBER = re.compile(r"UN\d{4}")

# The Core tables, for executemany inserts and updates without per-row ORM objects.
_products = cast(Table, Product.__table__)
_barcodes = cast(Table, ProductBarcode.__table__)
_kit_components = cast(Table, KitComponent.__table__)
_images = cast(Table, ProductImage.__table__)


@dataclass
class _Draft:
    """One validated row: the product's column values, barcodes and kit components."""

    row: int
    sku: str
    values: dict[str, Any]
    barcodes: list[tuple[str, str]]  # (lookup key, raw as given)
    components: list[tuple[str, int]] | None  # (component SKU, quantity) when a kit


def import_catalog(
    db: Database, path: Path, *, station: str = "", fetch: Fetch | None = None
) -> ImportReport:
    """Import a catalog file (.csv or .json) in one transaction, or raise ImportFailed.

    ``fetch`` reads an ``image`` given as a URL (the hub's, limited to its allowed hosts);
    without it only file paths are taken.
    """
    with paused_gc():
        return _import_catalog(db, path, station, ImageLoader(path.parent, fetch))


def _import_catalog(db: Database, path: Path, station: str, images: ImageLoader) -> ImportReport:
    started = time.perf_counter()
    fmt = file_format(path)
    source = read_text(path)
    problems = Problems()
    drafts, rows = (
        _parse_csv(source, problems, images)
        if fmt == "csv"
        else _parse_json(source, problems, images)
    )
    _check_within_file(drafts, problems)
    with db.session() as session:
        # The database checks run in the write transaction (BEGIN IMMEDIATE), so what they saw
        # is still true when the rows are written.
        existing = _existing_products(session, [d.sku for d in drafts])
        outside_ids = _check_against_database(session, drafts, existing, problems)
        problems.raise_if_any()
        details = _write(session, drafts, existing, outside_ids)
        _write_images(session, images)
        created = len(drafts) - sum(1 for d in drafts if d.sku in existing)
        updated = len(drafts) - created
        record_audit(
            session,
            station,
            None,
            "import.catalog",
            detail={"file": str(path), "rows": rows, "created": created, "updated": updated},
        )
        session.commit()
    return ImportReport(
        kind="catalog",
        file=str(path),
        rows=rows,
        created=created,
        updated=updated,
        seconds=time.perf_counter() - started,
        details=details,
    )


# ---- parsing -------------------------------------------------------------------------------


def _parse_csv(source: str, problems: Problems, images: ImageLoader) -> tuple[list[_Draft], int]:
    table = read_csv(source, REQUIRED, OPTIONAL, problems)
    if problems:
        # A missing or misspelt column would make every row "required": the header says it.
        return [], len(table.rows)
    drafts = []
    for n, row in enumerate(table.rows, start=1):
        record = dict(zip(table.columns, row, strict=False))
        draft = _parse_record(n, record.get, problems, images)
        if draft is not None:
            drafts.append(draft)
    return drafts, len(table.rows)


def _parse_json(source: str, problems: Problems, images: ImageLoader) -> tuple[list[_Draft], int]:
    items = read_json_array(source)
    drafts = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.row(n, "expected an object")
            continue
        check_keys(item, n, REQUIRED + OPTIONAL, problems)
        draft = _parse_record(n, item.get, problems, images)
        if draft is not None:
            drafts.append(draft)
    return drafts, len(items)


def _parse_record(
    n: int,
    get: Callable[[str], object],
    problems: Problems,
    images: ImageLoader,
) -> _Draft | None:
    """Validate one product, recording problems; None if it has no usable SKU."""
    values: dict[str, Any] = {}

    def field(column: str, key: str, parse: Callable[[object], Any]) -> None:
        try:
            values[key] = parse(get(column))
        except FieldError as exc:
            problems.add(n, column, str(exc))

    field("sku", "sku", lambda v: required_text(v, 64))
    field("name", "name", lambda v: required_text(v, 200))
    field("weight_g", "unit_weight_g", _required_weight)
    field("length_mm", "length_mm", positive)
    field("width_mm", "width_mm", positive)
    field("height_mm", "height_mm", positive)
    field("tracking", "tracking", _tracking)
    field("category", "category", lambda v: optional_text(v, 64))
    field("unit_value", "unit_value", non_negative)
    field("hs_code", "hs_code", hs_code)
    field("origin_country", "origin_country", country)
    field("instructions", "instructions", lambda v: optional_text(v, 2000))
    field("image", "image_sha256", lambda v: _sha_of(images.load(v)))
    field("confirm_instruction", "confirm_instruction", _yes_no)
    field("hazmat", "hazmat", _hazmat)
    barcodes = _barcodes_of(n, get("barcode"), "barcode", problems)
    components = _components_of(n, get("kit_components"), "kit_components", problems)
    if "sku" not in values:
        return None
    # Returned even with problems, so that its barcodes and components are checked against
    # the database too; nothing is written while any problem stands.
    values["is_kit"] = components is not None
    return _Draft(n, values["sku"], values, barcodes, components)


def _required_weight(value: object) -> float:
    result = non_negative(value)
    if result is None:
        raise FieldError("required")
    return result


def _sha_of(image: object) -> str | None:
    return getattr(image, "sha256", None)


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    s = text(value).lower()
    if s not in _YES_NO:
        raise FieldError(f"expected yes or no ({s!r})")
    return _YES_NO[s]


def _hazmat(value: object) -> str | None:
    s = text(value).upper().replace(" ", "")
    if not s:
        return None
    if not _UN_NUMBER.fullmatch(s):
        raise FieldError(f"expected a UN number such as UN3481 ({text(value)!r})")
    return s


def _tracking(value: object) -> Tracking:
    s = text(value).lower()
    if not s:
        return Tracking.NONE
    try:
        return _TRACKING[s]
    except KeyError:
        raise FieldError(f"not one of {', '.join(_TRACKING)} ({s!r})") from None


def _barcodes_of(n: int, value: object, column: str, problems: Problems) -> list[tuple[str, str]]:
    """The (key, raw) pairs of a ``|``-separated string or a JSON list; at least one."""
    raws: list[str] = []
    before = len(problems)
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, int | float) and not isinstance(item, bool):
            # A JSON number drops leading zeros: 036000291452 would arrive as 36000291452,
            # an internal code no scanner produces.
            problems.add(n, column, f"a JSON number ({item}); write barcodes as strings")
            continue
        try:
            raws.extend(text(item).split("|"))
        except FieldError as exc:
            problems.add(n, column, str(exc))
    raws = [r for r in (r.strip() for r in raws) if r]
    if not raws:
        if len(problems) == before:
            problems.add(n, column, "required")
        return []
    result: list[tuple[str, str]] = []
    keys: set[str] = set()
    for raw in raws:
        reason = _barcode_problem(raw)
        if reason:
            problems.add(n, column, reason)
            continue
        key = barcode_key(raw)
        # The same GTIN in two forms (UPC-A and its EAN-13 with a leading 0) is one barcode.
        if key not in keys:
            keys.add(key)
            result.append((key, raw))
    return result


def _components_of(
    n: int, value: object, column: str, problems: Problems
) -> list[tuple[str, int]] | None:
    """Kit components from ``SKU-A:2|SKU-B:1`` or a JSON list of {sku, quantity}; None if none."""
    pairs: list[tuple[object, object, str]] = []  # (sku, quantity, as written)
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                pairs.append((item.get("sku"), item.get("quantity", 1), repr(item)))
            else:
                problems.add(n, column, f"expected {{sku, quantity}} objects, got {item!r}")
    else:
        try:
            s = text(value)
        except FieldError as exc:
            problems.add(n, column, str(exc))
            return None
        for part in (p.strip() for p in s.split("|")):
            if not part:
                continue
            sku_text, sep, qty_text = part.rpartition(":")
            if not sep or not sku_text.strip():
                problems.add(n, column, f"{part!r} is not SKU:QUANTITY")
                continue
            pairs.append((sku_text, qty_text, part))
    if not pairs:
        return None
    result: list[tuple[str, int]] = []
    seen: set[str] = set()
    for sku_value, qty_value, written in pairs:
        try:
            component = required_text(sku_value, 64)
            qty = whole(qty_value)
        except FieldError as exc:
            problems.add(n, column, f"{written}: {exc}")
            continue
        if qty is None or qty <= 0:
            problems.add(n, column, f"{written}: quantity must be a positive whole number")
            continue
        if component in seen:
            problems.add(n, column, f"{component!r} is listed twice")
            continue
        seen.add(component)
        result.append((component, qty))
    return result


# ---- checks --------------------------------------------------------------------------------


def _check_within_file(drafts: list[_Draft], problems: Problems) -> None:
    first_row: dict[str, int] = {}
    barcode_owner: dict[str, tuple[int, str]] = {}
    for d in drafts:
        if d.sku in first_row:
            problems.add(d.row, "sku", f"{d.sku!r} is also on row {first_row[d.sku]}")
            continue
        first_row[d.sku] = d.row
        for key, raw in d.barcodes:
            owner = barcode_owner.get(key)
            if owner is not None:
                problems.add(
                    d.row, "barcode", f"{raw} is also on row {owner[0]} (SKU {owner[1]!r})"
                )
            else:
                barcode_owner[key] = (d.row, d.sku)


def _existing_products(session: Session, skus: list[str]) -> dict[str, tuple[int, bool]]:
    """SKU -> (id, is_kit) of those of ``skus`` already in the database."""
    found: dict[str, tuple[int, bool]] = {}
    for part in chunks(sorted(set(skus))):
        for sku, pid, is_kit in session.execute(
            select(Product.sku, Product.id, Product.is_kit).where(Product.sku.in_(part))
        ):
            found[sku] = (pid, bool(is_kit))
    return found


def _check_against_database(
    session: Session,
    drafts: list[_Draft],
    existing: Mapping[str, tuple[int, bool]],
    problems: Problems,
) -> dict[str, int]:
    """Record what clashes with the database; return the ids of components outside the file."""
    in_file = {d.sku: d for d in drafts}
    # Barcodes held by a product this file does not re-import: it keeps them, so a clash.
    owners: dict[str, str] = {}
    for part in chunks([key for d in drafts for key, _ in d.barcodes]):
        owners.update(
            session.execute(
                select(ProductBarcode.code, Product.sku)
                .join(Product, Product.id == ProductBarcode.product_id)
                .where(ProductBarcode.code.in_(part))
            ).all()
        )
    for d in drafts:
        for key, raw in d.barcodes:
            owner = owners.get(key)
            if owner is not None and owner not in in_file:
                problems.add(d.row, "barcode", f"{raw} already belongs to SKU {owner!r}")

    # Components must exist (in the file or the database), and kits do not nest: the pack
    # session expands a kit one level into what is scanned.
    wanted = {sku for d in drafts if d.components for sku, _ in d.components}
    outside = sorted(wanted - in_file.keys())
    db_is_kit: dict[str, bool] = {}
    outside_ids: dict[str, int] = {}
    for part in chunks(outside):
        for sku, pid, is_kit in session.execute(
            select(Product.sku, Product.id, Product.is_kit).where(Product.sku.in_(part))
        ):
            db_is_kit[sku] = bool(is_kit)
            outside_ids[sku] = pid
    for d in drafts:
        for sku, _ in d.components or ():
            if sku == d.sku:
                problems.add(d.row, "kit_components", "a kit cannot contain itself")
            elif sku in in_file:
                if in_file[sku].components is not None:
                    problems.add(
                        d.row, "kit_components", f"{sku!r} is a kit itself; kits cannot nest"
                    )
            elif sku not in db_is_kit:
                problems.add(d.row, "kit_components", f"unknown SKU {sku!r}")
            elif db_is_kit[sku]:
                problems.add(d.row, "kit_components", f"{sku!r} is a kit itself; kits cannot nest")

    # A product turning into a kit must not be a component of a kit the file leaves alone.
    new_kits = [d.sku for d in drafts if d.components is not None and d.sku in existing]
    kit = aliased(Product)
    component = aliased(Product)
    for part in chunks(new_kits):
        for kit_sku, comp_sku in session.execute(
            select(kit.sku, component.sku)
            .join(KitComponent, KitComponent.kit_id == kit.id)
            .join(component, component.id == KitComponent.component_id)
            .where(component.sku.in_(part))
        ):
            if kit_sku not in in_file:
                problems.add(
                    in_file[comp_sku].row,
                    "kit_components",
                    f"{comp_sku!r} is a component of kit {kit_sku!r}; kits cannot nest",
                )
    return outside_ids


# ---- writing -------------------------------------------------------------------------------


def _write_images(session: Session, images: ImageLoader) -> None:
    """Store the pictures the file named that the database lacks (kept by SHA-256)."""
    wanted = sorted(images.images)
    have: set[str] = set()
    for part in chunks(wanted):
        have.update(
            session.scalars(select(ProductImage.sha256).where(ProductImage.sha256.in_(part)))
        )
    rows = [(i.sha256, i.media_type, i.data) for sha, i in images.images.items() if sha not in have]
    insert_rows(session, _images, ("sha256", "media_type", "data"), rows)


def _write(
    session: Session,
    drafts: list[_Draft],
    existing: Mapping[str, tuple[int, bool]],
    outside_ids: Mapping[str, int],
) -> dict[str, int]:
    """Insert and update the products, replace barcodes and components; return counts."""
    now = utcnow()
    # Ids are assigned here rather than by SQLite so that barcodes and components can be
    # written with plain executemany (no RETURNING round trip). The transaction holds the
    # write lock, so max(id) cannot move underneath.
    next_id = (session.scalar(select(func.max(Product.id))) or 0) + 1
    ids: dict[str, int] = dict(outside_ids)
    new_rows: list[tuple[Any, ...]] = []
    changed_rows: list[tuple[Any, ...]] = []
    for d in drafts:
        if d.sku in existing:
            ids[d.sku] = existing[d.sku][0]
            changed_rows.append((ids[d.sku], *d.values.values(), now))
        else:
            ids[d.sku] = next_id
            new_rows.append((next_id, *d.values.values(), now))
            next_id += 1
    if drafts:
        columns = ("id", *drafts[0].values, "updated_at")
        insert_rows(session, _products, columns, new_rows)
    if changed_rows:
        update_rows(session, _products, (*drafts[0].values, "updated_at"), changed_rows)
        replaced = [row[0] for row in changed_rows]
        for part in chunks(replaced):
            session.execute(delete(_barcodes).where(_barcodes.c.product_id.in_(part)))
            session.execute(delete(_kit_components).where(_kit_components.c.kit_id.in_(part)))
    barcode_rows = [(ids[d.sku], key, raw) for d in drafts for key, raw in d.barcodes]
    insert_rows(session, _barcodes, ("product_id", "code", "raw"), barcode_rows)
    component_rows = [(ids[d.sku], ids[sku], q) for d in drafts for sku, q in d.components or ()]
    insert_rows(session, _kit_components, ("kit_id", "component_id", "quantity"), component_rows)
    return {
        "barcodes": len(barcode_rows),
        "kits": sum(1 for d in drafts if d.components is not None),
    }
