"""Demo data: a realistic catalog and order book, written as CSV and loaded through the importers.

Everything comes from a seeded ``random.Random``, so a seed always gives the same files. The
GTIN-13s use the GS1 restricted-circulation prefix 200 and the UPC-As the number system 4
(in-store use), so no demo barcode can be a real trade item; every check digit is right.
Going through the CSV importers (instead of writing rows directly) means the demo exercises
the same validation and write path as a customer's files.
"""

from station.tools.demo.catalog import CATALOG_COLUMNS, DemoProduct, make_catalog, write_catalog
from station.tools.demo.orders import FIRST_ORDER_NUMBER, ORDER_COLUMNS, write_orders
from station.tools.demo.product_templates import TEMPLATES
from station.tools.demo.seeding import BOXES, USERS, DemoBox, DemoSummary, seed_demo

__all__ = [
    "BOXES",
    "CATALOG_COLUMNS",
    "FIRST_ORDER_NUMBER",
    "ORDER_COLUMNS",
    "TEMPLATES",
    "USERS",
    "DemoBox",
    "DemoProduct",
    "DemoSummary",
    "make_catalog",
    "seed_demo",
    "write_catalog",
    "write_orders",
]
