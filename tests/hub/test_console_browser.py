"""The console in a real browser: Chromium (Debian's) driven by playwright-core from npm.

The hub runs for real on 127.0.0.1, buying labels through karrio's USPS connector from the
carrier emulator, with an order packed by a bench of the real engine (its photo uploaded),
a dead letter from a second bench and a manifest made; ``tests/console/browser.mjs`` signs
in, finds the order, sees its photo, downloads the PDF, resolves the dead letter, creates an
RMA (which the bench then pulls), downloads the manifest, tries a forged form and other
roles' pages, looks for the carrier's secret in every page, and runs axe-core on every page.
It prints what it saw as one JSON line, asserted here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from station.cli.main import main
from station.hub.console.accounts import add_user
from tests.hub.consoleclient import PASSWORD
from tests.hub.hubfixtures import CATALOG_CSV, ORDERS_CSV, HubUnderTest, StationUnderTest
from tests.hub.shipping.shipfixtures import SECRET, ShipHub, emulator, ship_hub
from tests.hub.test_console_evidence import pack_with_photo
from tests.hub.test_console_network import pack
from tests.hub.test_console_rmas import station_rma
from tests.hub.test_console_shipping import buy_and_manifest

__all__ = ["emulator", "ship_hub"]  # the fixtures
NODE_DIR = Path(__file__).resolve().parents[1] / "console"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Where the screenshots of the README go when asked for (CONSOLE_SCREENSHOTS=1).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

needs_browser = pytest.mark.skipif(
    shutil.which("node") is None
    or not CHROMIUM.exists()
    or not (NODE_DIR / "node_modules" / "playwright-core").exists(),
    reason="needs node, /usr/bin/chromium and `npm ci` in tests/console (./dev test does it)",
)


@needs_browser
def test_the_console_in_a_browser(
    ship_hub: ShipHub,
    station_factory: Callable[[HubUnderTest, str], StationUnderTest],
    tmp_path: Path,
) -> None:
    (tmp_path / "imports").mkdir()
    hub = HubUnderTest(ship_hub.url, ship_hub.db, tmp_path / "imports")
    hub.load("catalog", CATALOG_CSV)
    hub.load("orders", ORDERS_CSV)
    # Before the benches enrol: the shipping hub's own client is a "bench-1" of its own.
    manifest = buy_and_manifest(ship_hub)
    first, second = station_factory(hub, "bench-1"), station_factory(hub, "bench-2")
    second.sync()  # SO-1001 open at bench-2 too, before bench-1 packs it
    pack_with_photo(first)
    pack(second)  # refused by the hub: a dead letter and a conflict
    add_user(hub.db, "dan", "supervisor", PASSWORD)
    add_user(hub.db, "cara", "customer_service", PASSWORD)
    env = {
        **os.environ,
        "CONSOLE_URL": hub.url,
        "CONSOLE_PASSWORD": PASSWORD,
        "CONSOLE_ORDER": "SO-1001",
        "CONSOLE_MANIFEST": str(manifest["manifest_number"]),
        "CONSOLE_SECRET": SECRET,
        "CHROMIUM": str(CHROMIUM),
        "CONSOLE_SCREENSHOTS": str(SCREENSHOTS) if os.environ.get("CONSOLE_SCREENSHOTS") else "",
    }
    done = subprocess.run(
        ["node", str(NODE_DIR / "browser.mjs")],
        cwd=NODE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    steps = result["steps"]
    assert steps["anonymous_lands_on"] == "/console/login"
    assert steps["supervisor_home"] == "/console/network"
    assert steps["order_heading"] == "Order SO-1001"
    assert steps["photo_width"] == 64  # the JPEG from the bench, through the blob store
    assert (steps["pdf_name"], steps["pdf_magic"]) == ("evidence-SO-1001.pdf", "%PDF-")
    assert (steps["dead_letters_before"], steps["dead_letters_after"]) == (1, 0)
    assert steps["forged_status"] == 403
    assert (steps["agent_home"], steps["agent_network_status"]) == ("/console/search", 403)
    serious = {
        page: [v for v in found if v["impact"] in ("serious", "critical")]
        for page, found in result["axe"].items()
    }
    assert steps["rma_heading"] == "RMA RMA-501"
    assert steps["rma_notice"] == "RMA saved."
    assert steps["manifest_name"].startswith("manifest-usps-0-")
    assert steps["manifest_magic"] == "%PDF-"
    assert (steps["agent_rmas_status"], steps["agent_shipping_status"]) == (403, 403)
    assert steps["pages_with_secret"] == []
    first.sync()
    assert station_rma(first, "RMA-501") == ("open", [("MUG", 1, "arrived broken")])
    assert set(serious) == {
        "login", "search", "order", "network", "refused", "rmas", "rma", "shipping",
    }  # fmt: skip
    assert all(found == [] for found in serious.values()), serious


@needs_browser
def test_the_console_benchmark_loads_its_pages_in_a_browser(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["bench", "console", "--orders", "200", "--samples", "6", "--dir", str(tmp_path)]
    assert main([*args, "--browser", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "in the browser: evidence page median" in lines[1]
    figures = json.loads(lines[-1])
    assert figures["page_load_measured_in"] == "browser"
    sqlite = figures["per_database"]["sqlite"]
    for page in ("evidence", "network"):
        p50, p99 = sqlite[f"browser_{page}_p50_ms"], sqlite[f"browser_{page}_p99_ms"]
        assert 0 < p50 <= p99
        # A load in the browser holds the server's request and more (parse, stylesheet...).
        assert p50 > 0.5 * sqlite[f"{page}_page_p50_ms"]
    assert figures["page_load_ms"] == max(
        sqlite["browser_evidence_p50_ms"], sqlite["browser_network_p50_ms"]
    )
    assert figures["page_request_ms"] == max(
        sqlite["evidence_page_p50_ms"], sqlite["network_page_p50_ms"]
    )


def test_the_console_benchmark_says_why_it_cannot_use_a_browser(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium"))
    status = main(["bench", "console", "--orders", "10", "--browser"])
    err = capsys.readouterr().err
    if shutil.which("node") is None:
        assert status == 2 and "node is not installed" in err
    else:
        assert status == 2 and f"no Chromium at {tmp_path / 'no-chromium'}" in err
