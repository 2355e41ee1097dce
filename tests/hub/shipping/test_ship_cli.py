"""``station ship`` and ``station hub carriers|manifest|site`` end to end: a station database
with a packed, weighed order (the real pack engine), enrolled with a hub whose USPS account is
the carrier emulator; bad input exits non-zero with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from station.cli.main import main
from station.db import Database, open_database
from station.db.models import Order, ShipTo
from station.hub.admin import enrol_code
from station.packing.verdicts import Verdict
from station.sync.enroll import enroll_station
from tests.hub.shipping.shipfixtures import SHIP_TO, ShipHub
from tests.station.packfixtures import MUG, TEE, build_db
from tests.station.proof.prooffixtures import prove, stable


@pytest.fixture
def station_db(tmp_path: Path, ship_hub: ShipHub) -> Database:
    """SO-1001 packed in BOX-M and weighed (package 1); SO-1002 not packed; enrolled."""
    db = build_db(tmp_path / "station.sqlite")
    with db.session() as s:
        ship_to = ShipTo(**{**SHIP_TO, "postcode": SHIP_TO["postcode"]})
        s.add(ship_to)
        s.flush()
        for number in ("SO-1001", "SO-1002"):
            s.scalars(select(Order).where(Order.number == number)).one().ship_to_id = ship_to.id
        s.commit()
    svc = prove(db, tmp_path)
    svc.scan("BADGE-ALICE")
    svc.scan("SO-1001")
    svc.scan(MUG)
    svc.scan(MUG)
    svc.scan(TEE)
    svc.scan("BOX-M")
    svc.record_weight(stable(1200))
    svc.override_weight("BADGE-SUE", "test scale")
    assert svc.complete().verdict is Verdict.COMPLETED
    svc.close()
    enroll_station(db, ship_hub.url, enrol_code(ship_hub.db, "bench-cli"), "bench-cli")
    path = db.path
    db.close()
    return open_database(path)


def run(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(db.path), *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_rates_buy_replay_label_void_from_the_command_line(
    station_db: Database, ship_hub: ShipHub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = run(station_db, capsys, "ship", "rates", "--order", "SO-1001", "--json")
    assert status == 0, err
    rates = json.loads(out)
    # BOX-M is 300 x 200 x 150 mm: 12 x 8 x 6 in = 576 in³, under USPS's cubic foot.
    assert rates["chosen"]["billed_weight_g"] == pytest.approx(3 * 453.59237, abs=0.1)
    label = tmp_path / "label.zpl"
    status, out, err = run(
        station_db, capsys, "ship", "buy", "--order", "SO-1001", "-o", str(label), "--json"
    )
    assert status == 0, err
    bought = json.loads(out)
    assert label.read_bytes().startswith(b"^XA")
    # Run again (a retry): the same label, nothing bought twice.
    status, out, _ = run(station_db, capsys, "ship", "buy", "--order", "SO-1001", "--json")
    assert json.loads(out)["tracking_number"] == bought["tracking_number"]
    assert json.loads(out)["replayed"] is True
    assert len([s for s in ship_hub.emulator.seen if s.path == "/labels/v3/label"]) == 1
    status, out, _ = run(station_db, capsys, "ship", "void", "--order", "SO-1001", "--package", "1")
    assert status == 0 and bought["tracking_number"] in out
    status, _, err = run(
        station_db, capsys, "ship", "label", "--order", "SO-1001", "--package", "1",
        "-o", str(tmp_path / "again.zpl"),
    )  # fmt: skip
    assert status == 1 and "was voided" in err
    # After a void the package can be bought again (a new label).
    status, out, err = run(station_db, capsys, "ship", "buy", "--order", "SO-1001", "--json")
    assert status == 0, err
    assert json.loads(out)["tracking_number"] != bought["tracking_number"]


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("ship", "rates", "--order", "SO-9999"), "unknown order 'SO-9999'"),
        (("ship", "rates", "--order", "SO-1002"), "has no package 1"),
        (("ship", "rates", "--order", "SO-1003"), "has no delivery address"),
        (("ship", "buy", "--order", "SO-1001", "--account", "usps-0"), "--account needs"),
        (("ship", "void", "--order", "SO-1001", "--package", "1"), "has no label"),
        (
            ("ship", "buy", "--order", "SO-1001", "--account", "ups-9", "--service", "x"),
            "no carrier account 'ups-9'",
        ),
    ],
)
def test_bad_input_exits_1_with_the_reason(
    station_db: Database, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], reason: str
) -> None:
    status, _, err = run(station_db, capsys, *args)
    assert status == 1
    assert reason in err


def test_hub_carriers_add_list_and_manifest(
    tmp_path: Path,
    ship_hub: ShipHub,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    carriers = tmp_path / "carriers.toml"
    monkeypatch.setattr("sys.stdin", _Stdin("client_id=abc\nclient_secret=very-secret\n"))
    assert main(["hub", "carriers", "add", "usps-0", "--carrier", "usps", "--server-url",
                 ship_hub.emulator.url, "--carriers", str(carriers)]) == 0  # fmt: skip
    assert carriers.stat().st_mode & 0o777 == 0o600
    assert main(["hub", "carriers", "add", "bad", "--carrier", "pigeon",
                 "--carriers", str(carriers)]) == 1  # fmt: skip
    capsys.readouterr()
    assert main(["hub", "carriers", "list", "--carriers", str(carriers), "--json"]) == 0
    out, _ = capsys.readouterr()
    assert "very-secret" not in out
    assert json.loads(out)[0]["credential_keys"] == ["client_id", "client_secret"]
    db_url = ship_hub.db.url
    assert main(["hub", "carriers", "test", "usps-0", "--db", db_url,
                 "--carriers", str(carriers)]) == 0  # fmt: skip
    # A label of the day through the API, then the hub's close-out of USPS at the site.
    ship_hub.client.post(
        "/v1/ship/buy", json={**ship_hub.package(), "idempotency_key": "cli-manifest-1"}
    ).raise_for_status()
    capsys.readouterr()
    pdf = tmp_path / "scan-form.pdf"
    assert main(["hub", "manifest", "--carrier", "usps", "--db", db_url,
                 "--carriers", str(carriers), "-o", str(pdf)]) == 0  # fmt: skip
    out, _ = capsys.readouterr()
    assert len(json.loads(out)["tracking_numbers"]) == 1 and pdf.read_bytes().startswith(b"%PDF")
    assert main(["hub", "manifest", "--carrier", "fedex", "--db", db_url,
                 "--carriers", str(carriers), "-o", str(pdf)]) == 1  # fmt: skip
    assert "names 0 account(s)" in capsys.readouterr().err


class _Stdin:
    def __init__(self, text: str) -> None:
        self.text = text

    def isatty(self) -> bool:
        return False

    def read(self) -> str:
        return self.text
