"""The start-up heap frozen out of full collections (``ui.heap``), and given back at close."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from ui.heap import freeze_startup_heap, thaw_heap


class Node:
    """An object that can sit in a reference cycle and be watched through a weak reference."""

    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def frozen() -> Iterator[int]:
    yield freeze_startup_heap()
    thaw_heap()


def test_the_heap_left_by_start_up_is_frozen_and_later_garbage_still_collected(
    frozen: int,
) -> None:
    assert frozen > 0 and gc.get_freeze_count() > 0
    # What the shift allocates after start-up is collected as before.
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None


def test_a_cycle_frozen_at_start_up_is_freed_once_the_heap_is_thawed() -> None:
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    freeze_startup_heap()
    try:
        del a, b
        gc.collect()
        assert gone() is not None  # frozen: left out of the collection
    finally:
        thaw_heap()
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None
