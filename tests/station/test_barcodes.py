"""What a scanned string means: GTIN forms, GS1 messages, SSCC, Digital Link, patterns."""

from __future__ import annotations

import datetime
import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.barcodes import GS, Command, Interpretation, Interpreter, ScanKind
from station.config import BarcodeSettings, ConfigError
from station.gtin import with_check_digit

DEFAULT = Interpreter(BarcodeSettings())
PIPE = Interpreter(BarcodeSettings(gs_placeholder="|"))

# GS1's own example item (GS1 General Specifications / Digital Link examples).
EXAMPLE_GTIN = "09506000134352"


# --- empty ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", "\r\n", "\t", " \r\n", "]C1", "]E0\r\n", GS])
def test_empty_and_whitespace_only_scans_are_empty(raw: str) -> None:
    result = DEFAULT.interpret(raw)
    assert result.kind is ScanKind.EMPTY
    assert result.data == ""
    assert result.lookup_keys == ()
    assert result.error == "empty scan"
    assert result.raw == raw


def test_empty_scan_keeps_its_aim_identifier() -> None:
    assert DEFAULT.interpret("]C1").symbology == "]C1"


# --- configured patterns ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "command"),
    [
        ("CMD-COMPLETE", Command.COMPLETE),
        ("CMD-UNDO", Command.UNDO),
        ("CMD-NEWBOX", Command.NEW_BOX),
        ("CMD-CONFIRM", Command.CONFIRM),
        ("CMD-CANCEL\r\n", Command.CANCEL),
        ("CMD-SHORT", Command.SHORT_SHIP),
        ("CMD-DAMAGED", Command.DAMAGED),
        ("]C0CMD-UNDO", Command.UNDO),
    ],
)
def test_command_barcodes(raw: str, command: Command) -> None:
    result = DEFAULT.interpret(raw)
    assert result.kind is ScanKind.COMMAND
    assert result.command is command
    assert result.value == command.value
    assert result.lookup_keys == ()
    assert result.error is None


def test_quantity_barcode_gives_the_number() -> None:
    result = DEFAULT.interpret("QTY-0012")
    assert result.kind is ScanKind.QUANTITY
    assert result.quantity == 12
    assert result.value == "QTY-0012"


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("SO-12345", ScanKind.ORDER, "SO-12345"),
        ("ORD998877", ScanKind.ORDER, "ORD998877"),
        ("TOTE-42", ScanKind.TOTE, "TOTE-42"),
        ("BOX-S2", ScanKind.BOX_TYPE, "BOX-S2"),
        ("BADGE-JD01", ScanKind.BADGE, "BADGE-JD01"),
        ("]C0TOTE-000001\r\n", ScanKind.TOTE, "TOTE-000001"),
    ],
)
def test_pattern_kinds(raw: str, kind: ScanKind, value: str) -> None:
    result = DEFAULT.interpret(raw)
    assert result.kind is kind
    assert result.value == value
    assert result.command is None
    assert result.quantity is None
    assert result.gtin is None


def test_patterns_are_full_matches() -> None:
    # "SO-12345X" is not an order number just because it starts like one.
    result = DEFAULT.interpret("SO-12345X")
    assert result.kind is ScanKind.OTHER
    assert result.value is None
    assert DEFAULT.interpret("xTOTE-1").kind is ScanKind.OTHER


