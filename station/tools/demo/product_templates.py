"""The kinds of product the demo catalog is drawn from, and the brands on them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class _Template:
    """A kind of product: how it is named, what it weighs and measures, how it is tracked."""

    category: str
    prefix: str
    names: tuple[str, ...]
    variants: tuple[str, ...]
    weight_g: tuple[int, int]
    dims_mm: tuple[int, int, int]  # typical length, width, height
    value: tuple[float, float]
    hs_code: str
    origin: tuple[str, ...]
    tracking: str
    customs: str  # the plain-words description customs wants
    share: float  # how often the template is picked


_COLOURS = ("Black", "Navy", "Grey", "White", "Olive", "Red", "Sand")
_SIZES = ("XS", "S", "M", "L", "XL")
TEMPLATES = (
    _Template(
        "apparel", "APP", ("T-Shirt", "Hoodie", "Polo Shirt", "Rain Jacket", "Chino Shorts"),
        tuple(f"{c} {s}" for c in _COLOURS for s in _SIZES), (150, 900), (300, 250, 30),
        (12.0, 89.0), "610910", ("BD", "PT", "TR", "CN"), "none", "Cotton garment", 0.28,
    ),
    _Template(
        "accessories", "ACC", ("Beanie", "Wool Scarf", "Leather Belt", "Socks 3-Pack", "Cap"),
        _COLOURS, (60, 350), (220, 160, 40), (8.0, 45.0), "611710", ("CN", "IT", "PT"),
        "none", "Textile accessory", 0.12,
    ),
    _Template(
        "home", "HOM",
        ("Ceramic Mug 350 ml", "Scented Candle", "Bath Towel", "Cushion Cover", "Glass Vase"),
        _COLOURS, (250, 1600), (200, 150, 120), (9.0, 59.0), "691200", ("PL", "PT", "CN"),
        "none", "Household article", 0.18,
    ),
    _Template(
        "toys", "TOY", ("Puzzle 1000 pcs", "Wooden Train Set", "Plush Bear", "Card Game"),
        ("Classic", "Junior", "Deluxe", "Travel"), (120, 1800), (300, 220, 80), (7.0, 49.0),
        "950300", ("CN", "DE", "PL"), "none", "Toy", 0.12,
    ),
    _Template(
        "tools", "TOL", ("Screwdriver Set", "Tape Measure 5 m", "Work Gloves"),
        ("Standard", "Pro"), (150, 1200), (250, 120, 60), (6.0, 39.0), "820540",
        ("DE", "CN", "TW"), "none", "Hand tool", 0.06,
    ),
    _Template(
        "electronics", "ELE",
        ("Wireless Earbuds", "Bluetooth Speaker", "Power Bank 10000 mAh", "Smartwatch",
         "Cordless Drill 18 V"),
        ("Black", "White", "Blue"), (60, 1900), (180, 120, 70), (29.0, 249.0), "851830",
        ("CN", "VN", "MY"), "serial", "Electronic device", 0.10,
    ),
    _Template(
        "health", "HLT", ("Vitamin D3 90 caps", "Hand Cream 75 ml", "Sunscreen SPF50 200 ml"),
        ("Original", "Sensitive", "Family"), (80, 320), (120, 60, 60), (5.0, 24.0), "330499",
        ("DE", "FR"), "lot_expiry", "Cosmetic product", 0.04,
    ),
    _Template(
        "food", "FOD", ("Coffee Beans 1 kg", "Green Tea 50 bags", "Dark Chocolate 100 g"),
        ("Organic", "Classic", "Decaf"), (110, 1050), (200, 110, 80), (3.5, 19.0), "090121",
        ("BR", "IN", "CO"), "lot_expiry", "Foodstuff", 0.03,
    ),
    _Template(
        "paint", "PNT", ("Acrylic Paint 500 ml", "Wood Stain 750 ml", "Primer 1 l"),
        ("White", "Oak", "Grey"), (600, 1400), (120, 120, 140), (9.0, 34.0), "320910",
        ("DE", "NL"), "lot", "Paint", 0.03,
    ),
    _Template(
        "cables", "CBL", ("USB-C Cable 1 m", "HDMI Cable 2 m", "Phone Case"),
        ("Black", "White"), (30, 120), (160, 90, 20), (4.0, 19.0), "854442", ("CN", "VN"),
        "none", "Cable or accessory", 0.04,
    ),
)  # fmt: skip
_BRANDS = ("Nordkap", "Alba", "Vireo", "Haldor", "Lumo", "Kestrel", "Ostara", "Brisa", "Tavi")
