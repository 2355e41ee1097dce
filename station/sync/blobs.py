"""Photos go up before the events that name them: content-addressed, resumable, verified.

The hub is asked which hashes it lacks and how far an earlier upload got; each missing blob is
sent in chunks from that offset. A file that is gone or no longer matches its hash cannot be
sent at all: it is reported as lost (the event still goes, and the hub knows the photo is
missing) rather than blocking every later event.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from station.db import Database
from station.db.engine import reader
from station.db.models import Photo
from station.sync import protocol as p
from station.sync.client import HubClient, HubRefused, HubUnavailable

log = logging.getLogger(__name__)

CHUNK_BYTES = 256 * 1024
UPLOADS_AT_ONCE = 4


@dataclass
class BlobReport:
    """What an upload round did: blobs sent, and hashes that cannot be sent."""

    uploaded: int = 0
    lost: list[str] = field(default_factory=list)


def locate(db: Database, photo_dir: Path, sha256: str) -> Path | None:
    """The file holding blob ``sha256``: the ``photos`` row's path, else a file named by it."""
    with reader(db.engine).connect() as conn:
        paths = list(conn.execute(select(Photo.path).where(Photo.sha256 == sha256)).scalars())
        conn.rollback()
    candidates = [photo_dir / path for path in paths]
    candidates += [photo_dir / sha256, *sorted(photo_dir.glob(f"{sha256}.*"))]
    candidates += sorted(photo_dir.glob(f"*/{sha256}*"))
    return next((c for c in candidates if c.is_file()), None)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def upload_missing(
    db: Database, client: HubClient, photo_dir: Path, hashes: Iterable[str]
) -> BlobReport:
    """Upload every blob of ``hashes`` the hub lacks; HubUnavailable if the hub fails."""
    report = BlobReport()
    wanted = sorted(set(hashes))
    if not wanted:
        return report
    jobs: list[tuple[Path, p.MissingBlob]] = []
    for missing in client.missing_blobs(wanted):
        path = locate(db, photo_dir, missing.sha256)
        if path is None or path.stat().st_size == 0 or file_sha256(path) != missing.sha256:
            # Only the hash is logged: a path can carry an order number, never more.
            log.warning("blob %s is missing or damaged at the station", missing.sha256[:12])
            report.lost.append(missing.sha256)
            continue
        jobs.append((path, missing))
    if len(jobs) <= 1:
        sent = [_send(client, path, missing) for path, missing in jobs]
    else:
        # A few at once: each costs the hub two fsyncs (the file, then its record), which
        # overlap; one after the other, 200 photos took a third of a 10,000-event drain.
        with ThreadPoolExecutor(max_workers=UPLOADS_AT_ONCE) as pool:
            sent = list(pool.map(lambda job: _send(client, *job), jobs))
    for (_, missing), ok in zip(jobs, sent, strict=True):
        if ok:
            report.uploaded += 1
        else:
            report.lost.append(missing.sha256)
    return report


def _send(client: HubClient, path: Path, missing: p.MissingBlob) -> bool:
    """Upload one blob; False if it is larger than the hub takes (it never will be)."""
    try:
        _upload(client, path, missing.sha256, missing.offset)
    except HubRefused as exc:
        if exc.status != 413:
            raise
        log.warning("blob %s is larger than the hub accepts", missing.sha256[:12])
        return False
    return True


def _upload(client: HubClient, path: Path, sha256: str, offset: int) -> None:
    size = path.stat().st_size
    if offset > size:
        offset = 0
    with path.open("rb") as f:
        while True:
            f.seek(offset)
            chunk = f.read(CHUNK_BYTES)
            try:
                progress = client.upload_chunk(sha256, offset, size, chunk)
            except HubRefused as exc:
                if exc.error == "offset" and exc.body.offset is not None:
                    offset = exc.body.offset  # an earlier attempt got further (or less far)
                    continue
                if exc.error == "hash_mismatch":
                    # Our file is right (checked above): the bytes were damaged on the way.
                    raise HubUnavailable("blob damaged in transit; will send it again") from exc
                raise
            if progress.complete:
                return
            offset = progress.offset