def test_custom_patterns_from_settings() -> None:
    settings = BarcodeSettings(
        order=r"\d{13}",  # an order barcode that looks like an EAN-13: patterns win
        tote=r"T\d{4}",
        box_type=r"K[1-9]",
        badge=r"EMP\d{5}",
        cmd_complete=r"DONE",
        cmd_undo=r"OOPS",
        cmd_new_box=r"",  # switched off
        cmd_short=r"SHORT\d",
        cmd_damaged=r"BROKE",
        quantity=r"\*(\d{1,3})",
        gs_placeholder="^",
    )
    interpreter = Interpreter(settings)

    order = interpreter.interpret("4006381333931")
    assert (order.kind, order.value, order.gtin) == (ScanKind.ORDER, "4006381333931", None)
    assert interpreter.interpret("T0042").kind is ScanKind.TOTE
    assert interpreter.interpret("K3").kind is ScanKind.BOX_TYPE
    assert interpreter.interpret("EMP12345").kind is ScanKind.BADGE
    assert interpreter.interpret("DONE").command is Command.COMPLETE
    assert interpreter.interpret("OOPS").command is Command.UNDO
    assert interpreter.interpret("SHORT1").command is Command.SHORT_SHIP
    assert interpreter.interpret("BROKE").command is Command.DAMAGED
    quantity = interpreter.interpret("*25")
    assert (quantity.kind, quantity.quantity) == (ScanKind.QUANTITY, 25)
    # The default patterns no longer apply.
    assert interpreter.interpret("SO-12345").kind is ScanKind.OTHER
    assert interpreter.interpret("CMD-NEWBOX").kind is ScanKind.OTHER
    assert interpreter.interpret("CMD-SHORT").kind is ScanKind.OTHER
    # The configured placeholder separates GS1 fields.
    product = interpreter.interpret(f"]C101{EXAMPLE_GTIN}10LOT7^21S1")
    assert (product.lot, product.serial) == ("LOT7", "S1")


def test_patterns_accept_only_ascii_digits() -> None:
    # "\d" would match Arabic-Indic digits without re.ASCII; a quantity of "٣" is not a barcode.
    assert DEFAULT.interpret("QTY-٣").kind is ScanKind.OTHER


def test_broken_pattern_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="tote"):
        Interpreter(BarcodeSettings(tote="TOTE-("))


def test_quantity_pattern_needs_a_group() -> None:
    with pytest.raises(ConfigError, match="quantity"):
        Interpreter(BarcodeSettings(quantity=r"QTY-\d+"))


def test_quantity_group_that_is_not_a_number_falls_through() -> None:
    interpreter = Interpreter(BarcodeSettings(quantity=r"Q(\w+)"))
    result = interpreter.interpret("QABC")
    assert result.kind is ScanKind.OTHER
    assert result.quantity is None


# --- plain GTINs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "gtin"),
    [
        ("96385074", "00000096385074"),  # GTIN-8 (EAN-8; UPC-E impossible: starts with 9)
        ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
        ("4006381333931", "04006381333931"),  # GTIN-13 (EAN-13)
        ("10036000291459", "10036000291459"),  # GTIN-14 (case of the UPC-A item)
        ("]E04006381333931", "04006381333931"),
        ("]E496385074", "00000096385074"),
        ("]I110036000291459", "10036000291459"),  # ITF-14
        ("4006381333931\r\n", "04006381333931"),
    ],
)
def test_plain_gtins(raw: str, gtin: str) -> None:
    result = DEFAULT.interpret(raw)
    assert result.kind is ScanKind.PRODUCT
    assert result.gtin == gtin
    assert result.lookup_keys[0] == gtin
    assert result.lookup_keys[-1] == result.data
    assert result.error is None
    assert result.ai == {}


def test_gtin_12_13_14_forms_of_one_item_agree() -> None:
    forms = ["036000291452", "0036000291452", "00036000291452", "]E00036000291452"]
    results = [DEFAULT.interpret(form) for form in forms]
    assert {result.gtin for result in results} == {"00036000291452"}
    assert DEFAULT.interpret("036000291452").lookup_keys == ("00036000291452", "036000291452")
    # The GTIN-14 form is its own data: no duplicate key.
    assert DEFAULT.interpret("00036000291452").lookup_keys == ("00036000291452",)


def test_upc_e_with_aim_expands_to_upc_a() -> None:
    result = DEFAULT.interpret("]E001234565")
    assert result.kind is ScanKind.PRODUCT
    assert result.symbology == "]E0"
    # UPC-E 0123456(5) expands to UPC-A 012345000065.
    assert result.gtin == "00012345000065"
    assert result.lookup_keys == ("00012345000065", "01234565")


def test_upc_e_without_check_digit_needs_the_aim_identifier() -> None:
    assert DEFAULT.interpret("]E0123456").gtin == "00012345000065"
    # Without the identifier, six digits could be anyone's internal code.
    plain = DEFAULT.interpret("123456")
    assert plain.kind is ScanKind.OTHER
    assert plain.lookup_keys == ("123456",)


