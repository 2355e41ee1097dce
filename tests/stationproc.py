"""A real ``station`` process driven line by line over pipes, for the SIGKILL tests."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path


def start(db: Path, command: str, station: str) -> subprocess.Popen[str]:
    """``station --db DB COMMAND --json`` reading lines on stdin, as bench ``station``."""
    env = dict(os.environ, STATION_NAME=station)
    return subprocess.Popen(
        [sys.executable, "-m", "station.cli.main", "--db", str(db), command, "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        bufsize=1,
    )


def send(proc: subprocess.Popen[str], line: str) -> dict[str, object]:
    """Write one line; the JSON answer the process printed (after its commit)."""
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    answer = proc.stdout.readline()
    assert answer, "the station process ended without answering"
    decoded: dict[str, object] = json.loads(answer)
    return decoded


def kill(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the process and close its pipes."""
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            # The dead process may have left unread input in the pipe.
            with contextlib.suppress(BrokenPipeError):
                stream.close()
