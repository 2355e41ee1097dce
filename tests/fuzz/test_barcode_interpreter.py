"""Barcode interpretation under fuzzing: GS1 messages built by a reference encoder come back
field for field; damaged ones never come back with another GTIN or another weight.

tests/station/test_barcodes.py already checks that arbitrary text never raises and that every
valid GTIN round-trips through its 12/13/14-digit forms; this adds whole GS1 element strings
(GTIN, net weight in kg or lb, expiry, lot, serial in any order, with or without an AIM
identifier, with GS or the configured placeholder) and their damage: a GS lost, a foreign
character spliced in, the scan cut short.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

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
GS1_AIMS = ["]C1", "]d2", "]Q3", "]e0", ""]


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
