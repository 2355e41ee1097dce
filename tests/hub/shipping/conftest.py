"""Fixtures of the shipping tests: the carrier emulator and a hub using it."""

from tests.hub.shipping.shipfixtures import emulator, ship_hub

__all__ = ["emulator", "ship_hub"]
