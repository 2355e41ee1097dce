"""Labels after completion: the applicable ones, queued once each, and the start-up sweep."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from station.config import LabelSettings, Settings
from station.db import Database
from station.labels.service import render_order_label
from station.packing.completion import LabelCompletion
from station.printing.queue import PrintQueue
from tests.station.packfixtures import FIXED_NOW, make_service
from tests.station.simulate.conftest import STATION
from tests.station.simulate.packing import no_printer, pack, rows


def completion(db: Database, settings: Settings) -> LabelCompletion:
    return LabelCompletion(db, settings, PrintQueue(db, no_printer, STATION))


def keys(db: Database, number: str) -> list[str]:
    found = rows(
        db,
        "SELECT j.job_key FROM print_jobs j JOIN orders o ON o.id = j.order_id"
        " WHERE o.number = ? ORDER BY j.id",
        number,
    )
    return [str(k) for (k,) in found]


def ids(db: Database, number: str) -> tuple[int, list[int]]:
    (order_id,) = rows(db, "SELECT id FROM orders WHERE number = ?", number)[0]
    packages = rows(db, "SELECT id FROM packages WHERE order_id = ? ORDER BY seq_no", order_id)
    return int(str(order_id)), [int(str(p)) for (p,) in packages]


def test_each_applicable_label_is_queued_once(db: Database, settings: Settings) -> None:
    labels = completion(db, settings)
    svc = make_service(db)
    for number in ("SO-1001", "SO-1003", "SO-1004"):
        done = pack(svc, number)
        assert labels.after(done)
        assert labels.after(done) == []  # a retried completion queues nothing more
    order, (p1, p2) = ids(db, "SO-1001")
    assert keys(db, "SO-1001") == [
        f"package:{p1}:shipping",
        f"package:{p2}:shipping",
        f"order:{order}:packing-slip",
    ]
    gift, (g1,) = ids(db, "SO-1003")
    assert keys(db, "SO-1003") == [
        f"package:{g1}:shipping",
        f"order:{gift}:packing-slip",
        f"order:{gift}:gift-note",
    ]
    abroad, (a1,) = ids(db, "SO-1004")
    assert keys(db, "SO-1004") == [
        f"package:{a1}:shipping",
        f"order:{abroad}:packing-slip",
        f"order:{abroad}:customs",
    ]
    jobs = rows(db, "SELECT job_key, template, language, printer, copy, status FROM print_jobs")
    assert {(t, lang, p, c, s) for _, t, lang, p, c, s in jobs} >= {
        ("shipping", "zpl", "printer", 1, "queued"),
        ("customs", "zpl", "printer", 1, "queued"),
    }
    # The job carries the very bytes `station label render` gives for that package.
    (payload,) = rows(
        db, "SELECT payload FROM print_jobs WHERE job_key = ?", f"package:{p2}:shipping"
    )[0]
    assert payload == render_order_label(db, settings, "SO-1001", "shipping", "zpl", package_no=2)
    # The sweep finds nothing missing, twice.
    assert labels.sweep(FIXED_NOW) == []
    assert labels.sweep(FIXED_NOW) == []
    assert rows(db, "SELECT count(*) FROM print_jobs") == [(9,)]
    assert rows(db, "SELECT count(*) FROM outbox WHERE type = 'print.queued'") == [(9,)]
    svc.close()


def test_the_sweep_queues_what_a_crash_left_unqueued(db: Database, settings: Settings) -> None:
    labels = completion(db, settings)
    svc = make_service(db)
    pack(svc, "SO-1001")  # completed and committed, then the process died: nothing queued
    done = pack(svc, "SO-1004")
    labels.after(done)
    order, _ = ids(db, "SO-1004")
    # Died half-way through queueing SO-1004: its customs declaration is missing.
    rows_before = rows(db, "SELECT id FROM print_jobs WHERE job_key = ?", f"order:{order}:customs")
    assert rows_before
    _delete_job(db, f"order:{order}:customs")
    assert labels.sweep(FIXED_NOW + timedelta(hours=1)) == ["SO-1001", "SO-1004"]
    assert labels.sweep(FIXED_NOW + timedelta(hours=1)) == []
    assert len(keys(db, "SO-1001")) == 3 and len(keys(db, "SO-1004")) == 3
    assert rows(db, "SELECT count(*) FROM print_jobs GROUP BY job_key HAVING count(*) > 1") == []
    svc.close()


def test_the_sweep_leaves_old_orders_and_other_stations_alone(
    db: Database, settings: Settings
) -> None:
    svc = make_service(db)
    pack(svc, "SO-1001")
    other = make_service(db, station="bench-2")
    pack(other, "SO-1004")
    labels = completion(db, settings)
    assert labels.sweep(FIXED_NOW + timedelta(days=2)) == []  # packed two days ago
    assert labels.sweep(FIXED_NOW) == ["SO-1001"]  # bench-2 sweeps its own
    svc.close()
    other.close()


def test_nothing_is_queued_without_auto_print_or_printer(db: Database, settings: Settings) -> None:
    svc = make_service(db)
    done = pack(svc, "SO-1004")
    off = replace(settings, labels=LabelSettings(auto_print=False))
    assert completion(db, off).after(done) == []
    assert completion(db, off).sweep(FIXED_NOW) == []
    devices = replace(settings.devices, printer=replace(settings.devices.printer, kind="none"))
    none = replace(settings, devices=devices)
    assert completion(db, none).after(done) == []
    assert rows(db, "SELECT count(*) FROM print_jobs") == [(0,)]
    svc.close()


def _delete_job(db: Database, key: str) -> None:
    import sqlite3

    con = sqlite3.connect(db.path)
    with con:
        con.execute("DELETE FROM print_jobs WHERE job_key = ?", (key,))
    con.close()
