"""Style sheets from ``resources/themes/`` and the one helper that restyles a widget.

The sheet is set on the station's window, not on the QApplication: it then styles exactly
the window and its children, and a test that builds a window leaves the application as it
found it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from station.resource_files import resource_dir

THEME_DIR = resource_dir("themes")
DEFAULT_THEME = "high_contrast"

_W = TypeVar("_W", bound=QWidget)


def theme_path(name: str) -> Path:
    """The QSS file of theme ``name``; ValueError for a theme that is not there."""
    path = THEME_DIR / f"{name}.qss"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in THEME_DIR.glob("*.qss")))
        raise ValueError(f"no theme {name!r} in {THEME_DIR} (known: {known})")
    return path


_PX = re.compile(r"(\d+)px")


def scale_for(width: int, height: int) -> float:
    """How much larger than the 1280×800 design to draw: a 1920×1080 touch screen is read
    from the same distance but is physically larger, so everything grows by a quarter."""
    return 1.25 if width >= 1600 and height >= 1000 else 1.0


def theme_sheet(name: str, scale: float = 1.0) -> str:
    """The style sheet of theme ``name`` with every pixel size multiplied by ``scale``."""
    sheet = theme_path(name).read_text(encoding="utf-8")
    if scale == 1.0:
        return sheet
    return _PX.sub(lambda m: f"{round(int(m.group(1)) * scale)}px", sheet)


def apply_theme(window: QWidget, name: str = DEFAULT_THEME, scale: float = 1.0) -> None:
    """Style ``window`` and its children with theme ``name`` at ``scale``."""
    window.setStyleSheet(theme_sheet(name, scale))


def restyle(widget: QWidget, name: str, value: str) -> None:
    """Set a dynamic property the style sheet selects on, and apply the new look now.

    Qt evaluates property selectors when a widget is polished, so a changed property shows
    only after an unpolish/polish; skipped when the value did not change (repolishing is
    the costly part of showing a verdict). Re-polishing updates colours and fonts but not
    a widget's padding, so the themes keep box-model values off property selectors.
    """
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def named(widget: _W, name: str) -> _W:
    """``widget`` with object name ``name``, the handle the style sheet and tests use."""
    widget.setObjectName(name)
    return widget
