"""``station db check``: the database read without migrating or writing it.

``check_database`` runs SQLite's ``integrity_check`` and ``foreign_key_check``, looks for
outbox sequence gaps (every ``station_seq`` from 1 to the counter), compares the schema
revision with this version's head, and lists half-written records (:mod:`.halfwritten`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from station.db.care.halfwritten import half_written
from station.db.care.probes import (
    CareError,
    connect_readonly,
    foreign_key_problems,
    head_revision,
    integrity,
    known_revisions,
    outbox_missing,
    revision_of,
)


@dataclass(frozen=True)
class CheckReport:
    """What ``station db check`` found; ``ok`` when there is nothing to repair."""

    path: str
    integrity: str
    foreign_keys: list[dict[str, object]] = field(default_factory=list)
    outbox_gaps: list[tuple[int, int]] = field(default_factory=list)
    outbox_seq: int = 0
    outbox_events: int = 0
    schema: str | None = None
    head: str | None = None
    half_written: list[str] = field(default_factory=list)

    @property
    def schema_ok(self) -> bool:
        """The file is at this station's head revision (an older one is migrated at start)."""
        return self.schema is not None and self.schema == self.head

    @property
    def ok(self) -> bool:
        """Sound: integrity ok, no dangling keys, no outbox gap, nothing half-written, and a
        schema revision this station knows (older revisions are migrated at start)."""
        return (
            self.integrity == "ok"
            and not self.foreign_keys
            and not self.outbox_gaps
            and not self.half_written
            and self.schema is not None
            and self.schema in known_revisions()
        )

    def to_json(self) -> dict[str, object]:
        """The report as JSON (the last line of ``station db check --json``)."""
        return {
            "ok": self.ok,
            "path": self.path,
            "integrity": self.integrity,
            "foreign_key_check": self.foreign_keys,
            "outbox_gaps": len(self.outbox_gaps),
            "outbox_missing": [list(g) for g in self.outbox_gaps],
            "outbox_seq": self.outbox_seq,
            "outbox_events": self.outbox_events,
            "schema": self.schema,
            "head": self.head,
            "schema_is_head": self.schema_ok,
            "half_written": self.half_written,
        }

    def __str__(self) -> str:
        lines = [f"database {self.path}", f"integrity: {self.integrity}"]
        lines.append(f"foreign keys: {len(self.foreign_keys) or 'ok'}")
        for fk in self.foreign_keys[:10]:
            lines.append(f"  {fk['table']} row {fk['rowid']} points at nothing in {fk['parent']}")
        gaps = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in self.outbox_gaps)
        lines.append(
            f"outbox: {self.outbox_events} events, seq {self.outbox_seq}, missing: {gaps or 'none'}"
        )
        state = "head" if self.schema_ok else f"head is {self.head}"
        lines.append(f"schema: {self.schema or 'not a station database'} ({state})")
        lines += [f"half-written: {p}" for p in self.half_written]
        lines.append("ok" if self.ok else "NOT OK")
        return "\n".join(lines)


def check_database(
    path: Path,
    *,
    require_weight: bool = False,
    require_photo: bool = False,
    photo_dir: Path | None = None,
    verify_photos: bool = False,
) -> CheckReport:
    """Check the database at ``path`` without changing it (see the module docstring)."""
    if not path.is_file():
        raise CareError(f"no database at {path}")
    try:
        con = connect_readonly(path)
    except sqlite3.Error as exc:
        raise CareError(f"cannot open {path}: {exc}") from exc
    try:
        verdict = integrity(con)
        schema = revision_of(con)
        if verdict != "ok" or schema is None:
            # Further queries on a damaged file or a foreign one would only fail less clearly.
            return CheckReport(str(path), verdict, schema=schema, head=head_revision())
        gaps, seq, events = outbox_missing(con)
        return CheckReport(
            path=str(path),
            integrity=verdict,
            foreign_keys=foreign_key_problems(con),
            outbox_gaps=gaps,
            outbox_seq=seq,
            outbox_events=events,
            schema=schema,
            head=head_revision(),
            half_written=half_written(
                con,
                require_weight=require_weight,
                require_photo=require_photo,
                photo_dir=photo_dir,
                verify_photos=verify_photos,
            ),
        )
    except sqlite3.Error as exc:
        return CheckReport(str(path), f"cannot check: {exc}", head=head_revision())
    finally:
        con.close()
