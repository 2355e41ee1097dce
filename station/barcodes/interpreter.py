"""The :class:`Interpreter`: the text a scanner delivered in, an :class:`Interpretation` out.

The order of precedence is in the package docstring (:mod:`station.barcodes`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

import biip
from biip.symbology import ISOSymbology
from biip.upc import Upc

from station.barcodes.gs1_rules import blame_missing_gs, conflict, digital_link_error, key_error
from station.barcodes.interpretation import GS, Command, Interpretation, ScanKind
from station.config import BarcodeSettings, ConfigError
from station.gtin import check_digit, gtin14, is_valid_gtin

if TYPE_CHECKING:
    from biip.gs1_element_strings import GS1ElementStrings

# Named for the package, as when this was the module station.barcodes: log configuration
# that names that logger keeps working.
_log = logging.getLogger("station.barcodes")

# AIM symbology identifier (ISO/IEC 15424): "]", a symbology letter, a modifier character.
_AIM_RE = re.compile(r"\][A-Za-z][0-9A-Za-z]")
# Symbologies whose content is a GS1 element string by definition (GS1-128, GS1 DataBar and
# composites, GS1 DataMatrix, GS1 QR, GS1 DotCode): biip is told the identifier for these.
_GS1_MESSAGE_AIMS = frozenset({"C1", "e0", "e1", "e2", "d2", "Q3", "J1"})
# The symbology letters biip knows; a GS1 one it does not (DotCode, J) is parsed as a message.
_BIIP_SYMBOLOGIES = frozenset(member.value for member in ISOSymbology)
# EAN/UPC family: E0 EAN-13/UPC-A/UPC-E, E1/E2 add-on alone, E3 with add-on, E4 EAN-8.
_EAN_UPC_AIMS = frozenset({"E0", "E1", "E2", "E3", "E4"})
# How many digits each transmits (GS1 General Specifications 5.1.2, ISO/IEC 15424): ]E0 sends
# EAN-13 and UPC-A as 13 digits (UPC-A with a leading 0); UPC-E comes as 6-8 digits from
# scanners that do not expand it. A 12-digit ]E0 is a 13-digit code with a digit lost: with
# the first one lost, the rest is a GTIN-12 whose check digit still holds.
_EAN_UPC_LENGTHS = {
    "E0": ((6, 7, 8, 13), "13 digits (EAN-13, or UPC-A with a leading 0) or a UPC-E's 6 to 8"),
    "E1": ((2,), "2 digits (an add-on alone)"),
    "E2": ((5,), "5 digits (an add-on alone)"),
    "E4": ((8,), "8 digits (EAN-8)"),
}
# A digital link URI: scheme and host are case-insensitive (QR alphanumeric mode upper-cases
# them to save space), the path is not.
_URL_RE = re.compile(r"(https?://[^/?#]*)(.*)", re.IGNORECASE | re.DOTALL)
_POUND_IN_G = Decimal("453.59237")
_KG_IN_G = Decimal(1000)
_NOT_GS1 = "not a GTIN, SSCC, GS1 code or configured pattern"


def _keys(*keys: str) -> tuple[str, ...]:
    """``keys`` without duplicates, first occurrence kept (the order is the preference)."""
    return tuple(dict.fromkeys(keys))


def _check_digit_error(what: str, code: str) -> str:
    return f"{what} check digit is wrong: expected {check_digit(code[:-1])}, got {code[-1]}"


def _upc_e_gtin14(code: str) -> str | None:
    """GTIN-14 of the UPC-A a UPC-E code (6, 7 or 8 digits) expands to, None if it is not one."""
    try:
        return Upc.parse(code).as_gtin_14()
    except biip.ParseError:
        return None


class Interpreter:
    """Interprets scanned strings with biip and the configured barcode patterns.

    Build one per configuration (the patterns are compiled here, once) and call
    :meth:`interpret` for every scan; it never raises.
    """

    def __init__(self, settings: BarcodeSettings) -> None:
        """Compile the patterns of ``settings``; a broken pattern raises :class:`ConfigError`."""
        self._placeholder = settings.gs_placeholder
        # The placeholder is replaced by GS before biip sees the data, so GS is the only
        # separator biip needs; a one-character placeholder is passed too, which is harmless.
        separators = [GS]
        if len(self._placeholder) == 1 and self._placeholder != GS:
            separators.append(self._placeholder)
        self._config = biip.ParseConfig(separator_chars=tuple(separators))
        # Precedence order of the spec: commands, quantity, badge, order, tote, box type.
        named: list[tuple[str, str, ScanKind, Command | None]] = [
            ("cmd_complete", settings.cmd_complete, ScanKind.COMMAND, Command.COMPLETE),
            ("cmd_undo", settings.cmd_undo, ScanKind.COMMAND, Command.UNDO),
            ("cmd_new_box", settings.cmd_new_box, ScanKind.COMMAND, Command.NEW_BOX),
            ("cmd_confirm", settings.cmd_confirm, ScanKind.COMMAND, Command.CONFIRM),
            ("cmd_cancel", settings.cmd_cancel, ScanKind.COMMAND, Command.CANCEL),
            ("cmd_short", settings.cmd_short, ScanKind.COMMAND, Command.SHORT_SHIP),
            ("cmd_damaged", settings.cmd_damaged, ScanKind.COMMAND, Command.DAMAGED),
            (
                "cmd_confirm_instruction",
                settings.cmd_confirm_instruction,
                ScanKind.COMMAND,
                Command.CONFIRM_INSTRUCTION,
            ),
            ("cmd_inserts", settings.cmd_inserts, ScanKind.COMMAND, Command.INSERTS_ADDED),
            ("quantity", settings.quantity, ScanKind.QUANTITY, None),
            ("badge", settings.badge, ScanKind.BADGE, None),
            ("order", settings.order, ScanKind.ORDER, None),
            ("tote", settings.tote, ScanKind.TOTE, None),
            ("box_type", settings.box_type, ScanKind.BOX_TYPE, None),
        ]
        self._patterns: list[tuple[re.Pattern[str], ScanKind, Command | None]] = []
        for name, pattern, kind, command in named:
            if not pattern:
                continue  # an empty pattern switches that kind of barcode off
            try:
                # ASCII: barcodes are ASCII, and \d must not accept e.g. Arabic-Indic digits.
                compiled = re.compile(pattern, re.ASCII)
            except re.error as exc:
                raise ConfigError(f"[barcodes] {name}: invalid regular expression: {exc}") from exc
            if kind is ScanKind.QUANTITY and compiled.groups < 1:
                raise ConfigError("[barcodes] quantity: needs one group that captures the number")
            self._patterns.append((compiled, kind, command))

    def interpret(self, raw: str) -> Interpretation:
        """What ``raw`` means. Never raises: garbage becomes ``OTHER`` with an ``error``."""
        try:
            return self._interpret(raw)
        except Exception as exc:
            # A scan must never take the station down; the bug is logged and the scan kept.
            _log.exception("could not interpret scan %r", raw)
            return Interpretation(
                raw=raw,
                data=raw,
                kind=ScanKind.OTHER,
                lookup_keys=(raw,),
                error=f"could not interpret the scan: {exc}",
            )

    def _interpret(self, raw: str) -> Interpretation:
        text = raw.strip()
        symbology: str | None = None
        aim = _AIM_RE.match(text)
        if aim is not None:
            symbology = aim.group()
            text = text[3:]
        if self._placeholder:
            text = text.replace(self._placeholder, GS)
        # str.strip() also removes GS: a leading one is a transmitted FNC1, a trailing one
        # carries nothing.
        data = text.strip()
        if not data:
            return Interpretation(
                raw=raw, data=data, kind=ScanKind.EMPTY, symbology=symbology, error="empty scan"
            )

        pattern_hit = self._match_patterns(raw, data, symbology)
        if pattern_hit is not None:
            return pattern_hit

        aim_code = symbology[1:] if symbology is not None else None
        if aim_code in _GS1_MESSAGE_AIMS:
            return self._gs1(raw, data, symbology, gs1_aim=True)
        lengths, expected = _EAN_UPC_LENGTHS.get(aim_code or "", ((), ""))
        if expected and data.isascii() and data.isdigit() and len(data) not in lengths:
            why = f"{symbology} carries {expected}, not {len(data)} digits"
            return self._other(raw, data, symbology, f"{why}: part of the code was lost")
        # Short-circuit plain digit strings: this is most product scans, and doing the check
        # digit ourselves is ~10x faster than biip.parse, which tries four parsers.
        if data.isascii() and data.isdigit():
            digits = self._digits(raw, data, symbology, aim_code)
            if digits is not None:
                return digits
        if aim_code in _EAN_UPC_AIMS:
            return self._other(raw, data, symbology, f"not a valid EAN/UPC code ({symbology})")
        # A GS1 element string starts with a two-digit AI; anything else can only be a
        # Digital Link URI. This spares biip's ~50 µs on every internal SKU barcode.
        if (data[:2].isascii() and data[:2].isdigit()) or _URL_RE.match(data):
            return self._gs1(raw, data, symbology, gs1_aim=False)
        return self._other(raw, data, symbology, _NOT_GS1)

    def _match_patterns(self, raw: str, data: str, symbology: str | None) -> Interpretation | None:
        for pattern, kind, command in self._patterns:
            match = pattern.fullmatch(data)
            if match is None:
                continue
            if command is not None:
                return Interpretation(
                    raw=raw,
                    data=data,
                    kind=kind,
                    symbology=symbology,
                    value=command.value,
                    command=command,
                )
            if kind is ScanKind.QUANTITY:
                number = match.group(1)
                try:
                    quantity = int(number) if number is not None else None
                except ValueError:
                    quantity = None
                if quantity is None:
                    continue  # the group did not capture a number: not a quantity after all
                return Interpretation(
                    raw=raw,
                    data=data,
                    kind=kind,
                    symbology=symbology,
                    value=data,
                    quantity=quantity,
                )
            return Interpretation(
                raw=raw, data=data, kind=kind, symbology=symbology, value=match.group()
            )
        return None

    def _digits(
        self, raw: str, data: str, symbology: str | None, aim_code: str | None
    ) -> Interpretation | None:
        """A plain digit string: GTIN, UPC-E or SSCC; None to let the GS1 parser try it."""
        length = len(data)
        if aim_code == "E3":
            # EAN/UPC with a 2- or 5-digit add-on (periodicals, books): the lengths are
            # unambiguous (13+2, 13+5, 12+2, 12+5, 8+2, 8+5); the add-on is not a product key.
            for size in (13, 12, 8):
                if length - size in (2, 5):
                    main = self._digits(raw, data[:size], symbology, "E0")
                    if main is not None and main.kind is ScanKind.PRODUCT:
                        return Interpretation(
                            raw=raw,
                            data=data,
                            kind=ScanKind.PRODUCT,
                            symbology=symbology,
                            gtin=main.gtin,
                            lookup_keys=_keys(*main.lookup_keys, data),
                        )
            return None
        if length == 8:
            return self._eight_digits(raw, data, symbology, aim_code)
        if length in (6, 7) and aim_code == "E0":
            # UPC-E without its check digit; only trusted with the AIM identifier, since
            # without it any 6-digit internal code would pass as a UPC-E.
            expanded = _upc_e_gtin14(data)
            if expanded is None:
                return None
            return self._product(raw, data, symbology, expanded)
        if length in (12, 13, 14):
            if is_valid_gtin(data):
                return self._product(raw, data, symbology, gtin14(data))
            return self._other(raw, data, symbology, _check_digit_error("GTIN", data))
        if length == 18 and aim_code not in _EAN_UPC_AIMS:
            if check_digit(data[:-1]) == int(data[-1]):
                return Interpretation(
                    raw=raw, data=data, kind=ScanKind.SSCC, symbology=symbology, sscc=data
                )
            return self._other(raw, data, symbology, _check_digit_error("SSCC", data))
        return None

    def _eight_digits(
        self, raw: str, data: str, symbology: str | None, aim_code: str | None
    ) -> Interpretation:
        ean8 = gtin14(data) if aim_code != "E0" and is_valid_gtin(data) else None
        # ]E0 carries an 8-digit code only as UPC-E; ]E4 is EAN-8 only.
        upc_e = _upc_e_gtin14(data) if aim_code != "E4" else None
        found = [code for code in (ean8, upc_e) if code is not None]
        if len(found) == 2 and data[0] == "0":
            # Both readings are valid. EAN-8s starting with 0 are restricted-circulation
            # numbers (a company's internal codes) while UPC-E almost always starts with 0,
            # so there UPC-E is the likelier item. A leading 1 is a GS1 US EAN-8 prefix but a
            # rare UPC-E number system, so there EAN-8 stays first.
            found.reverse()
        if found:
            return self._product(raw, data, symbology, *found)
        if aim_code == "E4":
            error = _check_digit_error("GTIN", data)
        elif aim_code == "E0":
            error = "GTIN check digit is wrong: not a valid UPC-E"
        else:
            error = "GTIN check digit is wrong: neither a valid EAN-8 nor a valid UPC-E"
        return self._other(raw, data, symbology, error)

    def _gs1(self, raw: str, data: str, symbology: str | None, *, gs1_aim: bool) -> Interpretation:
        """A GS1 element string or Digital Link URI, parsed by biip."""
        url = _URL_RE.match(data)
        if gs1_aim and symbology is not None and symbology[1] in _BIIP_SYMBOLOGIES:
            # Telling biip the identifier makes it parse the GS1 message (and, for ]d2/]Q3,
            # a Digital Link) instead of guessing among all formats.
            value = symbology + data
        elif gs1_aim:
            # biip raises on an identifier it does not know (]J1, GS1 DotCode): the data
            # alone, which the gs1_aim flag below still treats as GS1 by definition.
            value = data
        elif url is not None:
            # biip only recognises a lower-case "http" prefix.
            value = url.group(1).lower() + url.group(2)
        else:
            value = data
        result = biip.parse(value, config=self._config)
        elements: GS1ElementStrings | None = None
        if result.gs1_message is not None:
            elements = result.gs1_message.element_strings
        elif result.gs1_digital_link_uri is not None:
            elements = result.gs1_digital_link_uri.element_strings

        if elements is None:
            if url is not None:
                reason = result.gs1_digital_link_uri_error or "unknown reason"
                return self._other(raw, data, symbology, f"not a GS1 Digital Link: {reason}")
            if gs1_aim or GS in data:
                reason = result.gs1_message_error or "unknown reason"
                if blame_missing_gs(data, self._config):
                    # A variable-length field ran on into the next: a scanner that drops GS
                    # is the usual cause.
                    reason += " (is the scanner set to send GS between fields?)"
                return self._other(raw, data, symbology, f"unreadable GS1 data: {reason}")
            return self._other(raw, data, symbology, _NOT_GS1)

        ai = {element.ai.ai: element.value for element in elements}
        # Without an AIM identifier or a GS, an internal code like "10ABC" parses as a GS1
        # message by accident; only a GTIN or SSCC AI makes such a string convincingly GS1.
        convincing = (
            gs1_aim
            or result.gs1_message is None  # a Digital Link URI
            or GS in data
            or any(code in ai for code in ("00", "01", "02"))
        )
        if not convincing:
            return self._other(raw, data, symbology, _NOT_GS1)
        if result.gs1_message is None and url is not None:
            problem = digital_link_error(data, elements)
            if problem is not None:
                return self._other(raw, data, symbology, f"not a GS1 Digital Link: {problem}")
        problem = key_error(elements)
        if problem is not None:
            # What was read stays on record (ai), but nothing of it is used: a damaged key
            # makes every field of the message doubtful.
            return replace(self._other(raw, data, symbology, problem), ai=ai)
        problem = conflict(elements)
        if problem is not None:
            return self._other(raw, data, symbology, f"invalid GS1 data: {problem}")
        return self._from_elements(raw, data, symbology, elements, ai)

    def _from_elements(
        self,
        raw: str,
        data: str,
        symbology: str | None,
        elements: GS1ElementStrings,
        ai: dict[str, str],
    ) -> Interpretation:
        """PRODUCT, SSCC or OTHER from parsed GS1 element strings, with lot, expiry, weight.

        Their keys' check digits and their consistency are already checked (``gs1_rules``).
        """
        gtin: str | None = None
        for code in ("01", "02"):
            element = elements.get(ai=code)
            if element is not None and element.gtin is not None:
                gtin = element.gtin.as_gtin_14()
                break
        element = elements.get(ai="00")
        sscc = element.sscc.value if element is not None and element.sscc is not None else None
        expiry_element = elements.get(ai="17")

        error: str | None = None
        if gtin is not None:
            kind = ScanKind.PRODUCT
            lookup_keys = _keys(gtin, data)
        elif sscc is not None:
            kind = ScanKind.SSCC
            lookup_keys = ()
        else:
            kind = ScanKind.OTHER
            error = "GS1 data holds no GTIN or SSCC"
            lookup_keys = (data,)
        return Interpretation(
            raw=raw,
            data=data,
            kind=kind,
            symbology=symbology,
            gtin=gtin,
            lookup_keys=lookup_keys,
            sscc=sscc,
            serial=ai.get("21"),
            lot=ai.get("10"),
            expiry=expiry_element.date if expiry_element is not None else None,
            net_weight_g=_net_weight_g(elements),
            ai=ai,
            error=error,
        )

    @staticmethod
    def _product(raw: str, data: str, symbology: str | None, *gtins: str) -> Interpretation:
        return Interpretation(
            raw=raw,
            data=data,
            kind=ScanKind.PRODUCT,
            symbology=symbology,
            gtin=gtins[0],
            lookup_keys=_keys(*gtins, data),
        )

    @staticmethod
    def _other(raw: str, data: str, symbology: str | None, error: str) -> Interpretation:
        return Interpretation(
            raw=raw,
            data=data,
            kind=ScanKind.OTHER,
            symbology=symbology,
            lookup_keys=(data,),
            error=error,
        )


def _net_weight_g(elements: GS1ElementStrings) -> float | None:
    """Net weight in grams from AI (310n) (kg) or (320n) (lb); None if there is neither."""
    for element in elements:
        code = element.ai.ai
        if element.decimal is None:
            continue
        if code.startswith("310"):
            return float(element.decimal * _KG_IN_G)
        if code.startswith("320"):
            return float(element.decimal * _POUND_IN_G)
    return None
