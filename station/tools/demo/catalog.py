"""The demo catalog: products drawn from the templates, written as a catalog CSV."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from station.gtin import with_check_digit
from station.importers import catalog as catalog_importer
from station.tools.demo.product_templates import _BRANDS, TEMPLATES

# The importer's own column list, so the demo files always match what it accepts.
CATALOG_COLUMNS = catalog_importer.REQUIRED + catalog_importer.OPTIONAL


@dataclass(frozen=True)
class DemoProduct:
    """One product of the demo catalog, as written to the CSV."""

    sku: str
    name: str
    barcodes: tuple[str, ...]
    weight_g: int
    dims_mm: tuple[int, int, int]
    tracking: str
    category: str
    unit_value: float
    hs_code: str
    origin_country: str
    customs_description: str
    components: tuple[tuple[str, int], ...] = ()

    def row(self) -> list[str]:
        """The product as a catalog CSV row (CATALOG_COLUMNS order)."""
        return [
            self.sku,
            self.name,
            "|".join(self.barcodes),
            str(self.weight_g),
            *(str(d) for d in self.dims_mm),
            self.tracking,
            self.category,
            f"{self.unit_value:.2f}",
            self.hs_code,
            self.origin_country,
            "|".join(f"{sku}:{q}" for sku, q in self.components),
        ]


def make_catalog(products: int, seed: int) -> list[DemoProduct]:
    """``products`` demo products (a few of them kits), the same for the same seed."""
    rng = random.Random(seed)
    shares = [t.share for t in TEMPLATES]
    kits = 0 if products < 10 else max(2, products // 40)
    plain: list[DemoProduct] = []
    for i in range(1, products - kits + 1):
        t = rng.choices(TEMPLATES, shares)[0]
        codes = [with_check_digit(f"200{i:09d}")]  # GTIN-13, restricted circulation
        if rng.random() < 0.15:
            codes.append(with_check_digit(f"4{i:010d}"))  # UPC-A (GTIN-12), in-store use
        if rng.random() < 0.2:
            codes.append(f"INT-{i:06d}")  # the warehouse's own label: not a GTIN
        low, high = t.weight_g
        length, width, height = t.dims_mm
        plain.append(
            DemoProduct(
                sku=f"{t.prefix}-{i:05d}",
                name=f"{rng.choice(_BRANDS)} {rng.choice(t.names)} {rng.choice(t.variants)}",
                barcodes=tuple(codes),
                weight_g=rng.randint(low, high),
                dims_mm=(
                    round(length * rng.uniform(0.7, 1.3)),
                    round(width * rng.uniform(0.7, 1.3)),
                    round(height * rng.uniform(0.6, 1.5)),
                ),
                tracking=t.tracking,
                category=t.category,
                # Shop prices end in .99, .95 or .49.
                unit_value=round(int(rng.uniform(*t.value)) + rng.choice((0.99, 0.95, 0.49)), 2),
                hs_code=t.hs_code,
                origin_country=rng.choice(t.origin),
                customs_description=t.customs,
            )
        )
    result = list(plain)
    for k in range(kits):
        i = len(plain) + k + 1
        parts = rng.sample(plain, rng.choice((2, 2, 3)))
        components = tuple((p.sku, rng.choice((1, 1, 2))) for p in parts)
        weight = sum(p.weight_g * q for p, (_, q) in zip(parts, components, strict=True)) + 150
        value = sum(p.unit_value * q for p, (_, q) in zip(parts, components, strict=True))
        result.append(
            DemoProduct(
                sku=f"KIT-{i:05d}",
                name="Gift Set: " + " + ".join(p.name.split(" ", 1)[1] for p in parts),
                barcodes=(with_check_digit(f"200{i:09d}"),),
                weight_g=weight,
                dims_mm=(350, 250, 120),
                tracking="none",
                category="kits",
                unit_value=round(value * 0.9, 2),
                hs_code="950300",
                origin_country="DE",
                customs_description="Gift set",
                components=components,
            )
        )
    return result


def write_catalog(path: Path, products: int, seed: int) -> list[DemoProduct]:
    """Write a catalog CSV of ``products`` demo products; return what was written."""
    catalog = make_catalog(products, seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CATALOG_COLUMNS)
        writer.writerows(p.row() for p in catalog)
    return catalog
