"""Crash harness: SIGKILL a real ``station simulate`` at random moments, check after each kill.

Each run is ``station --db DB simulate --orders N --commits`` in a process of its own, which
prints one line per committed answer of the engine (``station.cli.simulate.CommitReport``).
The harness reads those lines and kills the process with SIGKILL at a random moment: either
early (while it opens the database, sets up its devices, resumes) or a random number of
commits in, plus a jitter of about one scan so that the kill lands anywhere in a transaction,
COMMIT and its fsync included. Every line read before the process died was printed after its
COMMIT, so each is a promise. After each kill, on the database as the dead process left it:

- ``PRAGMA integrity_check`` is ok;
- every reported scan is in ``scans`` with its ``scan.recorded`` event, and the outbox holds
  every ``station_seq`` from 1 to its counter, which is at least the highest reported;
- nothing is half-written (``station.db.care.half_written`` with the bench's rules: each
  closed package with items weighed and photographed, each row with its outbox event, each
  completed session's packages closed and its order packed, new-box scans matching packages);
- no order has a second session: a restart resumed the open one;
- and the next run that gets as far as starting the engine reports (``resumed``) the order,
  package and per-line counts the database held, counted here by SQL on the scans, not by the
  engine; its first answer for that order is ``order_resumed``.

Runs are forked from a *zygote*: a process that imported the station's modules once and forks
a child per run, which then opens the database and runs the command exactly as
``python -m station.cli.main`` would; SIGKILL hits the child. Importing the command line takes
about a second, which 50 kills would otherwise spend 50 times. ``STATION_CRASH_FORK=0`` runs
each in a fresh interpreter instead. The last run is always a fresh interpreter run to the end.

Environment: ``STATION_CRASH_KILLS`` (kills, default 50), ``STATION_CRASH_SEED`` (random seed),
``STATION_CRASH_FORK`` (1: zygote, 0: fresh interpreters), ``STATION_CRASH_TIMEOUT_S`` (how long
a run may go without a line before the harness gives up, default 60).
"""

from __future__ import annotations

import json
import os
import random
import selectors
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from station.db.care import half_written, outbox_missing

ROOT = Path(__file__).resolve().parent.parent
STATION = "bench-crash"
EARLY_KILL_SHARE = 0.2  # runs killed during start-up rather than after some commits
EARLY_KILL_MAX_S = 0.35  # start-up of a forked run: open, check, devices, resume
MAX_COMMITS_BEFORE_KILL = 25
JITTER_S = 0.015  # about one scan: the kill lands anywhere in the next transaction


def env_int(name: str, default: int) -> int:
    """An integer from the environment, or ``default``."""
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


class HarnessError(AssertionError):
    """A promise of the station was broken, or a run failed: the message says which."""


# --- running station processes ------------------------------------------------------------------


class LineReader:
    """Lines from a pipe's read end, with a timeout (no thread: ``selectors``)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._buffer = b""
        self._selector = selectors.DefaultSelector()
        self._selector.register(fd, selectors.EVENT_READ)
        self.eof = False

    def readline(self, timeout: float) -> str | None:
        """The next line; None at end of file (the writer died or exited)."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            if self.eof:
                return None
            left = deadline - time.monotonic()
            if left <= 0 or not self._selector.select(left):
                raise HarnessError(f"no line from the station process in {timeout:.0f} s")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                self.eof = True
                if not self._buffer:
                    return None
                chunk = b"\n"  # a last line without newline (never a commit line)
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode()

    def rest(self, timeout: float) -> list[str]:
        """Every line until end of file."""
        lines = []
        while (line := self.readline(timeout)) is not None:
            lines.append(line)
        return lines

    def close(self) -> None:
        """Stop reading and close the fd."""
        self._selector.close()
        os.close(self.fd)


@dataclass
class Child:
    """A running station command: its pid, its stdout lines, and how to end it."""

    pid: int
    out: LineReader
    _end: Callable[[], int]

    def end(self) -> int:
        """SIGKILL it unless it ended already; its exit code (negative: the signal).

        Only the process's parent signals it, before reaping it: a pid is never reused while
        its zombie waits, so the kill never reaches another process.
        """
        return self._end()


class FreshRunner:
    """Each run a fresh ``python -m station.cli.main`` (what a bench runs)."""

    def __init__(self, stderr: Path) -> None:
        self._stderr = stderr

    def start(self, argv: list[str], env: dict[str, str]) -> Child:
        """Start ``station ARGV`` with ``env`` added to the environment."""
        with self._stderr.open("ab") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "station.cli.main", *argv],
                stdout=subprocess.PIPE,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **env},
                cwd=ROOT,
            )
        assert proc.stdout is not None
        fd = os.dup(proc.stdout.fileno())
        proc.stdout.close()

        def end() -> int:
            proc.kill()  # Popen does not signal a process it has reaped
            return proc.wait()

        return Child(proc.pid, LineReader(fd), end)

    def close(self) -> None:
        """Nothing to stop."""


