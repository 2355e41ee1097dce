"""Personal data retention: what the station forgets, and when.

Customer and ship-to data (name, company, address, phone, e-mail) lives in ``ship_to`` only;
an order's gift note and the notes on its RMAs may hold personal words too. They are removed a
configured number of days after the order shipped (``[privacy] personal_data_days``, default
30): the ``ship_to`` row is deleted (the order's ``ship_to_id`` becomes NULL, which labels and
screens already show as blanks), gift note and RMA notes become NULL. Labels carry the address,
so the bytes of finished print jobs are cleared after ``[privacy] label_days`` (and at once
for a purged order; the SHA-256 stays, proving what was printed) and a purged order's
carrier-label file is deleted. Photos go after ``[photos] retention_days`` through
:meth:`station.photos.PhotoStore.purge`. The copies of the database taken before a migration
(``<db>.<revision>.<time>.bak`` beside it) hold everything, so they go after
``personal_data_days`` too.

Everything else stays: the order, its lines, scans, weights, photos' hashes, exceptions and the
audit log, so the evidence record of a purged order still answers (without names).

The database changes and their audit entry are one transaction; files are deleted after the
commit (a crash in between leaves a file nothing points at, which the next run deletes).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from station.audit import append_audit
from station.config import Settings
from station.db import Database
from station.outbox import sql_time
from station.permissions import Action, Actor, require
from station.photos import PhotoStore

PURGED_ORDERS_LISTED = 200  # the audit entry names at most this many orders (then a count)

# When an order shipped: the end of its last completed pack session, else (an order the hub
# reported shipped) its last change.
_SHIPPED_AT = (
    "COALESCE((SELECT MAX(ps.ended_at) FROM pack_sessions ps"
    " WHERE ps.order_id = o.id AND ps.status = 'completed'), o.updated_at)"
)
_DUE_ORDERS = (
    "SELECT o.id, o.number, o.ship_to_id, o.carrier_label_format, o.carrier_label_sha256,"
    " o.gift_note IS NOT NULL FROM orders o WHERE o.status IN ('packed', 'shipped')"
    " AND (o.ship_to_id IS NOT NULL OR o.gift_note IS NOT NULL"
    " OR o.carrier_label_sha256 IS NOT NULL)"
    f" AND {_SHIPPED_AT} < ? ORDER BY o.id"
)
# Finished for good (done, or failed and given up): a job still retrying keeps its bytes.
_FINISHED_JOBS = "status IN ('done', 'failed') AND done_at IS NOT NULL AND length(payload) > 0"


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of data is kept, in days."""

    personal_data_days: int = 30
    label_days: int = 30
    photo_days: int = 90

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        """The configured retention (``[privacy]`` and ``[photos] retention_days``)."""
        return cls(
            personal_data_days=settings.privacy.personal_data_days,
            label_days=settings.privacy.label_days,
            photo_days=settings.photos.retention_days,
        )


@dataclass
class PurgeReport:
    """What a purge removed (or, in a dry run, would remove), counted per kind."""

    dry_run: bool
    at: str
    orders: int = 0  # orders whose personal data went
    ship_to: int = 0  # ship-to rows (name, address, phone, e-mail) deleted
    gift_notes: int = 0
    rma_notes: int = 0
    label_jobs: int = 0  # print jobs whose label bytes were cleared
    carrier_labels: int = 0  # carrier-label files deleted
    photos: int = 0  # photo rows past their retention (their files deleted)
    backups: int = 0  # pre-migration database copies deleted
    order_numbers: list[str] = field(default_factory=list)
    audit_id: int | None = None

    def to_json(self) -> dict[str, object]:
        """The report as the CLI prints it with ``--json``."""
        return asdict(self)


@dataclass(frozen=True)
class _Due:
    order_ids: list[int]
    numbers: list[str]
    ship_to_ids: list[int]
    carrier_files: list[str]  # "<sha256>.<format>"


