"""The hub's trust store is built once per CA file and shared by every client."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import trustme

from station.sync.client import HubClient
from station.sync.trust import trust


def test_the_default_store_is_built_once() -> None:
    first = trust(None)
    assert trust(None) is first
    assert first.verify_mode is ssl.CERT_REQUIRED and first.check_hostname


def test_a_private_ca_replaces_the_default_and_a_new_file_is_read_again(tmp_path: Path) -> None:
    ca_file = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(ca_file))
    first = trust(str(ca_file))
    assert trust(str(ca_file)) is first
    assert first is not trust(None)
    assert len(first.get_ca_certs()) == 1  # only the hub's CA, not the system's
    # A new enrolment writes another CA to the same path: its certificate is trusted now.
    other = trustme.CA()
    other.cert_pem.write_to_path(str(ca_file))
    renewed = trust(str(ca_file))
    assert renewed is not first
    assert renewed.get_ca_certs()[0] != first.get_ca_certs()[0]


def test_a_missing_ca_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        trust(str(tmp_path / "gone.pem"))


def test_clients_share_the_context() -> None:
    with HubClient("https://hub.invalid", "token") as a, HubClient("https://hub.invalid") as b:
        assert a._http._transport._pool._ssl_context is b._http._transport._pool._ssl_context  # type: ignore[attr-defined]
