"""Orders imported with a carrier-supplied label (columns carrier, service, tracking_number,
carrier_label): checked at import, and printed unchanged in the pack flow with no network at
all (no hub, only the bench's printer: a real ZPL printer emulator through the real driver)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from drivers.printer.emulator import Language, TcpPrinterEmulator
from drivers.printer.factory import make_printer
from station.config import Settings
from station.db import Database
from station.db.models import Order, utcnow
from station.importers import ImportFailed, import_orders
from station.labels.carrier import carrier_label_folder
from station.packing.completion import LabelCompletion
from station.printing.queue import PrintQueue
from station.printing.worker import PrintWorker
from tests.station.packfixtures import MUG, make_service
from tests.station.simulate.conftest import STATION

ZPL = b"^XA^FO50,50^A0N,40,40^FDUSPS 9400100000000000000001^FS^BY3^BCN,100^FD420787019400^FS^XZ"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSV_HEAD = "order_number,sku,quantity,customer_name,street1,city,country,carrier,service,"
CSV_HEAD += "tracking_number,carrier_label\n"


def csv_row(number: str, label: str, *, tracking: str = "9400100000000000000001") -> str:
    address = "Ann Smit,Main St 1,Austin,US"
    return f"{number},MUG,1,{address},usps,usps_ground_advantage,{tracking},{label}\n"


@pytest.fixture
def printer() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        yield emulator


def test_a_supplied_zpl_label_is_imported_and_printed_first_after_the_pack(
    tmp_path: Path, db: Database, settings: Settings, printer: TcpPrinterEmulator
) -> None:
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "so-2001.zpl").write_bytes(ZPL)
    orders = tmp_path / "orders.csv"
    orders.write_text(CSV_HEAD + csv_row("SO-2001", "labels/so-2001.zpl"))
    import_orders(db, orders)
    with db.session() as s:
        order = s.scalars(select(Order).where(Order.number == "SO-2001")).one()
        assert (order.carrier, order.service) == ("usps", "usps_ground_advantage")
        assert order.tracking_number == "9400100000000000000001"
        assert order.carrier_label_format == "zpl"
        stored = carrier_label_folder(settings) / f"{order.carrier_label_sha256}.zpl"
        assert stored.read_bytes() == ZPL
    svc = make_service(db)
    svc.scan("SO-2001")
    svc.scan(MUG)
    done = svc.complete()
    svc.close()
    queue = PrintQueue(db, lambda url, lang: make_printer(url, lang, timeout=2), STATION)
    labels = LabelCompletion(db, settings, queue, printer=printer.url)
    labels.after(done)
    jobs = queue.jobs()
    assert [j.template for j in reversed(jobs)][:2] == ["carrier-supplied", "shipping"]
    worker = PrintWorker(queue, poll_s=0.02, max_backoff_s=0.1)
    worker.start()
    try:
        printed = printer.wait_for_jobs(len(jobs), timeout=20)
    finally:
        worker.stop()
    assert printed[0] == ZPL  # the carrier's bytes, unchanged, before the station's own label
    assert labels.sweep(utcnow()) == []  # nothing missing: no second copy


def test_a_base64_label_in_json_is_kept_and_a_pdf_waits_for_a_pdf_printer(
    tmp_path: Path, db: Database, settings: Settings
) -> None:
    orders = tmp_path / "orders.json"
    order = {
        "order_number": "SO-2002",
        "carrier": "dhl_parcel_de",
        "service": "V01PAK",
        "tracking_number": "00340434161094042557",
        "carrier_label": base64.b64encode(PDF + b" " * 300).decode(),
        "customer_name": "Ann Smit",
        "street1": "Main St 1",
        "city": "Berlin",
        "country": "DE",
        "lines": [{"sku": "MUG", "quantity": 1}],
    }
    orders.write_text(json.dumps([order]))
    import_orders(db, orders)
    svc = make_service(db)
    svc.scan("SO-2002")
    svc.scan(MUG)
    done = svc.complete()
    svc.close()
    queue = PrintQueue(db, lambda url, lang: make_printer(url, lang, timeout=2), STATION)
    LabelCompletion(db, settings, queue).after(done)
    # The bench's printer takes ZPL: the PDF is not sent to it (it stays for `station label
    # carrier`), and the rest of the order's labels print as usual.
    assert "carrier-supplied" not in [j.template for j in queue.jobs()]
    assert "shipping" in [j.template for j in queue.jobs()]


@pytest.mark.parametrize(
    ("label", "tracking", "problem"),
    [
        ("missing.zpl", "1Z999", "carrier_label: missing.zpl: no such file"),
        ("not-a-label.txt", "1Z999", "not-a-label.txt: not a ZPL (^XA..^XZ) or PDF label"),
        ("cut.zpl", "1Z999", "cut.zpl: a ZPL label that is cut short (no ^XZ)"),
        ("cut.pdf", "1Z999", "cut.pdf: a PDF label that is cut short"),
        ("label.zpl", "", "tracking_number: required with carrier_label"),
    ],
)
def test_a_bad_carrier_label_refuses_the_file_with_the_reason(
    tmp_path: Path, db: Database, label: str, tracking: str, problem: str
) -> None:
    (tmp_path / "not-a-label.txt").write_text("hello")
    (tmp_path / "cut.zpl").write_bytes(ZPL[:20])
    (tmp_path / "cut.pdf").write_bytes(PDF[:20])
    (tmp_path / "label.zpl").write_bytes(ZPL)
    orders = tmp_path / "orders.csv"
    orders.write_text(CSV_HEAD + csv_row("SO-2003", label, tracking=tracking))
    with pytest.raises(ImportFailed) as excinfo:
        import_orders(db, orders)
    assert any(problem in p for p in excinfo.value.problems), excinfo.value.problems
    with db.session() as s:
        assert s.scalar(select(Order).where(Order.number == "SO-2003")) is None


def test_bad_base64_is_refused(tmp_path: Path, db: Database) -> None:
    orders = tmp_path / "orders.json"
    order = {
        "order_number": "SO-2004",
        "carrier": "usps",
        "tracking_number": "9400",
        "carrier_label": "!" * 300,
        "lines": [{"sku": "MUG", "quantity": 1}],
    }
    orders.write_text(json.dumps([order]))
    with pytest.raises(ImportFailed) as excinfo:
        import_orders(db, orders)
    assert excinfo.value.problems == ["row 1: carrier_label: not valid base64"]
