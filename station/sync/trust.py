"""The TLS trust a station's calls to its hub use, built once per CA file and shared.

Building a trust store is costly: httpx's default loads certifi's whole bundle (about
150 certificates) for every new ``httpx.Client``. The sync worker and the order-lock thread
open a client per cycle and per lock call, so a soak of the bench found them spending a third
of a core rebuilding the same store, and the GUI thread waiting on the interpreter lock
meanwhile. An ``SSLContext`` may be shared by any number of clients and threads, so one is
built per CA file (and rebuilt when that file changes, e.g. at a new enrolment).
"""

from __future__ import annotations

import os
import ssl
import threading

import httpx

_lock = threading.Lock()
_contexts: dict[tuple[str | None, int, int], ssl.SSLContext] = {}


def trust(ca_file: str | None) -> ssl.SSLContext:
    """The context that verifies the hub: its private CA (``ca_file``, which replaces the
    system's trust store) or, with None, httpx's default (certifi, or ``SSL_CERT_FILE``)."""
    key = _key(ca_file)
    with _lock:
        context = _contexts.get(key)
        if context is None:
            if ca_file:
                context = ssl.create_default_context(cafile=ca_file)
            else:
                context = httpx.create_ssl_context()
            # A station talks to one hub: the contexts of earlier CA files are dropped.
            _contexts.clear()
            _contexts[key] = context
        return context


def _key(ca_file: str | None) -> tuple[str | None, int, int]:
    if not ca_file:
        return (None, 0, 0)
    try:
        stat = os.stat(ca_file)
    except OSError:
        return (ca_file, -1, -1)  # ssl names the missing file when it is loaded
    return (ca_file, stat.st_mtime_ns, stat.st_size)
