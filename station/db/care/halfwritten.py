"""Writes that belong together but are not found together (a crash, a full disk, a hand edit).

What the pack engine writes in one transaction must be found together; :func:`half_written`
lists what is not, and the crash harness adds the bench's own rules to it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def _ids(con: sqlite3.Connection, sql: str, *args: object) -> list[int]:
    return [int(r[0]) for r in con.execute(sql, args)]


def _listed(ids: list[int], most: int = 10) -> str:
    shown = ", ".join(str(i) for i in ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


def _paired(con: sqlite3.Connection, table: str, event: str, key: str) -> list[str]:
    """Rows of ``table`` without their ``event`` (found by payload ``key``), and the reverse."""
    events = (
        f"SELECT json_extract(payload, '$.{key}') AS v FROM outbox"
        f" WHERE type = '{event}' AND json_valid(payload)"
    )
    problems = []
    rows = _ids(con, f"SELECT id FROM {table} WHERE id NOT IN (SELECT v FROM ({events}))")
    if rows:
        problems.append(f"{table} without their {event} event: {_listed(rows)}")
    orphans = _ids(
        con,
        f"SELECT e.v FROM ({events}) e WHERE e.v IS NOT NULL"
        f" AND e.v NOT IN (SELECT id FROM {table}) ORDER BY e.v",
    )
    if orphans:
        problems.append(f"{event} events whose {table} row is missing: {_listed(orphans)}")
    return problems


# Closed packages with something counted in them (an empty last box ships nothing).
_CLOSED_WITH_ITEMS = (
    "SELECT p.id FROM packages p WHERE p.status = 'closed' AND EXISTS (SELECT 1 FROM scans s"
    " WHERE s.package_id = p.id AND s.verdict = 'accepted' AND s.undone = 0)"
)


def half_written(
    con: sqlite3.Connection,
    *,
    require_weight: bool = False,
    require_photo: bool = False,
    photo_dir: Path | None = None,
    verify_photos: bool = False,
) -> list[str]:
    """What the pack engine writes together but is not found together; [] when whole.

    Always: every scan, weight reading and photo row has its outbox event and every such
    event its row; every session its ``pack.started`` event, a completed one its
    ``pack.completed`` event, all its packages closed and its order packed; a session has one
    package more than the ``package_opened`` scans (new box) it recorded; a package's weight
    status (pass, fail, override) has a reading with that decision. ``require_weight`` and
    ``require_photo`` (the bench's rules when the packages were closed) add: every closed
    package with items was weighed (pass or override) and photographed. ``photo_dir``: each
    photo not purged is on disk at its size (and ``verify_photos``: its SHA-256).
    """
    problems = _paired(con, "scans", "scan.recorded", "scan_id")
    problems += _paired(con, "weight_readings", "weight.recorded", "reading_id")
    problems += _paired(con, "photos", "photo.taken", "photo_id")
    started = _ids(
        con,
        "SELECT id FROM pack_sessions WHERE id NOT IN (SELECT json_extract(payload,"
        " '$.session_id') FROM outbox WHERE type = 'pack.started' AND json_valid(payload))",
    )
    if started:
        problems.append(f"pack sessions without their pack.started event: {_listed(started)}")
    completed = _ids(
        con,
        "SELECT id FROM pack_sessions WHERE status = 'completed' AND id NOT IN (SELECT"
        " json_extract(payload, '$.session_id') FROM outbox WHERE type = 'pack.completed'"
        " AND json_valid(payload))",
    )
    if completed:
        problems.append(f"completed sessions without pack.completed event: {_listed(completed)}")
    open_boxes = _ids(
        con,
        "SELECT p.id FROM packages p JOIN pack_sessions s ON s.id = p.session_id"
        " WHERE s.status = 'completed' AND p.status != 'closed'",
    )
    if open_boxes:
        problems.append(f"packages still open in completed sessions: {_listed(open_boxes)}")
    unpacked = _ids(
        con,
        "SELECT s.id FROM pack_sessions s JOIN orders o ON o.id = s.order_id"
        " WHERE s.status = 'completed' AND o.status NOT IN ('packed', 'shipped')",
    )
    if unpacked:
        problems.append(f"completed sessions whose order is not packed: {_listed(unpacked)}")
    boxes = _ids(
        con,
        "SELECT s.id FROM pack_sessions s WHERE (SELECT count(*) FROM packages p"
        " WHERE p.session_id = s.id) != 1 + (SELECT count(*) FROM scans c"
        " WHERE c.session_id = s.id AND c.verdict = 'package_opened')",
    )
    if boxes:
        problems.append(
            f"sessions whose packages do not match their new-box scans: {_listed(boxes)}"
        )
    unread = _ids(
        con,
        "SELECT p.id FROM packages p WHERE p.weight_status IN ('pass', 'fail', 'override')"
        " AND NOT EXISTS (SELECT 1 FROM weight_readings w WHERE w.package_id = p.id"
        " AND w.decision = p.weight_status)",
    )
    if unread:
        problems.append(f"packages with a weight status but no such reading: {_listed(unread)}")
    if require_weight:
        unweighed = _ids(
            con, _CLOSED_WITH_ITEMS + " AND p.weight_status NOT IN ('pass', 'override')"
        )
        if unweighed:
            problems.append(f"closed packages not weighed: {_listed(unweighed)}")
    if require_photo:
        unseen = _ids(
            con,
            _CLOSED_WITH_ITEMS + " AND NOT EXISTS (SELECT 1 FROM photos f WHERE"
            " f.package_id = p.id AND f.kind IN ('completion', 'package'))",
        )
        if unseen:
            problems.append(f"closed packages without a photo: {_listed(unseen)}")
    if photo_dir is not None:
        problems += _photo_files(con, photo_dir, verify_photos)
    return problems


def _photo_files(con: sqlite3.Connection, folder: Path, verify: bool) -> list[str]:
    """Photos (not purged) whose file is missing, of another size or (``verify``) altered."""
    bad = []
    for pid, sha, path, size in con.execute(
        "SELECT id, sha256, path, size_bytes FROM photos WHERE purged_at IS NULL ORDER BY id"
    ):
        target = folder / str(path)
        try:
            data = target.read_bytes() if verify else None
            actual = len(data) if data is not None else target.stat().st_size
        except OSError:
            bad.append(int(pid))
            continue
        if actual != size or (data is not None and hashlib.sha256(data).hexdigest() != sha):
            bad.append(int(pid))
    return [f"photos missing or altered in {folder}: {_listed(bad)}"] if bad else []
