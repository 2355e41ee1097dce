"""Interpretations of what was typed or pressed (an order number, a key, a quantity), not scanned.

The engines record these like scans, so they are built in the same shape as the Interpreter's.
"""

from __future__ import annotations

from dataclasses import replace

from station.barcodes.interpretation import Command, Interpretation, ScanKind


def typed(
    raw: str,
    kind: ScanKind,
    *,
    value: str | None = None,
    command: Command | None = None,
    quantity: int | None = None,
) -> Interpretation:
    """The interpretation of something typed or pressed rather than scanned."""
    return Interpretation(
        raw=raw,
        data=raw,
        kind=kind,
        symbology=None,
        gtin=None,
        lookup_keys=(),
        sscc=None,
        serial=None,
        lot=None,
        expiry=None,
        net_weight_g=None,
        ai={},
        value=value if value is not None else (command.value if command else None),
        command=command,
        quantity=quantity,
        error=None,
    )


def as_order(interp: Interpretation) -> Interpretation:
    """A scan no pattern claimed, found to be an order's number: stored as the order scan it is."""
    return replace(interp, kind=ScanKind.ORDER, value=interp.data, gtin=None, error=None)
