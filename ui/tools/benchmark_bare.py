"""The yardstick of ``ui.tools.benchmark``'s start-up: a QApplication showing one QLabel.

``python -m ui.tools.benchmark_bare`` prints ``ready`` once the label has first been painted and
quits, as ``station-ui --exit-when-ready`` does; it imports nothing else, so it is the floor that
any Qt window pays on this machine.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel

from ui.first_paint import FirstPaint


def main() -> int:
    """Show the label; the exit status."""
    app = QApplication(sys.argv[:1])
    label = QLabel("Pack station")

    def ready() -> None:
        print("ready", flush=True)
        app.quit()

    FirstPaint(label, ready)
    label.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
