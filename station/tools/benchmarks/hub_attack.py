"""``station bench hub-attack``: the hub's memory and ``/v1/health`` under issue 12's attacks.

A hub in its own process (``station hub serve``, SQLite) with the descriptor limit of an
ordinary service (1,024), and one enrolled station. Measured in one run:

- at rest: ``/v1/health`` latency (the baseline of every ratio) and the hub's resident memory;
- pushes: ``--pushes`` concurrent pushes of 8 MB of tiny JSON objects (1,000 events of
  ``{"a":[{},{},...x2728]}``), with ``/v1/health`` asked over and over meanwhile: its latency,
  the hub's peak memory (``VmHWM``) and what it keeps afterwards;
- slow connections: ``--slow`` connections each sending half a request header and holding,
  ``/v1/health`` asked meanwhile on new connections: latency, failures (no answer within 5 s)
  and the bytes the hub logged.

``--hub-source DIR`` runs the hub from another source tree (an older checkout) for a
before/after comparison; the attacks and the measuring are this tree's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import socket
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from station.config import Settings
from station.hub.admin import enrol_code
from station.hub.db import open_hub_database
from station.sync.protocol import ENROLL, PUSH
from station.tools.benchmarks.scan import percentile
from station.tools.loopback import HubProcess

HEALTH = "/v1/health"
HEALTH_TIMEOUT_S = 5.0
SERVICE_FILES = 1024
HALF_HEADER = b"POST /v1/sync/push HTTP/1.1\r\nHost: hub\r\nContent-Type: applic"


@dataclass(frozen=True)
class HubAttackResult:
    """The figures (JSON keys are stable); times in ms, memory in MB."""

    source: str
    idle_health_p50_ms: float
    idle_health_p99_ms: float
    rest_rss_mb: float
    pushes: int
    push_statuses: list[int]
    push_health_p50_ms: float
    push_health_p99_ms: float
    push_health_p99_ratio: float
    push_peak_rss_mb: float
    push_peak_rss_ratio: float
    after_push_rss_mb: float
    slow_connections: int
    slow_health_p50_ms: float
    slow_health_p99_ms: float
    slow_health_p99_ratio: float
    slow_health_failures: int
    slow_health_samples: int
    log_bytes: int

    def to_json(self) -> dict[str, Any]:
        """The figures as one JSON object."""
        return asdict(self)

    def report(self) -> str:
        """The figures for people."""
        return "\n".join(
            [
                f"hub from {self.source}",
                f"at rest: /v1/health p50 {self.idle_health_p50_ms:.1f} ms, "
                f"p99 {self.idle_health_p99_ms:.1f} ms; RSS {self.rest_rss_mb:.0f} MB",
                f"{self.pushes} x 8 MB of tiny objects (answers {self.push_statuses}): "
                f"/v1/health p50 {self.push_health_p50_ms:.1f} ms, "
                f"p99 {self.push_health_p99_ms:.1f} ms "
                f"({self.push_health_p99_ratio:.1f}x at rest); "
                f"peak RSS {self.push_peak_rss_mb:.0f} MB "
                f"({self.push_peak_rss_ratio:.2f}x at rest), {self.after_push_rss_mb:.0f} MB after",
                f"{self.slow_connections} half-sent headers held: /v1/health "
                f"p50 {self.slow_health_p50_ms:.1f} ms, p99 {self.slow_health_p99_ms:.1f} ms "
                f"({self.slow_health_p99_ratio:.1f}x at rest), "
                f"{self.slow_health_failures}/{self.slow_health_samples} unanswered in "
                f"{HEALTH_TIMEOUT_S:g} s; hub log {self.log_bytes} bytes",
            ]
        )


def tiny_objects_push(station: str, events: int = 1000, per_event: int = 2728) -> bytes:
    """The outside trial's push: 8 MB of empty objects (each event a list of ``per_event``)."""
    tiny = "[" + ",".join(["{}"] * per_event) + "]"
    items = [
        f'{{"event_id":"{uuid.uuid4()}","station_seq":{seq},"type":"note.added",'
        f'"payload":{{"a":{tiny}}}}}'
        for seq in range(1, events + 1)
    ]
    return (f'{{"station":"{station}","events":[' + ",".join(items) + "]}").encode()


def _memory_mb(pid: int, field: str) -> float:
    # /proc/PID/status: VmRSS now, VmHWM the peak over the process's life (kB).
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def _health_ms(url: str) -> float | None:
    """One ``GET /v1/health`` on a new connection: ms, or None if unanswered in time.

    A bare socket: an HTTP client's own set-up (httpx builds an SSL context per call) would
    cost more than the answer, and a new connection is the point (the attacks fill accept).
    """
    host, port = url.removeprefix("http://").split(":")
    start = time.perf_counter()
    try:
        with socket.create_connection((host, int(port)), timeout=HEALTH_TIMEOUT_S) as s:
            s.settimeout(max(0.001, HEALTH_TIMEOUT_S - (time.perf_counter() - start)))
            s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n")
            answer = b""
            while part := s.recv(4096):
                answer += part
    except OSError:
        return None
    if not answer.startswith(b"HTTP/1.1 200"):
        return None
    return (time.perf_counter() - start) * 1000


def _sample_health(url: str, until: threading.Event, at_least: int) -> list[float | None]:
    samples: list[float | None] = []
    while not until.is_set() or len(samples) < at_least:
        samples.append(_health_ms(url))
        time.sleep(0.01)
    return samples


def _p(samples: list[float | None], q: float) -> float:
    # An unanswered request counts as the time it was given.
    return percentile([HEALTH_TIMEOUT_S * 1000 if s is None else s for s in samples], q)


