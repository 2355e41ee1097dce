"""A hub in its own process on a free loopback port (``station hub serve``), for benchmarks,
with its database (SQLite, or PostgreSQL: a throwaway cluster or a server's new database).

Its own process, so that the hub and the stations pushing to it do not share one Python
interpreter lock: what is measured is a hub on the machine, as in production.
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import TracebackType

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from station.hub.admin import enrol_code
from station.hub.db import open_hub_database
from station.hub.imports import import_catalog_file, import_orders_file
from station.tools.pgcluster import PgCluster, start_cluster


class HubProcess:
    """``station hub serve --db URL`` on 127.0.0.1, from ``start()`` until ``stop()``."""

    def __init__(
        self,
        db_url: str,
        blob_dir: Path,
        *,
        log_file: Path | None = None,
        max_files: int | None = None,
        source: Path | None = None,
    ) -> None:
        """``log_file``: the hub's output (else discarded); ``max_files``: its descriptor limit
        (a service's usual 1,024, say); ``source``: run the hub from another source tree (a
        before/after comparison in one benchmark run)."""
        self.db_url = db_url
        self.blob_dir = blob_dir
        self.log_file = log_file
        self.max_files = max_files
        self.source = source
        self.url = ""
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The hub's process id while it runs."""
        return self._proc.pid if self._proc is not None else None

    def start(self, timeout_s: float = 30.0) -> HubProcess:
        """Start the hub and wait until it answers ``/v1/health``."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        self.url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "station.cli.main", "hub", "serve", "--db", self.db_url,
                   "--port", str(port), "--blobs", str(self.blob_dir)]  # fmt: skip
        env = dict(os.environ)
        if self.source is not None:
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(self.source), env.get("PYTHONPATH")])
            )
        max_files = self.max_files

        def limit_files() -> None:  # in the child, before exec
            if max_files is not None:
                hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
                resource.setrlimit(resource.RLIMIT_NOFILE, (max_files, hard))

        output = self.log_file.open("ab") if self.log_file is not None else None
        try:
            self._proc = subprocess.Popen(
                command,
                stdout=output or subprocess.DEVNULL,
                stderr=output or subprocess.DEVNULL,
                env=env,
                cwd=self.source,  # python -m puts the working folder first on the path
                preexec_fn=limit_files if max_files is not None else None,  # noqa: PLW1509
            )
        finally:
            if output is not None:
                output.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"the hub exited with status {self._proc.returncode}")
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the hub did not answer within {timeout_s} s")

    def stop(self) -> None:
        """Stop the hub (SIGTERM: uvicorn finishes what it is doing)."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def __enter__(self) -> HubProcess:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()


class LoopbackHub:
    """A hub process for a benchmark, with its database and the orders the stations pack.

    ``pg``: None for a SQLite file in ``root``; ``"cluster"`` for a throwaway PostgreSQL
    cluster started here (durable: fsync on, as SQLite's synchronous=FULL); else the URL of
    a PostgreSQL server on which a new database is created and dropped afterwards.
    """

    def __init__(self, root: Path, pg: str | None = None) -> None:
        self.root = root
        self._pg = pg
        self._cluster: PgCluster | None = None
        self._server_db: tuple[str, str] | None = None  # (server URL, database name)
        self.backend = "sqlite" if pg is None else "postgresql"
        self.url = ""

    def __enter__(self) -> LoopbackHub:
        if self._pg is None:
            db_url = f"sqlite:///{self.root / 'hub.sqlite'}"
        elif self._pg == "cluster":
            self._cluster = start_cluster(durable=True)
            db_url = self._cluster.create_database("bench")
        else:
            db_url = _create_database(self._pg)
            self._server_db = (self._pg, make_url(db_url).database or "")
        self.db = open_hub_database(db_url)
        self.process = HubProcess(db_url, self.root / "hub-blobs")
        try:
            self.url = self.process.start().url
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def code(self, station: str) -> str:
        """A one-time enrolment code."""
        return enrol_code(self.db, station)

    def import_orders(self, numbers: list[str]) -> None:
        """One product, and one order of it per number (the stations' packs)."""
        catalog, orders = self.root / "catalog.csv", self.root / "orders.csv"
        catalog.write_text("sku,name,barcode,weight_g\nBENCH,Bench item,BENCH-1,100\n")
        rows = "".join(f"{n},BENCH,1\n" for n in numbers)
        orders.write_text(f"order_number,sku,quantity\n{rows}")
        import_catalog_file(self.db, catalog)
        import_orders_file(self.db, orders)

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.process.stop()
        self.db.close()
        if self._cluster is not None:
            self._cluster.stop()
        if self._server_db is not None:
            _drop_database(*self._server_db)


def _create_database(server_url: str) -> str:
    name = f"station_bench_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _drop_database(server_url: str, name: str) -> None:
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()
