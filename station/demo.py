"""Demo data: a realistic catalog and order book, written as CSV and loaded through the importers.

Everything comes from a seeded ``random.Random``, so a seed always gives the same files. The
GTIN-13s use the GS1 restricted-circulation prefix 200 and the UPC-As the number system 4
(in-store use), so no demo barcode can be a real trade item; every check digit is right.
Going through the CSV importers (instead of writing rows directly) means the demo exercises
the same validation and write path as a customer's files.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Integer, cast, func, select

from station.db import Database
from station.db.models import BoxType, Order, OrderStatus, Role, User
from station.gtin import with_check_digit
from station.importers import ImportReport, import_catalog, import_orders
from station.importers import catalog as catalog_importer
from station.users import create_user

# The importer's own column list, so the demo files always match what it accepts.
CATALOG_COLUMNS = catalog_importer.REQUIRED + catalog_importer.OPTIONAL
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


# ---- orders --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Country:
    code: str
    cities: tuple[tuple[str, str], ...]  # (city, region)
    streets: tuple[str, ...]
    postcode: str  # a format: 9 = a digit, A = a letter
    phone: str
    carriers: tuple[str, ...]
    share: float
    eu: bool = True


_COUNTRIES = (
    _Country("DE", (("Berlin", ""), ("Hamburg", ""), ("München", ""), ("Köln", ""),
                    ("Leipzig", "")),
             ("Hauptstraße", "Gartenweg", "Bahnhofstraße", "Lindenallee", "Schillerstraße"),
             "99999", "+49 15", ("DHL", "DPD", "Hermes"), 0.45),
    _Country("FR", (("Paris", ""), ("Lyon", ""), ("Lille", ""), ("Nantes", "")),
             ("Rue de la Paix", "Avenue Victor Hugo", "Rue des Lilas"), "99999", "+33 6",
             ("Colissimo", "Chronopost"), 0.12),
    _Country("NL", (("Amsterdam", ""), ("Utrecht", ""), ("Rotterdam", "")),
             ("Keizersgracht", "Dorpsstraat", "Kerkstraat"), "9999 AA", "+31 6",
             ("PostNL", "DHL"), 0.08),
    _Country("AT", (("Wien", ""), ("Graz", ""), ("Linz", "")),
             ("Mariahilfer Straße", "Landstraße"), "9999", "+43 66", ("Post AT", "DPD"), 0.07),
    _Country("IT", (("Milano", "MI"), ("Torino", "TO"), ("Bologna", "BO")),
             ("Via Roma", "Corso Italia", "Via Garibaldi"), "99999", "+39 3", ("BRT", "GLS"),
             0.06),
    _Country("ES", (("Madrid", "M"), ("Valencia", "V"), ("Sevilla", "SE")),
             ("Calle Mayor", "Avenida de la Constitución"), "99999", "+34 6", ("Correos", "SEUR"),
             0.05),
    _Country("PL", (("Warszawa", ""), ("Kraków", ""), ("Gdańsk", "")),
             ("ul. Długa", "ul. Polna", "ul. Leśna"), "99-999", "+48 5", ("InPost", "DPD"), 0.04),
    _Country("DK", (("København", ""), ("Aarhus", "")), ("Nørregade", "Vestergade"), "9999",
             "+45 2", ("PostNord", "GLS"), 0.03),
    _Country("GB", (("London", ""), ("Manchester", ""), ("Leeds", ""), ("Bristol", "")),
             ("High Street", "Station Road", "Church Lane"), "AA9 9AA", "+44 7",
             ("Royal Mail", "DPD UK"), 0.04, eu=False),
    _Country("CH", (("Zürich", "ZH"), ("Bern", "BE"), ("Basel", "BS")),
             ("Bahnhofstrasse", "Seestrasse"), "9999", "+41 79", ("Swiss Post",), 0.025,
             eu=False),
    _Country("NO", (("Oslo", ""), ("Bergen", "")), ("Storgata", "Kirkeveien"), "9999", "+47 9",
             ("Posten",), 0.01, eu=False),
    _Country("US", (("New York", "NY"), ("Austin", "TX"), ("Seattle", "WA"), ("Denver", "CO")),
             ("Main Street", "Oak Avenue", "Maple Drive"), "99999", "+1 512", ("UPS", "FedEx"),
             0.015, eu=False),
    _Country("CA", (("Toronto", "ON"), ("Vancouver", "BC")), ("King Street", "Queen Street"),
             "A9A 9A9", "+1 416", ("Canada Post",), 0.005, eu=False),
    _Country("AU", (("Sydney", "NSW"), ("Melbourne", "VIC")), ("George Street", "Collins Street"),
             "9999", "+61 4", ("Australia Post",), 0.005, eu=False),
)  # fmt: skip
_FIRST = (
    "Anna", "Lukas", "Marie", "Jonas", "Sophie", "Leon", "Emma", "Noah", "Mia", "Elias",
    "Chloé", "Hugo", "Giulia", "Marco", "Lucía", "Pablo", "Zofia", "Jakub", "Freja", "Oliver",
    "Amelia", "Jack", "Olivia", "Liam", "Ava", "Ethan", "Sakura", "Lars", "Ingrid", "Noor",
)  # fmt: skip
_LAST = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Martin", "Bernard", "Dubois",
    "de Vries", "Jansen", "Rossi", "Russo", "García", "López", "Nowak", "Kowalski", "Jensen",
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Huber", "Gruber", "Meier", "Novak",
)  # fmt: skip
_ASCII = str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "é": "e", "í": "i", "ß": "ss"})
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
_COUNTRY_SHARES = [c.share for c in _COUNTRIES]
# Lines per order 1..6 (mean about 2.5) and units per line (mostly 1, sometimes a few).
_LINE_COUNTS = (1, 2, 3, 4, 5, 6)
_LINE_WEIGHTS = (35, 25, 17, 10, 7, 6)
_QUANTITIES = (1, 2, 3, 4, 5, 6, 10, 12)
_QUANTITY_WEIGHTS = (80, 12, 3, 1.5, 1.2, 1, 0.8, 0.5)


def _postcode(rng: random.Random, fmt: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTUWXYZ"
    return "".join(
        str(rng.randrange(10)) if ch == "9" else rng.choice(letters) if ch == "A" else ch
        for ch in fmt
    )


def _email(first: str, last: str, number: int) -> str:
    """An e-mail address from a name: German umlauts spelt out, other accents dropped."""
    local = f"{first}.{last}".translate(_ASCII).replace(" ", "").lower()
    local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode("ascii")
    return f"{local}{number % 1000}@example.com"


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


# ---- the whole demo ------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoBox:
    """A box type the demo bench stocks."""

    code: str
    name: str
    inner_mm: tuple[float, float, float]
    tare_g: float
    max_weight_g: float


BOXES = (
    DemoBox("BOX-ENV", "Padded envelope C4", (320, 230, 25), 35, 1000),
    DemoBox("BOX-S", "Small box", (250, 175, 100), 120, 5000),
    DemoBox("BOX-M", "Medium box", (350, 250, 150), 220, 10000),
    DemoBox("BOX-L", "Large box", (450, 350, 250), 400, 20000),
    DemoBox("BOX-XL", "Extra large box", (600, 400, 400), 700, 31500),
)
# (name, role, badge, PIN)
USERS = (
    ("alice", Role.PACKER, "BADGE-ALICE", "1111"),
    ("bob", Role.PACKER, "BADGE-BOB", "2222"),
    ("ines", Role.INSPECTOR, "BADGE-INES", "3333"),
    ("sam", Role.SUPERVISOR, "BADGE-SAM", "9999"),
    ("ada", Role.ADMIN, "BADGE-ADA", "0000"),
)


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`seed_demo` loaded."""

    catalog: ImportReport
    orders: ImportReport | None
    box_types_created: int
    users_created: int
    seconds: float
    first_order: str | None = None
    last_order: str | None = None

    def __str__(self) -> str:
        orders = self.orders.created if self.orders else 0
        lines = self.orders.details.get("lines", 0) if self.orders else 0
        span = f" ({self.first_order}..{self.last_order})" if self.first_order else ""
        return (
            f"demo data: {self.catalog.created + self.catalog.updated} products, "
            f"{orders} orders{span} with {lines} lines, {self.box_types_created} box types "
            f"and {self.users_created} users added in {self.seconds:.1f} s"
        )


