"""The station's heap after start-up, kept out of Python's full garbage collections.

A built station holds some 200,000 objects that live as long as it does (Qt wrappers,
SQLAlchemy's mappers, OpenCV, the label fonts). A full collection walks all of them while it
holds the GIL, so every thread, the GUI thread painting a verdict included, waits: 0.15 s on a
quiet machine, 0.5-1 s on a loaded one (``station bench soak`` times every collection and
found these as its latency maxima). Collected once after start-up and then frozen
(``gc.freeze``), they are left out of every later collection; what the shift allocates is
still collected as before. A frozen object in a reference cycle is never freed, so the heap is
thawed when the window closes (a test may run the station's ``main`` in its own process).
"""

from __future__ import annotations

import gc

SETTLED_MS = 2000  # after start: the window painted, the first queries and their caches made


def freeze_startup_heap() -> int:
    """Collect what start-up left behind, then freeze the survivors; how many were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def thaw_heap() -> None:
    """Give the frozen objects back to the collector (the station has closed)."""
    gc.unfreeze()
