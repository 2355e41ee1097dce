"""Carrier labels bought at the bench: the pack bench's COMPLETED outcome queues the package
(``station.ship.awaiting``), the label buyer buys it through a real hub on 127.0.0.1 whose
USPS account is the carrier emulator, and the label's bytes reach a ZPL printer emulator
through the real print queue and worker; with the hub unreachable at completion and back
later, and a replayed buy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import select

from drivers.backoff import Backoff
from drivers.printer.emulator import Language, TcpPrinterEmulator
from drivers.printer.factory import make_printer
from drivers.scale.worker import ScaleUpdate
from station.barcodes import Command, Interpreter
from station.cli.evidence import format_text
from station.config import BarcodeSettings
from station.db import Database
from station.db.models import AuditEntry, CarrierLabel, Order, OutboxEvent, ShipTo
from station.evidence import gather
from station.hub.admin import enrol_code
from station.packing.bench import PackBench
from station.packing.verdicts import Outcome, Verdict
from station.printing.queue import PrintQueue
from station.printing.worker import PrintWorker
from station.ship.awaiting import AWAITING, BOUGHT, Approver, AwaitingLabels, OverrideRefusedError
from station.ship.buyer import LabelBuyer, enrolled_client
from station.sync.enroll import enroll_station
from station.tools.carrier_emulator import CarrierEmulator
from station.user_ref import UserRef
from station.users import find_by_badge
from tests.hub.shipping.shipfixtures import SHIP_TO, start_ship_hub
from tests.station.packfixtures import MUG, TEE, build_db
from tests.station.printing.conftest import wait_for
from tests.station.proof.prooffixtures import prove, stable

STATION = "bench-ship"


@pytest.fixture
def station_db(tmp_path: Path) -> Iterator[Database]:
    """Orders with a US delivery address."""
    db = build_db(tmp_path / "station.sqlite")
    with db.session() as s:
        ship_to = ShipTo(**SHIP_TO)
        s.add(ship_to)
        s.flush()
        for number in ("SO-1001", "SO-1002"):
            s.scalars(select(Order).where(Order.number == number)).one().ship_to_id = ship_to.id
        s.commit()
    yield db
    db.close()


@pytest.fixture
def printer() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        yield emulator


class Bench:
    """A pack bench with the awaiting-label subscriber, the label buyer and the print worker."""

    def __init__(self, db: Database, tmp_path: Path, printer: TcpPrinterEmulator) -> None:
        self.service = prove(db, tmp_path)
        self.bench = PackBench(self.service, Interpreter(BarcodeSettings()))
        self.labels = AwaitingLabels(db, STATION)
        self.bench.subscribe(self.labels.after)
        self.queue = PrintQueue(db, lambda url, lang: make_printer(url, lang, timeout=2), STATION)
        self.printer = printer
        self.buyer = LabelBuyer(
            self.labels,
            self.queue,
            lambda: enrolled_client(db),
            printer=printer.url,
            language="zpl",
            backoff=Backoff(first_s=0.05, cap_s=0.2),
            poll_s=0.05,
        )
        self.worker = PrintWorker(self.queue, poll_s=0.02, max_backoff_s=0.1)

    def pack(self, number: str) -> Outcome:
        """Every item verified, weighed (a supervisor accepts the test scale), completed."""
        b = self.bench
        for code in ("BADGE-ALICE", number, MUG, MUG, TEE, "BOX-M"):
            b.scan(code)
        b.weigh_reading(ScaleUpdate(stable(1200), accepted=True))
        b.override_weight("BADGE-SUE", "test scale")
        reply = b.command(Command.COMPLETE, "complete")
        assert isinstance(reply.result, Outcome) and reply.result.verdict is Verdict.COMPLETED
        return reply.result

    def close(self) -> None:
        self.buyer.stop()
        self.worker.stop()
        self.service.close()


def labels_bought(emulator: CarrierEmulator) -> int:
    return len([s for s in emulator.seen if s.path == "/labels/v3/label"])


def test_a_label_is_bought_and_printed_after_the_package_completes(
    tmp_path: Path, station_db: Database, printer: TcpPrinterEmulator
) -> None:
    with CarrierEmulator() as emulator, ExitStack() as stack:
        hub = start_ship_hub(stack, tmp_path / "hub", emulator)
        enroll_station(station_db, hub.url, enrol_code(hub.db, STATION), STATION)
        bench = Bench(station_db, tmp_path, printer)
        stack.callback(bench.close)
        bench.buyer.start()
        bench.worker.start()
        bench.pack("SO-1001")
        jobs = printer.wait_for_jobs(1, timeout=20)
        assert jobs[0].startswith(b"^XA")  # the carrier's ZPL, as the hub stored it
        wait_for(lambda: bench.labels.count() == 0, timeout=10)
        row = only_label(station_db)
        assert row.status == BOUGHT and row.tracking_number and row.carrier == "usps"
        assert row.label == jobs[0]
        assert row.billed_weight_g and row.actual_weight_g == pytest.approx(1200)
        tracked = tracking_events(station_db)
        assert tracked == [row.tracking_number]
        assert labels_bought(emulator) == 1
        with station_db.session() as s:
            record = gather(s, "SO-1001", tmp_path / "photos")
        assert record is not None
        carrier = record.packages[0].carrier
        assert carrier is not None and carrier["tracking_number"] == row.tracking_number
        assert f"tracking {row.tracking_number}" in format_text(record)
        assert [lb["template"] for lb in record.packages[0].labels] == ["carrier"]


def test_hub_out_of_reach_at_completion_the_label_is_bought_and_printed_later(
    tmp_path: Path, station_db: Database, printer: TcpPrinterEmulator
) -> None:
    with CarrierEmulator() as emulator, ExitStack() as outer:
        bench = Bench(station_db, tmp_path, printer)
        outer.callback(bench.close)
        with ExitStack() as first:
            hub = start_ship_hub(first, tmp_path / "hub", emulator)
            port = int(hub.url.rsplit(":", 1)[1])
            enroll_station(station_db, hub.url, enrol_code(hub.db, STATION), STATION)
        # The hub is gone: completing still answers at once and the package waits.
        bench.buyer.start()
        bench.worker.start()
        bench.pack("SO-1001")
        assert bench.labels.count() == 1
        wait_for(lambda: (only_label(station_db).attempts or 0) >= 2, timeout=10)
        row = only_label(station_db)
        assert row.status == AWAITING and "unreachable" in (row.last_error or "")
        assert printer.jobs == [] and labels_bought(emulator) == 0
        # The hub comes back where the station knew it: the label is bought and printed.
        start_ship_hub(outer, tmp_path / "hub", emulator, enrol=False, port=port)
        jobs = printer.wait_for_jobs(1, timeout=20)
        assert jobs[0].startswith(b"^XA")
        wait_for(lambda: only_label(station_db).status == BOUGHT, timeout=10)
        assert labels_bought(emulator) == 1
        assert tracking_events(station_db) == [only_label(station_db).tracking_number]


def test_a_replayed_buy_buys_once_and_prints_once(
    tmp_path: Path, station_db: Database, printer: TcpPrinterEmulator
) -> None:
    with CarrierEmulator() as emulator, ExitStack() as stack:
        hub = start_ship_hub(stack, tmp_path / "hub", emulator)
        enroll_station(station_db, hub.url, enrol_code(hub.db, STATION), STATION)
        bench = Bench(station_db, tmp_path, printer)
        stack.callback(bench.close)
        bench.pack("SO-1001")
        assert bench.buyer.run_once()
        first = only_label(station_db)
        # As if the station died after the hub sold the label but before its COMMIT here.
        with station_db.session() as s, s.begin():
            row = s.get(CarrierLabel, first.id)
            assert row is not None
            row.status, row.tracking_number = AWAITING, None
        assert bench.buyer.run_once()
        again = only_label(station_db)
        assert again.status == BOUGHT and again.tracking_number == first.tracking_number
        assert labels_bought(emulator) == 1  # the hub answered the stored shipment
        carrier_jobs = [j for j in bench.queue.jobs() if j.template == "carrier"]
        assert len(carrier_jobs) == 1


def test_nothing_is_queued_before_the_package_completes(
    tmp_path: Path, station_db: Database, printer: TcpPrinterEmulator
) -> None:
    bench = Bench(station_db, tmp_path, printer)
    try:
        b = bench.bench
        for code in ("BADGE-ALICE", "SO-1001", MUG, MUG, "BOX-M"):
            b.scan(code)
        b.weigh_reading(ScaleUpdate(stable(1200), accepted=True))
        assert bench.labels.count() == 0
        assert bench.labels.add_order("SO-1001") == 0  # not packed: no package to buy for
    finally:
        bench.close()


def only_label(db: Database) -> CarrierLabel:
    with db.session() as s:
        return s.scalars(select(CarrierLabel)).one()


def tracking_events(db: Database) -> list[object]:
    with db.session() as s:
        events = s.scalars(
            select(OutboxEvent).where(OutboxEvent.type == "package.label_bought")
        ).all()
        return [e.payload["tracking_number"] for e in events]


def badge_approver(db: Database) -> Approver:
    """A supervisor's badge alone, as the pack engine accepts it."""

    def approve(credential: str) -> UserRef | None:
        with db.session() as s:
            user = find_by_badge(s, credential)
            return None if user is None else UserRef(user.id, user.name, user.role.value)

    return approve