def test_eight_digits_without_aim_give_both_ean8_and_upc_e_keys() -> None:
    result = DEFAULT.interpret("01234565")
    assert result.kind is ScanKind.PRODUCT
    # Leading 0: an EAN-8 would be a restricted-circulation number, so UPC-E is preferred.
    assert result.gtin == "00012345000065"
    assert result.lookup_keys == ("00012345000065", "00000001234565", "01234565")


def test_eight_digits_with_leading_one_prefer_ean8() -> None:
    # 10000007 is a valid EAN-8 and a valid UPC-E (number system 1, UPC-A 100000000007);
    # 1xx is a GS1 US EAN-8 prefix while number system 1 UPC-E is rare.
    result = DEFAULT.interpret("10000007")
    assert result.kind is ScanKind.PRODUCT
    assert result.gtin == "00000010000007"
    assert result.lookup_keys == ("00000010000007", "00100000000007", "10000007")


def test_ean8_aim_means_ean8_only() -> None:
    result = DEFAULT.interpret("]E401234565")
    assert result.gtin == "00000001234565"
    assert result.lookup_keys == ("00000001234565", "01234565")


def test_ean13_with_add_on() -> None:
    result = DEFAULT.interpret("]E3978030640615712")
    assert result.kind is ScanKind.PRODUCT
    assert result.gtin == "09780306406157"
    assert result.lookup_keys == ("09780306406157", "9780306406157", "978030640615712")


@pytest.mark.parametrize(
    "raw", ["4006381333932", "036000291453", "10036000291458", "]E04006381333930"]
)
def test_bad_gtin_check_digit_is_other_with_an_error(raw: str) -> None:
    result = DEFAULT.interpret(raw)
    assert result.kind is ScanKind.OTHER
    assert result.gtin is None
    assert result.lookup_keys == (result.data,)
    assert result.error is not None
    assert result.error.startswith("GTIN check digit is wrong")


def test_bad_gtin_check_digit_says_which_digit() -> None:
    assert DEFAULT.interpret("4006381333932").error == (
        "GTIN check digit is wrong: expected 1, got 2"
    )


def test_eight_digits_valid_as_neither() -> None:
    result = DEFAULT.interpret("96385075")
    assert result.kind is ScanKind.OTHER
    assert result.error == "GTIN check digit is wrong: neither a valid EAN-8 nor a valid UPC-E"


def test_ean_aim_with_garbage_is_other() -> None:
    result = DEFAULT.interpret("]E0ABC")
    assert result.kind is ScanKind.OTHER
    assert result.error == "not a valid EAN/UPC code (]E0)"


# --- GS1 element strings ----------------------------------------------------------------------


def test_gs1_128_with_aim_and_gs() -> None:
    raw = f"]C101{EXAMPLE_GTIN}10ABC{GS}1725123121XYZ\r\n"
    result = DEFAULT.interpret(raw)
    assert result.kind is ScanKind.PRODUCT
    assert result.symbology == "]C1"
    assert result.data == f"01{EXAMPLE_GTIN}10ABC{GS}1725123121XYZ"
    assert result.gtin == EXAMPLE_GTIN
    assert result.lookup_keys == (EXAMPLE_GTIN, result.data)
    assert result.lot == "ABC"
    assert result.serial == "XYZ"
    assert result.expiry == datetime.date(2025, 12, 31)
    assert result.ai == {"01": EXAMPLE_GTIN, "10": "ABC", "17": "251231", "21": "XYZ"}
    assert result.net_weight_g is None
    assert result.error is None


def test_gs1_128_with_placeholder() -> None:
    result = PIPE.interpret(f"]C101{EXAMPLE_GTIN}10ABC|1725123121XYZ")
    assert result.data == f"01{EXAMPLE_GTIN}10ABC{GS}1725123121XYZ"
    assert result.kind is ScanKind.PRODUCT
    assert (result.gtin, result.lot, result.serial) == (EXAMPLE_GTIN, "ABC", "XYZ")
    assert result.expiry == datetime.date(2025, 12, 31)


