"""Catalog and orders importers (CSV and JSON), all-or-nothing per file.

Every row is validated first and every problem collected as ``row N: column: reason``; a
file with any problem raises :class:`ImportFailed` and leaves the database as it was. A clean
file is written in one transaction with Core ``executemany`` inserts, which is what makes a
quarter of a million order lines import in seconds.
"""

from station.importers.catalog import import_catalog
from station.importers.common import ImportFailed, ImportReport
from station.importers.orders import import_orders

__all__ = ["ImportFailed", "ImportReport", "import_catalog", "import_orders"]
