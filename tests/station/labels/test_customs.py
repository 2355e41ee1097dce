"""UPU CN 22 / CN 23 and the commercial invoice: the limit in SDR, the form chosen, every
field filled from the order, the catalog and ``[labels]``, and a missing one named."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy.orm import Session

from station.config import LabelSettings, Settings
from station.db import Database
from station.labels.context import order_context
from station.labels.customs import customs_form, missing_fields
from station.labels.errors import LabelError
from station.labels.rules import check_applies
from station.labels.service import render_order_label
from tests.station.labels.conftest import POSTED
from tests.station.labels.readback import zpl_fields


def _texts(db: Database, settings: Settings, order: str, template: str) -> list[str]:
    zpl = render_order_label(db, settings, order, template, "zpl", dpi=203, posting_date=POSTED)
    return [f.text for f in zpl_fields(zpl) if f.text is not None]


def _with(settings: Settings, **labels: Any) -> Settings:
    return replace(settings, labels=replace(settings.labels, **labels))


def test_cn22_value_limit_is_in_sdr_at_the_configured_rate() -> None:
    labels = LabelSettings(sdr_rates={"EUR": 1.17, "USD": 1.37})
    assert customs_form(1000.0, 350.0, labels, "EUR") == "CN22"  # 299.15 SDR
    assert customs_form(1000.0, 420.0, labels, "USD") == "CN23"  # 306.57 SDR
    assert customs_form(1000.0, 10.0, labels, "EUR", lines=8) == "CN23"  # no room on a CN 22
    assert customs_form(None, 10.0, labels, "EUR") == "CN23"
    roomier = replace(labels, cn22_max_lines=20)  # the form itself has 7 rows
    assert customs_form(1000.0, 10.0, roomier, "EUR", lines=8) == "CN23"
    with pytest.raises(LabelError, match=r"no SDR rate for PLN in \[labels\] sdr_rates"):
        customs_form(1000.0, 10.0, labels, "PLN")


def test_cn22_carries_category_date_of_posting_and_the_sdr_rate(
    label_db: Database, settings: Settings
) -> None:
    texts = _texts(label_db, settings, "SO-US1", "customs")
    assert "CN 22" in texts
    assert "[ ] Returned goods  [X] Sale of goods  [ ] Other" in texts
    assert "Date and sender's signature: 2026-03-16  Pack Station Demo Hub" in texts
    assert "CN 22 limit: 48.99 EUR = 41.87 SDR at 1.17 EUR/SDR (2026-01-02)" in texts
    assert "691200" in texts and "PT" in texts  # HS tariff number and origin per line
    assert not any("2026-03-14" in t for t in texts)  # the order's date is not the posting's


def test_cn23_is_made_when_a_cn22_has_no_room_for_the_lines(
    label_db: Database, polish_settings: Settings
) -> None:
    roomy = _with(polish_settings, cn22_max_weight_g=5000.0, cn22_max_value=5000.0)
    texts = _texts(label_db, roomy, "SO-JP1", "customs")  # 8 lines, within weight and value
    assert "CN 23" in texts
    assert "... and 2 more lines: see the commercial invoice" in texts


def test_cn23_has_every_field_of_the_upu_form(
    label_db: Database, polish_settings: Settings
) -> None:
    texts = _texts(label_db, polish_settings, "SO-JP1", "customs")
    for expected in (
        "Designated operator: Poczta Polska",
        "Sender's customs reference: PL5840000000",
        "Tel. +48 58 000 00 00",
        "Importer's reference (if any):",  # the buyer's name is not a customs reference
        "Tel./e-mail: +81 3 0000 0000 taro@example.jp",
        "Postal charges/Fees: 6.95 PLN",
        "Total gross weight 2.10 kg",
        "Total value 533.00 PLN",
        "Invoice: SO-JP1",
        "Licence: ",
        "Certificate: ",
        "Comments: ",
    ):
        assert expected in texts, expected
    # Office of origin (Polish letters: a graphic) and the date of posting beside it.
    zpl = render_order_label(label_db, polish_settings, "SO-JP1", "customs", "zpl", dpi=203,
                             posting_date=POSTED)  # fmt: skip
    assert b"Office of origin/date of posting:" in zpl and b"^GFA" in zpl


def test_a_missing_field_stops_the_form_with_its_name(
    label_db: Database, polish_settings: Settings
) -> None:
    no_phone = _with(polish_settings, sender_phone="", office_of_posting="")
    with pytest.raises(LabelError, match=r"CN 23 of order SO-JP1 cannot be made: missing "
                       r"sender phone \(\[labels\] sender_phone\), office of origin"):  # fmt: skip
        render_order_label(label_db, no_phone, "SO-JP1", "customs", "zpl")
    with Session(label_db.engine) as session:
        context = order_context(session, polish_settings.labels, "SO-JP1", 1)
    lines = context["customs"]["lines"]  # type: ignore[index]
    lines[1]["hs_code"] = ""
    lines[2]["weight"] = ""
    assert missing_fields(context, "CN23") == ["line 2 HS tariff number", "line 3 net weight"]


@pytest.mark.parametrize(
    ("category", "explanation", "result"),
    [
        ("gift", "", "[X] Gift  [ ] Commercial sample  [ ] Documents"),
        ("other", "Repair and return", "Explanation: Repair and return"),
        ("other", "", "explanation of category 'other'"),
        ("donation", "", "not a UPU category"),
    ],
)
def test_category_with_its_explanation(
    label_db: Database, settings: Settings, category: str, explanation: str, result: str
) -> None:
    chosen = _with(settings, customs_category=category, customs_explanation=explanation)
    if result.startswith(("[X]", "Explanation")):
        assert result in _texts(label_db, chosen, "SO-US1", "customs")
    else:
        with pytest.raises(LabelError, match=result):
            render_order_label(label_db, chosen, "SO-US1", "customs", "zpl")


def test_commercial_invoice_lists_every_line_with_totals(
    label_db: Database, polish_settings: Settings
) -> None:
    texts = _texts(label_db, polish_settings, "SO-JP1", "commercial-invoice")
    assert "Reason for export: Sale of goods" in texts and "Incoterms: DAP" in texts
    assert "Postcards of Gdańsk, set of 5" not in texts  # Polish letters: drawn, not font 0
    assert texts.count("PL") >= 7 and "LT" in texts and "491191" in texts  # all 8 lines
    assert "Goods 533.00 PLN" in texts and "Invoice total 539.95 PLN" in texts
    assert "Gross weight 2.10 kg" in texts and "Net weight 1.79 kg" in texts
    with Session(label_db.engine) as session:
        context = order_context(session, polish_settings.labels, "SO-JP1", 1)
    context["customs"]["count"] = 15  # type: ignore[index]
    with pytest.raises(LabelError, match="room for 14; none is left off an invoice"):
        check_applies("commercial-invoice", context)


def test_no_invoice_or_declaration_for_a_domestic_order(
    label_db: Database, settings: Settings
) -> None:
    with pytest.raises(LabelError, match="no commercial invoice for order SO-NL1: it is domestic"):
        render_order_label(label_db, settings, "SO-NL1", "commercial-invoice", "pdf")
