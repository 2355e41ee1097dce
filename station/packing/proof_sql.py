"""The proof's SQL: weight readings, package weights, boxes, photos and learned unit weights.

Plain SQL on the pack engine's cursor, inside the transaction the engine holds (as
``station.packing.journal`` is for scans), so the proof rules in ``station.packing.proof``
read as rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.config import WeightSettings
from station.outbox import append_event, sql_time
from station.packing.billed import billed_weight
from station.packing.boxes import Box, Item, suggest_box
from station.packing.journal import Journal
from station.packing.state import PackState
from station.packing.weight import (
    Expectation,
    Learned,
    ProductWeight,
    WeightSource,
    WeightStatus,
    expect,
)
from station.user_ref import UserRef


@dataclass(frozen=True)
class Reading:
    """One row of ``weight_readings`` as the engine writes it."""

    weight_g: float | None  # None when the scale gave a state instead of a weight
    scale_state: str
    raw: str
    expected_g: float | None
    tolerance_g: float | None
    decision: str
    reason: str
    hint: str = ""


def insert_reading(
    j: Journal,
    state: PackState,
    user: UserRef | None,
    r: Reading,
    approved_by: UserRef | None = None,
) -> int:
    """Record a reading and its decision, and its ``weight.recorded`` event."""
    row = j.cur.execute(
        "INSERT INTO weight_readings (package_id, user_id, weight_g, scale_state, raw, expected_g,"
        " tolerance_g, decision, reason, approved_by, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        (
            state.package_id,
            user.id if user else None,
            r.weight_g,
            r.scale_state,
            r.raw,
            r.expected_g,
            r.tolerance_g,
            r.decision,
            r.reason,
            approved_by.id if approved_by else None,
            sql_time(j.now),
        ),
    ).fetchone()
    payload: dict[str, object] = {
        "reading_id": int(row[0]),
        "order": state.order_number,
        "package": state.package_no,
        "station": j.station,
        "weight_g": r.weight_g,
        "scale_state": r.scale_state,
        "expected_g": r.expected_g,
        "tolerance_g": r.tolerance_g,
        "decision": r.decision,
        "reason": r.reason,
        "hint": r.hint,
        "user": user.name if user else None,
        "approved_by": approved_by.name if approved_by else None,
        "at": j.now.isoformat(),
    }
    append_event(j.cur, "weight.recorded", payload, j.now)
    return int(row[0])


_ITEMS = (
    "SELECT p.id, p.sku, p.unit_weight_g, p.weight_estimated, p.weight_samples,"
    " p.weight_tolerance_g, p.weight_tolerance_pct, p.length_mm, p.width_mm, p.height_mm,"
    " sum(s.quantity) FROM scans s JOIN products p ON p.id = s.product_id"
    " WHERE s.package_id = ? AND s.verdict = 'accepted' AND s.undone = 0"
    " GROUP BY p.id ORDER BY min(s.id)"
)


def package_items(j: Journal, package_id: int) -> list[ProductWeight]:
    """The products counted into a package, with what is known of their weight."""
    return [
        ProductWeight(int(pid), sku, int(qty), w, bool(est), int(n or 0), tg, tp)
        for pid, sku, w, est, n, tg, tp, _, _, _, qty in j.cur.execute(_ITEMS, (package_id,))
    ]


def box_items(j: Journal, package_id: int) -> list[Item]:
    """The products counted into a package, with their dimensions (for the box suggestion)."""
    items = []
    for _, sku, w, _, _, _, _, length, width, height, qty in j.cur.execute(_ITEMS, (package_id,)):
        dims = (length, width, height) if None not in (length, width, height) else None
        items.append(Item(sku, dims, w, int(qty)))
    return items


_BOX = "id, code, name, inner_length_mm, inner_width_mm, inner_height_mm, tare_g, max_weight_g"


def _box(row: tuple[object, ...]) -> Box:
    bid, code, name, length, width, height, tare, most = row
    dims = (float(str(length)), float(str(width)), float(str(height)))
    return Box(int(str(bid)), str(code), str(name), dims, float(str(tare)), float(str(most)))


def box_types(j: Journal) -> list[Box]:
    """Every box type the bench stocks."""
    return [_box(r) for r in j.cur.execute(f"SELECT {_BOX} FROM box_types ORDER BY id")]


def package_box(j: Journal, package_id: int) -> Box | None:
    """The box type recorded for a package (scanned by the packer), if any."""
    row = j.cur.execute(
        f"SELECT {_BOX} FROM box_types WHERE id = (SELECT box_type_id FROM packages WHERE id = ?)",
        (package_id,),
    ).fetchone()
    return None if row is None else _box(row)


def expectation(
    j: Journal, state: PackState, s: WeightSettings, *, net: bool
) -> tuple[list[ProductWeight], Expectation]:
    """The open package's items and expected weight; a box not scanned is the suggested one."""
    items = package_items(j, state.package_id)
    box = package_box(j, state.package_id)
    if net:
        tare, note = 0.0, "net weight: box tared on the scale"
    elif box is not None:
        tare, note = box.tare_g, ""
    else:
        billed = billed_weight(j.cur)  # the box the screen suggests
        guess = suggest_box(box_items(j, state.package_id), box_types(j), billed).box
        tare = guess.tare_g if guess else 0.0
        note = f"box not scanned: assumed {guess.code}" if guess else "no box: tare not counted"
    return items, expect(items, tare, s, note)


