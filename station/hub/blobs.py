"""The hub's blob store: photos by SHA-256, uploaded in chunks that resume from an offset.

An upload grows ``partial/<sha>`` one chunk at a time; a chunk is taken only at the exact
offset the file has reached, so a repeated or late chunk cannot write twice. When the file
reaches its declared size its SHA-256 is checked: a match moves it into place (rename, atomic)
and the database learns of it; a mismatch discards it and the station starts again.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")


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

    def __init__(self, root: Path) -> None:
        self.root = root
        self._partial = root / "partial"
        self._partial.mkdir(parents=True, exist_ok=True)
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

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


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
