"""Labels that cannot be made are refused with the reason; CN22 or CN23 at the limits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.config import LabelSettings, Settings
from station.db import Database
from station.db.models import Order, Package
from station.labels.customs import customs_form, is_domestic
from station.labels.errors import LabelError
from station.labels.service import order_label, render_order_label

LIMITS = LabelSettings(cn22_max_weight_g=2000.0, cn22_max_value=300.0)


@pytest.mark.parametrize(
    ("weight_g", "value", "form"),
    [
        (2000.0, 300.0, "CN22"),  # both limits are inclusive
        (1999.9, 299.99, "CN22"),
        (2000.1, 10.0, "CN23"),  # above the weight limit
        (100.0, 300.01, "CN23"),  # above the value limit
        (2500.0, 500.0, "CN23"),
        (None, 10.0, "CN23"),  # weight unknown: CN23 is accepted everywhere
    ],
)
def test_cn22_up_to_the_limits_cn23_above_either(
    weight_g: float | None, value: float, form: str
) -> None:
    assert customs_form(weight_g, value, LIMITS) == form


def test_domestic_means_same_country_and_nothing_declared() -> None:
    assert is_domestic("nl", "NL", 0)
    assert not is_domestic("NL", "NL", 1)
    assert not is_domestic("DE", "NL", 0)
    assert not is_domestic(None, "NL", 0)


def _form(db: Database, settings: Settings, number: str) -> str:
    label = order_label(db, settings, number, "customs")
    return label.name


def test_customs_template_follows_the_package_weight(
    label_db: Database, settings: Settings
) -> None:
    assert _form(label_db, settings, "SO-US1") == "customs-cn22"  # 1900 g, 48.99 EUR
    assert _form(label_db, settings, "SO-US2") == "customs-cn23"  # 450.00 EUR
    with label_db.session() as s:
        package = s.scalars(select(Package).where(Package.weight_g == 1900.0)).one()
        package.weight_g = 2000.0
        s.commit()
    assert _form(label_db, settings, "SO-US1") == "customs-cn22"
    with label_db.session() as s:
        package = s.scalars(select(Package).where(Package.weight_g == 2000.0)).one()
        package.weight_g = 2000.5
        s.commit()
    assert _form(label_db, settings, "SO-US1") == "customs-cn23"
    zpl = render_order_label(label_db, settings, "SO-US1", "customs", "zpl")
    assert b"CN 23" in zpl and b"Ceramic mug" in zpl and b"691200" in zpl


@pytest.mark.parametrize(
    ("number", "template", "package", "message"),
    [
        ("SO-NOPE", "shipping", None, "unknown order 'SO-NOPE'"),
        ("SO-NL1", "shipping", 3, "order SO-NL1 has no package 3 (it has 2)"),
        ("SO-DE1", "shipping", None, "order SO-DE1 has not been packed"),
        ("SO-DE1", "packing-slip", 1, "order SO-DE1 has no package 1 (it has not been packed)"),
        ("SO-NL1", "customs", None, "it is domestic (shipped within NL, no customs lines)"),
        ("SO-DE1", "customs", None, "no customs declaration for order SO-DE1: it has no customs"),
        ("SO-NL1", "gift-note", None, "no gift note for order SO-NL1"),
        ("SO-NL1", "return-tag", None, "a return tag needs tag_id and disposition"),
        ("SO-NL1", "invoice", None, "unknown template 'invoice'"),
    ],
)
def test_labels_that_do_not_apply_are_refused_with_the_reason(
    label_db: Database,
    settings: Settings,
    number: str,
    template: str,
    package: int | None,
    message: str,
) -> None:
    with pytest.raises(LabelError) as caught:
        render_order_label(label_db, settings, number, template, "zpl", package_no=package)
    assert message in str(caught.value)


def test_return_tag_rejects_unknown_fields(label_db: Database, settings: Settings) -> None:
    with pytest.raises(LabelError, match="unknown return-tag field colour"):
        order_label(label_db, settings, "SO-NL1", "return-tag",
                    fields={"tag_id": "T1", "disposition": "SCRAP", "colour": "red"})  # fmt: skip


def test_unpacked_order_still_gets_a_packing_slip_and_customs(
    label_db: Database, settings: Settings
) -> None:
    assert order_label(label_db, settings, "SO-DE1", "packing-slip").elements
    # No package weighed: the customs lines' own weights decide (1800 g, but 450 EUR).
    assert order_label(label_db, settings, "SO-US2", "customs").name == "customs-cn23"


def test_unsupported_resolution_is_refused(label_db: Database, settings: Settings) -> None:
    with pytest.raises(LabelError, match="unsupported resolution 600 dpi"):
        render_order_label(label_db, settings, "SO-NL1", "packing-slip", "zpl", dpi=600)


def test_purged_ship_to_leaves_the_address_blank(label_db: Database, settings: Settings) -> None:
    with label_db.session() as s:
        order = s.scalars(select(Order).where(Order.number == "SO-NL1")).one()
        order.ship_to_id = None
        s.commit()
    zpl = render_order_label(label_db, settings, "SO-NL1", "shipping", "zpl")
    assert b"Muller" not in zpl and b"ORDER SO-NL1" in zpl
