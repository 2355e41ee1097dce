"""``station screenshot``: a screen rendered with demo data, to a PNG
(``python -m ui.tools.screenshot``).

    station screenshot --screen pack -o pack.png [--size 1920x1080] [--scene wrong_item]

Rendering needs Qt and ``station/`` never imports it, so this runs ``ui.tools.screenshot`` (the
``station-screenshot`` script) as a process of its own, offscreen unless ``QT_QPA_PLATFORM``
says otherwise, and passes the options through; ``ui.tools.screenshot`` checks their values.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import Any

from station.config import Settings


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``screenshot`` to the ``station`` parser (``ui.tools.screenshot`` checks the values)."""
    shot = sub.add_parser(
        "screenshot",
        help="render a screen with demo data to a PNG (offscreen)",
        description="Render a station screen with demo data to a PNG, as station-screenshot.",
    )
    shot.add_argument(
        "--screen", required=True, help="login, pack, returns, evidence, dashboard or devices"
    )
    shot.add_argument("-o", "--output", required=True, help="PNG file to write")
    shot.add_argument("--size", help="WIDTHxHEIGHT (default 1280x800)")
    shot.add_argument("--scene", help="pack: accepted, wrong_item or weight_mismatch")
    shot.add_argument("--offline", action="store_true", help="show the hub as unreachable")
    shot.set_defaults(handler=run_screenshot)


def run_screenshot(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``python -m ui.tools.screenshot`` with the options given; its exit status."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    command = [
        sys.executable,
        "-m",
        "ui.tools.screenshot",
        "--screen",
        args.screen,
        "-o",
        args.output,
    ]
    for option, value in (("--size", args.size), ("--scene", args.scene)):
        if value is not None:
            command += [option, value]
    if args.offline:
        command.append("--offline")
    return subprocess.run(command, env=env, check=False).returncode
