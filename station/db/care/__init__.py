"""Database care: check, back up and restore the station's SQLite file (``station db ...``)."""

from station.db.care.backup import (
    BackupResult,
    RestoreResult,
    backup_database,
    in_use,
    restore_database,
)
from station.db.care.check import CheckReport, check_database
from station.db.care.halfwritten import half_written
from station.db.care.probes import (
    CareError,
    foreign_key_problems,
    head_revision,
    integrity,
    known_revisions,
    outbox_missing,
    revision_of,
)

__all__ = [
    "BackupResult",
    "CareError",
    "CheckReport",
    "RestoreResult",
    "backup_database",
    "check_database",
    "foreign_key_problems",
    "half_written",
    "head_revision",
    "in_use",
    "integrity",
    "known_revisions",
    "outbox_missing",
    "restore_database",
    "revision_of",
]
