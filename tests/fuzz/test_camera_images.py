"""Camera decoding under fuzzing: images of any size and content never raise.

Issue 12 point 10 reproduced: a 1 px high image made OpenCV assert inside the live path. Here
every size from empty to a few hundred pixels, with noise, stripes or flat grey, goes through
the live path and the guards every reported code passes; a read that comes out has its
position inside the image.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from drivers.camera.guards import plausible
from drivers.camera.live import LiveDecoder, LiveOptions
from tests.fuzz.budget import counted, fuzz_settings


@st.composite
def images(draw: st.DrawFn) -> np.ndarray:
    height = draw(st.integers(0, 80))
    width = draw(st.integers(0, 400))
    kind = draw(st.sampled_from(["noise", "stripes", "flat"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "noise":
        return rng.integers(0, 256, (height, width), dtype=np.uint8)
    if kind == "stripes":
        period = draw(st.integers(1, 8))
        row = np.where((np.arange(width) // period) % 2 == 0, 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.broadcast_to(row, (height, width)))
    return np.full((height, width), draw(st.integers(0, 255)), np.uint8)


@given(images())
@fuzz_settings(weight=0.5)
@counted("camera: images of any size")
def test_any_image_decodes_without_raising(image: np.ndarray) -> None:
    reads = LiveDecoder(LiveOptions(budget_ms=None)).read(image)
    plausible(image, reads)  # the guards measure any read in any image
    for code in reads:
        for x, y in code.position:
            assert -2 <= x <= image.shape[1] + 2 and -2 <= y <= image.shape[0] + 2
