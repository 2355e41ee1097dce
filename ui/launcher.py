"""The standalone bundle's one executable: ``pack-station ui [ARGS]`` opens the window, and
``pack-station ARGS`` is the ``station`` command (``./dev bundle`` builds it with
PyInstaller). One program for both keeps one copy of Python, Qt and OpenCV in the bundle."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the window (first argument ``ui``) or the command line; the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["ui"]:
        from ui.app import main as window

        return window(args[1:])
    from station.cli.main import main as command

    return command(args)


if __name__ == "__main__":
    sys.exit(main())
