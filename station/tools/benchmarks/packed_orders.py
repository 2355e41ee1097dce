"""Packed orders written straight into the tables, for benchmarks on a big database.

Rows have the shape the pack engine writes (a completed session, closed packages weighed and
photographed, accepted scans with serials and lots, a shipping label per package), inserted
with ``executemany`` in one transaction per table chunk on a throwaway file with
``synchronous=OFF``. Not for a station's real database.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.outbox import sql_time

CATEGORIES = (
    ("apparel", "none", 0.4),
    ("home", "none", 0.2),
    ("electronics", "serial", 0.2),
    ("health", "lot_expiry", 0.1),
    ("tools", "lot", 0.1),
)
CHUNK = 20_000
PackageRow = tuple[int, int, int, int, str]  # id, session, order, seq_no, time


def _chunks(rows: Iterable[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    chunk: list[tuple[object, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(con: sqlite3.Connection, sql: str, rows: Iterable[tuple[object, ...]]) -> int:
    count = 0
    for chunk in _chunks(rows):
        con.executemany(sql, chunk)
        count += len(chunk)
    return count


def build_packed(path: Path, *, orders: int, products: int, seed: int) -> int:
    """Write ``products`` products and ``orders`` packed orders into the migrated database at
    ``path``; returns the number of rows written."""
    rng = random.Random(seed)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    t = sql_time(now)
    kinds = [rng.choices(CATEGORIES, [c[2] for c in CATEGORIES])[0] for _ in range(products)]
    written = _insert(
        con,
        "INSERT INTO products (id, sku, name, unit_weight_g, tracking, is_kit, category,"
        " unit_value, weight_estimated, weight_samples, updated_at)"
        " VALUES (?, ?, ?, ?, ?, 0, ?, ?, 0, 0, ?)",
        (
            (p + 1, f"BR-{p + 1:06d}", f"Bench product {p + 1}", 250.0, k[1], k[0],
             round(rng.uniform(5, 300), 2), t)
            for p, k in enumerate(kinds)
        ),
    )  # fmt: skip
    written += _insert(
        con,
        "INSERT INTO product_barcodes (product_id, code, raw) VALUES (?, ?, ?)",
        ((p, f"BR{p:012d}", f"BR{p:012d}") for p in range(1, products + 1)),
    )
    con.execute(
        "INSERT INTO users (id, name, role, active) VALUES (9001, 'bench-packer', 'packer', 1)"
    )
    con.execute(
        "INSERT INTO box_types (id, code, name, inner_length_mm, inner_width_mm,"
        " inner_height_mm, tare_g, max_weight_g) VALUES (9001, 'BOX-BENCH', 'Bench box',"
        " 300, 200, 150, 180, 10000)"
    )
    lines: list[tuple[object, ...]] = []
    scans: list[tuple[object, ...]] = []
    packages: list[PackageRow] = []
    for o in range(1, orders + 1):
        when = sql_time(now - timedelta(minutes=o))
        boxes = 2 if rng.random() < 0.1 else 1
        for b in range(boxes):
            packages.append((o * 2 + b, o, o, b + 1, when))
        for n in range(1, rng.randint(1, 4) + 1):
            pid = rng.randrange(1, products + 1)
            qty = 1 if rng.random() < 0.8 else 2
            lines.append((o * 8 + n, o, n, pid, qty))
            tracking = kinds[pid - 1][1]
            for u in range(qty):
                serial = f"SN{o}-{n}-{u}" if tracking == "serial" else None
                lot = f"L{pid % 997:03d}" if tracking in ("lot", "lot_expiry") else None
                expiry = "2028-06-30" if tracking == "lot_expiry" else None
                package = o * 2 + (u % boxes)
                scans.append(
                    (o, package, f"BR{pid:012d}", pid, o * 8 + n, serial, lot, expiry, when)
                )
    written += _insert(
        con,
        "INSERT INTO ship_to (id, customer_name, street1, city, postcode, country)"
        " VALUES (?, ?, 'Bench street 1', 'Amsterdam', '1011 AA', 'NL')",
        ((o, f"Customer {o}") for o in range(1, orders + 1)),
    )
    written += _insert(
        con,
        "INSERT INTO orders (id, number, channel, priority, status, ship_method, currency,"
        " ship_to_id, carrier, tracking_number, created_at, updated_at)"
        " VALUES (?, ?, 'web', 0, 'packed', 'standard', 'EUR', ?, 'BENCHPOST', ?, ?, ?)",
        ((o, f"SO-{o:07d}", o, f"BT{o:010d}", t, t) for o in range(1, orders + 1)),
    )
    written += _insert(
        con,
        "INSERT INTO order_lines (id, order_id, line_no, product_id, quantity)"
        " VALUES (?, ?, ?, ?, ?)",
        lines,
    )
    written += _insert(
        con,
        "INSERT INTO pack_sessions (id, order_id, user_id, station, status, started_at,"
        " ended_at) VALUES (?, ?, 9001, 'bench', 'completed', ?, ?)",
        ((o, o, t, t) for o in range(1, orders + 1)),
    )
    written += _insert(
        con,
        "INSERT INTO packages (id, session_id, order_id, seq_no, status, box_type_id, weight_g,"
        " expected_weight_g, weight_status, label_confirmed, created_at, closed_at)"
        " VALUES (?, ?, ?, ?, 'closed', 9001, 640.0, 630.0, 'pass', 1, ?, ?)",
        ((pk, s, o, n, w, w) for pk, s, o, n, w in packages),
    )
    written += _insert(
        con,
        "INSERT INTO scans (session_id, package_id, user_id, station, raw, kind,"
        " interpretation, verdict, product_id, order_line_id, quantity, serial, lot, expiry,"
        " undone, created_at) VALUES (?, ?, 9001, 'bench', ?, 'product', '{}', 'accepted',"
        " ?, ?, 1, ?, ?, ?, 0, ?)",
        scans,
    )
    written += _proof(con, packages)
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()
    return written


def _proof(con: sqlite3.Connection, packages: list[PackageRow]) -> int:
    """A weight reading, a photo and a shipping label per package."""
    written = _insert(
        con,
        "INSERT INTO weight_readings (package_id, user_id, weight_g, scale_state, raw,"
        " expected_g, tolerance_g, decision, created_at)"
        " VALUES (?, 9001, 640.0, 'stable', '', 630.0, 20.0, 'pass', ?)",
        ((pk, w) for pk, _, _, _, w in packages),
    )
    written += _insert(
        con,
        "INSERT INTO photos (sha256, order_id, package_id, kind, path, width, height,"
        " size_bytes, caption, user_id, created_at)"
        " VALUES (?, ?, ?, 'completion', ?, 1920, 1080, 250000, '', 9001, ?)",
        ((f"{pk:064x}", o, pk, f"{pk % 256:02x}/{pk:064x}.jpg", w) for pk, _, o, _, w in packages),
    )
    written += _insert(
        con,
        "INSERT INTO print_jobs (job_key, copy, order_id, package_id, template, language,"
        " printer, payload, payload_sha256, status, attempts, created_at, updated_at, done_at)"
        " VALUES (?, 1, ?, ?, 'shipping', 'zpl', 'printer', x'5E58415E585A', ?, 'done', 1,"
        " ?, ?, ?)",
        ((f"package:{pk}:shipping", o, pk, f"{pk:064x}", w, w, w) for pk, _, o, _, w in packages),
    )
    return written
