"""Credentials in clear: the station and the hub say so (issue 12, point 8).

A real ``station hub serve`` process listens on every address without TLS; the station
enrols and syncs with it through this machine's own non-loopback address, so the code and
the token really cross a network interface in clear. ``--require-tls`` refuses before any
byte is sent: the one-time code is still unused afterwards.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from station.cli.main import main
from station.sync.cleartext import cleartext_problem, is_loopback


def own_address() -> str:
    """An address of this machine that is not loopback (the route's source), else skip."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        except OSError:
            pytest.skip("this machine has no network interface but loopback")
        address = str(s.getsockname()[0])
    if is_loopback(address):
        pytest.skip("this machine has no network interface but loopback")
    return address


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("0.0.0.0", 0))
        return int(s.getsockname()[1])


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


class Served:
    def __init__(self, proc: subprocess.Popen[bytes], port: int, log: Path, db: str) -> None:
        self.proc, self.port, self.log, self.db = proc, port, log, db

    def code(self, capsys: pytest.CaptureFixture[str], station: str) -> str:
        status, out, _ = run(capsys, "hub", "enroll-code", "--db", self.db, "--station", station)
        assert status == 0
        return out.splitlines()[-1]


def serve(tmp_path: Path, host: str) -> Iterator[Served]:
    port = free_port()
    db = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    log = tmp_path / "hub.log"
    argv = ["hub", "serve", "--db", db, "--host", host, "--port", str(port)]
    argv += ["--blobs", str(tmp_path / "blobs")]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "station.cli.main", *argv], stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text(errors="replace")
            try:
                httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the hub did not start"
                time.sleep(0.1)
        yield Served(proc, port, log, db)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)


@pytest.fixture
def public_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    monkeypatch.setenv("STATION_NAME", "bench-9")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    yield from serve(tmp_path, "0.0.0.0")


def test_hub_serve_on_every_address_without_tls_says_so_at_start(public_hub: Served) -> None:
    log = public_hub.log.read_text(errors="replace")
    assert "warning: listening on 0.0.0.0 without TLS" in log
    assert "--certfile and --keyfile" in log


def test_hub_serve_on_loopback_says_nothing(tmp_path: Path) -> None:
    for served in serve(tmp_path, "127.0.0.1"):
        assert "without TLS" not in served.log.read_text(errors="replace")


def test_enroll_and_sync_over_plain_http_to_another_host_warn(
    public_hub: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://{own_address()}:{public_hub.port}"
    db = str(tmp_path / "station.sqlite")
    code = public_hub.code(capsys, "bench-9")
    status, out, err = run(capsys, "--db", db, "enroll", "--hub", url, "--code", code)
    assert status == 0 and f"enrolled station bench-9 with {url}" in out
    assert "warning:" in err and "plain HTTP" in err and "enrolment code" in err
    assert "https://" in err  # says what to do instead
    status, out, err = run(capsys, "--db", db, "sync", "--once", "--json")
    assert status == 0 and json.loads(out.splitlines()[-1])["pulled"] == 0
    assert "warning:" in err and "plain HTTP" in err and "token" in err
    assert code not in err + out  # the warning names the risk, never the credential

    status, out, err = run(capsys, "--db", db, "sync", "--once", "--require-tls")
    assert status == 2 and "refused (--require-tls)" in err


def test_require_tls_refuses_enrolment_before_sending_the_code(
    public_hub: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://{own_address()}:{public_hub.port}"
    db = str(tmp_path / "station.sqlite")
    code = public_hub.code(capsys, "bench-9")
    args = ["--db", db, "enroll", "--hub", url, "--code", code]
    status, _, err = run(capsys, *args, "--require-tls")
    assert status == 2 and "refused (--require-tls)" in err and "plain HTTP" in err
    # The code never left: it still enrols (a one-time code would be spent otherwise).
    status, out, _ = run(capsys, *args)
    assert status == 0 and "enrolled station bench-9" in out


def test_loopback_and_https_need_no_warning() -> None:
    for url in ("http://127.0.0.1:8765", "http://localhost:1", "http://[::1]:2", "https://h.x"):
        assert cleartext_problem(url, "it") is None, url
    for url in ("http://hub.local:8765", "http://10.0.0.7", "HTTP://192.0.2.2:1", "http://[::]:1"):
        assert cleartext_problem(url, "it") is not None, url
