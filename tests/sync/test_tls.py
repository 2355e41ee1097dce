"""The hub over TLS, with certificates made by trustme: the station trusts only its CA."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import trustme

from station.db import open_database
from station.hub.admin import enrol_code
from station.hub.app import create_app
from station.hub.context import HubContext
from station.sync.client import HubClient, HubUnavailable
from station.sync.cycle import Syncer
from station.sync.enroll import enroll_station
from station.sync.state import load_enrolment
from tests.hub.hubfixtures import CATALOG_CSV, HubUnderTest
from tests.hub.server import running_hub


@pytest.fixture
def tls_hub(tmp_path: Path) -> Iterator[tuple[HubUnderTest, Path]]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    key_file, chain_file, ca_file = (
        tmp_path / "key.pem",
        tmp_path / "chain.pem",
        tmp_path / "ca.pem",
    )
    cert.private_key_pem.write_to_path(str(key_file))
    cert.cert_chain_pems[0].write_to_path(str(chain_file))
    for extra in cert.cert_chain_pems[1:]:
        with chain_file.open("ab") as f:
            f.write(extra.bytes())
    ca.cert_pem.write_to_path(str(ca_file))
    app = create_app(f"sqlite:///{tmp_path / 'hub.sqlite'}", blob_dir=tmp_path / "blobs")
    with ExitStack() as stack:
        url = stack.enter_context(running_hub(app, certfile=chain_file, keyfile=key_file))
        ctx = app.state.hub
        assert isinstance(ctx, HubContext)
        hub = HubUnderTest(url, ctx.db, tmp_path)
        hub.load("catalog", CATALOG_CSV)
        yield hub, ca_file


def test_a_station_enrols_and_syncs_over_tls(
    tls_hub: tuple[HubUnderTest, Path], tmp_path: Path
) -> None:
    hub, ca_file = tls_hub
    assert hub.url.startswith("https://")
    db = open_database(tmp_path / "station.sqlite")
    try:
        enroll_station(db, hub.url, enrol_code(hub.db, "bench-1"), "bench-1", ca=str(ca_file))
        enrolment = load_enrolment(db)
        assert enrolment is not None and enrolment.ca == str(ca_file)
        report = Syncer(db, tmp_path / "photos").run_cycle()
        assert report.pulled == 4
    finally:
        db.close()


def test_a_hub_certificate_from_an_unknown_ca_is_refused(
    tls_hub: tuple[HubUnderTest, Path],
) -> None:
    hub, _ = tls_hub
    # The system's trust store knows nothing of the test CA.
    with HubClient(hub.url) as client, pytest.raises(HubUnavailable) as failed:
        client.enroll("AAAA-BBBB", "bench-1")
    assert "CERTIFICATE_VERIFY_FAILED" in str(failed.value)
