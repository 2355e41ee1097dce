"""``station bench ship``: from a weighed package to the carrier's label at the printer.

A hub in its own process (``station hub serve``) with USPS accounts pointed at the carrier
emulator, which answers every carrier call after a fixed latency (300 ms by default). Per
package the station reads the package, buys its label (one carrier call), fetches the bytes
and sends them to a printer emulator on 127.0.0.1; the time **above** the carrier's latency is
the station's and the hub's own cost. Then rates from five carriers (USPS, UPS, FedEx, DHL
Express, generic): asked at once (the hub's way) against one after another, both through the
hub's service, each carrier call paying the latency.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from station.db import open_database
from station.db.models import (
    BoxType,
    Order,
    OrderStatus,
    Package,
    PackageStatus,
    PackSession,
    SessionStatus,
    ShipTo,
)
from station.hub.admin import enrol_code
from station.hub.db import open_hub_database
from station.hub.shipping.accounts import CarrierAccount
from station.hub.shipping.config import CARRIERS_ENV, ShippingConfig
from station.hub.shipping.service import ShippingService
from station.hub.sites import put_site
from station.ship.client import ShipClient
from station.ship.package import idempotency_key, package_request
from station.ship.protocol import BuyRequest, PackageRequest
from station.sync.enroll import enroll_station
from station.sync.records import ShipToRecord
from station.tools.carrier_emulator import CarrierEmulator
from station.tools.carrier_emulator.accounts import emulated_account
from station.tools.loopback import HubProcess

SHIP_FROM = {
    "name": "Bench Shop", "street1": "1098 N Fraser Street", "city": "Georgetown",
    "postcode": "29440", "region": "SC", "country": "US", "phone": "8005554526",
}  # fmt: skip
SHIP_TO = {
    "customer_name": "Lina Smith", "street1": "1309 S Agnew Avenue", "city": "Oklahoma City",
    "postcode": "73108", "region": "OK", "country": "US", "phone": "4055550100",
}  # fmt: skip
SERVICE = "usps_ground_advantage_machinable_single_piece"
# Five distinct carriers asked for a US package: USPS, UPS, FedEx and DHL Express ask the
# emulator (each paying the latency; DHL Express answers that it carries no domestic US
# shipment), the generic carrier is priced by karrio from its rate sheet. (DHL Parcel DE is
# refused by karrio before any call: it ships from Germany only.)
RATE_CARRIERS = ("usps", "ups", "fedex", "dhl_express", "generic")
RATE_ACCOUNTS = len(RATE_CARRIERS)


@dataclass(frozen=True)
class ShipBenchResult:
    """The figures of one run (milliseconds)."""

    packages: int
    carrier_latency_ms: float
    total_p50_ms: float
    overhead_p50_ms: float
    overhead_p99_ms: float
    rates_parallel_ms: float
    rates_serial_ms: float
    rates_slowest_single_ms: float
    parallel_vs_slowest: float
    reprint_p50_ms: float
    reprint_p99_ms: float
    overhead_vs_reprint: float

    def to_json(self) -> dict[str, float | int]:
        """The figures as one JSON object."""
        return asdict(self)

    def __str__(self) -> str:
        return (
            f"{self.packages} labels, carrier latency {self.carrier_latency_ms:.0f} ms: "
            f"weighed package to label at the printer p50 {self.total_p50_ms:.1f} ms; "
            f"own cost above the carrier p50 {self.overhead_p50_ms:.1f} ms, "
            f"p99 {self.overhead_p99_ms:.1f} ms\n"
            f"rates from {RATE_ACCOUNTS} carriers ({', '.join(RATE_CARRIERS)}): "
            f"at once {self.rates_parallel_ms:.1f} ms, "
            f"one after another {self.rates_serial_ms:.1f} ms, slowest single "
            f"{self.rates_slowest_single_ms:.1f} ms (at once / slowest = "
            f"{self.parallel_vs_slowest:.2f})\n"
            f"baseline, the same label reprinted (station, hub and printer, no carrier): "
            f"p50 {self.reprint_p50_ms:.1f} ms, p99 {self.reprint_p99_ms:.1f} ms; own cost of a "
            f"buy / reprint (p50) = {self.overhead_vs_reprint:.2f}"
        )


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _station(folder: Path, packages: int) -> Path:
    """A station database with one order of ``packages`` weighed packages."""
    path = folder / "station.sqlite"
    db = open_database(path)
    with db.session() as s:
        ship_to = ShipTo(**SHIP_TO)
        box = BoxType(
            code="BOX-M",
            name="Medium",
            inner_length_mm=300,
            inner_width_mm=200,
            inner_height_mm=150,
            tare_g=180,
            max_weight_g=10000,
        )
        s.add_all([ship_to, box])
        s.flush()
        order = Order(number="SO-BENCH", status=OrderStatus.PACKED, ship_to_id=ship_to.id)
        s.add(order)
        s.flush()
        pack = PackSession(order_id=order.id, station="bench-ship", status=SessionStatus.COMPLETED)
        s.add(pack)
        s.flush()
        # Packages as the pack engine leaves them once weighed (the weighing is not timed).
        s.add_all(
            Package(
                session_id=pack.id,
                order_id=order.id,
                seq_no=n,
                status=PackageStatus.CLOSED,
                box_type_id=box.id,
                weight_g=1200 + n,
                weight_status="pass",
            )
            for n in range(1, packages + 1)
        )
        s.commit()
    db.close()
    return path


def _send(printer_port: int, data: bytes) -> None:
    with socket.create_connection(("127.0.0.1", printer_port), timeout=10) as conn:
        conn.sendall(data)


def run_ship_benchmark(
    *, packages: int = 50, latency_ms: float = 300, workdir: Path | None = None
) -> ShipBenchResult:
    """Run the benchmark in ``workdir`` (a temporary folder by default)."""
    from drivers.printer.emulator import TcpPrinterEmulator
    from drivers.printer.emulator_protocol import Language

    with tempfile.TemporaryDirectory(prefix="bench-ship-") as tmp:
        folder = workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        emulator = CarrierEmulator(latency_s=latency_ms / 1000).start()
        printer = TcpPrinterEmulator(Language.ZPL)
        try:
            return _run(folder, emulator, printer, packages, latency_ms)
        finally:
            printer.close()
            emulator.close()


def _accounts(emulator: CarrierEmulator) -> dict[str, CarrierAccount]:
    """One account of each of five carriers, all on the emulator."""
    return {c: emulated_account(c, emulator.url) for c in RATE_CARRIERS}


def _run(
    folder: Path, emulator: CarrierEmulator, printer: object, packages: int, latency_ms: float
) -> ShipBenchResult:
    hub_url = f"sqlite:///{folder / 'hub.sqlite'}"
    hub_db = open_hub_database(hub_url)
    with hub_db.write() as s:
        put_site(s, "main", "Main", SHIP_FROM)
    code = enrol_code(hub_db, "bench-ship")
    carriers = folder / "carriers.toml"
    carriers.write_text(
        '[accounts.usps-0]\ncarrier = "usps"\n'
        f'server_url = "{emulator.url}"\n'
        '[accounts.usps-0.credentials]\nclient_id = "bench"\nclient_secret = "bench"\n'
        'account_number = "1"\n',
        encoding="utf-8",
    )
    station_db = open_database(_station(folder, packages + 1))
    before = os.environ.get(CARRIERS_ENV)
    os.environ[CARRIERS_ENV] = str(carriers)
    try:
        # A hub with carrier accounts imports karrio (seconds, more on a busy machine).
        hub = HubProcess(hub_url, folder / "blobs").start(timeout_s=180)
        try:
            enrolment = enroll_station(station_db, hub.url, code, "bench-ship")
            with ShipClient(enrolment) as client:
                timed = [_one(station_db, client, printer, n) for n in range(1, packages + 2)]
                # The first warms the hub (karrio's import, OAuth token).
                totals = [t for t, _ in timed[1:]]
                reprints = [r for _, r in timed[1:]]
        finally:
            hub.stop()
    finally:
        if before is None:
            os.environ.pop(CARRIERS_ENV, None)
        else:
            os.environ[CARRIERS_ENV] = before
        station_db.close()
    overhead = [t - latency_ms for t in totals]
    parallel, serial, slowest = _rates(hub_db, emulator)
    hub_db.close()
    return ShipBenchResult(
        packages=packages,
        carrier_latency_ms=latency_ms,
        total_p50_ms=round(statistics.median(totals), 2),
        overhead_p50_ms=round(statistics.median(overhead), 2),
        overhead_p99_ms=round(_p99(overhead), 2),
        rates_parallel_ms=round(parallel, 2),
        rates_serial_ms=round(serial, 2),
        rates_slowest_single_ms=round(slowest, 2),
        parallel_vs_slowest=round(parallel / slowest, 3),
        reprint_p50_ms=round(statistics.median(reprints), 2),
        reprint_p99_ms=round(_p99(reprints), 2),
        overhead_vs_reprint=round(statistics.median(overhead) / statistics.median(reprints), 3),
    )


def _one(db: object, client: ShipClient, printer: object, package_no: int) -> tuple[float, float]:
    """(weighed package to label at the printer, the same label reprinted), ms."""
    from drivers.printer.emulator import TcpPrinterEmulator

    assert isinstance(printer, TcpPrinterEmulator)
    started = time.perf_counter()
    with db.session() as s:  # type: ignore[attr-defined]
        request, package_id = package_request(s, "SO-BENCH", package_no)
        s.rollback()
    shipment = client.buy(
        BuyRequest(
            **request.model_dump(),
            idempotency_key=idempotency_key("bench-ship", package_id, request),
            account="usps-0",
            service=SERVICE,
        )
    )
    label = client.label("SO-BENCH", package_no)
    assert shipment.tracking_number.encode() in label
    _send(printer.port, label)
    jobs = printer.wait_for_jobs(2 * package_no - 1, timeout=10)  # each package prints twice
    assert printer.core.jobs_received == 2 * package_no - 1 and jobs[-1] == label
    total = (time.perf_counter() - started) * 1000
    # The baseline of the same run and load: the package read, the label fetched from the hub
    # and sent to the printer again, with no carrier and no buy.
    started = time.perf_counter()
    with db.session() as s:  # type: ignore[attr-defined]
        package_request(s, "SO-BENCH", package_no)
        s.rollback()
    again = client.label("SO-BENCH", package_no)
    _send(printer.port, again)
    jobs = printer.wait_for_jobs(2 * package_no, timeout=10)
    assert printer.core.jobs_received == 2 * package_no and jobs[-1] == label
    return total, (time.perf_counter() - started) * 1000


def _rates(hub_db: object, emulator: CarrierEmulator) -> tuple[float, float, float]:
    """(at once, one after another, slowest single) for rates from five carriers, ms."""
    from station.hub.db import HubDatabase

    assert isinstance(hub_db, HubDatabase)
    accounts = _accounts(emulator)
    service = ShippingService(hub_db, ShippingConfig(accounts))
    package = PackageRequest(
        order_number="SO-BENCH", package_no=1, weight_g=1200, dims_mm=(300, 200, 150),
        ship_to=ShipToRecord(**SHIP_TO),
    )  # fmt: skip
    singles = [ShippingService(hub_db, ShippingConfig({n: a})) for n, a in accounts.items()]
    try:
        service.rates("main", "main", package)  # warm: gateways and OAuth tokens
        for single in singles:
            single.rates("main", "main", package)
        started = time.perf_counter()
        at_once = service.rates("main", "main", package)
        parallel = (time.perf_counter() - started) * 1000
        refused = {x.carrier for x in at_once.problems}
        assert refused <= {"dhl_express"}, at_once.problems  # no domestic US service
        times = []
        for single in singles:
            started = time.perf_counter()
            single.rates("main", "main", package)
            times.append((time.perf_counter() - started) * 1000)
        return parallel, sum(times), max(times)
    finally:
        service.close()
        for single in singles:
            single.close()


def main_json(result: ShipBenchResult) -> str:
    """The last line of ``--json``."""
    return json.dumps(result.to_json())