def _push_attack(url: str, token: str, pushes: int) -> tuple[list[int], list[float | None]]:
    """``pushes`` concurrent 8 MB tiny-object pushes; their statuses and health meanwhile."""
    body = tiny_objects_push("attack-1")
    request = (
        f"POST {PUSH} HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + body
    host, port = url.removeprefix("http://").split(":")

    def push(_n: int) -> int:
        # A bare socket: sendall waits outside the interpreter lock, so this process's
        # threads disturb the health samples as little as they can.
        with socket.create_connection((host, int(port)), timeout=300) as s:
            with contextlib.suppress(OSError):  # answered (413) and closed before the end
                s.sendall(request)
            answer = s.recv(64)
        return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0

    done = threading.Event()
    with ThreadPoolExecutor(pushes + 1) as pool:
        sampler = pool.submit(_sample_health, url, done, 20)
        statuses = list(pool.map(push, range(pushes)))
        done.set()
        return statuses, sampler.result()


def _slow_attack(url: str, slow: int, samples: int) -> tuple[int, list[float | None]]:
    """``slow`` half-sent headers held while health is asked; how many were held, latencies."""
    host, port = url.removeprefix("http://").split(":")
    held: list[socket.socket] = []
    try:
        for _ in range(slow):
            try:
                s = socket.create_connection((host, int(port)), timeout=HEALTH_TIMEOUT_S)
                s.sendall(HALF_HEADER)
                held.append(s)
            except OSError:
                break  # the kernel's queue is full: as many as it takes are held
        return len(held), [_health_ms(url) for _ in range(samples)]
    finally:
        for s in held:
            s.close()


def _more_files(wanted: int) -> None:
    # This process holds the slow connections.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    cap = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
    if cap > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (cap, hard))


def run_hub_attack_bench(
    root: Path, *, pushes: int = 4, slow: int = 1100, samples: int = 200, source: Path | None = None
) -> HubAttackResult:
    """Start a hub, measure it at rest, under the pushes, then under the slow connections."""
    _more_files(slow + 256)
    db_url = f"sqlite:///{root / 'hub.sqlite'}"
    db = open_hub_database(db_url)
    log = root / "hub.log"
    hub = HubProcess(db_url, root / "blobs", log_file=log, max_files=SERVICE_FILES, source=source)
    try:
        hub.start()
        pid = hub.pid
        assert pid is not None
        token = httpx.post(
            hub.url + ENROLL, json={"code": enrol_code(db, "attack-1"), "station": "attack-1"}
        ).json()["token"]
        idle = [_health_ms(hub.url) for _ in range(samples)]
        rest_rss = _memory_mb(pid, "VmRSS")
        statuses, during_push = _push_attack(hub.url, token, pushes)
        peak = _memory_mb(pid, "VmHWM")
        time.sleep(1.0)  # what the hub gives back once the pushes are answered
        after = _memory_mb(pid, "VmRSS")
        log_before = log.stat().st_size
        held, during_slow = _slow_attack(hub.url, slow, max(20, samples // 2))
        time.sleep(0.5)
        log_bytes = log.stat().st_size - log_before
    finally:
        hub.stop()
        db.close()

    idle_p99 = _p(idle, 0.99)
    return HubAttackResult(
        source=str(source) if source is not None else "this tree",
        idle_health_p50_ms=round(_p(idle, 0.5), 2),
        idle_health_p99_ms=round(idle_p99, 2),
        rest_rss_mb=round(rest_rss, 1),
        pushes=pushes,
        push_statuses=statuses,
        push_health_p50_ms=round(_p(during_push, 0.5), 2),
        push_health_p99_ms=round(_p(during_push, 0.99), 2),
        push_health_p99_ratio=round(_p(during_push, 0.99) / idle_p99, 2),
        push_peak_rss_mb=round(peak, 1),
        push_peak_rss_ratio=round(peak / rest_rss, 2),
        after_push_rss_mb=round(after, 1),
        slow_connections=held,
        slow_health_p50_ms=round(_p(during_slow, 0.5), 2),
        slow_health_p99_ms=round(_p(during_slow, 0.99), 2),
        slow_health_p99_ratio=round(_p(during_slow, 0.99) / idle_p99, 2),
        slow_health_failures=sum(1 for s in during_slow if s is None),
        slow_health_samples=len(during_slow),
        log_bytes=log_bytes,
    )


def register_hub_attack(kinds: argparse._SubParsersAction[Any]) -> None:
    """Add ``bench hub-attack`` to the ``station bench`` parser."""
    p = kinds.add_parser("hub-attack", help="hub memory and /v1/health under issue 12's attacks")
    p.add_argument("--pushes", type=int, default=4, help="concurrent 8 MB pushes (4)")
    p.add_argument("--slow", type=int, default=1100, help="half-sent headers held (1,100)")
    p.add_argument("--samples", type=int, default=200, help="/v1/health at rest (200)")
    p.add_argument("--hub-source", type=Path, help="run the hub from this source tree")
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    p.set_defaults(handler=run_hub_attack)


def run_hub_attack(args: argparse.Namespace, _settings: Settings) -> int:
    """Run the benchmark and print its figures."""
    if min(args.pushes, args.slow, args.samples) < 1:
        print("station bench hub-attack: counts must be at least 1", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="station-bench-hub-attack-") as scratch:
        result = run_hub_attack_bench(
            Path(scratch),
            pushes=args.pushes,
            slow=args.slow,
            samples=args.samples,
            source=args.hub_source,
        )
    print(result.report())
    if args.json:
        print(json.dumps(result.to_json()))
    return 0