def test_placeholder_and_real_gs_both_separate() -> None:
    result = PIPE.interpret(f"]C101{EXAMPLE_GTIN}10ABC|21XYZ{GS}3103001234")
    assert (result.lot, result.serial, result.net_weight_g) == ("ABC", "XYZ", 1234.0)


def test_gs1_datamatrix_with_day_00_expiry() -> None:
    result = DEFAULT.interpret(f"]d201{EXAMPLE_GTIN}1726020010LOT1{GS}21SER9")
    assert result.kind is ScanKind.PRODUCT
    assert result.symbology == "]d2"
    assert result.gtin == EXAMPLE_GTIN
    # Day 00 means the last day of the month.
    assert result.expiry == datetime.date(2026, 2, 28)
    assert (result.lot, result.serial) == ("LOT1", "SER9")


def test_gs1_qr() -> None:
    result = DEFAULT.interpret(f"]Q301{EXAMPLE_GTIN}10B-77")
    assert result.kind is ScanKind.PRODUCT
    assert result.symbology == "]Q3"
    assert (result.gtin, result.lot) == (EXAMPLE_GTIN, "B-77")


def test_gs1_databar() -> None:
    result = DEFAULT.interpret("]e00110036000291459")
    assert (result.kind, result.gtin) == (ScanKind.PRODUCT, "10036000291459")


def test_gs1_message_without_aim_but_with_gtin() -> None:
    # A scanner that sends no AIM identifier: the (01) GTIN makes it convincingly GS1.
    result = DEFAULT.interpret(f"01{EXAMPLE_GTIN}10L{GS}21S")
    assert result.kind is ScanKind.PRODUCT
    assert result.symbology is None
    assert (result.gtin, result.lot, result.serial) == (EXAMPLE_GTIN, "L", "S")


def test_net_weight_kg() -> None:
    result = DEFAULT.interpret(f"]C101{EXAMPLE_GTIN}3103001234")
    assert result.net_weight_g == 1234.0
    assert result.ai["3103"] == "001234"


def test_net_weight_lb() -> None:
    result = DEFAULT.interpret(f"]C101{EXAMPLE_GTIN}3202000250")
    assert result.net_weight_g == pytest.approx(2.5 * 453.59237)


def test_gross_weight_is_not_net_weight() -> None:
    result = DEFAULT.interpret(f"]C101{EXAMPLE_GTIN}3301001234")
    assert result.net_weight_g is None
    assert result.ai["3301"] == "001234"


def test_ai_02_contained_gtin() -> None:
    result = DEFAULT.interpret(f"]C102{EXAMPLE_GTIN}{GS}3710")
    assert result.kind is ScanKind.PRODUCT
    assert result.gtin == EXAMPLE_GTIN
    assert result.ai == {"02": EXAMPLE_GTIN, "37": "10"}


def test_gs1_message_with_bad_gtin_check_digit() -> None:
    result = DEFAULT.interpret("]C10109506000134353")
    assert result.kind is ScanKind.OTHER
    assert result.gtin is None
    assert result.error == "GTIN check digit is wrong: expected 2, got 3"
    assert result.ai == {"01": "09506000134353"}


def test_gs1_message_without_gtin_or_sscc() -> None:
    result = DEFAULT.interpret("]C110ABC")
    assert result.kind is ScanKind.OTHER
    assert result.lot == "ABC"
    assert result.error == "GS1 data holds no GTIN or SSCC"


def test_internal_code_that_parses_as_gs1_by_accident_stays_plain() -> None:
    # "10ABC" is a valid (10) lot element string, but with no AIM, no GS and no GTIN/SSCC it
    # is far likelier someone's internal code.
    result = DEFAULT.interpret("10ABC")
    assert result.kind is ScanKind.OTHER
    assert result.lot is None
    assert result.ai == {}
    assert result.lookup_keys == ("10ABC",)


def test_stripped_gs_is_an_error_not_a_crash() -> None:
    # The GS after the lot was lost: the lot swallows 20 characters and what is left
    # ("01234") is not a valid element string.
    raw = f"]C101{EXAMPLE_GTIN}10{'A' * 15}3103001234"
    result = DEFAULT.interpret(raw)
    assert result.kind is ScanKind.OTHER
    assert result.gtin is None
    assert result.error is not None
    assert result.error.startswith("unreadable GS1 data")
    assert "send GS" in result.error
    assert result.lookup_keys == (result.data,)


