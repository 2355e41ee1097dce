"""The hub fetches the product pictures a catalog names by URL (issue 18, point 2).

Only from the hosts configured (``STATION_HUB_IMAGE_HOSTS``: ``host`` or ``host:port``,
comma-separated; none configured fetches nothing), over http(s), without following a
redirect (it could lead anywhere), with a time-out, a size cap read as the bytes arrive
(a server's Content-Length is not trusted) and the type checked by the bytes themselves
(``station.importers.images``). Each refusal is a field problem naming the cause.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx

from station.importers.common import FieldError
from station.pictures import MAX_IMAGE_BYTES, MEDIA_TYPES

ENV_HOSTS = "STATION_HUB_IMAGE_HOSTS"


class ImageFetcher:
    """Fetch a picture by URL from an allowed host: its bytes, or FieldError with the cause."""

    def __init__(
        self, hosts: frozenset[str], *, max_bytes: int = MAX_IMAGE_BYTES, timeout_s: float = 10.0
    ) -> None:
        self.hosts = frozenset(h.strip().lower() for h in hosts if h.strip())
        self._max = max_bytes
        self._timeout = timeout_s

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ImageFetcher:
        """The fetcher of ``STATION_HUB_IMAGE_HOSTS`` (empty: every URL is refused)."""
        return cls(frozenset(env.get(ENV_HOSTS, "").split(",")))

    def __call__(self, url: str) -> bytes:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            raise FieldError(f"not an http(s) address ({url[:80]!r})")
        with_port = f"{host}:{parts.port}" if parts.port else host
        if host not in self.hosts and with_port not in self.hosts:
            raise FieldError(f"{with_port} is not an allowed image host ({ENV_HOSTS})")
        try:
            with (
                httpx.Client(timeout=self._timeout, follow_redirects=False) as client,
                client.stream("GET", url) as response,
            ):
                return self._body(response, with_port)
        except httpx.HTTPError as exc:
            raise FieldError(f"cannot fetch from {with_port}: {type(exc).__name__}") from None

    def _body(self, response: httpx.Response, host: str) -> bytes:
        if response.is_redirect:
            raise FieldError(f"{host} answered with a redirect; give the picture's own address")
        if response.status_code != 200:
            raise FieldError(f"{host} answered {response.status_code}")
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in MEDIA_TYPES:
            raise FieldError(f"{host} sent {media or 'no type'}, not a PNG or JPEG picture")
        data = bytearray()
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > self._max:
                raise FieldError(f"the picture at {host} is larger than {self._max} bytes")
        return bytes(data)
