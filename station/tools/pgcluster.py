"""A throwaway PostgreSQL cluster on loopback, for the tests and ``station bench sync --pg``.

``initdb`` into a new temporary folder, ``pg_ctl start`` on a free 127.0.0.1 port with the
socket in that folder, one fresh database per use, and at the end ``pg_ctl stop`` and the
folder removed. PostgreSQL refuses to run as root ("initdb: cannot be run as root"), so as root
the folder is given to an unprivileged user (``postgres``, which the Debian packages create,
else ``nobody``) and every command runs through ``runuser``; otherwise as the current user.
Never for data that matters: a cluster started with ``durable=False`` does not fsync.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

SUPERUSER = "postgres"
_DEBIAN_BINARIES = Path("/usr/lib/postgresql")
_UNPRIVILEGED = ("postgres", "nobody")


class ClusterUnavailable(Exception):  # noqa: N818 - a state of the machine, not a bug
    """No cluster could be started here; the message says why (missing binaries, a log...)."""


def find_bindir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` are: Debian's newest ``/usr/lib/postgresql/N/bin``,
    else the folder of ``initdb`` on PATH (Debian keeps it off PATH)."""
    versions = sorted(
        (d for d in _DEBIAN_BINARIES.glob("*/bin") if (d / "initdb").is_file()),
        key=lambda d: [int(x) for x in re.findall(r"\d+", d.parent.name)],
    )
    if versions:
        return versions[-1]
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl", path=str(Path(found).parent)):
        return Path(found).parent
    return None


def _owner() -> str | None:
    """The user the cluster runs as when we are root (None: ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in _UNPRIVILEGED:
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise ClusterUnavailable("running as root, and neither a postgres nor a nobody user exists")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgCluster:
    """A running throwaway cluster: its folder, port and the user it runs as."""

    root: Path
    bindir: Path
    port: int
    owner: str | None

    @property
    def data(self) -> Path:
        """The data directory."""
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3) of ``database`` on this cluster."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "hub", template: str | None = None) -> str:
        """A new database, empty or a copy of ``template`` (a database name); its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{template}"' if template else ""
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        finally:
            engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (sessions still open are ended) and remove the folder."""
        try:
            _run(self.owner, self.root, self.bindir / "pg_ctl", "-D", self.data, "-m", "fast",
                 "-w", "-t", "20", "stop")  # fmt: skip
        except ClusterUnavailable:
            _run(self.owner, self.root, self.bindir / "pg_ctl", "-D", self.data, "-m",
                 "immediate", "stop", check=False)  # fmt: skip
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _run(
    owner: str | None, cwd: Path, *args: str | Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    # runuser rather than sudo: it is in util-linux (always there on Debian) and asks nothing.
    prefix = ["runuser", "-u", owner, "--"] if owner else []
    done = subprocess.run(
        [*prefix, *map(str, args)],
        cwd=cwd,  # the owner may not be allowed into our working directory
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if check and done.returncode != 0:
        name = Path(str(args[0])).name
        raise ClusterUnavailable(f"{name} failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    return done


def start_cluster(*, durable: bool = False, attempts: int = 3) -> PgCluster:
    """initdb and start a cluster on a free loopback port; ClusterUnavailable if impossible."""
    bindir = find_bindir()
    if bindir is None:
        raise ClusterUnavailable(
            "no initdb in /usr/lib/postgresql/*/bin or on PATH (Debian: apt-get install postgresql)"
        )
    owner = _owner()
    # The owner must reach the folder: a private TMPDIR of root's would not do, /tmp does.
    base = "/tmp" if owner is not None and Path("/tmp").is_dir() else None
    root = Path(tempfile.mkdtemp(prefix="station-pg-", dir=base))
    try:
        if owner is not None:
            user = pwd.getpwnam(owner)
            os.chown(root, user.pw_uid, user.pw_gid)
        _run(owner, root, bindir / "initdb", "-D", root / "data", "-A", "trust", "-U", SUPERUSER,
             "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
        options = f"-k {root} -h 127.0.0.1 -c max_connections=200"
        if not durable:
            options += " -F -c synchronous_commit=off -c full_page_writes=off"
        problem = ""
        for _ in range(attempts):
            # Another process may take the port between our probe and the server's bind.
            port = _free_port()
            done = _run(owner, root, bindir / "pg_ctl", "-D", root / "data", "-l",
                        root / "server.log", "-w", "-t", "30", "-o", f"{options} -p {port}",
                        "start", check=False)  # fmt: skip
            if done.returncode == 0:
                return PgCluster(root, bindir, port, owner)
            problem = _log_tail(root / "server.log") or done.stderr.strip()
        raise ClusterUnavailable(f"pg_ctl start failed: {problem[-800:]}")
    except BaseException:
        if (root / "data" / "postmaster.pid").exists():  # interrupted after a start
            _run(owner, root, bindir / "pg_ctl", "-D", root / "data", "-m", "immediate", "stop",
                 check=False)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)
        raise


def _log_tail(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-800:]
    except OSError:
        return ""