def test_stripped_gs_can_also_be_silently_absorbed() -> None:
    # A known limit of GS1 itself: a lost GS before an AI that fits into the lot's 20
    # characters makes a valid but different message. The verdict (lot mismatch) catches it.
    result = DEFAULT.interpret(f"]C101{EXAMPLE_GTIN}10ABC1725123121XYZ")
    assert result.kind is ScanKind.PRODUCT
    assert result.lot == "ABC1725123121XYZ"
    assert result.expiry is None


def test_invalid_date_is_an_error() -> None:
    result = DEFAULT.interpret(f"]C101{EXAMPLE_GTIN}17251340")
    assert result.kind is ScanKind.OTHER
    assert result.error is not None
    assert "(17)" in result.error


# --- SSCC -------------------------------------------------------------------------------------


def test_sscc_plain() -> None:
    result = DEFAULT.interpret("106141411234567897")
    assert result.kind is ScanKind.SSCC
    assert result.sscc == "106141411234567897"
    assert result.gtin is None
    assert result.error is None


def test_sscc_in_gs1_128() -> None:
    result = DEFAULT.interpret("]C100106141411234567897")
    assert result.kind is ScanKind.SSCC
    assert result.sscc == "106141411234567897"
    assert result.ai == {"00": "106141411234567897"}


def test_sscc_bad_check_digit() -> None:
    result = DEFAULT.interpret("106141411234567898")
    assert result.kind is ScanKind.OTHER
    assert result.sscc is None
    assert result.error == "SSCC check digit is wrong: expected 7, got 8"


def test_sscc_bad_check_digit_in_gs1_128() -> None:
    result = DEFAULT.interpret("]C100106141411234567898")
    assert result.kind is ScanKind.OTHER
    assert result.sscc is None
    assert result.error == "SSCC check digit is wrong: expected 7, got 8"


def test_logistic_label_with_sscc_and_contained_gtin_is_a_product_scan() -> None:
    result = DEFAULT.interpret(f"]C100106141411234567897{GS}02{EXAMPLE_GTIN}3712")
    assert result.kind is ScanKind.PRODUCT
    assert result.gtin == EXAMPLE_GTIN
    assert result.sscc == "106141411234567897"


# --- Digital Link -----------------------------------------------------------------------------


def test_digital_link_uri() -> None:
    uri = "https://id.gs1.org/01/09506000134352/10/ABC/21/XYZ"
    result = DEFAULT.interpret(uri)
    assert result.kind is ScanKind.PRODUCT
    assert result.gtin == EXAMPLE_GTIN
    assert (result.lot, result.serial) == ("ABC", "XYZ")
    assert result.ai == {"01": EXAMPLE_GTIN, "10": "ABC", "21": "XYZ"}
    assert result.lookup_keys == (EXAMPLE_GTIN, uri)


def test_digital_link_in_plain_qr_with_upper_case_host() -> None:
    # A plain QR code (]Q1) carries Digital Link; QR alphanumeric mode upper-cases the host.
    result = DEFAULT.interpret("]Q1HTTPS://ID.GS1.ORG/01/09506000134352/10/abc")
    assert result.kind is ScanKind.PRODUCT
    assert result.symbology == "]Q1"
    assert (result.gtin, result.lot) == (EXAMPLE_GTIN, "abc")


def test_digital_link_with_sscc() -> None:
    result = DEFAULT.interpret("https://example.com/00/106141411234567897")
    assert (result.kind, result.sscc) == (ScanKind.SSCC, "106141411234567897")


def test_url_that_is_not_a_digital_link() -> None:
    result = DEFAULT.interpret("https://example.com/manual.pdf")
    assert result.kind is ScanKind.OTHER
    assert result.error is not None
    assert result.error.startswith("not a GS1 Digital Link")
    assert result.lookup_keys == ("https://example.com/manual.pdf",)


# --- what outside trials broke (issue 12 point 12) ---------------------------------------------