def test_a_supervisor_override_queues_a_weighed_package_before_completion_audited(
    tmp_path: Path, station_db: Database, printer: TcpPrinterEmulator
) -> None:
    bench = Bench(station_db, tmp_path, printer)
    try:
        b = bench.bench
        for code in ("BADGE-ALICE", "SO-1001", MUG, "BOX-M"):
            b.scan(code)
        labels, approve = bench.labels, badge_approver(station_db)
        with pytest.raises(OverrideRefusedError, match="not weighed yet"):
            labels.override("SO-1001", 1, "BADGE-SUE", "carrier pickup now", approve)
        b.weigh_reading(ScaleUpdate(stable(1200), accepted=True))
        b.override_weight("BADGE-SUE", "test scale")
        with pytest.raises(OverrideRefusedError, match="not a supervisor"):
            labels.override("SO-1001", 1, "BADGE-ALICE", "carrier pickup now", approve)
        with pytest.raises(OverrideRefusedError, match="needs a reason"):
            labels.override("SO-1001", 1, "BADGE-SUE", " ", approve)
        assert labels.count() == 0
        labels.override("SO-1001", 1, "BADGE-SUE", "carrier pickup now", approve)
        assert labels.count() == 1
        with station_db.session() as s:
            audit = s.scalars(
                select(AuditEntry).where(AuditEntry.action == "ship.label_override")
            ).one()
            assert audit.detail is not None and audit.detail["reason"] == "carrier pickup now"
    finally:
        bench.close()


def test_an_order_with_a_carrier_supplied_label_buys_none(
    tmp_path: Path, station_db: Database, printer: TcpPrinterEmulator
) -> None:
    with station_db.session() as s:
        order = s.scalars(select(Order).where(Order.number == "SO-1001")).one()
        order.carrier_label_format = "zpl"
        order.carrier_label_sha256 = "0" * 64
        s.commit()
    bench = Bench(station_db, tmp_path, printer)
    try:
        bench.pack("SO-1001")
        assert bench.labels.count() == 0
    finally:
        bench.close()
