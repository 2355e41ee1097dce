"""The hub's defences: security headers on every answer, enrolment rate limit, revoked tokens.

All against a real hub served by uvicorn on 127.0.0.1 (and once over TLS), with the real
station client where a station is involved.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
import trustme

from station.cli.main import main
from station.hub.app import create_app
from station.hub.context import Limits
from station.hub.security import API_CSP, RateLimiter
from station.sync.client import HubRefused
from station.sync.protocol import ENROLL, PULL, PUSH
from station.sync.worker import SyncWorker
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest, start_hub
from tests.hub.server import running_hub
from tests.station.packfixtures import MUG

HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": API_CSP,
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def assert_secure(response: httpx.Response) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get_list(name) == [value], (response.url, name)


def test_every_kind_of_answer_carries_the_security_headers(hub: HubUnderTest) -> None:
    with httpx.Client(base_url=hub.url) as client:
        answers = [
            client.get("/v1/health"),  # 200
            client.get("/openapi.json"),  # 200, the schema
            client.get(PULL),  # 401: no token
            client.post(ENROLL, json={"code": "x"}),  # 422: station missing
            client.post(ENROLL, content=b"\xff{", headers={"content-type": "application/json"}),
            client.post(ENROLL, json={"code": "NOPE", "station": "bench-1"}),  # 403
            client.get("/nowhere"),  # 404
            client.delete("/v1/health"),  # 405
        ]
    assert [a.status_code for a in answers] == [200, 200, 401, 422, 400, 403, 404, 405]
    for answer in answers:
        assert_secure(answer)
        # Over plain HTTP HSTS would be ignored by browsers and promise what is not there.
        assert "strict-transport-security" not in answer.headers
    # Refusals keep the documented body, whoever made them (route, FastAPI or Starlette).
    for answer in answers[2:]:
        assert set(answer.json()) >= {"error", "message"}, answer.json()
    assert answers[4].json()["error"] == "invalid_body"
    assert answers[3].json()["message"].startswith("body.station:")


def test_the_documentation_page_may_load_its_script_and_nothing_else(hub: HubUnderTest) -> None:
    with httpx.Client(base_url=hub.url) as client:
        docs = client.get("/docs")
        redoc = client.get("/redoc")
    assert docs.status_code == 200
    csp = docs.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" in csp and "frame-ancestors 'none'" in csp
    assert docs.headers["x-frame-options"] == "DENY"
    assert redoc.status_code == 404  # one documentation page is enough


def test_hsts_only_over_tls(tmp_path: Path) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    key_file, chain_file, ca_file = tmp_path / "key.pem", tmp_path / "chain.pem", tmp_path / "ca"
    cert.private_key_pem.write_to_path(str(key_file))
    cert.cert_chain_pems[0].write_to_path(str(chain_file))
    ca.cert_pem.write_to_path(str(ca_file))
    app = create_app(f"sqlite:///{tmp_path / 'hub.sqlite'}", blob_dir=tmp_path / "blobs")
    with (
        running_hub(app, certfile=chain_file, keyfile=key_file) as url,
        httpx.Client(base_url=url, verify=ssl.create_default_context(cafile=ca_file)) as client,
    ):
        health, refused = client.get("/v1/health"), client.get(PULL)
    for answer in (health, refused):
        assert answer.headers["strict-transport-security"] == "max-age=31536000"
        assert_secure(answer)


# --- enrolment rate limit -------------------------------------------------------------------


def test_failed_enrolments_are_limited_per_address_with_retry_after(tmp_path: Path) -> None:
    with ExitStack() as stack:
        hub = start_hub(stack, tmp_path / "hub", Limits(enrol_attempts=3, enrol_window_s=60))
        good = hub.code("bench-1")
        with httpx.Client(base_url=hub.url) as client:
            wrong = [
                client.post(ENROLL, json={"code": f"WRONG-{n}", "station": "bench-1"})
                for n in range(3)
            ]
            limited = client.post(ENROLL, json={"code": "WRONG-4", "station": "bench-1"})
            # A right code for another station is a failure too.
            other = client.post(ENROLL, json={"code": good, "station": "bench-2"})
            # An honest enrolment from the limited address goes through (issue 12, point 4):
            # the code is checked, and only a wrong one is refused while limited.
            honest = client.post(ENROLL, json={"code": good, "station": "bench-1"})
            spent = client.post(ENROLL, json={"code": good, "station": "bench-1"})
    assert [r.status_code for r in wrong] == [403, 403, 403]
    assert limited.status_code == other.status_code == spent.status_code == 429
    assert honest.status_code == 200 and honest.json()["station"] == "bench-1"
    assert limited.json()["error"] == "too_many_attempts"
    assert "127.0.0.1" in limited.json()["message"]
    retry_after = int(limited.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert f"try again in {retry_after} s" in limited.json()["message"]
    assert_secure(limited)


def test_a_rotating_x_forwarded_for_does_not_get_past_the_limit(tmp_path: Path) -> None:
    # The outside trial's bypass: uvicorn trusted X-Forwarded-For from 127.0.0.1 by default.
    with ExitStack() as stack:
        hub = start_hub(stack, tmp_path / "hub", Limits(enrol_attempts=3, enrol_window_s=60))
        with httpx.Client(base_url=hub.url) as client:
            answers = [
                client.post(
                    ENROLL,
                    json={"code": f"WRONG-{n}", "station": "bench-1"},
                    headers={"X-Forwarded-For": f"203.0.113.{n}", "Forwarded": f"for=10.0.0.{n}"},
                )
                for n in range(6)
            ]
    assert [a.status_code for a in answers] == [403, 403, 403, 429, 429, 429]
    assert "from 127.0.0.1" in answers[3].json()["message"]


def test_behind_a_named_proxy_the_limit_is_per_forwarded_address(tmp_path: Path) -> None:
    app = create_app(
        f"sqlite:///{tmp_path / 'hub.sqlite'}",
        blob_dir=tmp_path / "blobs",
        limits=Limits(enrol_attempts=2, enrol_window_s=60),
    )
    with (
        running_hub(app, forwarded_allow_ips="127.0.0.1") as url,
        httpx.Client(base_url=url) as client,
    ):

        def attempt(client_address: str) -> httpx.Response:
            return client.post(
                ENROLL,
                json={"code": "WRONG", "station": "bench-1"},
                headers={"X-Forwarded-For": client_address},
            )

        first = [attempt("198.51.100.7") for _ in range(3)]
        other = attempt("198.51.100.8")
    assert [a.status_code for a in first] == [403, 403, 429]
    assert "from 198.51.100.7" in first[2].json()["message"]
    assert other.status_code == 403  # another client behind the same proxy


def test_successful_enrolments_do_not_count(
    tmp_path: Path, station_factory: Callable[[HubUnderTest, str], StationUnderTest]
) -> None:
    # A site enrolling its benches from one address (behind NAT) is never held up.
    with ExitStack() as stack:
        hub = start_hub(stack, tmp_path / "hub", Limits(enrol_attempts=2, enrol_window_s=60))
        names = [station_factory(hub, f"bench-{n}").name for n in range(5)]
    assert names == [f"bench-{n}" for n in range(5)]


def test_the_limiter_window_slides_and_keeps_addresses_apart() -> None:
    now = [1000.0]
    limiter = RateLimiter(attempts=2, window_s=60, clock=lambda: now[0])
    limiter.hit("10.0.0.1")
    now[0] += 30
    limiter.hit("10.0.0.1")
    assert limiter.wait("10.0.0.1") == 30  # the first failure leaves the window in 30 s
    assert limiter.wait("10.0.0.2") is None  # another address is not affected
    now[0] += 29.5
    assert limiter.wait("10.0.0.1") == 1  # rounded up, never 0
    now[0] += 0.5
    assert limiter.wait("10.0.0.1") is None  # one failure left in the window
    limiter.hit("10.0.0.1")
    assert limiter.wait("10.0.0.1") == 30
    with pytest.raises(ValueError, match="at least one attempt"):
        RateLimiter(attempts=0, window_s=60)


def test_the_limit_comes_from_the_environment() -> None:
    limits = Limits.from_env({"STATION_HUB_ENROL_ATTEMPTS": "5", "STATION_HUB_ENROL_WINDOW_S": "9"})
    assert (limits.enrol_attempts, limits.enrol_window_s) == (5, 9.0)
    assert Limits.from_env({}) == Limits()
    with pytest.raises(ValueError, match="STATION_HUB_ENROL"):
        Limits.from_env({"STATION_HUB_ENROL_ATTEMPTS": "many"})


# --- revoked tokens -------------------------------------------------------------------------


def test_a_token_revoked_with_the_cli_is_refused_and_the_station_says_why(
    hub: HubUnderTest,
    make_station: Callable[[str], StationUnderTest],
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = make_station("bench-1")
    assert bench.sync().pushed == 0  # enrolled and accepted
    db_url = str(hub.db.engine.url.render_as_string(hide_password=False))
    assert main(["hub", "revoke", "--db", db_url, "--station", "bench-1"]) == 0
    assert "revoked 1 token(s) of station bench-1" in capsys.readouterr().out

    svc = bench.service()
    svc.scan("SO-1002")
    svc.scan(MUG)
    with pytest.raises(HubRefused) as refused:
        bench.sync()
    assert refused.value.status == 401
    assert refused.value.error == "unauthorized"
    assert "revoked" in refused.value.body.message
    assert "enrol the station again" in str(refused.value)
    # The sync worker (what the status bar shows) names the cause and what to do.
    worker = SyncWorker(bench.syncer())
    assert worker.run_once() is None
    assert worker.status.last_error is not None
    assert "revoked" in worker.status.last_error and "enrol again" in worker.status.last_error
    assert worker.status.pending > 0  # nothing was lost: the events wait for a new token


def test_an_unknown_token_is_told_apart_from_a_revoked_one(hub: HubUnderTest) -> None:
    with httpx.Client(base_url=hub.url) as client:
        unknown = client.post(
            PUSH, json={"station": "x", "events": []}, headers={"Authorization": "Bearer nope"}
        )
        empty = client.get(PULL, headers={"Authorization": "Basic Ym9iOnB3"})
    assert (unknown.status_code, unknown.json()["message"]) == (401, "unknown token")
    assert unknown.headers["www-authenticate"] == "Bearer"
    assert (empty.status_code, empty.json()["message"]) == (401, "a station token is required")
