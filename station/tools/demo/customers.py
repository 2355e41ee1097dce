"""Who the demo orders go to: countries with their cities, streets, carriers, and names."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass


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
_COUNTRY_SHARES = [c.share for c in _COUNTRIES]


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
