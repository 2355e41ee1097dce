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

The pack engine then looks a ``PRODUCT`` or ``OTHER`` scan that names no product up among the
station's order numbers, exactly: shops' numbers (``#1001``, ``SO-JP-1``) follow no pattern.

A GS1 scan that GS1 forbids as a whole is ``OTHER`` with the reason
(:mod:`station.barcodes.gs1_rules`): a key with a wrong check digit anywhere in it, one AI with
two values, a Digital Link URI with a mixed-case scheme, a zero-suppressed key in its path or a
numeric query key that is no AI; an EAN/UPC identifier with the wrong number of digits
(``]E0`` with 12) too. GS1 DotCode (``]J1``), which biip does not know, is read as GS1 data.
"""

from station.barcodes.interpretation import GS, Command, Interpretation, ScanKind
from station.barcodes.interpreter import Interpreter

__all__ = ["GS", "Command", "Interpretation", "Interpreter", "ScanKind"]
