"""What GS1 forbids in a scan that biip lets through, each as a check that returns the reason.

biip parses element strings and Digital Link URIs field by field; the rules about a message
as a whole, and the stricter reading of Digital Link URIs that the GS1 Barcode Syntax Engine
applies, are here:

- a GS1 key whose check digit is wrong ((00) SSCC, (01)/(02) GTIN, the GLN AIs) spoils the
  whole message: nothing in it can be trusted to belong to the item;
- one AI given twice with different values is an invalid message (GS1 General
  Specifications 4.14; the Syntax Engine's "instances of AI have different values"), whether
  both are element strings or a Digital Link's path and query;
- a Digital Link URI's scheme is ``http`` or ``https`` in one case (``HtTpS`` is refused),
  its path key is written in full (a GTIN-13 in place of the GTIN-14 is "zero-suppressed",
  refused by default by the Syntax Engine, silently padded by biip), and a numeric query key
  must be an AI (``?999=x`` is refused; ``?utm_source=x`` is ignored, as the standard says);
- when a message does not parse, a missing GS is to blame only where a variable-length field
  ran on into the next one; after a fixed-length field such as (17) none is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

import biip
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString

from station.gtin import check_digit

if TYPE_CHECKING:
    from biip.gs1_element_strings import GS1ElementStrings

_SCHEMES = ("http://", "https://", "HTTP://", "HTTPS://")


def key_error(elements: GS1ElementStrings) -> str | None:
    """Why a GS1 key in ``elements`` is invalid (its check digit, as a rule), or None."""
    names = {"00": "SSCC", "01": "GTIN", "02": "GTIN"}
    for element in elements:
        code = element.ai.ai
        problem = element.sscc_error or element.gtin_error or element.gln_error
        if problem is None:
            continue
        name = names.get(code, "GLN")
        digits = element.value
        if digits.isdigit() and len(digits) > 1:
            expected = check_digit(digits[:-1])
            if str(expected) != digits[-1]:
                return f"{name} check digit is wrong: expected {expected}, got {digits[-1]}"
        return f"AI ({code}) is not a valid {name}: {problem}"
    return None


def conflict(elements: GS1ElementStrings) -> str | None:
    """Why ``elements`` contradict themselves (one AI, two values), or None."""
    seen: dict[str, str] = {}
    for element in elements:
        code = element.ai.ai
        first = seen.setdefault(code, element.value)
        if first != element.value:
            return (
                f"AI ({code}) is given twice with different values: {first!r} and {element.value!r}"
            )
    return None


def digital_link_error(uri: str, elements: GS1ElementStrings) -> str | None:
    """Why a Digital Link URI that biip parsed into ``elements`` is not a valid one, or None."""
    if not uri.startswith(_SCHEMES):
        scheme = uri.split(":", 1)[0]
        return f"the scheme must be http or https in one case, not {scheme!r}"
    parts = urlsplit(uri)
    segments = [unquote(s) for s in parts.path.split("/")]
    primary = elements[0]
    if primary.ai.ai in segments:
        written = segments[segments.index(primary.ai.ai) + 1]
        if written != primary.value:
            return (
                f"the key in the path must be written in full: AI ({primary.ai.ai}) "
                f"{written!r} is {primary.value!r} with its leading zeros"
            )
    values: dict[str, str] = {e.ai.ai: e.value for e in elements}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if not key.isdigit():
            continue  # a non-GS1 parameter (utm_source=...): the standard says to ignore it
        if _ai(key) is None:
            return f"query parameter {key!r} is numeric but not a GS1 AI"
        if not value:
            return f"AI ({key}) in the query has no value"
        if key in values and values[key] != value:
            return f"AI ({key}) is given twice with different values: {values[key]!r} and {value!r}"
        values.setdefault(key, value)
    return None


def blame_missing_gs(data: str, config: biip.ParseConfig) -> bool:
    """True if ``data`` failed to parse where a variable-length field ran into the next.

    Walks the element strings as biip does; at the first that fails, a GS is to blame only
    if the field before it is variable-length and was not ended by a GS (it may have taken
    the next AI's characters as its own, up to its maximum length). After a fixed-length AI
    such as (17) the next AI follows without a separator, so a failure there is the data's
    own.
    """
    rest, previous_open = data, False
    while rest:
        try:
            element = GS1ElementString.extract(rest, config=config)
        except biip.ParseError:
            return previous_open
        rest = rest[len(element) :]
        ended = rest.startswith(tuple(config.separator_chars))
        rest = rest.lstrip("".join(config.separator_chars))
        previous_open = element.ai.separator_required and not ended
    return False


def _ai(code: str) -> GS1ApplicationIdentifier | None:
    try:
        ai = GS1ApplicationIdentifier.extract(code)
    except biip.ParseError:
        return None
    return ai if ai.ai == code else None
