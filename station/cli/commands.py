"""The ``station`` command's table of contents: each command, the module that registers it,
its one-line help, and whether it works on the station's database.

``station --help`` is printed from this table alone, and a command imports only its own module
(``station.cli.main``), so a technician's ``station devices list`` does not wait for OpenCV,
Qt, SQLAlchemy or the benchmarks. tests/station/test_cli_startup.py checks that the table and
the modules' ``register`` agree: a new command goes into both.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """One sub-command of ``station``: where it is registered and what ``--help`` says of it."""

    name: str
    module: str  # in station.cli
    help: str
    # True when it opens the station's database (``--db``): main says which one, on stderr.
    station_db: bool = True


COMMANDS = (
    Command(
        "demo-data", "data", "load demo products, orders, box types and users into the database"
    ),
    Command("import", "data", "import a catalog or orders file (.csv or .json)"),
    Command("orders", "orders", "orders at this station"),
    Command("catalog", "catalog", "the product catalog: weights learned at the bench"),
    Command("pack", "pack", "pack from scans read on standard input, one per line"),
    Command("bench", "bench", "benchmarks", station_db=False),
    Command(
        "devices", "devices", "list and test scanners, scales, printers, cameras", station_db=False
    ),
    Command("decode", "decode", "read the barcodes in image files", station_db=False),
    Command("label", "label", "shipping labels, slips, notes, customs forms"),
    Command("print", "printing", "the print queue: list jobs, reprint, retry"),
    Command(
        "hub", "hub", "the central hub: serve, enrol stations, import, stats", station_db=False
    ),
    Command("enroll", "sync", "enrol this station with a hub (one-time code)"),
    Command("sync", "sync", "push the outbox to the hub and pull its changes"),
    Command("ship", "ship", "carrier rates, labels, voids and manifests via the hub"),
    Command("evidence", "evidence", "the evidence record of an order (scans, weights, photos)"),
    Command("inserts", "inserts", "inserts by rule and their stock at this bench"),
    Command("inspect", "returns", "inspect returns from lines on standard input"),
    Command("simulate-returns", "returns", "a headless inspector over packed orders"),
    Command("simulate", "simulate", "pack N orders with emulated devices and mistakes"),
    Command(
        "screenshot",
        "screenshot",
        "render a screen with demo data to a PNG (offscreen)",
        station_db=False,
    ),
    Command(
        "dashboard", "dashboard", "shift figures: packs per hour, accuracy, exceptions, returns..."
    ),
    Command("privacy", "privacy", "personal data retention"),
    Command("db", "db", "check, back up and restore the station's database"),
)
BY_NAME = {command.name: command for command in COMMANDS}
