"""Evidence search and the record of a package, as a page, a photo and a PDF (real hub)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

from PIL import Image
from sqlalchemy import select

from station.hub.console.models import ConsoleAudit
from tests.hub.consoleclient import Browsers, browsers
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.pgcluster import BOTH
from tests.station.packfixtures import MUG, TEE
from tests.sync.events import add_event

__all__ = ["browsers"]  # the fixture

Make = Callable[[str], StationUnderTest]


def jpeg() -> bytes:
    """A real JPEG, as the station's camera would store it."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


def pack_with_photo(station: StationUnderTest) -> str:
    """SO-1001 packed by the real engine, its photo recorded; synced. Returns the photo hash."""
    station.sync()  # the orders from the hub
    svc = station.service()
    for code in ("SO-1001", MUG, MUG, TEE):
        svc.scan(code)
    assert svc.complete().message == "order SO-1001 packed"
    data = jpeg()
    sha = hashlib.sha256(data).hexdigest()
    station.photo_dir.mkdir(parents=True, exist_ok=True)
    (station.photo_dir / f"{sha}.jpg").write_bytes(data)
    add_event(
        station.db,
        "photo.taken",
        {
            "station": station.name,
            "order": "SO-1001",
            "package": 1,
            "sha256": sha,
            "kind": "packed",
            "width": 64,
            "height": 48,
        },
        [sha],
    )
    station.sync()
    return sha


@BOTH
def test_an_order_packed_at_a_station_is_found_by_number_or_customer(
    hub: HubUnderTest, make_station: Make, browsers: Browsers
) -> None:
    sha = pack_with_photo(make_station("bench-1"))
    agent = browsers.user("cara", "customer_service")
    for query in ("SO-1001", "ada lovelace", "  Ada Lovelace "):
        found = agent.get("/console/search", params={"q": query})
        assert found.status_code == 200
        assert 'href="/console/orders/SO-1001"' in found.text, query
    nothing = agent.get("/console/search", params={"q": "SO-9999"})
    assert "No order matches" in nothing.text
    page = agent.get("/console/orders/SO-1001")
    assert page.status_code == 200
    html = page.text
    # Scans with their verdicts, who and where, the photo, the customer of this order.
    assert html.count("<td>accepted</td>") == 3
    assert "bench-1" in html and "Ada Lovelace" in html
    assert f"/console/orders/SO-1001/photos/{sha}" in html
    photo = agent.get(f"/console/orders/SO-1001/photos/{sha}")
    assert photo.status_code == 200
    assert photo.content == (hub.folder / "blobs" / sha[:2] / sha).read_bytes()
    # No credential of anyone reaches a page.
    for secret in ("scrypt$", "pin_hash", "badge_hash", "token"):
        assert secret not in html
    # A photo is served only through the record it belongs to.
    assert agent.get(f"/console/orders/SO-1002/photos/{sha}").status_code == 404


def test_the_record_downloads_as_a_pdf_with_its_photo(
    hub: HubUnderTest, make_station: Make, browsers: Browsers
) -> None:
    pack_with_photo(make_station("bench-1"))
    agent = browsers.user("cara", "customer_service")
    pdf = agent.get("/console/orders/SO-1001/evidence.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="evidence-SO-1001.pdf"' in pdf.headers["content-disposition"]
    assert pdf.content.startswith(b"%PDF-")
    assert b"/Subtype /Image" in pdf.content  # the photo is in it


def test_every_view_of_evidence_is_audited(
    hub: HubUnderTest, make_station: Make, browsers: Browsers
) -> None:
    pack_with_photo(make_station("bench-1"))
    agent = browsers.user("cara", "customer_service")
    agent.get("/console/search", params={"q": "Ada Lovelace"})
    agent.get("/console/orders/SO-1001")
    agent.get("/console/orders/SO-1001/evidence.pdf")
    with hub.db.read() as s:
        trail = s.execute(
            select(ConsoleAudit.user_name, ConsoleAudit.action, ConsoleAudit.subject)
            .where(ConsoleAudit.action != "sign_in")
            .order_by(ConsoleAudit.id)
        ).all()
    assert [tuple(t) for t in trail] == [
        ("cara", "search", "Ada Lovelace"),
        ("cara", "view_evidence", "SO-1001"),
        ("cara", "download_evidence_pdf", "SO-1001"),
    ]


def test_an_unknown_order_is_a_clear_404(hub: HubUnderTest, browsers: Browsers) -> None:
    agent = browsers.user("cara", "customer_service")
    answer = agent.get("/console/orders/NOPE-1")
    assert answer.status_code == 404
    assert "the hub knows no order" in answer.text


def test_tracking_number_email_and_rma_find_the_order_and_no_other_customer(
    hub: HubUnderTest, browsers: Browsers
) -> None:
    hub.load(
        "orders",
        "order_number,sku,quantity,customer_name,email,street1,city,country,carrier,"
        "tracking_number\n"
        "SO-2001,MUG,1,Grace Hopper,grace@example.org,2 Navy Rd,Arlington,US,dhl,JD0001\n"
        "SO-2002,TEE,1,Alan Turing,alan@example.org,3 Park Ln,Wilmslow,GB,dhl,JD0002\n",
    )
    hub.load(
        "rmas",
        "rma_number,order_number,sku,quantity,reason,return_label\nRMA-77,SO-2001,MUG,1,broken,RL\n",
    )
    agent = browsers.user("cara", "customer_service")
    for query, how in (
        ("JD0001", "tracking number"),
        ("GRACE@example.org", "customer"),
        ("RMA-77", "RMA"),
    ):
        found = agent.get("/console/search", params={"q": query}).text
        assert (
            f'<td><a href="/console/orders/SO-2001">SO-2001</a></td><td>open</td><td>{how}</td>'
            in (found)
        ), query
        # Results name orders, never a customer: not the one searched, not another.
        assert "Grace" not in found.replace(query, "") and "Turing" not in found
    record = agent.get("/console/orders/SO-2001").text
    assert "Grace Hopper" in record and "Return RMA-77 (open)" in record
    assert "Alan Turing" not in record and "alan@example.org" not in record
