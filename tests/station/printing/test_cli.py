"""``station print ...`` end to end: the real CLI, database and driver, a TCP emulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drivers.printer.emulator import TcpPrinterEmulator
from station.cli.main import main
from station.db import open_database
from station.db.models import PrintJobStatus
from station.printing.jobs import JobInfo
from station.printing.printers import ConfiguredPrinters
from station.printing.queue import PrintQueue

from .conftest import label, test_printers


def _run(capsys: pytest.CaptureFixture[str], db_path: Path, *argv: str) -> tuple[int, str, str]:
    status = main(["--db", str(db_path), "print", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def _enqueue(db_path: Path, printer: str, *labels: int) -> list[int]:
    db = open_database(db_path)
    try:
        queue = PrintQueue(db, test_printers, "bench-1")
        return [
            queue.enqueue(f"package:{n}:shipping", "shipping", "zpl", printer, label(n))
            for n in labels
        ]
    finally:
        db.close()


def test_retry_prints_the_queue_and_says_what_happened(
    tmp_path: Path, printer: TcpPrinterEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "station.sqlite"
    first, second = _enqueue(db_path, printer.url, 1, 2)
    status, out, _ = _run(capsys, db_path, "retry", "--timeout", "10")
    assert status == 0
    assert out.splitlines() == [
        f"job {first} package:1:shipping copy 1: done",
        f"job {second} package:2:shipping copy 1: done",
        "0 job(s) waiting",
    ]
    assert printer.jobs == [label(1), label(2)]


def test_retry_with_paper_out_leaves_the_job_waiting_with_its_reason(
    tmp_path: Path, printer: TcpPrinterEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "station.sqlite"
    printer.state.paper_out = True
    [job_id] = _enqueue(db_path, printer.url, 1)
    status, out, _ = _run(capsys, db_path, "retry", "--timeout", "10")
    assert status == 1
    assert out.splitlines() == [
        f"job {job_id} package:1:shipping copy 1: failed: paper out "
        "(retried when the printer is ready)",
        "1 job(s) waiting: paper out",
    ]
    assert printer.jobs == []
    # Paper back: the next retry sends the same job, once.
    printer.state.paper_out = False
    status, out, _ = _run(capsys, db_path, "retry", "--timeout", "10")
    assert (status, out.splitlines()[0]) == (0, f"job {job_id} package:1:shipping copy 1: done")
    assert printer.jobs == [label(1)]

    status, out, _ = _run(capsys, db_path, "jobs", "--json")
    [shown] = json.loads(out)
    assert (shown["id"], shown["status"], shown["attempts"]) == (job_id, "done", 2)


def test_jobs_lists_and_reprint_queues_an_audited_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "station.sqlite"
    [job_id] = _enqueue(db_path, "tcp://127.0.0.1:9", 1)
    status, out, _ = _run(capsys, db_path, "reprint", str(job_id))
    assert (status, out) == (0, f"queued job {job_id + 1}: copy 2 of package:1:shipping\n")
    status, out, _ = _run(capsys, db_path, "jobs", "--status", "queued")
    lines = out.splitlines()
    assert status == 0
    assert lines[0].split() == ["ID", "STATUS", "TRIES", "JOB", "REASON"]
    assert [line.split() for line in lines[1:]] == [
        [str(job_id + 1), "queued", "0", "package:1:shipping#2"],
        [str(job_id), "queued", "0", "package:1:shipping#1"],
    ]
    status, _, err = _run(capsys, db_path, "reprint", "99")
    # The first line names the database opened (every command says which).
    assert (status, err.splitlines()[-1]) == (1, "station print reprint: no print job 99")


def test_the_configured_printer_is_found_by_name(tmp_path: Path) -> None:
    # An emulated printer gets a new port each run: jobs name it, not its URL.
    from drivers.registry import PrinterDeviceConfig, build_registry

    printers = ConfiguredPrinters(PrinterDeviceConfig(kind="emulated"), build_registry())
    db = open_database(tmp_path / "station.sqlite")
    try:
        queue = PrintQueue(db, printers, "bench-1")
        job_id = queue.enqueue("package:1:shipping", "shipping", "zpl", "printer", label(1))
        driver = printers("printer", "zpl")
        assert driver is printers("printer", "zpl")  # built once
        payload = queue.claim(job_id)
        assert payload is not None
        assert driver.print_job(payload).sent
        with pytest.raises(ValueError, match="speaks zpl, the job is escpos"):
            printers("printer", "escpos")
        finished: JobInfo = queue.finish(job_id)
        assert finished.status is PrintJobStatus.DONE
    finally:
        printers.close()
        db.close()
