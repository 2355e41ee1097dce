"""The hub's /v1/ship API through karrio's real USPS connector against the carrier emulator
on 127.0.0.1: rates, idempotent buys, labels by hash, void, manifest, and every fault mode."""

from __future__ import annotations

import hashlib
from contextlib import ExitStack
from pathlib import Path

import pytest

from station.tools.carrier_emulator import CarrierEmulator, Fault
from tests.hub.shipping.shipfixtures import SECRET, ShipHub, start_ship_hub


def test_rates_show_actual_dim_and_billed_weight_and_the_rules_choice(ship_hub: ShipHub) -> None:
    answer = ship_hub.client.post("/v1/ship/rates", json=ship_hub.package(ship_method="next_day"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["problems"] == []
    services = [r["service"] for r in body["rates"]]
    assert "usps_ground_advantage_machinable_single_piece" in services
    prices = [r["price"] for r in body["rates"]]
    assert prices == sorted(prices)
    first = body["rates"][0]
    # 30 x 20 x 10 cm is 12 x 8 x 4 in = 384 in³: below USPS's cubic foot, no DIM weight;
    # 1200 g billed as 3 lb.
    assert first["actual_weight_g"] == 1200
    assert first["dim_weight_g"] == 0
    assert first["billed_weight_g"] == pytest.approx(3 * 453.59237, abs=0.1)
    # next_day: the one-day rate, though not the cheapest.
    assert body["chosen"]["transit_days"] == 1
    assert body["chosen"]["service"].startswith("usps_priority_mail_express")


def test_a_replayed_buy_buys_once_and_stores_the_label_under_its_hash(ship_hub: ShipHub) -> None:
    body = {**ship_hub.package(), "idempotency_key": "bench-1:SO-1001:1:a", "label_format": "zpl"}
    first = ship_hub.client.post("/v1/ship/buy", json=body)
    assert first.status_code == 200, first.text
    again = ship_hub.client.post("/v1/ship/buy", json=body)
    assert again.status_code == 200
    bought = first.json()
    assert again.json() == {**bought, "replayed": True}
    labels = [s for s in ship_hub.emulator.seen if s.path == "/labels/v3/label"]
    assert len(labels) == 1
    label = ship_hub.client.get("/v1/ship/label/SO-1001/1")
    assert label.status_code == 200
    assert label.content.startswith(b"^XA") and bought["tracking_number"].encode() in label.content
    assert hashlib.sha256(label.content).hexdigest() == bought["label_sha256"]
    # Another key for the same package is refused while the label stands.
    other = ship_hub.client.post("/v1/ship/buy", json={**body, "idempotency_key": "bench-1:b:xx"})
    assert other.status_code == 409 and other.json()["error"] == "already_bought"
    # The same key with another request is refused too.
    changed = ship_hub.client.post("/v1/ship/buy", json={**body, "weight_g": 1500})
    assert changed.status_code == 409 and changed.json()["error"] == "key_reused"


def test_pdf_and_300_dpi_labels(ship_hub: ShipHub) -> None:
    pdf = ship_hub.client.post(
        "/v1/ship/buy",
        json={**ship_hub.package(), "idempotency_key": "k-pdf-0001", "label_format": "pdf"},
    )
    assert pdf.status_code == 200, pdf.text
    data = ship_hub.client.get("/v1/ship/label/SO-1001/1")
    assert data.headers["content-type"] == "application/pdf" and data.content.startswith(b"%PDF")
    zpl = ship_hub.client.post(
        "/v1/ship/buy",
        json={**ship_hub.package(package_no=2), "idempotency_key": "k-zpl-300", "dpi": 300},
    )
    assert zpl.status_code == 200
    assert b"300 dpi" in ship_hub.client.get("/v1/ship/label/SO-1001/2").content
    seen = [
        s.body["imageInfo"]["imageType"]
        for s in ship_hub.emulator.seen
        if s.path == "/labels/v3/label"
    ]
    assert seen == ["PDF", "ZPL300DPI"]


def test_void_then_reprint_is_refused_and_a_manifested_label_cannot_be_voided(
    ship_hub: ShipHub,
) -> None:
    for n in (1, 2):
        bought = ship_hub.client.post(
            "/v1/ship/buy",
            json={**ship_hub.package(package_no=n), "idempotency_key": f"key-{n}-xyz"},
        )
        assert bought.status_code == 200, bought.text
    void = ship_hub.client.post("/v1/ship/void", json={"order_number": "SO-1001", "package_no": 1})
    assert void.status_code == 200 and void.json()["status"] == "voided"
    reprint = ship_hub.client.get("/v1/ship/label/SO-1001/1")
    assert reprint.status_code == 409 and "voided" in reprint.json()["message"]
    manifest = ship_hub.client.post("/v1/ship/manifest", json={"account": "usps-0"})
    assert manifest.status_code == 200, manifest.text
    made = manifest.json()
    assert len(made["tracking_numbers"]) == 1 and made["manifest_number"].startswith("9275")
    doc = ship_hub.client.get(f"/v1/ship/manifest/document/{made['document_sha256']}")
    assert doc.content.startswith(b"%PDF")
    refused = ship_hub.client.post(
        "/v1/ship/void", json={"order_number": "SO-1001", "package_no": 2}
    )
    assert refused.status_code == 409
    assert refused.json()["error"] == "manifested"
    assert "cannot be voided" in refused.json()["message"]


@pytest.mark.parametrize(
    ("fault", "status", "error"),
    [
        (Fault.TIMEOUT, 504, "carrier_timeout"),
        (Fault.ERROR_500, 502, "carrier_error"),
        (Fault.RATE_LIMITED, 503, "carrier_busy"),
        (Fault.INVALID_ADDRESS, 422, "invalid_address"),
        (Fault.NO_LABEL, 502, "no_label"),
    ],
)
def test_carrier_faults_are_refused_with_the_reason_and_nothing_is_stored(
    ship_hub: ShipHub, fault: Fault, status: int, error: str
) -> None:
    body = {
        **ship_hub.package(),
        "idempotency_key": f"fault-{fault.value}",
        "account": "usps-0",
        "service": "usps_ground_advantage_machinable_single_piece",
    }
    ship_hub.emulator.fail_next(fault)
    answer = ship_hub.client.post("/v1/ship/buy", json=body)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error
    if fault is Fault.RATE_LIMITED:  # the carrier's own Retry-After, passed on
        assert answer.headers["retry-after"] == str(ship_hub.emulator.retry_after_s)
    # Nothing was kept: the same key buys when the carrier answers again.
    retry = ship_hub.client.post("/v1/ship/buy", json=body)
    assert retry.status_code == 200, retry.text
    assert retry.json()["replayed"] is False


def test_rates_name_the_failing_account(ship_hub: ShipHub) -> None:
    ship_hub.emulator.fail_next(Fault.INVALID_ADDRESS)
    answer = ship_hub.client.post("/v1/ship/rates", json=ship_hub.package())
    assert answer.status_code == 200
    problem = answer.json()["problems"][0]
    # karrio's USPS rate parser loses the carrier's error text of a rate search; the account
    # is still named, with no rates.
    assert problem["account"] == "usps-0" and problem["code"] in {"invalid_address", "no_rates"}
    assert answer.json()["rates"] == []


def test_credentials_never_reach_an_answer_or_the_log(
    ship_hub: ShipHub, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    carriers = ship_hub.client.get("/v1/ship/carriers")
    assert carriers.json() == [
        {
            "name": "usps-0",
            "carrier": "usps",
            "site": None,
            "emulated": True,
            "credential_keys": ["account_number", "client_id", "client_secret"],
        }
    ]
    ship_hub.emulator.fail_next(Fault.ERROR_500)
    ship_hub.client.post("/v1/ship/rates", json=ship_hub.package())
    ship_hub.client.post("/v1/ship/buy", json={**ship_hub.package(), "idempotency_key": "k-log-1"})
    out, err = capfd.readouterr()
    everything = out + err + caplog.text + carriers.text
    assert SECRET not in everything
    openapi = ship_hub.client.get("/openapi.json").json()
    assert {"/v1/ship/rates", "/v1/ship/buy", "/v1/ship/void", "/v1/ship/manifest"} <= set(
        openapi["paths"]
    )


def test_a_hub_restart_between_buy_and_print_keeps_label_and_replay(
    tmp_path: Path, emulator: CarrierEmulator
) -> None:
    body = {"idempotency_key": "restart-key-1"}
    with ExitStack() as stack:
        first = start_ship_hub(stack, tmp_path / "hub", emulator)
        body.update(first.package())
        bought = first.client.post("/v1/ship/buy", json=body).json()
        token = first.client.headers["Authorization"]
    with ExitStack() as stack:
        again = start_ship_hub(stack, tmp_path / "hub", emulator, enrol=False)
        again.client.headers["Authorization"] = token
        label = again.client.get("/v1/ship/label/SO-1001/1")
        assert label.status_code == 200
        assert hashlib.sha256(label.content).hexdigest() == bought["label_sha256"]
        replay = again.client.post("/v1/ship/buy", json=body)
        assert replay.json() == {**bought, "replayed": True}
    assert len([s for s in emulator.seen if s.path == "/labels/v3/label"]) == 1
