"""Scales: protocol codecs (MT-SICS, NCI/ECR, Toledo 8217, HID POS), the stable-weight rule,
the polling drivers, and emulators that speak the real bytes over a pty.
"""
