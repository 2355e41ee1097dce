"""How often Python hands its interpreter lock between threads while the station runs.

The window shares the interpreter with the database worker, the print and sync workers and
the device threads. A thread that needs the lock waits until the thread holding it lets go,
which a busy thread does only every ``sys.getswitchinterval()`` (5 ms by default). Painting
one verdict returns to Python many times (event filters, the lines model, its delegate), and
each return may wait that long behind a worker that is building a sync batch or rendering a
label. In a soak under such load a completion's verdict took about 35 ms at 5 ms and 25 ms
at 1 ms. At 1 ms the GUI thread waits at most a millisecond each time, and the workers lose
little: a switch costs microseconds.
"""

from __future__ import annotations

import sys

GUI_SWITCH_INTERVAL_S = 0.001


def favour_the_gui() -> float:
    """Hand the lock over every :data:`GUI_SWITCH_INTERVAL_S`; the interval it was before."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    return before


def restore_switch_interval(before: float) -> None:
    """Put back the interval :func:`favour_the_gui` replaced (the window has closed)."""
    sys.setswitchinterval(before)
