"""``python -m station.tools.carrier_emulator [--latency-ms N] [--carriers FILE]``.

Prints its URL and serves until interrupted; for demos and trying the hub by hand. With
``--carriers FILE`` it first writes the demo hub's carriers file (every demo account on this
emulator: ``demo.py``), which ``./dev start`` gives the demo hub.
"""

from __future__ import annotations

import argparse
import contextlib
import threading
from pathlib import Path

from station.tools.carrier_emulator import CarrierEmulator
from station.tools.carrier_emulator.demo import write_demo_carriers


def main() -> None:
    """Serve until Ctrl+C."""
    parser = argparse.ArgumentParser(prog="python -m station.tools.carrier_emulator")
    parser.add_argument("--latency-ms", type=float, default=0, help="delay of every answer")
    parser.add_argument("--carriers", type=Path, help="write the demo carriers file here")
    args = parser.parse_args()
    with CarrierEmulator(latency_s=args.latency_ms / 1000) as emulator:
        if args.carriers is not None:
            write_demo_carriers(args.carriers, emulator.url)
        print(emulator.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is the way to stop it
            threading.Event().wait()


if __name__ == "__main__":
    main()