def test_gs1_dotcode_keeps_its_gtin() -> None:
    # biip raises on the identifier ]J1 (GS1 DotCode); the catch-all made the scan OTHER.
    result = DEFAULT.interpret(f"]J101{EXAMPLE_GTIN}10LOT42{GS}17251231")
    assert result.kind is ScanKind.PRODUCT
    assert (result.gtin, result.lot, result.symbology) == (EXAMPLE_GTIN, "LOT42", "]J1")
    assert result.expiry == datetime.date(2025, 12, 31)
    assert result.error is None


@pytest.mark.parametrize(
    ("raw", "count"),
    [
        ("]E0036000291452", 12),  # a UPC-A sent without its leading 0: a digit lost
        ("]E0006381333931", 12),  # EAN-13 4006381333931 with its first digit lost
        ("]E000036000291452", 14),
        ("]E44006381333931", 13),
    ],
)
def test_an_ean_upc_identifier_with_the_wrong_number_of_digits_is_refused(
    raw: str, count: int
) -> None:
    result = DEFAULT.interpret(raw)
    assert (result.kind, result.gtin) == (ScanKind.OTHER, None)
    assert result.error is not None
    assert result.error.startswith(f"{raw[:3]} carries ")
    assert result.error.endswith(f"not {count} digits: part of the code was lost")


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        # An SSCC with a bad check digit beside a good GTIN made a PRODUCT with no error.
        (
            f"]C100106141411234567898{GS}01{EXAMPLE_GTIN}",
            "SSCC check digit is wrong: expected 7, got 8",
        ),
        (
            f"00106141411234567898{GS}01{EXAMPLE_GTIN}",
            "SSCC check digit is wrong: expected 7, got 8",
        ),
        # The same cause for a bad GTIN beside a good SSCC, and a bad GLN beside a good GTIN.
        (
            f"]C100106141411234567897{GS}0109506000134353",
            "GTIN check digit is wrong: expected 2, got 3",
        ),
        (f"]C101{EXAMPLE_GTIN}4141234567890123", "GLN check digit is wrong: expected 8, got 3"),
    ],
)
def test_a_bad_key_anywhere_in_a_message_spoils_it(raw: str, error: str) -> None:
    result = DEFAULT.interpret(raw)
    assert result.kind is ScanKind.OTHER
    assert (result.gtin, result.sscc, result.lot) == (None, None, None)
    assert result.error == error
    assert result.lookup_keys == (result.data,)


@pytest.mark.parametrize(
    ("raw", "ai", "first", "second"),
    [
        (f"]C101{EXAMPLE_GTIN}10ABC{GS}21S1{GS}10XYZ", "10", "ABC", "XYZ"),
        (f"01{EXAMPLE_GTIN}10ABC{GS}10XYZ", "10", "ABC", "XYZ"),
        (f"]d201{EXAMPLE_GTIN}0109501101530003", "01", EXAMPLE_GTIN, "09501101530003"),
        (f"https://id.gs1.org/01/{EXAMPLE_GTIN}?01=09501101530003", "01", EXAMPLE_GTIN,
         "09501101530003"),
    ],
)  # fmt: skip
def test_two_values_of_one_ai_are_refused(raw: str, ai: str, first: str, second: str) -> None:
    result = DEFAULT.interpret(raw)
    assert (result.kind, result.gtin, result.ai) == (ScanKind.OTHER, None, {})
    assert result.error is not None
    assert f"AI ({ai}) is given twice with different values" in result.error
    assert repr(first) in result.error and repr(second) in result.error


def test_one_ai_twice_with_the_same_value_is_one_value() -> None:
    result = DEFAULT.interpret(f"]C101{EXAMPLE_GTIN}10ABC{GS}10ABC")
    assert (result.kind, result.lot, result.error) == (ScanKind.PRODUCT, "ABC", None)