def order_weights(j: Journal, order_id: int, min_samples: int) -> list[tuple[str, float]]:
    """(SKU, usable unit weight) of the order's products and kit components."""
    rows = j.cur.execute(
        "SELECT id, sku, unit_weight_g, weight_estimated, weight_samples FROM products"
        " WHERE id IN (SELECT product_id FROM order_lines WHERE order_id = ?"
        " UNION SELECT k.component_id FROM kit_components k"
        " JOIN order_lines l ON l.product_id = k.kit_id WHERE l.order_id = ?)",
        (order_id, order_id),
    ).fetchall()
    out = []
    for pid, sku, w, est, n in rows:
        p = ProductWeight(int(pid), sku, 1, w, bool(est), int(n or 0))
        if w is not None and p.source(min_samples) is not WeightSource.UNKNOWN:
            out.append((str(sku), float(w)))
    return out


def unit_weight(j: Journal, product_id: int, min_samples: int) -> float | None:
    """A product's usable unit weight (catalog, or an estimate with enough samples)."""
    w, est, n = j.cur.execute(
        "SELECT unit_weight_g, weight_estimated, weight_samples FROM products WHERE id = ?",
        (product_id,),
    ).fetchone()
    p = ProductWeight(product_id, "", 1, w, bool(est), int(n or 0))
    return None if p.source(min_samples) is WeightSource.UNKNOWN else w


def package_weight(j: Journal, package_id: int) -> tuple[WeightStatus, float | None, float | None]:
    """A package's weight status, last measured weight and expected weight."""
    status, weight_g, expected_g = j.cur.execute(
        "SELECT weight_status, weight_g, expected_weight_g FROM packages WHERE id = ?",
        (package_id,),
    ).fetchone()
    try:
        return WeightStatus(status), weight_g, expected_g
    except ValueError:
        return WeightStatus.PENDING, weight_g, expected_g


def set_package_weight(
    j: Journal, package_id: int, status: WeightStatus, weight_g: float, e: Expectation
) -> None:
    """Store a package's weight decision."""
    j.cur.execute(
        "UPDATE packages SET weight_status = ?, weight_g = ?, expected_weight_g = ? WHERE id = ?",
        (status.value, weight_g, e.expected_g, package_id),
    )


def set_status(j: Journal, package_id: int, status: WeightStatus) -> None:
    """Change only a package's weight status (an override)."""
    j.cur.execute("UPDATE packages SET weight_status = ? WHERE id = ?", (status.value, package_id))


def reset_weight(j: Journal, package_id: int) -> None:
    """The package changed: its weight check starts over (a no-op on the usual pending row)."""
    j.cur.execute(
        "UPDATE packages SET weight_status = 'pending', weight_g = NULL, expected_weight_g = NULL"
        " WHERE id = ? AND weight_status != 'pending'",
        (package_id,),
    )


def has_photo(j: Journal, package_id: int) -> bool:
    """True if a photo of the closed package (not of an exception) is recorded."""
    # An exception photo (damage) shows an item, not the closed box: it does not count.
    row = j.cur.execute(
        "SELECT 1 FROM photos WHERE package_id = ? AND kind IN ('completion', 'package') LIMIT 1",
        (package_id,),
    )
    return row.fetchone() is not None


def store_learned(j: Journal, learned: Learned, user_id: int | None) -> None:
    """Store a learned unit weight, flagged as an estimate for review, and audit it."""
    j.cur.execute(
        "UPDATE products SET unit_weight_g = ?, weight_estimated = 1, weight_samples = ?,"
        " updated_at = ? WHERE id = ?",
        (learned.unit_weight_g, learned.samples, sql_time(j.now), learned.product_id),
    )
    j.audit(
        user_id,
        "weight.learned",
        "product",
        learned.sku,
        {"unit_weight_g": learned.unit_weight_g, "samples": learned.samples},
    )
