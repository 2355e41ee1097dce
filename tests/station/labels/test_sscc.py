"""SSCC-18 numbering: check digit, capacity, assigned once and kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.config import LabelSettings
from station.db import Database
from station.db.models import Package
from station.labels.errors import LabelError
from station.labels.sscc import assign_sscc, is_valid_sscc, sscc_for


def test_gs1_example_and_layout() -> None:
    # GS1's own example 106141411234567897: extension 1, prefix 0614141, serial 123456789.
    labels = LabelSettings(gs1_company_prefix="0614141", sscc_extension=1)
    assert sscc_for(123456789, labels) == "106141411234567897"
    assert sscc_for(7, LabelSettings()) == "006141410000000074"
    assert is_valid_sscc(sscc_for(7, LabelSettings()))
    assert not is_valid_sscc("006141410000000070")


def test_serial_reference_capacity_follows_the_prefix_length() -> None:
    long_prefix = LabelSettings(gs1_company_prefix="061414112345")  # 12 digits: 4 left
    assert sscc_for(9999, long_prefix).startswith("0061414112345" + "9999")
    with pytest.raises(LabelError, match="does not fit the 4-digit serial reference"):
        sscc_for(10000, long_prefix)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (LabelSettings(gs1_company_prefix="12AB56"), "gs1_company_prefix must be 6 to 12"),
        (LabelSettings(sscc_extension=10), "sscc_extension must be a digit"),
    ],
)
def test_bad_settings_are_named(labels: LabelSettings, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        sscc_for(1, labels)


def test_assigned_once_then_kept_even_if_the_settings_change(label_db: Database) -> None:
    with label_db.session() as s:
        package = s.scalars(select(Package).order_by(Package.id)).first()
        assert package is not None and package.sscc is None
        first = assign_sscc(s, package, LabelSettings())
        assert first == sscc_for(package.id, LabelSettings())
    with label_db.session() as s:
        package = s.get(Package, package.id)
        assert package is not None and package.sscc == first  # committed
        assert assign_sscc(s, package, LabelSettings(sscc_extension=5)) == first
