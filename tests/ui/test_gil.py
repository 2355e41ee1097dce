"""The station hands the interpreter lock over every millisecond while it runs, then puts
the interval back."""

from __future__ import annotations

import sys

import pytest

from ui.gil import GUI_SWITCH_INTERVAL_S, favour_the_gui, restore_switch_interval


def test_the_gui_gets_the_lock_every_millisecond_until_restored() -> None:
    before = sys.getswitchinterval()
    replaced = favour_the_gui()
    try:
        assert replaced == before
        assert sys.getswitchinterval() == pytest.approx(GUI_SWITCH_INTERVAL_S)
        assert before > GUI_SWITCH_INTERVAL_S  # shorter than Python's 5 ms
    finally:
        restore_switch_interval(replaced)
    assert sys.getswitchinterval() == before
