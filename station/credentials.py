"""Secrets at rest: PINs and badge codes kept only as salted, slow hashes (scrypt).

A stolen station or hub database must not yield a credential usable at another bench, so
neither a PIN nor a badge code is stored: only ``scrypt$n$r$p$<salt>$<hash>`` with a random
16-byte salt and n=2**14, r=8, p=1 (about 16 MiB and some tens of milliseconds per check).
The string names its own parameters so they can be raised later without invalidating what is
stored. scrypt comes with Python (``hashlib``, OpenSSL), memory-hard, and is what the station
used for PINs already: one well-kept KDF, no new dependency (argon2-cffi would be the other
choice; it offers nothing here that justifies a compiled dependency).

A badge is looked up at every sign-in scan, and a slow hash per user per scan would not do
(50 users × 30 ms). Each badge therefore also has a *tag*: 16 bits of a SHA-256 of the code,
the same everywhere. The tag narrows the search to the users whose tag matches (with 50 users
almost always one), and only those are checked against their slow hash. 16 bits identify no
badge: every tag is shared by one code in 65,536, so an attacker with the database still pays
a slow hash for every guess that passes the tag.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
# A stored hash names its own cost; refuse absurd ones so a tampered row cannot make a log-in
# allocate gigabytes or spin for minutes.
MAX_SCRYPT_N = 2**20
MAX_SCRYPT_R = 32
MAX_SCRYPT_P = 16
TAG_HEX_DIGITS = 4  # 16 bits
_TAG_DOMAIN = b"pack-station badge tag\x00"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(secret: str, salt: bytes, *, n: int, r: int, p: int, dklen: int) -> bytes:
    # scrypt needs 128*n*r bytes; OpenSSL's default limit (32 MiB) is too small for the
    # largest cost we accept, so the limit is given explicitly with some headroom.
    maxmem = 128 * n * r * (p + 1) + (1 << 20)
    return hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen
    )


def hash_secret(secret: str) -> str:
    """The self-describing scrypt hash of ``secret``, with a fresh random salt."""
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(secret, salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, stored: str) -> bool:
    """True if ``secret`` matches ``stored`` (a :func:`hash_secret` string); False if malformed."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return False
    # n must be a power of two above 1 (scrypt's own rule); the upper bounds guard resources.
    if not (1 < n <= MAX_SCRYPT_N and n & (n - 1) == 0):
        return False
    if not (0 < r <= MAX_SCRYPT_R and 0 < p <= MAX_SCRYPT_P) or not salt or not expected:
        return False
    actual = _scrypt(secret, salt, n=n, r=r, p=p, dklen=len(expected))
    # compare_digest takes the same time wherever the first difference is.
    return hmac.compare_digest(actual, expected)


def normal_badge(code: str) -> str:
    """A badge code as it is hashed: without surrounding blanks (a wedge may add them)."""
    return code.strip()


def badge_tag(code: str) -> str:
    """The 16-bit lookup tag of a badge code (4 hex digits; see the module docstring)."""
    digest = hashlib.sha256(_TAG_DOMAIN + normal_badge(code).encode("utf-8")).hexdigest()
    return digest[:TAG_HEX_DIGITS]


def hash_badge(code: str) -> tuple[str, str]:
    """(tag, slow hash) of a badge code: all that is stored of it."""
    return badge_tag(code), hash_secret(normal_badge(code))


def badge_matches(code: str, tag: str | None, stored: str | None) -> bool:
    """True if ``code`` is the badge stored as ``tag`` and ``stored``."""
    if not tag or not stored or tag != badge_tag(code):
        return False
    return verify_secret(normal_badge(code), stored)
