"""A carrier emulator on 127.0.0.1 for tests, benchmarks and the demo (no real carrier host)."""

from station.tools.carrier_emulator.server import CarrierEmulator
from station.tools.carrier_emulator.wire import Fault

__all__ = ["CarrierEmulator", "Fault"]
