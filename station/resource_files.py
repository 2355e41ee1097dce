"""Where the station's resources are: label templates, sounds, themes, translations.

``resources/`` at the top of the repository is shipped as the package ``station.resources``
(``[tool.setuptools.package-dir]`` in pyproject.toml), so a wheel carries it and the code finds
it through :mod:`importlib.resources`, wherever the package is installed. Qt loads sounds,
style sheets and translations by file name, so a kind of resource is handed out as a folder on
disk; an installation that is not on disk (a zip) is refused with that reason.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = "station.resources"
KINDS = ("labels", "fonts", "sounds", "themes", "i18n", "kiosk")


class ResourcesMissingError(RuntimeError):
    """The installed package has no such resource folder, or not on disk."""


def resource_dir(kind: str) -> Path:
    """The folder of one kind of resource (one of :data:`KINDS`)."""
    if kind not in KINDS:
        raise ValueError(f"no resource kind {kind!r} (known: {', '.join(KINDS)})")
    folder = files(PACKAGE) / kind
    if not isinstance(folder, Path) or not folder.is_dir():
        raise ResourcesMissingError(
            f"the station's {kind} are not installed as files ({folder}): reinstall the"
            " package from its wheel, unzipped (pip does so)"
        )
    return folder
