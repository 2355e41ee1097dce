"""Barcode scanners: keyboard-wedge detection, serial framing and driver, a pty emulator."""