class PrivacyPurge:
    """Removes personal data, label bytes and photos past their retention."""

    def __init__(
        self,
        db: Database,
        policy: RetentionPolicy,
        station: str,
        *,
        carrier_folder: Path,
        photos: PhotoStore,
    ) -> None:
        self._db = db
        self._policy = policy
        self._station = station
        self._carrier_folder = carrier_folder
        self._photos = photos

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> PrivacyPurge:
        """The purge as the station is configured."""
        from station.labels.carrier import carrier_label_folder

        return cls(
            db,
            RetentionPolicy.from_settings(settings),
            settings.station_name,
            carrier_folder=carrier_label_folder(settings),
            photos=PhotoStore.from_settings(settings.photo_dir, settings.photos),
        )

    def run(self, now: datetime, *, dry_run: bool = False, by: Actor | None = None) -> PurgeReport:
        """Purge what is due at ``now`` (or only count it, ``dry_run``), audited.

        ``by``: the user who asked (must be allowed to purge personal data); None is the
        station's own scheduled run, which only applies the configured retention.
        """
        if by is not None:
            require(by, Action.PURGE_PERSONAL_DATA)
        report = PurgeReport(dry_run=dry_run, at=now.isoformat())
        backups = self._old_backups(now)
        with self._transaction(write=not dry_run) as cur:
            due = self._due(cur, now)
            report.orders = len(due.order_ids)
            report.order_numbers = due.numbers
            report.ship_to = len(due.ship_to_ids)
            report.gift_notes = _count_in(
                cur, "SELECT COUNT(*) FROM orders WHERE gift_note IS NOT NULL AND id IN", due
            )
            report.rma_notes = _count_in(
                cur, "SELECT COUNT(*) FROM rmas WHERE note IS NOT NULL AND order_id IN", due
            )
            label_cutoff = sql_time(now - timedelta(days=self._policy.label_days))
            jobs = self._label_jobs(cur, label_cutoff, due)
            report.label_jobs = len(jobs)
            photo_cutoff = sql_time(now - timedelta(days=self._policy.photo_days))
            report.photos = int(
                cur.execute(
                    "SELECT COUNT(*) FROM photos WHERE purged_at IS NULL AND created_at < ?",
                    (photo_cutoff,),
                ).fetchone()[0]
            )
            report.carrier_labels = sum(
                1 for name in due.carrier_files if (self._carrier_folder / name).exists()
            )
            report.backups = len(backups)
            # A run that found nothing to remove leaves no entry (the daily run would
            # otherwise fill the log, and the hub, with empty purges).
            if not dry_run and _removes_anything(report):
                self._forget(cur, due, jobs)
                report.audit_id = append_audit(
                    cur,
                    now,
                    self._station,
                    _user_id(by),
                    "privacy.purge",
                    "privacy",
                    None,
                    _audit_detail(report, self._policy),
                )
        if not dry_run:
            for backup in backups:
                backup.unlink(missing_ok=True)
            for name in due.carrier_files:
                (self._carrier_folder / name).unlink(missing_ok=True)
            if report.photos:
                self._photos.purge(self._db, self._policy.photo_days, now)
        return report

    # --- the parts -------------------------------------------------------------------------

    def _old_backups(self, now: datetime) -> list[Path]:
        """Pre-migration copies (``station.db.migrate``) older than the personal data limit."""
        db_path = self._db.path
        cutoff = (now - timedelta(days=self._policy.personal_data_days)).timestamp()
        found = db_path.parent.glob(f"{db_path.name}.*.bak")
        return sorted(p for p in found if p.is_file() and p.stat().st_mtime < cutoff)

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Cursor]:
        raw = self._db.engine.raw_connection()
        conn = raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        cur = conn.cursor()
        try:
            # A dry run reads one consistent snapshot and takes no write lock.
            cur.execute("BEGIN IMMEDIATE" if write else "BEGIN DEFERRED")
            try:
                yield cur
                cur.execute("COMMIT" if write else "ROLLBACK")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
        finally:
            cur.close()
            raw.close()

    def _due(self, cur: sqlite3.Cursor, now: datetime) -> _Due:
        cutoff = sql_time(now - timedelta(days=self._policy.personal_data_days))
        rows = cur.execute(_DUE_ORDERS, (cutoff,)).fetchall()
        # An order whose only trace is a carrier-label hash is due only if the file is there.
        rows = [
            r
            for r in rows
            if r[2] is not None
            or r[5]
            or (r[4] and (self._carrier_folder / f"{r[4]}.{r[3]}").exists())
        ]
        ids = [int(r[0]) for r in rows]
        ship_to = sorted({int(r[2]) for r in rows if r[2] is not None})
        files = sorted({f"{r[4]}.{r[3]}" for r in rows if r[4] and r[3]})
        if files:
            # A label file another (not yet due) order still uses stays.
            placeholders = ",".join("?" * len(ids))
            kept = {
                f"{h}.{f}"
                for h, f in cur.execute(
                    "SELECT carrier_label_sha256, carrier_label_format FROM orders"
                    f" WHERE carrier_label_sha256 IS NOT NULL AND id NOT IN ({placeholders})",
                    ids,
                )
            }
            files = [name for name in files if name not in kept]
        return _Due(ids, [str(r[1]) for r in rows], ship_to, files)

    @staticmethod
    def _label_jobs(cur: sqlite3.Cursor, cutoff: str, due: _Due) -> list[int]:
        old = {
            int(r[0])
            for r in cur.execute(
                f"SELECT id FROM print_jobs WHERE {_FINISHED_JOBS}"
                " AND COALESCE(done_at, updated_at) < ?",
                (cutoff,),
            )
        }
        for chunk in _chunks(due.order_ids):
            marks = ",".join("?" * len(chunk))
            old.update(
                int(r[0])
                for r in cur.execute(
                    f"SELECT id FROM print_jobs WHERE {_FINISHED_JOBS} AND (order_id IN ({marks})"
                    f" OR package_id IN (SELECT id FROM packages WHERE order_id IN ({marks})))",
                    [*chunk, *chunk],
                )
            )
        return sorted(old)

    @staticmethod
    def _forget(cur: sqlite3.Cursor, due: _Due, jobs: list[int]) -> None:
        for chunk in _chunks(due.order_ids):
            marks = ",".join("?" * len(chunk))
            cur.execute(
                f"UPDATE orders SET ship_to_id = NULL, gift_note = NULL WHERE id IN ({marks})",
                chunk,
            )
            cur.execute(f"UPDATE rmas SET note = NULL WHERE order_id IN ({marks})", chunk)
        for chunk in _chunks(due.ship_to_ids):
            marks = ",".join("?" * len(chunk))
            # Only rows no other order points at (an address shared with an order not yet due).
            cur.execute(
                f"DELETE FROM ship_to WHERE id IN ({marks})"
                " AND id NOT IN (SELECT ship_to_id FROM orders WHERE ship_to_id IS NOT NULL)",
                chunk,
            )
        for chunk in _chunks(jobs):
            marks = ",".join("?" * len(chunk))
            # The hash stays: it still proves which bytes were printed.
            cur.execute(f"UPDATE print_jobs SET payload = x'' WHERE id IN ({marks})", chunk)


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[list[int]]:
    # SQLite limits the number of bound parameters per statement.
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _count_in(cur: sqlite3.Cursor, query: str, due: _Due) -> int:
    total = 0
    for chunk in _chunks(due.order_ids):
        marks = ",".join("?" * len(chunk))
        total += int(cur.execute(f"{query} ({marks})", chunk).fetchone()[0])
    return total


def _removes_anything(report: PurgeReport) -> bool:
    counts = (report.orders, report.label_jobs, report.photos, report.backups)
    return any(counts) or bool(report.carrier_labels)


def _user_id(user: Actor | None) -> int | None:
    value = getattr(user, "id", None)
    return value if isinstance(value, int) else None


def _audit_detail(report: PurgeReport, policy: RetentionPolicy) -> dict[str, object]:
    numbers = report.order_numbers
    return {
        "policy": asdict(policy),
        "orders": report.orders,
        "ship_to": report.ship_to,
        "gift_notes": report.gift_notes,
        "rma_notes": report.rma_notes,
        "label_jobs": report.label_jobs,
        "carrier_labels": report.carrier_labels,
        "photos": report.photos,
        "backups": report.backups,
        # Order numbers are not personal; a long list is cut to keep the hub event small.
        "order_numbers": numbers[:PURGED_ORDERS_LISTED],
        "more_orders": max(0, len(numbers) - PURGED_ORDERS_LISTED),
    }
