"""``station-screenshot`` renders the sign-in, pack, returns and evidence screens with demo
data at both bench sizes, in-process (offscreen), and leaves no window or worker behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from tests.ui.stationfixtures import assert_nothing_left
from ui.tools.screenshot import main, parse_size

RED = QColor("#d00000")


@pytest.mark.parametrize("size", ["1280x800", "1920x1080"])
@pytest.mark.parametrize("screen", ["login", "pack", "returns", "evidence"])
def test_a_screen_renders_at_bench_sizes(qapp, tmp_path: Path, screen: str, size: str) -> None:
    before = {id(w) for w in QApplication.topLevelWidgets()}
    out = tmp_path / f"{screen}-{size}.png"
    assert main(["--screen", screen, "-o", str(out), "--size", size]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == parse_size(size)  # nothing pushed it wider
    assert_nothing_left(before)


def test_the_wrong_item_scene_shows_the_red_banner(qapp, tmp_path: Path) -> None:
    out = tmp_path / "wrong.png"
    assert main(["--screen", "pack", "--scene", "wrong_item", "-o", str(out)]) == 0
    image = QImage(str(out))
    # The banner spans the width under the header: its middle row is the error red.
    row = next(y for y in range(image.height()) if image.pixelColor(image.width() // 2, y) == RED)
    assert 100 < row < 300


def test_a_bad_size_is_refused() -> None:
    with pytest.raises(SystemExit):
        main(["--screen", "pack", "-o", "x.png", "--size", "big"])


def test_the_weight_mismatch_scene_fits_the_bench_screen(qapp, tmp_path: Path) -> None:
    # The whole order packed and weighed too heavy: a two-line message, the weight panel's
    # red decision, and still exactly 1280×800.
    out = tmp_path / "weight.png"
    assert main(["--screen", "pack", "--scene", "weight_mismatch", "-o", str(out)]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
