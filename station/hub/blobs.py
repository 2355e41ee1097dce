"""The hub's blob store: photos by SHA-256, uploaded in chunks that resume from an offset.

An upload grows ``partial/<sha>`` one chunk at a time; a chunk is taken only at the exact
offset the file has reached, so a repeated or late chunk cannot write twice. When the file
reaches its declared size its SHA-256 is checked: a match moves it into place (rename, atomic)
and the database learns of it; a mismatch discards it and the station starts again.

A full disk is an answer, not a crash: the chunk that met it is cut back off the partial
file (the upload resumes from where it stood), the station is told 507 ``storage_full``, and
the store reports itself degraded (``problems``, shown by ``/v1/health``) until a write
succeeds again and the free space is above the reserve.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")
# The errors a write meets when the storage has no room: the disk, a quota, a size limit.
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
# Below this much free space the store says it is degraded before a write fails (one photo
# at the largest size the hub takes leaves room for the next).
DEFAULT_RESERVE_BYTES = 64 * 1024 * 1024
MB = 1024 * 1024


class BlobRefused(Exception):  # noqa: N818 - an answer of the protocol
    """A chunk was not taken; ``status`` and ``error`` go into the HTTP answer."""

    def __init__(self, status: int, error: str, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class ChunkResult:
    """Where an upload stands after a chunk: bytes held and whether it is complete."""

    offset: int
    complete: bool


def is_sha256(text: str) -> bool:
    """True for 64 lower-case hex digits."""
    return bool(_SHA256.fullmatch(text))


class BlobStore:
    """Complete blobs under ``root/<aa>/<sha>``, uploads in progress under ``root/partial``."""

    def __init__(self, root: Path, *, reserve_bytes: int = DEFAULT_RESERVE_BYTES) -> None:
        self.root = root
        self.reserve_bytes = reserve_bytes
        self._partial = root / "partial"
        self._partial.mkdir(parents=True, exist_ok=True)
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._no_room: str | None = None  # the last write's failure for lack of room

    def problems(self) -> list[str]:
        """Why the store is degraded (empty when it is not): a write failed, or space is low."""
        found = [self._no_room] if self._no_room else []
        try:
            free = shutil.disk_usage(self.root).free
        except OSError as exc:
            return [*found, f"blob storage cannot be read: {exc.strerror or exc}"]
        if free < self.reserve_bytes:
            found.append(
                f"blob storage has {free / MB:.1f} MB free, below its reserve of "
                f"{self.reserve_bytes / MB:.1f} MB"
            )
        return found

    def path(self, sha256: str) -> Path:
        """Where a complete blob lives."""
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        """True if the complete blob is on disk."""
        return self.path(sha256).is_file()

    def offset(self, sha256: str) -> int:
        """Bytes already received of an upload in progress (0 if none)."""
        try:
            return self._partial.joinpath(sha256).stat().st_size
        except FileNotFoundError:
            return 0

    @contextmanager
    def _locked(self, sha256: str) -> Iterator[None]:
        # One writer per blob: two requests for the same chunk must not both append it.
        with self._guard:
            lock = self._locks.setdefault(sha256, threading.Lock())
        with lock:
            yield

    def write_chunk(self, sha256: str, offset: int, size: int, data: bytes) -> ChunkResult:
        """Append ``data`` at ``offset`` of a blob of ``size`` bytes; verify when complete."""
        if not is_sha256(sha256):
            raise BlobRefused(422, "invalid_hash", "not a SHA-256 in lower-case hex")
        with self._locked(sha256):
            if self.has(sha256):
                return ChunkResult(size, True)
            part = self._partial / sha256
            have = self.offset(sha256)
            if offset != have:
                raise BlobRefused(409, "offset", f"the upload stands at {have}", offset=have)
            if have + len(data) > size:
                part.unlink(missing_ok=True)
                raise BlobRefused(422, "too_long", "more bytes than the declared size", offset=0)
            try:
                result = self._append(sha256, part, have, size, data)
            except OSError as exc:
                if exc.errno not in NO_ROOM:
                    raise
                raise self._refuse_for_room(part, have, exc) from None
            self._no_room = None
            return result

    def _append(self, sha256: str, part: Path, have: int, size: int, data: bytes) -> ChunkResult:
        with part.open("ab") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        have += len(data)
        if have < size:
            return ChunkResult(have, False)
        digest = _sha256_of(part)
        if digest != sha256:
            part.unlink(missing_ok=True)
            raise BlobRefused(
                422, "hash_mismatch", "the bytes received do not have this SHA-256", offset=0
            )
        final = self.path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        part.replace(final)
        return ChunkResult(size, True)

    def _refuse_for_room(self, part: Path, have: int, exc: OSError) -> BlobRefused:
        # The chunk may be partly written (or written and not synced): cut it off, so the
        # partial file holds exactly the bytes acknowledged before and the upload resumes.
        try:
            if part.exists():
                os.truncate(part, have)
        except OSError:
            part.unlink(missing_ok=True)
            have = 0
        reason = os.strerror(exc.errno) if exc.errno is not None else str(exc)
        self._no_room = f"blob storage is full ({reason}): photo uploads are refused"
        return BlobRefused(
            507,
            "storage_full",
            f"the hub's photo storage is full ({reason}); the station keeps the photo and "
            "sends it again later",
            offset=have,
        )


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
