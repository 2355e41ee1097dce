"""The one error the label code raises for anything the caller or the data got wrong."""

from __future__ import annotations


class LabelError(ValueError):
    """A label cannot be made: unknown order or package, a template that does not apply, bad
    data for a barcode. The message is meant for the operator, as it stands."""