class ZygoteRunner:
    """Runs forked from a process that imported the station's command line once.

    The zygote reads one request per SEQPACKET message (JSON with the argv, the environment
    and where stderr goes, plus the write end of the run's stdout pipe passed as a file
    descriptor), forks, and answers the child's pid, then its exit code.
    """

    def __init__(self, stderr: Path) -> None:
        self._stderr = stderr
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        with self._stderr.open("ab") as err:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "tests.crashharness", "--zygote", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=env,
                cwd=ROOT,
            )
        theirs.close()
        self._sock = ours
        self._sock.settimeout(120)

    def start(self, argv: list[str], env: dict[str, str]) -> Child:
        """Fork ``station ARGV`` with ``env`` added to the environment."""
        read, write = os.pipe()
        request = {"argv": argv, "env": env, "stderr": str(self._stderr)}
        try:
            socket.send_fds(self._sock, [json.dumps(request).encode()], [write])
        finally:
            os.close(write)
        pid = self._reply()["pid"]

        def end() -> int:
            self._sock.send(b"kill")
            return self._reply()["exit"]

        return Child(pid, LineReader(read), end)

    def _reply(self) -> dict[str, int]:
        message = self._sock.recv(4096)
        if not message:
            raise HarnessError("the zygote process died (see the harness's stderr file)")
        answer: dict[str, int] = json.loads(message)
        return answer

    def close(self) -> None:
        """Stop the zygote."""
        self._sock.close()
        self._proc.wait(timeout=30)


def _zygote(fd: int) -> None:
    """The zygote's loop (``python -m tests.crashharness --zygote FD``)."""
    from station.cli import main as cli
    from station.labels import service  # noqa: F401  (imported by the first label, 0.25 s)

    cli.build_parser()  # every command's module, imported once (main imports only its own)

    sock = socket.socket(fileno=fd)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, 65536, 1)
        except OSError:
            return
        if not message:
            return
        request = json.loads(message)
        out = fds[0]
        pid = os.fork()
        if pid == 0:  # the run: stdout to the harness's pipe, then the command as usual
            code = 1
            try:
                sock.close()
                os.dup2(out, 1)
                os.close(out)
                err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                os.dup2(err, 2)
                os.close(err)
                sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
                os.environ.update(request["env"])
                code = cli.main(request["argv"])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(out)
        sock.send(json.dumps({"pid": pid}).encode())
        sock.recv(16)  # "kill": the harness is done with this run (or the zygote's end)
        os.kill(pid, signal.SIGKILL)  # not reaped yet: the pid is still this child's
        _, status = os.waitpid(pid, 0)
        sock.send(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode())


# --- what the database must hold -----------------------------------------------------------------


@contextmanager
def connect(db: Path) -> Iterator[sqlite3.Connection]:
    """A plain connection to the database as the dead process left it."""
    con = sqlite3.connect(db, isolation_level=None, timeout=10)
    try:
        yield con
    finally:
        con.close()


@dataclass(frozen=True)
class OpenSession:
    """What the database says the station had open: order, package, per-line counts."""

    order: str
    session_id: int
    package: int
    lines: list[list[int]]