def test_a_repeated_query_ai_in_a_digital_link_is_refused() -> None:
    # biip keeps the last of ?10=A&10=B silently.
    result = DEFAULT.interpret(f"https://id.gs1.org/01/{EXAMPLE_GTIN}?10=A&10=B")
    assert result.kind is ScanKind.OTHER
    assert result.error == (
        "not a GS1 Digital Link: AI (10) is given twice with different values: 'B' and 'A'"
    )


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (
            f"HtTpS://id.gs1.org/01/{EXAMPLE_GTIN}",
            "the scheme must be http or https in one case, not 'HtTpS'",
        ),
        (
            "https://id.gs1.org/01/9506000134352",
            "the key in the path must be written in full: AI (01) '9506000134352' is "
            f"'{EXAMPLE_GTIN}' with its leading zeros",
        ),
        (
            "https://id.gs1.org/01/96385074",
            "the key in the path must be written in full: AI (01) '96385074' is "
            "'00000096385074' with its leading zeros",
        ),
        (
            f"https://id.gs1.org/01/{EXAMPLE_GTIN}?99=ABC&999=faux",
            "query parameter '999' is numeric but not a GS1 AI",
        ),
        (f"https://id.gs1.org/01/{EXAMPLE_GTIN}?99=", "AI (99) in the query has no value"),
    ],
)
def test_digital_links_the_syntax_engine_refuses_are_refused(raw: str, error: str) -> None:
    result = DEFAULT.interpret(raw)
    assert (result.kind, result.gtin) == (ScanKind.OTHER, None)
    assert result.error == f"not a GS1 Digital Link: {error}"


@pytest.mark.parametrize(
    "raw",
    [
        f"HTTPS://ID.GS1.ORG/01/{EXAMPLE_GTIN}",
        f"http://a/01/{EXAMPLE_GTIN}",
        f"https://id.gs1.org/01/{EXAMPLE_GTIN}?utm_source=label&singleton&99=ABC",
        f"https://id.gs1.org/01/{EXAMPLE_GTIN}?01={EXAMPLE_GTIN}",
    ],
)
def test_digital_links_the_syntax_engine_accepts_are_accepted(raw: str) -> None:
    # A non-numeric query parameter is not GS1's: the standard says to ignore it.
    result = DEFAULT.interpret(raw)
    assert (result.kind, result.gtin, result.error) == (ScanKind.PRODUCT, EXAMPLE_GTIN, None)


@pytest.mark.parametrize(
    "raw",
    [
        f"]C101{EXAMPLE_GTIN}17251331",  # month 13: the date is wrong, not the separators
        f"]C101{EXAMPLE_GTIN}1725123",  # (17) one digit short
        f"]C101{EXAMPLE_GTIN}17251231XYZ",  # no AI after the fixed-length (17)
    ],
)
def test_a_fault_after_a_fixed_length_ai_does_not_blame_the_scanner(raw: str) -> None:
    result = DEFAULT.interpret(raw)
    assert result.kind is ScanKind.OTHER
    assert result.error is not None and result.error.startswith("unreadable GS1 data: ")
    assert "GS between fields" not in result.error


def test_a_variable_field_run_into_the_next_still_asks_about_gs() -> None:
    # (10) takes its 20 characters at most; what is left, "XYZ", starts with no AI.
    result = DEFAULT.interpret(f"]C101{EXAMPLE_GTIN}10ABCDEFGHIJKLMNOPQRSTXYZ")
    assert result.kind is ScanKind.OTHER
    assert result.error is not None
    assert result.error.endswith("(is the scanner set to send GS between fields?)")


# --- other ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["SKU-ABC-123", "]C0ABC-1", "]d1hello", "1234", "X"])
def test_other_codes_are_looked_up_as_they_are(raw: str) -> None:
    result = DEFAULT.interpret(raw)
    assert result.kind is ScanKind.OTHER
    assert result.lookup_keys == (result.data,)
    assert result.error == "not a GTIN, SSCC, GS1 code or configured pattern"


def test_aim_prefix_is_stripped_and_reported() -> None:
    result = DEFAULT.interpret("]C0ABC-1")
    assert (result.symbology, result.data, result.raw) == ("]C0", "ABC-1", "]C0ABC-1")


