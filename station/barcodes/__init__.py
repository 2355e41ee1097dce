"""What a scanned string means: GS1 (GTIN, SSCC, element strings, Digital Link) or a pattern.

Pure Python: no Qt, no database. :class:`Interpreter` turns the text a scanner delivered into an
:class:`Interpretation` that the pack and inspection sessions act on and store with the scan.

Order of precedence (first hit wins):

1. empty or whitespace-only -> ``EMPTY``;
2. the configured patterns (full match on ``data``): commands, quantity, badge, order, tote, box
   type;
3. GS1 via biip: a GS1 message or Digital Link holding (01)/(02) -> ``PRODUCT``; a plain valid
   GTIN-8/12/13/14 or UPC-E -> ``PRODUCT``; an SSCC (18 digits, or AI (00)) -> ``SSCC``;
4. anything else -> ``OTHER``, which may still be a product's own (non-GTIN) barcode.
"""

from station.barcodes.interpretation import GS, Command, Interpretation, ScanKind
from station.barcodes.interpreter import Interpreter

__all__ = ["GS", "Command", "Interpretation", "Interpreter", "ScanKind"]
