"""GS1 element strings for GS1-128 and GS1 DataMatrix: validation, separators, HRI.

biip knows every Application Identifier and whether a separator (FNC1) must follow its
value when another element comes after it; we use that instead of a table of our own.
"""

from __future__ import annotations

from collections.abc import Sequence

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_messages import GS1Message

from station.labels.errors import LabelError

GS = "\x1d"  # the group separator a reader returns where an FNC1 separator was encoded


def hri(elements: Sequence[tuple[str, str]]) -> str:
    """The human readable interpretation: ``(00)106141411234567897(400)SO-1``."""
    return "".join(f"({ai}){value}" for ai, value in elements)


def validate(elements: Sequence[tuple[str, str]]) -> None:
    """Raise LabelError unless every AI is known and its value fits its format."""
    if not elements:
        raise LabelError("a GS1 barcode needs at least one element string")
    for ai, value in elements:
        known = GS1ApplicationIdentifier.extract(ai)
        if known.ai != ai:
            raise LabelError(f"({ai}) is not a GS1 Application Identifier")
        if not value:
            raise LabelError(f"({ai}) has no value")
    try:
        parsed = GS1Message.parse_hri(hri(elements))
    except ParseError as exc:
        raise LabelError(f"invalid GS1 data {hri(elements)}: {exc}") from exc
    if [(e.ai.ai, e.value) for e in parsed.element_strings] != list(elements):
        raise LabelError(f"invalid GS1 data {hri(elements)}: values do not fit their AIs")
    for e in parsed.element_strings:
        # biip reports a wrong check digit beside the value instead of raising.
        problem = e.sscc_error or e.gtin_error or e.gln_error
        if problem:
            raise LabelError(f"invalid GS1 data ({e.ai.ai}){e.value}: {problem}")


def segments(elements: Sequence[tuple[str, str]]) -> list[str]:
    """The data between FNC1 separators: one segment per run of elements.

    A separator follows a variable-length value unless it is the last element; fixed-length
    elements run on without one.
    """
    validate(elements)
    out = [""]
    for i, (ai, value) in enumerate(elements):
        out[-1] += ai + value
        last = i == len(elements) - 1
        if not last and GS1ApplicationIdentifier.extract(ai).separator_required:
            out.append("")
    return out


def element_string(elements: Sequence[tuple[str, str]]) -> str:
    """The element string as a reader returns it: GS where a separator was encoded."""
    return GS.join(segments(elements))
