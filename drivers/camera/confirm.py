"""When a code seen by the camera is reported: agreement first, then once per appearance.

A camera decodes 30 frames a second, so a wrong read in one frame would reach the pack
session within a second of the clutter that caused it. :class:`Confirmer` reports a code
only when it proves itself, and reports it once while it stays in view:

- an EAN-13/UPC-A whose GTIN check digit is right, or a GS1 string (``]C1``, ``]d2``,
  ``]Q3``) whose GTIN/SSCC check digits are right, is reported on first sight;
- anything else (plain Code 128, EAN-8, UPC-E, QR, non-GS1 Data Matrix) must be read with
  the same text in two frames within ``window`` frames;
- a reported code is not reported again until it has been out of sight for ``window``
  frames, so a code held under the camera is one scan, and showing it again is another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drivers.camera.checks import gs1_keys_valid, is_valid_gtin
from drivers.camera.decode import Decoded

_GS1_AIMS = frozenset({"]C1", "]d2", "]Q3", "]e0"})
_GTIN_FORMATS = frozenset({"EAN-13", "UPC-A"})


def proves_itself(code: Decoded) -> bool:
    """True if ``code`` carries enough redundancy to trust one sighting."""
    if code.format in _GTIN_FORMATS:
        return is_valid_gtin(code.text)
    if code.symbology in _GS1_AIMS:
        return gs1_keys_valid(code.text)
    return False


@dataclass
class _Seen:
    first: int
    last: int
    hits: int = 1
    reported: bool = False


@dataclass
class Confirmer:
    """Turns per-frame reads into reports (see the module docstring for the rule)."""

    window: int = 15
    """Frames (half a second at 30 fps) within which a second sighting counts, and for which
    a reported code must be gone before it is reported again."""
    _seen: dict[tuple[str, str], _Seen] = field(default_factory=dict)

    def feed(self, frame: int, codes: list[Decoded]) -> list[Decoded]:
        """Codes read in frame number ``frame`` -> the ones to report now."""
        report: list[Decoded] = []
        for code in codes:
            key = (code.symbology or code.format, code.text)
            seen = self._seen.get(key)
            if seen is None or frame - seen.last > self.window:
                seen = self._seen[key] = _Seen(first=frame, last=frame)
            elif seen.last != frame:  # the same frame twice is not agreement
                seen.hits += 1
                seen.last = frame
            if not seen.reported and (seen.hits >= 2 or proves_itself(code)):
                seen.reported = True
                report.append(code)
        # Forget what has been out of sight long enough, so memory stays bounded.
        for key in [k for k, s in self._seen.items() if frame - s.last > self.window]:
            del self._seen[key]
        return report
