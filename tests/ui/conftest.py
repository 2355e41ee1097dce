"""Qt tests run without a display."""

import os

# Must be set before the QApplication exists, i.e. before pytest-qt's qapp fixture runs.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
