"""Shipping through the hub: carrier accounts, rates, labels, voids and manifests on karrio.

Carrier credentials live on the hub only (a secrets file or the environment); stations ask
the hub for rates and labels over ``/v1/ship``. See ``station/hub/shipping/README.md``.
"""