def open_session(con: sqlite3.Connection, station: str) -> OpenSession | None:
    """The open session of ``station``, counted from the scans by SQL (not by the engine)."""
    row = con.execute(
        "SELECT s.id, s.order_id, o.number FROM pack_sessions s JOIN orders o"
        " ON o.id = s.order_id WHERE s.station = ? AND s.status = 'open'"
        " ORDER BY s.id DESC LIMIT 1",
        (station,),
    ).fetchone()
    if row is None:
        return None
    sid, order_id, number = row
    (package,) = con.execute(
        "SELECT max(seq_no) FROM packages WHERE session_id = ?", (sid,)
    ).fetchone()
    counted: dict[tuple[int, int], int] = {}
    for line_id, product_id, qty in con.execute(
        "SELECT order_line_id, product_id, sum(quantity) FROM scans WHERE session_id = ?"
        " AND verdict = 'accepted' AND undone = 0 GROUP BY 1, 2",
        (sid,),
    ):
        counted[(int(line_id), int(product_id))] = int(qty)
    lines = []
    for line_id, line_no, product_id in con.execute(
        "SELECT id, line_no, product_id FROM order_lines WHERE order_id = ? ORDER BY line_no",
        (order_id,),
    ).fetchall():
        packed = counted.get((line_id, product_id), 0)
        parts = con.execute(
            "SELECT component_id, quantity FROM kit_components WHERE kit_id = ?", (product_id,)
        ).fetchall()
        if parts:  # a kit is packed as itself or as its components, whole kits counted
            packed += min(counted.get((line_id, c), 0) // n for c, n in parts)
        lines.append([int(line_no), packed])
    return OpenSession(str(number), int(sid), int(package), lines)


def check_after_kill(
    db: Path, photos: Path, scan_ids: set[int], seq: int, *, verify_photos: bool = False
) -> list[str]:
    """Every broken promise and half-written record of the database now ([]: none)."""
    problems = []
    with connect(db) as con:
        verdict = "\n".join(r[0] for r in con.execute("PRAGMA integrity_check"))
        if verdict != "ok":
            return [f"integrity_check: {verdict}"]
        gaps, counter, _ = outbox_missing(con)
        if gaps:
            problems.append(f"outbox seq missing: {gaps}")
        if counter < seq:
            problems.append(f"outbox seq {seq} was reported committed, the counter is {counter}")
        stored = {int(r[0]) for r in con.execute("SELECT id FROM scans")}
        lost = sorted(scan_ids - stored)
        if lost:
            problems.append(f"scans reported committed but not stored: {lost[:10]}")
        problems += half_written(
            con,
            require_weight=True,
            require_photo=True,
            photo_dir=photos,
            verify_photos=verify_photos,
        )
        twice = con.execute(
            "SELECT o.number FROM pack_sessions s JOIN orders o ON o.id = s.order_id"
            " GROUP BY s.order_id HAVING count(*) > 1"
        ).fetchall()
        if twice:
            problems.append(f"orders packed in a second session (not resumed): {twice}")
    return problems


# --- the harness ---------------------------------------------------------------------------------


@dataclass
class CrashReport:
    """What a harness run did and found."""

    kills: int = 0
    early_kills: int = 0
    runs_ended_alone: int = 0  # runs that finished before their kill (out of orders, or done)
    commits_reported: int = 0
    resumes_checked: int = 0
    orders_packed: int = 0
    packages: int = 0
    scans: int = 0
    outbox_seq: int = 0
    seconds: float = 0.0
    seed: int = 0
    mode: str = "zygote"
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The figures as JSON."""
        return {k: (round(v, 1) if isinstance(v, float) else v) for k, v in vars(self).items()}


class CrashHarness:
    """Kill ``station simulate`` on ``db`` ``kills`` times, checking after each kill."""

    def __init__(
        self,
        db: Path,
        config: Path,
        *,
        kills: int,
        seed: int,
        fork: bool = True,
        timeout_s: float = 60.0,
        orders_per_run: int = 40,
        mistakes: float = 0.3,
    ) -> None:
        self.db, self.config = db, config
        self.photos = db.parent / "photos"
        self.kills, self.fork, self.timeout_s = kills, fork, timeout_s
        self.rng = random.Random(seed)
        self.orders, self.mistakes = orders_per_run, mistakes
        self.stderr = db.parent / "station-stderr.log"
        self.report = CrashReport(seed=seed, mode="zygote" if fork else "fresh")
        self.scan_ids: set[int] = set()
        self.seq = 0
        self.expect_resume: OpenSession | None = None

    def argv(self, run: int, orders: int | None = None) -> list[str]:
        """The command of run ``run``."""
        return [
            "--config",
            str(self.config),
            "--db",
            str(self.db),
            "simulate",
            "--orders",
            str(orders or self.orders),
            "--seed",
            str(run + 1),
            "--mistakes",
            str(self.mistakes),
            "--commits",
            "--json",
        ]

    def run(self) -> CrashReport:
        """All kills, then a last fresh run to the end; the report (problems listed)."""
        started = time.perf_counter()
        runner: ZygoteRunner | FreshRunner = (
            ZygoteRunner(self.stderr) if self.fork else FreshRunner(self.stderr)
        )
        try:
            run = 0
            while self.report.kills < self.kills:
                self._one(runner, run)
                run += 1
                if self.report.problems:
                    break
        finally:
            runner.close()
        if not self.report.problems:
            self._last(run)
        self._totals()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _one(self, runner: ZygoteRunner | FreshRunner, run: int) -> None:
        child = runner.start(self.argv(run), {"STATION_NAME": STATION})
        early = self.rng.random() < EARLY_KILL_SHARE
        lines: list[str] = []
        try:
            if early:
                time.sleep(self.rng.uniform(0, EARLY_KILL_MAX_S))
            else:
                wanted = self.rng.randint(1, MAX_COMMITS_BEFORE_KILL)
                while sum(1 for x in lines if x.startswith('{"commit"')) < wanted:
                    line = child.out.readline(self.timeout_s)
                    if line is None:
                        break
                    lines.append(line)
                time.sleep(self.rng.uniform(0, JITTER_S))
        finally:
            code = child.end()
        try:
            # Lines still in the pipe were printed after their COMMIT too: promises all the same.
            lines += child.out.rest(self.timeout_s)
        finally:
            child.out.close()
        if code != -signal.SIGKILL:
            self.report.runs_ended_alone += 1
            if code != 0:
                self._fail(f"run {run} exited {code}: {self._stderr_tail()}")
                return
        else:
            self.report.kills += 1
            self.report.early_kills += early
        self._take(run, lines)
        if not self.report.problems:
            self._check(run)

    def _take(self, run: int, lines: list[str]) -> None:
        """Record the run's promises; check its resume against what the database held."""
        resumed: str | None = None
        for line in lines:
            if not line.startswith("{"):
                continue
            message = json.loads(line)
            if "resumed" in message:
                got, want = message["resumed"], self.expect_resume
                if want is None:
                    self._fail(f"run {run} resumed {got} but the database had no open session")
                elif [got["order"], got["package"], got["lines"]] != [
                    want.order,
                    want.package,
                    want.lines,
                ]:
                    self._fail(f"run {run} resumed {got}, the database held {want}")
                else:
                    self.report.resumes_checked += 1
                resumed, self.expect_resume = got["order"], None
            elif "commit" in message:
                commit = message["commit"]
                self.report.commits_reported += 1
                if commit["scan_id"] is not None:
                    self.scan_ids.add(int(commit["scan_id"]))
                self.seq = max(self.seq, int(commit["seq"]))
                if self.expect_resume is not None:
                    self._fail(f"run {run} went on without resuming {self.expect_resume}")
                    self.expect_resume = None
                if resumed and commit["verdict"] in ("order_opened", "order_resumed"):
                    # The first order it opens is the one it resumed, and not opened anew.
                    if [commit["verdict"], commit["order"]] != ["order_resumed", resumed]:
                        self._fail(f"run {run} resumed {resumed}, then answered {commit}")
                    resumed = None

    def _check(self, run: int) -> None:
        problems = check_after_kill(self.db, self.photos, self.scan_ids, self.seq)
        for problem in problems:
            self._fail(f"after run {run}: {problem}")
        with connect(self.db) as con:
            held = open_session(con, STATION)
        # Until a run gets as far as reading it back, the promise carries over.
        self.expect_resume = held

    def _last(self, run: int) -> None:
        """A fresh interpreter packs a few orders to the end: exit 0, every check, every label."""
        done = subprocess.run(
            [sys.executable, "-m", "station.cli.main", *self.argv(run, orders=3)],
            capture_output=True,
            text=True,
            env={**os.environ, "STATION_NAME": STATION},
            cwd=ROOT,
            timeout=self.timeout_s * 3,
            check=False,
        )
        if done.returncode != 0:
            self._fail(f"the last run exited {done.returncode}: {done.stderr[-2000:]}")
            return
        self._take(run, done.stdout.splitlines())
        for problem in check_after_kill(
            self.db, self.photos, self.scan_ids, self.seq, verify_photos=True
        ):
            self._fail(f"at the end: {problem}")
        with connect(self.db) as con:
            unlabelled = con.execute(
                "SELECT p.id FROM packages p JOIN pack_sessions s ON s.id = p.session_id"
                " WHERE s.status = 'completed' AND s.station = ? AND EXISTS (SELECT 1 FROM"
                " scans c WHERE c.package_id = p.id AND c.verdict = 'accepted' AND c.undone = 0)"
                " AND NOT EXISTS (SELECT 1 FROM print_jobs j"
                " WHERE j.job_key = 'package:' || p.id || ':shipping')",
                (STATION,),
            ).fetchall()
        if unlabelled:
            self._fail(f"packed packages without a shipping label job: {unlabelled}")

    def _totals(self) -> None:
        with connect(self.db) as con:
            one = con.execute
            self.report.orders_packed = one(
                "SELECT count(*) FROM pack_sessions WHERE status = 'completed'"
            ).fetchone()[0]
            self.report.packages = one("SELECT count(*) FROM packages").fetchone()[0]
            self.report.scans = one("SELECT count(*) FROM scans").fetchone()[0]
            self.report.outbox_seq = one(
                "SELECT coalesce(max(station_seq), 0) FROM outbox"
            ).fetchone()[0]

    def _fail(self, problem: str) -> None:
        self.report.problems.append(problem)

    def _stderr_tail(self) -> str:
        try:
            return self.stderr.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no stderr)"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--zygote"]:
        _zygote(int(sys.argv[2]))