def seed_demo(
    db: Database, orders: int, products: int = 200, seed: int = 1, *, station: str = "demo"
) -> DemoSummary:
    """Load demo products, orders, box types and users into ``db``.

    Products with the same seed are re-imported (updated); orders are numbered after the
    highest ``SO-`` number already present, so running it again adds orders rather than
    colliding with ones already packed. Existing box types and users are left alone.
    """
    if products < 1:
        raise ValueError("the demo needs at least one product")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="station-demo-") as tmp:
        folder = Path(tmp)
        catalog = write_catalog(folder / "catalog.csv", products, seed)
        catalog_report = import_catalog(db, folder / "catalog.csv", station=station)
        orders_report = None
        first = last = None
        if orders > 0:
            start, busy = _order_numbering(db)
            write_orders(
                folder / "orders.csv", orders, catalog, seed, first_number=start, busy_totes=busy
            )
            orders_report = import_orders(db, folder / "orders.csv", station=station)
            first, last = f"SO-{start}", f"SO-{start + orders - 1}"
    boxes, users = _fixtures(db)
    return DemoSummary(
        catalog=catalog_report,
        orders=orders_report,
        box_types_created=boxes,
        users_created=users,
        seconds=time.perf_counter() - started,
        first_order=first,
        last_order=last,
    )


def _order_numbering(db: Database) -> tuple[int, set[str]]:
    """The next free SO- number and the totes held by orders still to be packed."""
    with db.session() as session:
        highest = session.scalar(
            select(func.max(cast(func.substr(Order.number, 4), Integer))).where(
                Order.number.like("SO-%")
            )
        )
        busy = set(
            session.scalars(
                select(Order.tote).where(
                    Order.tote.is_not(None),
                    Order.status.in_(
                        (OrderStatus.OPEN, OrderStatus.IN_PROGRESS, OrderStatus.ON_HOLD)
                    ),
                )
            )
        )
    start = max(FIRST_ORDER_NUMBER, (highest or 0) + 1)
    return start, {t for t in busy if t}


def _fixtures(db: Database) -> tuple[int, int]:
    """Add the box types and users that are missing; return how many of each were added."""
    with db.session() as session:
        codes = set(session.scalars(select(BoxType.code)))
        boxes = 0
        for box in BOXES:
            if box.code in codes:
                continue
            length, width, height = box.inner_mm
            session.add(
                BoxType(
                    code=box.code,
                    name=box.name,
                    inner_length_mm=length,
                    inner_width_mm=width,
                    inner_height_mm=height,
                    tare_g=box.tare_g,
                    max_weight_g=box.max_weight_g,
                )
            )
            boxes += 1
        names = set(session.scalars(select(User.name)))
        badges = set(session.scalars(select(User.badge_code)))
        users = 0
        for name, role, badge, pin in USERS:
            if name in names or badge in badges:
                continue
            try:
                create_user(session, name, role, pin=pin, badge=badge)
            except ValueError:
                # A real user already chose that PIN: add the demo user without one.
                create_user(session, name, role, badge=badge)
            users += 1
        session.commit()
    return boxes, users
