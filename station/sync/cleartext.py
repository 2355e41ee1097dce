"""Whether a hub address sends credentials in clear, and what the station says about it.

An enrolment code and a station token are credentials: over plain ``http://`` to another
machine anyone on the path reads them. Loopback (the hub on this machine, or a TLS proxy
beside it) is the one place plain HTTP is harmless, so only that goes without a warning; with
``require_tls`` any other plain address is refused before a byte is sent.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class CleartextRefused(ValueError):  # noqa: N818 - a refusal, said to the person
    """A plain-HTTP address to another machine while TLS is required."""


def is_loopback(host: str) -> bool:
    """True for this machine's loopback: ``localhost``, 127.0.0.0/8, ``::1``."""
    host = host.strip("[]").lower().rstrip(".")
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve anywhere


def cleartext_problem(url: str, what: str) -> str | None:
    """The warning for sending ``what`` to ``url``; None for https or loopback."""
    parsed = urlsplit(url.strip())
    host = parsed.hostname or ""
    if parsed.scheme.lower() == "https" or is_loopback(host):
        return None
    return (
        f"{host or url} is reached over plain HTTP: {what} travel in clear to anyone on the "
        "network; use an https:// address (station hub serve --certfile/--keyfile, or a TLS "
        "proxy; --ca FILE for a private CA)"
    )


def check_hub_url(url: str, what: str, *, require_tls: bool) -> str | None:
    """The warning for ``url`` (None if none); CleartextRefused instead when TLS is required."""
    problem = cleartext_problem(url, what)
    if problem is not None and require_tls:
        raise CleartextRefused(f"refused (--require-tls): {problem}")
    return problem
