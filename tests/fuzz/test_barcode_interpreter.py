"""Barcode interpretation under fuzzing: GS1 messages built by a reference encoder come back
field for field; damaged ones never come back with another GTIN or another weight.

tests/station/test_barcodes.py already checks that arbitrary text never raises and that every
valid GTIN round-trips through its 12/13/14-digit forms; this adds whole GS1 element strings
(GTIN, net weight in kg or lb, expiry, lot, serial in any order, with or without an AIM
identifier, with GS or the configured placeholder) and their damage: a GS lost, a foreign
character spliced in, the scan cut short. Since issue 12: GS1 DotCode (]J1) among the
identifiers; a second, different value of an AI or a key's check digit off, which must never
come back as a product; and the same messages as Digital Link URIs, which round-trip, while
a mixed-case scheme, a zero-suppressed GTIN or a second GTIN in the query never read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote, urlencode

from hypothesis import given
from hypothesis import strategies as st

from station.barcodes import GS, Interpretation, Interpreter, ScanKind
from station.config import BarcodeSettings
from station.gtin import with_check_digit
from tests.fuzz.budget import counted, fuzz_settings

INTERPRETERS = {
    GS: Interpreter(BarcodeSettings()),
    "|": Interpreter(BarcodeSettings(gs_placeholder="|")),
}
# GS1 General Specifications figure 7.11-1 (character set 82), less "|"-free variable data.
CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
GS1_AIMS = ["]C1", "]d2", "]Q3", "]e0", "]J1", ""]


@dataclass(frozen=True)
class Message:
    """A GS1 message's content and its encoding."""

    gtin: str
    weight_ai: str | None
    weight_digits: str
    expiry: datetime.date | None
    lot: str | None
    serial: str | None

    def weight_g(self) -> float | None:
        if self.weight_ai is None:
            return None
        value = Decimal(self.weight_digits).scaleb(-int(self.weight_ai[3]))
        factor = Decimal(1000) if self.weight_ai.startswith("310") else Decimal("453.59237")
        return float(value * factor)


@st.composite
def messages(draw: st.DrawFn) -> tuple[Message, str]:
    gtin = with_check_digit(draw(st.text("0123456789", min_size=13, max_size=13)))
    weight_ai = draw(
        st.one_of(st.none(), st.sampled_from(["3100", "3102", "3103", "3205", "3202"]))
    )
    message = Message(
        gtin=gtin,
        weight_ai=weight_ai,
        weight_digits=draw(st.text("0123456789", min_size=6, max_size=6)),
        expiry=draw(
            st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2049, 12, 28)))
        ),
        lot=draw(st.one_of(st.none(), st.text(CSET82, min_size=1, max_size=20))),
        serial=draw(st.one_of(st.none(), st.text(CSET82, min_size=1, max_size=20))),
    )
    # The reference encoder: fixed-length fields as they are, variable ones ended by GS
    # unless last (GS1 General Specifications 7.8.5).
    fixed = [f"01{gtin}"]
    if weight_ai is not None:
        fixed.append(f"{weight_ai}{message.weight_digits}")
    if message.expiry is not None:
        fixed.append(f"17{message.expiry:%y%m%d}")
    variable = [f"{ai}{v}" for ai, v in (("10", message.lot), ("21", message.serial)) if v]
    fields = draw(st.permutations(fixed + variable))
    text = ""
    for n, field in enumerate(fields):
        text += field
        if field[:2] in ("10", "21") and n < len(fields) - 1:
            text += GS
    return message, text


def interpret(separator: str, aim: str, text: str) -> Interpretation:
    return INTERPRETERS[separator].interpret(aim + text.replace(GS, separator))


@given(messages(), st.sampled_from(GS1_AIMS), st.sampled_from([GS, "|"]))
@fuzz_settings(weight=2)
@counted("barcodes: GS1 round trip")
def test_gs1_messages_round_trip(
    message_text: tuple[Message, str], aim: str, separator: str
) -> None:
    message, text = message_text
    if separator == "|" and "|" in text:
        return
    result = interpret(separator, aim, text)
    assert result.kind is ScanKind.PRODUCT, (text, result.error)
    assert result.gtin == message.gtin
    assert result.net_weight_g == message.weight_g()
    assert result.lot == message.lot
    assert result.serial == message.serial
    if message.expiry is not None:
        assert result.expiry == message.expiry
    assert result.symbology == (aim or None)


@st.composite
def damaged(draw: st.DrawFn) -> tuple[Message, str]:
    message, text = draw(messages())
    damage = draw(st.sampled_from(["lose a GS", "splice", "cut"]))
    if damage == "lose a GS" and GS in text:
        at = draw(st.sampled_from([i for i, ch in enumerate(text) if ch == GS]))
        text = text[:at] + text[at + 1 :]
    elif damage == "splice":
        # A character no GS1 field may hold, where a scanner glitch would put it.
        at = draw(st.integers(0, len(text)))
        text = (
            text[:at] + draw(st.sampled_from(["\x00", "~", "é", " ", "\x7f", "#", "|"])) + text[at:]
        )
    else:
        text = text[: draw(st.integers(0, len(text) - 1))]
    return message, text


