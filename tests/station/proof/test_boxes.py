"""Box suggestion by value: smallest fitting box, rotations, weight limits, no fit."""

from __future__ import annotations

import pytest

from station.packing.boxes import Box, Item, fits, orientations, suggest_box

SMALL = Box(1, "BOX-S", "Small box", (200.0, 150.0, 100.0), 120.0, 2000.0)
MEDIUM = Box(2, "BOX-M", "Medium box", (300.0, 200.0, 150.0), 180.0, 10000.0)
LONG = Box(3, "BOX-L", "Long box", (700.0, 120.0, 120.0), 250.0, 10000.0)
BOXES = [LONG, MEDIUM, SMALL]  # not in size order on purpose


def test_orientations_of_a_cuboid() -> None:
    assert len(orientations((1.0, 2.0, 3.0))) == 6
    assert len(orientations((1.0, 1.0, 2.0))) == 3
    assert orientations((5.0, 5.0, 5.0)) == [(5.0, 5.0, 5.0)]


def test_smallest_box_that_fits_with_void_fill() -> None:
    s = suggest_box([Item("MUG", (120.0, 90.0, 100.0), 350.0, 2)], BOXES)
    assert s.box is SMALL
    assert s.items_litres == pytest.approx(2 * 1.08)
    assert s.void_litres == pytest.approx(3.0 - 2.16)
    assert s.void_pct == pytest.approx(28.0)
    assert "Small box" in s.reason and "void fill" in s.reason


def test_an_item_that_fits_only_when_rotated() -> None:
    # 110 x 110 x 550 standing up fits nowhere but lying along the long box's 700 mm.
    poster = Item("POSTER", (110.0, 110.0, 550.0), 300.0)
    assert suggest_box([poster], BOXES).box is LONG
    assert fits([(110.0, 550.0, 110.0)], LONG.inner_mm)
    assert not fits([(110.0, 550.0, 110.0)], MEDIUM.inner_mm)


def test_three_items_need_two_layers_or_the_next_box() -> None:
    # Two 200x150x50 slabs stack in the small box; a third does not fit (100 mm high).
    slab = (200.0, 150.0, 50.0)
    assert fits([slab, slab], SMALL.inner_mm)
    assert not fits([slab, slab, slab], SMALL.inner_mm)
    s = suggest_box([Item("SLAB", slab, 500.0, 3)], BOXES)
    assert s.box is MEDIUM


def test_too_heavy_for_the_small_box_goes_to_the_next() -> None:
    # Fits the small box by size, but 2 x 1000 g + 120 g tare is over its 2000 g.
    s = suggest_box([Item("WEIGHTS", (80.0, 80.0, 80.0), 1000.0, 2)], BOXES)
    assert s.box is MEDIUM


def test_items_without_dimensions_are_assumed_small_and_named() -> None:
    s = suggest_box([Item("GIZMO", None, 100.0), Item("MUG", (120.0, 90.0, 100.0), 350.0)], BOXES)
    assert s.box is SMALL
    assert s.assumed_small == ("GIZMO",)
    assert "GIZMO without dimensions: assumed small" in s.reason


def test_nothing_fits_gives_none_with_a_reason() -> None:
    huge = suggest_box([Item("SOFA", (2000.0, 900.0, 800.0), 40000.0)], BOXES)
    assert huge.box is None and "more than any box may carry" in huge.reason
    big = suggest_box([Item("TABLE", (1000.0, 500.0, 50.0), 4000.0)], BOXES)
    assert big.box is None and "fit in no box" in big.reason
    assert suggest_box([Item("MUG", None, 1.0)], []).box is None