def test_to_json_of_a_gs1_scan() -> None:
    result = DEFAULT.interpret(f"]d201{EXAMPLE_GTIN}17251231{GS}3103000500")
    document = result.to_json()
    assert json.loads(json.dumps(document)) == document
    assert document == {
        "raw": f"]d201{EXAMPLE_GTIN}17251231{GS}3103000500",
        "data": f"01{EXAMPLE_GTIN}17251231{GS}3103000500",
        "kind": "product",
        "symbology": "]d2",
        "gtin": EXAMPLE_GTIN,
        "lookup_keys": [EXAMPLE_GTIN, f"01{EXAMPLE_GTIN}17251231{GS}3103000500"],
        "sscc": None,
        "serial": None,
        "lot": None,
        "expiry": "2025-12-31",
        "net_weight_g": 500.0,
        "ai": {"01": EXAMPLE_GTIN, "17": "251231", "3103": "000500"},
        "value": None,
        "command": None,
        "quantity": None,
        "error": None,
    }


def test_to_json_of_a_command() -> None:
    document = DEFAULT.interpret("CMD-NEWBOX").to_json()
    assert (document["kind"], document["command"], document["value"]) == (
        "command",
        "new_box",
        "new_box",
    )


def test_interpretation_is_hashable() -> None:
    assert hash(DEFAULT.interpret(f"]C101{EXAMPLE_GTIN}10A")) is not None


def test_plain_gtin_is_fast() -> None:
    # The budget is 0.3 ms a scan; measured ~10 µs. A generous bound keeps this from flaking.
    count = 2000
    start = time.perf_counter()
    for _ in range(count):
        DEFAULT.interpret("4006381333931")
    assert (time.perf_counter() - start) / count < 0.0003


# --- properties -------------------------------------------------------------------------------

AIMS = [
    "]C1",
    "]C0",
    "]d2",
    "]d1",
    "]Q3",
    "]Q1",
    "]E0",
    "]E3",
    "]E4",
    "]e0",
    "]I1",
    "]J1",
    "]Zz",
    "]",
]
ANY_TEXT = st.one_of(
    st.text(),
    st.text(st.characters(max_codepoint=0x7F)),  # control characters, GS, CR/LF
    st.text("0123456789", max_size=30),
    st.text("0123456789\x1d|ABC-/:.htps", max_size=40),
    st.builds(lambda a, b: a + b, st.sampled_from(AIMS), st.text("0123456789\x1dA", max_size=30)),
    st.builds(
        lambda a, b: a + b,
        st.sampled_from(["https://id.gs1.org/", "HTTP://x/", "http"]),
        st.text("0123456789/ABCx", max_size=40),
    ),
)


@given(ANY_TEXT)
def test_interpret_never_raises_and_json_dumps(raw: str) -> None:
    for interpreter in (DEFAULT, PIPE):
        result = interpreter.interpret(raw)
        assert isinstance(result, Interpretation)
        assert result.raw == raw
        assert isinstance(result.kind, ScanKind)
        # Not the safety net's answer: the interpreter itself handled the input.
        assert not (result.error or "").startswith("could not interpret")
        document = result.to_json()
        assert json.loads(json.dumps(document)) == document
        if result.kind is ScanKind.OTHER:
            assert result.lookup_keys == (result.data,)
            assert result.error is not None
        if result.kind is ScanKind.PRODUCT:
            assert result.gtin is not None
            assert result.lookup_keys[0] == result.gtin


@given(
    st.integers(min_value=0, max_value=3).flatmap(
        lambda i: st.text("0123456789", min_size=(7, 11, 12, 13)[i], max_size=(7, 11, 12, 13)[i])
    )
)
def test_every_valid_gtin_round_trips_through_its_12_13_14_forms(payload: str) -> None:
    code = with_check_digit(payload)
    expected = code.zfill(14)
    forms = [code.zfill(width) for width in (12, 13, 14) if width >= len(code)]
    if len(code) == 8:
        forms.append("]E4" + code)  # the GTIN-8 itself, unambiguous with its AIM
    for form in forms:
        result = DEFAULT.interpret(form)
        assert result.kind is ScanKind.PRODUCT, form
        assert result.gtin == expected, form
        assert result.lookup_keys[0] == expected
    # The same item's GTIN inside a GS1 message agrees too.
    assert DEFAULT.interpret(f"]C101{expected}").gtin == expected
