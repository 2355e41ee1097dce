"""Coverage-guided fuzzing of the barcode interpreter (atheris / libFuzzer).

    python tests/fuzz/atheris/fuzz_barcodes.py -runs=100000 [CORPUS_DIR]

The input is decoded as text (what a scanner delivers) and interpreted with the default
settings and with a ``|`` GS placeholder. The interpreter must answer by itself: its safety
net ("could not interpret the scan") catching an exception is a crash here, as is a result
that cannot be stored as JSON.
"""

from __future__ import annotations

import json
import math
import sys

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

with atheris.instrument_imports():
    from station.barcodes import Interpreter, ScanKind
    from station.config import BarcodeSettings

INTERPRETERS = [Interpreter(BarcodeSettings()), Interpreter(BarcodeSettings(gs_placeholder="|"))]


def test_one_input(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    for interpreter in INTERPRETERS:
        result = interpreter.interpret(text)
        if (result.error or "").startswith("could not interpret"):
            raise AssertionError(f"the interpreter raised on {text!r}: {result.error}")
        json.dumps(result.to_json())
        if result.kind is ScanKind.PRODUCT and not result.gtin:
            raise AssertionError(f"a product without a GTIN: {result}")
        weight = result.net_weight_g
        if weight is not None and (not math.isfinite(weight) or weight < 0):
            raise AssertionError(f"an impossible net weight: {result}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
