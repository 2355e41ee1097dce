"""Suite-wide settings: Qt without a display, and no user configuration leaking in."""

from __future__ import annotations

import os

# Before any Qt import: tests drive real widgets on the offscreen platform.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A developer's own station.toml or STATION_DB must not change what the tests see.
os.environ.pop("STATION_DB", None)
os.environ.pop("STATION_NAME", None)
os.environ["XDG_CONFIG_HOME"] = os.path.join(os.path.dirname(__file__), "no-such-config")
