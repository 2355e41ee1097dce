"""The demo order book: orders over a demo catalog, written as an orders CSV."""

from __future__ import annotations

import csv
import random
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

from station.tools.demo.catalog import DemoProduct
from station.tools.demo.customers import (
    _COUNTRIES,
    _COUNTRY_SHARES,
    _FIRST,
    _LAST,
    _email,
    _postcode,
)

ORDER_COLUMNS = (
    "order_number",
    "channel",
    "priority",
    "status",
    "ship_method",
    "gift_note",
    "currency",
    "tote",
    "customer_name",
    "email",
    "phone",
    "street1",
    "street2",
    "city",
    "postcode",
    "region",
    "country",
    "carrier",
    "tracking_number",
    "sku",
    "quantity",
    "hs_code",
    "origin_country",
    "customs_value",
    "customs_description",
)
FIRST_ORDER_NUMBER = 100001

_GIFT_NOTES = (
    "Happy birthday! Love, Mum",
    "Congratulations on the new flat!",
    "Merry Christmas and a happy new year",
    "Thank you for everything",
    "Get well soon",
    "For the best dad in the world",
    "Alles Gute zum Geburtstag!",
    "Joyeux anniversaire !",
)
_CHANNELS = ("web", "web", "web", "web", "web", "web", "marketplace", "marketplace", "app", "b2b")
# Lines per order 1..6 (mean about 2.5) and units per line (mostly 1, sometimes a few).
_LINE_COUNTS = (1, 2, 3, 4, 5, 6)
_LINE_WEIGHTS = (35, 25, 17, 10, 7, 6)
_QUANTITIES = (1, 2, 3, 4, 5, 6, 10, 12)
_QUANTITY_WEIGHTS = (80, 12, 3, 1.5, 1.2, 1, 0.8, 0.5)


def _totes(rng: random.Random, count: int, busy: Collection[str]) -> Iterator[str]:
    """``count`` distinct tote codes (TOTE-1 .. TOTE-999999) not in ``busy``."""
    free = count + len(busy)
    for n in rng.sample(range(1, 1_000_000), min(free, 999_999)):
        code = f"TOTE-{n}"
        if code not in busy:
            yield code


def write_orders(
    path: Path,
    orders: int,
    catalog: Sequence[DemoProduct] | Sequence[str],
    seed: int,
    *,
    first_number: int = FIRST_ORDER_NUMBER,
    busy_totes: Collection[str] = (),
) -> int:
    """Write an orders CSV of ``orders`` orders over ``catalog``; return the number of lines.

    ``catalog`` is what :func:`write_catalog` returned, or bare SKUs (then customs lines carry
    only an HS code and the importer takes origin, value and description from the product).
    Totes in ``busy_totes`` (held by orders still to be packed) are not handed out again.
    """
    if not catalog:
        raise ValueError("orders need a catalog")
    rng = random.Random(seed)
    # Best sellers are a random tenth of the catalog, not its first rows (kits come last).
    shuffled: list[DemoProduct | str] = list(catalog)
    rng.shuffle(shuffled)
    products = [p if isinstance(p, DemoProduct) else None for p in shuffled]
    skus = [p if isinstance(p, str) else p.sku for p in shuffled]
    # About a third of the open orders arrive in a tote from the pick.
    totes = _totes(rng, orders // 3 + 1, set(busy_totes))
    lines = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(ORDER_COLUMNS)
        for i in range(orders):
            rows = _order_rows(rng, first_number + i, products, skus, totes)
            writer.writerows(rows)
            lines += len(rows)
    return lines


def _order_rows(
    rng: random.Random,
    number: int,
    products: Sequence[DemoProduct | None],
    skus: Sequence[str],
    totes: Iterator[str],
) -> list[list[str]]:
    r = rng.random
    country = rng.choices(_COUNTRIES, _COUNTRY_SHARES)[0]
    roll = r()
    status = "on_hold" if roll < 0.01 else "cancelled" if roll < 0.02 else "open"
    roll = r()
    priority, method = (
        (2, "next_day") if roll < 0.03 else (1, "express") if roll < 0.12 else (0, "standard")
    )
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    city, region = rng.choice(country.cities)
    channel = rng.choice(_CHANNELS)
    # Marketplaces sometimes send the carrier's tracking number with the order.
    tracking = ""
    if channel == "marketplace" and r() < 0.3:
        tracking = f"00340434{rng.randrange(10**11, 10**12)}"
    header = [
        f"SO-{number}",
        channel,
        str(priority),
        status,
        method,
        rng.choice(_GIFT_NOTES) if r() < 0.1 else "",
        "EUR",
        next(totes, "") if status == "open" and r() < 0.33 else "",
        f"{first} {last}",
        _email(first, last, number),
        f"{country.phone}{rng.randrange(10_000_000, 99_999_999)}",
        f"{rng.choice(country.streets)} {rng.randint(1, 180)}",
        f"Apt {rng.randint(1, 40)}" if r() < 0.15 else "",
        city,
        _postcode(rng, country.postcode),
        region,
        country.code,
        rng.choice(country.carriers),
        tracking,
    ]
    count = rng.choices(_LINE_COUNTS, _LINE_WEIGHTS)[0]
    n = len(skus)
    # Squaring the uniform draw makes the first products (of the shuffled catalog) sell most.
    picks = {int(n * r() ** 2) for _ in range(count)}
    quantities = rng.choices(_QUANTITIES, _QUANTITY_WEIGHTS, k=len(picks))
    rows = []
    for index, qty in zip(sorted(picks), quantities, strict=True):
        customs = ["", "", "", ""]
        if not country.eu:
            product = products[index]
            if product is None:
                customs = ["950300", "", "", ""]
            else:
                customs = [
                    product.hs_code,
                    product.origin_country,
                    f"{product.unit_value:.2f}",
                    product.customs_description,
                ]
        rows.append([*header, skus[index], str(qty), *customs])
    return rows