@given(damaged(), st.sampled_from(GS1_AIMS))
@fuzz_settings(weight=3)
@counted("barcodes: damaged GS1")
def test_damaged_gs1_never_gives_another_gtin_or_weight(
    message_text: tuple[Message, str], aim: str
) -> None:
    message, text = message_text
    result = INTERPRETERS[GS].interpret(aim + text)
    assert not (result.error or "").startswith("could not interpret"), result.error
    # Without an AIM identifier a GS1 string cut to 8, 12, 13 or 14 digits cannot be told from
    # an EAN/UPC (its last digit is a valid check digit one time in ten): it reads as that
    # item. With the identifier it is GS1 data, and a cut one is unreadable.
    looks_like_ean = aim == "" and text.isdigit() and len(text) in (8, 12, 13, 14)
    if result.kind is ScanKind.PRODUCT and result.gtin is not None and not looks_like_ean:
        assert result.gtin == message.gtin, (text, result)
    if result.net_weight_g is not None:
        assert result.net_weight_g == message.weight_g(), (text, result)


@st.composite
def contradicted(draw: st.DrawFn) -> tuple[str, str]:
    """A message made invalid as a whole: (damage, text)."""
    message, text = draw(messages())
    damage = draw(st.sampled_from(["second value", "key check digit"]))
    if damage == "second value":
        present = [("01", message.gtin), ("10", message.lot), ("21", message.serial)]
        ai, value = draw(st.sampled_from([(a, v) for a, v in present if v is not None]))
        if ai == "01":
            other = with_check_digit(draw(st.text("0123456789", min_size=13, max_size=13)))
        else:
            other = draw(st.text(CSET82, min_size=1, max_size=20))
        if other == value:
            return draw(contradicted())  # the same value again is no contradiction
        text = text + GS + ai + other
    else:
        wrong = str((int(message.gtin[-1]) + draw(st.integers(1, 9))) % 10)
        # Every "01" + GTIN, so also the one the key's field holds, wherever it stands.
        text = text.replace("01" + message.gtin, "01" + message.gtin[:-1] + wrong)
    return damage, text


@given(contradicted(), st.sampled_from(GS1_AIMS))
@fuzz_settings(weight=2)
@counted("barcodes: GS1 with two values of an AI or a bad key")
def test_a_contradicted_or_damaged_key_message_is_never_a_product(
    damage_text: tuple[str, str], aim: str
) -> None:
    damage, text = damage_text
    result = INTERPRETERS[GS].interpret(aim + text)
    assert result.kind is ScanKind.OTHER, (damage, text, result)
    assert result.gtin is None and result.error, (damage, text, result)


def digital_link(message: Message, scheme: str = "https", gtin: str | None = None) -> str:
    """``message`` as a Digital Link URI: key and qualifiers in the path, the rest queried."""
    path = f"/01/{gtin or message.gtin}"
    if message.lot is not None:
        path += f"/10/{quote(message.lot, safe='')}"
    if message.serial is not None and message.lot is not None:
        path += f"/21/{quote(message.serial, safe='')}"
    query = []
    if message.serial is not None and message.lot is None:
        query.append(("21", message.serial))
    if message.weight_ai is not None:
        query.append((message.weight_ai, message.weight_digits))
    if message.expiry is not None:
        query.append(("17", f"{message.expiry:%y%m%d}"))
    return f"{scheme}://id.gs1.org{path}" + (f"?{urlencode(query)}" if query else "")


@given(messages(), st.sampled_from(["", "]Q1"]))
@fuzz_settings(weight=1)
@counted("barcodes: Digital Link round trip")
def test_digital_links_round_trip(message_text: tuple[Message, str], aim: str) -> None:
    message, _ = message_text
    result = INTERPRETERS[GS].interpret(aim + digital_link(message))
    assert result.kind is ScanKind.PRODUCT, (digital_link(message), result.error)
    assert (result.gtin, result.lot, result.serial) == (message.gtin, message.lot, message.serial)
    assert result.net_weight_g == message.weight_g()
    if message.expiry is not None:
        assert result.expiry == message.expiry


@given(
    messages(), st.sampled_from(["mixed-case scheme", "zero-suppressed", "second GTIN"]), st.data()
)
@fuzz_settings(weight=1)
@counted("barcodes: Digital Link the Syntax Engine refuses")
def test_refused_digital_links_never_read(
    message_text: tuple[Message, str], damage: str, data: st.DataObject
) -> None:
    message, _ = message_text
    if damage == "mixed-case scheme":
        scheme = data.draw(
            st.sampled_from(["Https", "hTTps", "HTTPs", "Http", "hTtP"]), label="scheme"
        )
        uri = digital_link(message, scheme=scheme)
    elif damage == "zero-suppressed":
        uri = digital_link(message, gtin=message.gtin.lstrip("0") or "0")
        if message.gtin[0] != "0":
            return  # a GTIN-14 of a case has nothing to suppress
    else:
        other = with_check_digit(data.draw(st.text("0123456789", min_size=13, max_size=13)))
        if other == message.gtin:
            return
        joiner = "&" if "?" in digital_link(message) else "?"
        uri = digital_link(message) + f"{joiner}01={other}"
    result = INTERPRETERS[GS].interpret(uri)
    assert result.kind is ScanKind.OTHER, (damage, uri, result)
    assert result.gtin is None and result.error, (damage, uri, result)
