"""``python -m station.tools.carrier_emulator [--latency-ms N]``: the carrier emulator alone.

Prints its URL (give it to ``station hub carriers add NAME --carrier usps --server-url URL``)
and serves until interrupted; for demos and trying the hub by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import threading

from station.tools.carrier_emulator import CarrierEmulator


def main() -> None:
    """Serve until Ctrl+C."""
    parser = argparse.ArgumentParser(prog="python -m station.tools.carrier_emulator")
    parser.add_argument("--latency-ms", type=float, default=0, help="delay of every answer")
    args = parser.parse_args()
    with CarrierEmulator(latency_s=args.latency_ms / 1000) as emulator:
        print(emulator.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is the way to stop it
            threading.Event().wait()


if __name__ == "__main__":
    main()
