"""``station bench channels``: emulated Shopify orders into the hub, their fulfilments back.

The Shopify emulator runs on 127.0.0.1 with a cost bucket like Shopify's (``--restore-rate``
points per second; 1,000 is Shopify Plus, 100 the standard plan), so the connector spends
part of its time waiting on the throttle, as against a real shop. What is reported apart:

- ``orders_in_per_s`` / ``fulfilments_out_per_s``: wall-clock throughput of the whole flow;
- ``hub_in_p99_ms`` / ``hub_out_p99_ms``: the hub's own time per order (mapping, checks,
  import and storage in; recording, then claiming and settling out), the shop and throttle
  excluded. Orders are taken in batches of 1,000 in one transaction, so ``hub_in`` is the
  batch's time per order; fulfilments are recorded 500 to a transaction (as the ingest of a
  push does) and sent 100 to a claim and a settle commit, so ``hub_out`` is the sum of those
  shares;
- ``throttle_wait_share``: the share of wall time spent waiting for the bucket;
- the baseline, measured in the same run: the same orders imported as a file through
  ``station hub import orders``' path (``baseline_file_import_ms`` per order), and the ratios
  ``hub_in_ratio_vs_file_import`` and ``hub_out_ratio_vs_file_import`` (medians).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from argparse import Namespace, _SubParsersAction
from pathlib import Path
from typing import Any

from station.config import Settings
from station.hub.channels.outbound import dispatch_fulfilments, package_shipped
from station.hub.channels.registry import add_channel
from station.hub.channels.sync import sync_channel
from station.hub.db import open_hub_database
from station.hub.imports import import_catalog_file, import_orders_file
from station.tools.benchmarks.serving import serve_app
from station.tools.shopify_emulator import EmulatedShop, LeakyBucket, create_shop_app

SKUS = [f"BENCH-{i:03d}" for i in range(50)]
TOKEN = "shpat_bench"


def register_channels(kinds: _SubParsersAction[Any]) -> None:
    """Add ``bench channels`` to the ``station bench`` parser."""
    p = kinds.add_parser("channels", help="Shopify orders in and fulfilments out, emulated")
    p.add_argument("--orders", type=int, default=10_000, help="orders (10,000)")
    p.add_argument(
        "--restore-rate",
        type=float,
        default=1000.0,
        help="the emulated bucket's points per second (1000: Shopify Plus)",
    )
    p.add_argument(
        "--bucket", type=float, default=2000.0, help="the emulated bucket's size in points (2000)"
    )
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    p.set_defaults(handler=run_channels)


def _p99(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def run_channels_benchmark(
    orders: int, restore_rate: float, folder: Path, bucket: float = 2000.0
) -> dict[str, Any]:
    """Run the benchmark in ``folder``; the figures as a dict (the JSON keys)."""
    catalog = folder / "catalog.csv"
    catalog.write_text(
        "sku,name,barcode,weight_g\n" + "".join(f"{s},{s},INT-{s},100\n" for s in SKUS),
        encoding="utf-8",
    )
    hub = open_hub_database(f"sqlite:///{folder / 'hub.sqlite'}")
    baseline_hub = open_hub_database(f"sqlite:///{folder / 'baseline.sqlite'}")
    try:
        import_catalog_file(hub, catalog)
        import_catalog_file(baseline_hub, catalog)
        shop = EmulatedShop(
            token=TOKEN,
            bucket=LeakyBucket(maximum=bucket, restore_rate=restore_rate, available=bucket),
        )
        rows = ["order_number,sku,quantity,customer_name,street1,city,country"]
        for n in range(orders):
            lines = [(SKUS[n % 50], 1 + n % 3), (SKUS[(n * 7 + 1) % 50], 1)]
            shop.add_order(f"#{100000 + n}", lines)
            rows += [f"F{n},{sku},{q},Customer {n},{n} Main Street,Berlin,DE" for sku, q in lines]
        baseline_file = folder / "orders.csv"
        baseline_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        import_orders_file(baseline_hub, baseline_file)
        baseline_ms = (time.perf_counter() - t0) * 1000 / orders

        env = {"STATION_CHANNEL_BENCH_TOKEN": TOKEN}
        with serve_app(create_shop_app(shop), "the emulator") as url:
            add_channel(hub, "bench", "shopify", url, ["gid://shopify/Location/1"])
            t0 = time.perf_counter()
            sync = sync_channel(hub, "bench", env)
            wall_in = time.perf_counter() - t0
            if len(sync.taken.created) != orders:
                raise RuntimeError(f"{len(sync.taken.created)} of {orders} orders were taken")
            out_ms: list[float] = []
            t0 = time.perf_counter()
            # Recorded as the ingest does: the events of one push (up to 500) per transaction.
            for start in range(0, orders, 500):
                chunk = range(start, min(orders, start + 500))
                r0 = time.perf_counter()
                with hub.write() as session:
                    for n in chunk:
                        tracking = f"JD{n:012d}"
                        url_n = f"https://track.example/{tracking}"
                        package_shipped(session, f"#{100000 + n}", 1, "DHL", tracking, url_n)
                out_ms += [(time.perf_counter() - r0) * 1000 / len(chunk)] * len(chunk)
            dispatch_ms: list[float] = []
            out = dispatch_fulfilments(hub, "bench", env, hub_ms=dispatch_ms)
            wall_out = time.perf_counter() - t0
        if len(out.sent) != orders or len(shop.fulfillments) != orders:
            raise RuntimeError(f"{len(out.sent)} of {orders} fulfilments were sent")
        hub_out = [a + b for a, b in zip(out_ms, dispatch_ms, strict=True)]
        waited = sync.throttle_wait_s + out.throttle_wait_s
        return {
            "orders": orders,
            "restore_rate": restore_rate,
            "orders_in_per_s": round(orders / wall_in, 1),
            "fulfilments_out_per_s": round(orders / wall_out, 1),
            "hub_in_median_ms": round(statistics.median(sync.hub_ms_per_order), 3),
            "hub_in_p99_ms": round(_p99(sync.hub_ms_per_order), 3),
            "hub_out_median_ms": round(statistics.median(hub_out), 3),
            "hub_out_p99_ms": round(_p99(hub_out), 3),
            "throttle_wait_share": round(waited / (wall_in + wall_out), 3),
            "throttled_answers": shop.throttled,
            "baseline_file_import_ms": round(baseline_ms, 3),
            "hub_in_ratio_vs_file_import": round(
                statistics.median(sync.hub_ms_per_order) / baseline_ms, 2
            ),
            "hub_out_ratio_vs_file_import": round(statistics.median(hub_out) / baseline_ms, 2),
        }
    finally:
        hub.close()
        baseline_hub.close()


def run_channels(args: Namespace, _settings: Settings) -> int:
    """Run ``bench channels`` and print its figures."""
    if args.orders < 1 or args.restore_rate <= 0:
        print(
            "station bench channels: --orders and --restore-rate must be positive", file=sys.stderr
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-channels-") as folder:
        result = run_channels_benchmark(args.orders, args.restore_rate, Path(folder), args.bucket)
    print(
        f"{result['orders']:,} orders in at {result['orders_in_per_s']:,.0f}/s, fulfilments out"
        f" at {result['fulfilments_out_per_s']:,.0f}/s; throttle wait"
        f" {result['throttle_wait_share']:.0%} of the time\n"
        f"hub per order in: median {result['hub_in_median_ms']:.2f} ms, p99"
        f" {result['hub_in_p99_ms']:.2f} ms ({result['hub_in_ratio_vs_file_import']:.2f}x the file"
        f" import's {result['baseline_file_import_ms']:.2f} ms); out: median"
        f" {result['hub_out_median_ms']:.2f} ms, p99 {result['hub_out_p99_ms']:.2f} ms"
        f" ({result['hub_out_ratio_vs_file_import']:.2f}x)"
    )
    if args.json:
        print(json.dumps(result))
    return 0
