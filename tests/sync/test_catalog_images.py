"""Catalog pictures by URL (issue 18, point 2): the hub fetches them from a picture server on
127.0.0.1 (allowed hosts only, no redirects, size and type limits), keeps them, and a
station's sync cycle downloads them in chunks; the pack bench then shows the picture."""

from __future__ import annotations

import hashlib
import random
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from station.db.models import Product, ProductImage
from station.hub.image_fetch import ImageFetcher
from station.hub.imports import import_catalog_file
from station.importers import ImportFailed
from station.packing.instructions import Instruction
from station.packing.verdicts import Verdict
from station.sync import protocol as p
from station.sync.client import HubRefused
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.pgcluster import BOTH
from tests.station.packfixtures import MUG
from tests.station.packinfo_fixtures import tiny_png


def noisy_png(width: int, height: int) -> bytes:
    """A real PNG of random pixels: it does not compress, so it is as large as it looks."""
    rng = random.Random(18)
    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# Larger than one chunk of the download (256 KiB): it arrives in two.
PICTURE = noisy_png(300, 300)
BIG = tiny_png(width=64, height=64, rgb=(1, 2, 3))
PAGES: dict[str, tuple[int, str, bytes]] = {
    "/mug.png": (200, "image/png", PICTURE),
    "/big.png": (200, "image/png", BIG),
    "/notes.txt": (200, "text/plain", b"not a picture"),
    "/fake.png": (200, "image/png", b"<html>login</html>"),
    "/moved.png": (302, "image/png", b""),
}


class _Pictures(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, media, body = PAGES.get(self.path, (404, "text/plain", b"no"))
        self.send_response(status)
        self.send_header("Content-Type", media)
        if status == 302:
            self.send_header("Location", "/mug.png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A picture server on 127.0.0.1; its ``host:port``."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pictures)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def catalog(hub: HubUnderTest, rows: str) -> None:
    path = hub.folder / "pictures.csv"
    header = "sku,name,barcode,weight_g,instructions,image,confirm_instruction\n"
    path.write_text(header + rows, encoding="utf-8")


@BOTH
def test_a_picture_by_url_reaches_the_station_and_the_bench(
    hub: HubUnderTest, make_station: Callable[[str], StationUnderTest], server: str
) -> None:
    fetch = ImageFetcher(frozenset({server}))
    catalog(hub, f"MUG,Mug,{MUG},350,Handle up,http://{server}/mug.png,yes\n")
    import_catalog_file(hub.db, hub.folder / "pictures.csv", fetch)
    station = make_station("bench-1")
    report = station.sync()
    assert report.images == 1
    sha = hashlib.sha256(PICTURE).hexdigest()
    assert p.IMAGE_CHUNK_BYTES < len(PICTURE) < 2 * p.IMAGE_CHUNK_BYTES
    with station.db.session() as s:
        image = s.get(ProductImage, sha)
        assert image is not None and image.data == PICTURE and image.media_type == "image/png"
        assert s.scalar(select(Product.image_sha256).where(Product.sku == "MUG")) == sha
    assert station.sync().images == 0  # held: not fetched again
    svc = station.service()
    assert svc.scan("SO-1001").verdict is Verdict.ORDER_OPENED
    scanned = svc.scan(MUG)
    shown = scanned.extra["instruction"]
    assert isinstance(shown, Instruction) and shown.image == PICTURE
    assert shown.text == "Handle up" and shown.awaiting
    # A hash the hub does not hold is refused by name.
    syncer = station.syncer()
    with syncer.client(syncer.enrolment()) as client, pytest.raises(HubRefused) as refused:
        client.catalog_image("0" * 64, 0)
    assert refused.value.status == 404


def test_the_hub_fetches_only_what_it_may(hub: HubUnderTest, server: str) -> None:
    port = server.split(":")[1]
    fetch = ImageFetcher(frozenset({server}), max_bytes=len(BIG) - 1)
    catalog(
        hub,
        f"A,A,INT-A,1,,http://localhost:{port}/mug.png,\n"
        f"B,B,INT-B,1,,http://{server}/moved.png,\n"
        f"C,C,INT-C,1,,http://{server}/notes.txt,\n"
        f"D,D,INT-D,1,,http://{server}/big.png,\n"
        f"E,E,INT-E,1,,ftp://{server}/mug.png,\n"
        f"F,F,INT-F,1,,http://{server}/fake.png,\n"
        f"G,G,INT-G,1,,http://{server}/gone.png,\n",
    )
    with pytest.raises(ImportFailed) as failed:
        import_catalog_file(hub.db, hub.folder / "pictures.csv", fetch)
    assert failed.value.problems == [
        f"row 1: image: localhost:{port} is not an allowed image host (STATION_HUB_IMAGE_HOSTS)",
        f"row 2: image: {server} answered with a redirect; give the picture's own address",
        f"row 3: image: {server} sent text/plain, not a PNG or JPEG picture",
        f"row 4: image: the picture at {server} is larger than {len(BIG) - 1} bytes",
        f"row 5: image: not an http(s) address ('ftp://{server}/mug.png')",
        "row 6: image: the picture is not a PNG or JPEG file",
        f"row 7: image: {server} answered 404",
    ]
    # No hosts configured: nothing is fetched.
    with pytest.raises(ImportFailed, match="not an allowed image host"):
        import_catalog_file(hub.db, hub.folder / "pictures.csv", ImageFetcher.from_env({}))
