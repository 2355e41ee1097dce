"""Opening the station's database for a command, with the one message every command gives."""

from __future__ import annotations

import sys

from station.config import Settings
from station.db import Database, DatabaseError, MigrationError, open_database


def open_or_say(settings: Settings) -> Database | None:
    """The migrated database of ``settings``; None after printing why it cannot be opened
    (the caller exits 2)."""
    try:
        return open_database(settings.db_path)
    except (DatabaseError, MigrationError) as exc:
        print(f"station: {exc}", file=sys.stderr)
        return None
