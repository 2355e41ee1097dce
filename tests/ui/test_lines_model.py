"""The lines model passes qtmodeltester and shows scanned against expected."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from station.packing.verdicts import LineProgress
from ui.widgets.lines import FRACTION_ROLE, LinesModel

LINES = (
    LineProgress(1, 1, "MUG", "Mug", expected=2, packed=1, barcode="4000000000012"),
    LineProgress(2, 2, "TEE", "Tee", expected=3, packed=1, short=2),
    LineProgress(3, 3, "KIT", "Kit", expected=1, packed=0, is_kit=True, partial="1/3 components"),
)


def test_the_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = LinesModel()
    model.set_lines(LINES, last_line_id=1)
    qtmodeltester.check(model, force_py=True)
    model.set_lines((), None)
    qtmodeltester.check(model, force_py=True)


def test_cells_say_scanned_of_expected() -> None:
    model = LinesModel()
    model.set_lines(LINES, last_line_id=1)
    packed = [model.index(r, LinesModel.PACKED).data() for r in range(3)]
    assert packed == ["1 / 2", "1 / 3 (short 2)", "0 / 1"]
    assert model.index(2, 2).data() == "Kit  (1/3 components)"
    assert model.index(0, LinesModel.PROGRESS).data(FRACTION_ROLE) == 0.5
    assert model.index(1, LinesModel.PROGRESS).data() == "✔"  # short-shipped counts as done
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()  # the line just scanned
    assert model.headerData(4, Qt.Orientation.Horizontal) == "Packed"
