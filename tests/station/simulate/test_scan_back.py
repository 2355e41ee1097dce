"""Label scan-back: the SSCC on a package's label confirms it; another order's is refused."""

from __future__ import annotations

from station.config import Settings
from station.db import Database
from station.labels.service import render_order_label
from station.labels.sscc import sscc_for
from station.packing.completion import LabelCompletion
from station.packing.verdicts import Severity, Verdict
from station.printing.queue import PrintQueue
from tests.station.packfixtures import MUG, PHONE, make_service
from tests.station.simulate.conftest import STATION
from tests.station.simulate.packing import no_printer, pack, rows


def ssccs(db: Database, number: str) -> list[str]:
    found = rows(
        db,
        "SELECT p.sscc FROM packages p JOIN orders o ON o.id = p.order_id"
        " WHERE o.number = ? ORDER BY p.seq_no",
        number,
    )
    return [str(s) for (s,) in found]


def confirmed(db: Database, number: str) -> list[int]:
    found = rows(
        db,
        "SELECT p.label_confirmed FROM packages p JOIN orders o ON o.id = p.order_id"
        " WHERE o.number = ? ORDER BY p.seq_no",
        number,
    )
    return [int(str(c)) for (c,) in found]


def test_scan_back_confirms_the_package_and_refuses_another(
    db: Database, settings: Settings
) -> None:
    labels = LabelCompletion(db, settings, PrintQueue(db, no_printer, STATION))
    svc = make_service(db)
    labels.after(pack(svc, "SO-1001"))
    first, second = ssccs(db, "SO-1001")
    ok = svc.scan(f"]C100{first}")  # GS1-128 as the scanner reads it off the label
    assert ok.verdict is Verdict.CONFIRMED and ok.severity is Severity.INFO
    assert "package 1 of SO-1001" in ok.message
    assert svc.scan(second).verdict is Verdict.CONFIRMED  # the bare 18 digits too
    assert confirmed(db, "SO-1001") == [1, 1]
    events = rows(db, "SELECT payload FROM outbox WHERE type = 'label.confirmed' ORDER BY id")
    assert len(events) == 2 and first in str(events[0][0])

    labels.after(pack(svc, "SO-1004"))
    wrong = svc.scan(f"]C100{first}")  # SO-1001's label on SO-1004's box
    assert wrong.verdict is Verdict.NOT_ALLOWED and wrong.severity is Severity.ERROR
    assert "package 1 of SO-1001, not of SO-1004" in wrong.message
    assert confirmed(db, "SO-1004") == [0]
    (own,) = ssccs(db, "SO-1004")
    assert svc.scan(own).verdict is Verdict.CONFIRMED
    assert confirmed(db, "SO-1004") == [1]
    # A valid SSCC that is on no package of this database.
    stranger = sscc_for(999_999, settings.labels)
    unknown = svc.scan(stranger)
    assert unknown.verdict is Verdict.UNKNOWN_CODE and unknown.severity is Severity.ERROR
    # Every scan-back is a recorded scan like any other.
    kinds = rows(db, "SELECT verdict FROM scans WHERE kind = 'sscc' ORDER BY id")
    assert [k for (k,) in kinds] == [
        "confirmed",
        "confirmed",
        "not_allowed",
        "confirmed",
        "unknown_code",
    ]
    svc.close()


def test_scan_back_on_an_open_order_and_not_during_a_capture(
    db: Database, settings: Settings
) -> None:
    svc = make_service(db)
    svc.scan("SO-1007")
    svc.scan(MUG)
    assert svc.new_package().verdict is Verdict.PACKAGE_OPENED
    # The first box's label printed by hand while the second is being packed.
    render_order_label(db, settings, "SO-1007", "shipping", "zpl", package_no=1)
    sscc = ssccs(db, "SO-1007")[0]
    assert svc.scan(sscc).verdict is Verdict.CONFIRMED
    assert confirmed(db, "SO-1007") == [1, 0]
    # A serial number asked for is taken as the serial, even if it reads as an SSCC.
    svc.scan("SO-1002")
    assert svc.scan(PHONE).verdict is Verdict.NEEDS_SERIAL
    serial = sscc_for(424_242, settings.labels)
    accepted = svc.scan(serial)
    assert accepted.verdict is Verdict.ACCEPTED
    assert rows(db, "SELECT count(*) FROM scans WHERE serial = ?", serial) == [(1,)]
    svc.close()


def test_scan_back_with_nothing_packed_here(db: Database, settings: Settings) -> None:
    svc = make_service(db, station="bench-9")
    outcome = svc.scan(sscc_for(1, settings.labels))
    assert outcome.verdict is Verdict.NO_ORDER_OPEN
    svc.close()
