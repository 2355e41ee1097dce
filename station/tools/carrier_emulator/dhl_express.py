"""Answers shaped like DHL Express's XML-PI (``/XMLShippingServlet``: quotes and shipments).

The shapes follow the XML services as karrio's DHL Express connector reads them (its test
fixtures show them): a ``DCTRequest/GetQuote`` answers ``DCTResponse/GetQuoteResponse/
BkgDetails/QtdShp`` per product; a ``ShipmentRequest`` answers ``res:ShipmentResponse`` with
``AirwayBillNumber``, ``ShippingCharge`` and ``LabelImage/OutputImage`` (base64); errors carry
``Status/Condition`` (``ConditionCode``, ``ConditionData``). DHL Express carries no domestic
US shipments, so a quote inside the US answers a condition and no product. The XML-PI has no
void (an unused air waybill is not charged): karrio's connector has none either.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from xml.sax.saxutils import escape

from station.tools.carrier_emulator import labels
from station.tools.carrier_emulator.wire import BAD_POSTCODE, Answer, Call, Fault, Ledger

NAME = "dhl_express"
PREFIXES = ("/XMLShippingServlet",)
# (GlobalProductCode, product name, base price, price per kg, days in transit).
PRODUCTS = (
    ("P", "EXPRESS WORLDWIDE", 38.90, 5.20, 2),
    ("T", "EXPRESS 12:00", 51.40, 6.10, 1),
    ("K", "EXPRESS 9:00", 67.80, 7.30, 1),
)
SERVICE_CODES = {"dhl_express_worldwide_nondoc": "P", "dhl_express_12_00": "T",
                 "dhl_express_9_00": "K"}  # fmt: skip


def free(_call: Call) -> bool:
    """The XML-PI has no token: every call may be delayed or faulted."""
    return False


def error(status: int, code: str, message: str) -> Answer:
    """An XML-PI error answer (``res:ErrorResponse``)."""
    return Answer(
        status,
        (
            '<?xml version="1.0" encoding="UTF-8"?>'
            "<res:ErrorResponse xmlns:res='http://www.dhl.com'><Response><ServiceHeader>"
            f"<MessageTime>{_now()}</MessageTime><MessageReference>emulated</MessageReference>"
            "</ServiceHeader><Status><ActionStatus>Error</ActionStatus>"
            f"<Condition><ConditionCode>{escape(code)}</ConditionCode>"
            f"<ConditionData>{escape(message)}</ConditionData></Condition>"
            "</Status></Response></res:ErrorResponse>"
        ).encode(),
        "application/xml",
    )


def answer(call: Call, ledger: Ledger, fault: Fault | None) -> Answer | None:
    """DHL Express's answer to ``call``."""
    if call.method != "POST":
        return None
    try:
        root = ET.fromstring(call.raw)
    except ET.ParseError as exc:
        return error(400, "111", f"Error in parsing request XML: {exc}")
    kind = _local(root.tag)
    if kind == "DCTRequest":
        if fault is Fault.INVALID_ADDRESS or _text(root, "To", "Postalcode") == BAD_POSTCODE:
            return _condition("3021", "Invalid destination address: no postal code like it")
        if _text(root, "From", "CountryCode") == _text(root, "To", "CountryCode") == "US":
            return _condition("420505", "The requested product(s) is not available: DHL Express "
                              "carries no domestic US shipments")  # fmt: skip
        return Answer.xml(200, quote(_kilos(root, "BkgDetails", "ShipmentWeight")))
    if kind == "ShipmentRequest":
        if fault is Fault.INVALID_ADDRESS or _text(root, "Consignee", "PostalCode") == BAD_POSTCODE:
            return error(400, "3021", "Invalid consignee address: the postal code is not served")
        number = f"{ledger.next_serial():04d}{abs(hash(call.raw)) % 10**6:06d}"
        ledger.issue(number)
        return Answer.xml(200, shipped(root, number, with_label=fault is not Fault.NO_LABEL))
    return error(400, "111", f"unknown request {kind}")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(root: ET.Element, parent: str, child: str) -> str:
    for node in root.iter():
        if _local(node.tag) == parent:
            for sub in node:
                if _local(sub.tag) == child:
                    return (sub.text or "").strip()
    return ""


def _kilos(root: ET.Element, parent: str, child: str) -> float:
    try:
        return float(_text(root, parent, child) or 0)
    except ValueError:
        return 0.0


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _price(base: float, per_kg: float, kilos: float) -> float:
    return round(base + per_kg * max(1, math.ceil(kilos * 2) / 2), 2)


def _condition(code: str, message: str, response: str = "GetQuoteResponse") -> Answer:
    return Answer.xml(
        200,
        f'<?xml version="1.0" ?><DCTResponse><{response}><Response><ServiceHeader>'
        f"<MessageTime>{_now()}</MessageTime></ServiceHeader></Response>"
        "<Note><ActionStatus>Failure</ActionStatus><Condition>"
        f"<ConditionCode>{code}</ConditionCode><ConditionData>{escape(message)}</ConditionData>"
        f"</Condition></Note></{response}></DCTResponse>",
    )


def quote(kilos: float) -> str:
    """A ``GetQuoteResponse``: one ``QtdShp`` per product, with its delivery date."""
    today = date.today()
    quotes = []
    for code, name, base, per_kg, days in PRODUCTS:
        price = _price(base, per_kg, kilos)
        fuel = round(price * 0.18, 2)
        delivery = today + timedelta(days=days)
        quotes.append(
            f"<QtdShp><GlobalProductCode>{code}</GlobalProductCode>"
            f"<LocalProductCode>{code}</LocalProductCode>"
            f"<ProductShortName>{name}</ProductShortName>"
            f"<LocalProductName>{name} NONDOC</LocalProductName>"
            "<NetworkTypeCode>TD</NetworkTypeCode><CurrencyCode>EUR</CurrencyCode>"
            f"<WeightCharge>{price:.2f}</WeightCharge><TotalTransitDays>{days}</TotalTransitDays>"
            f"<QuotedWeight>{kilos:.1f}</QuotedWeight><QuotedWeightUOM>KG</QuotedWeightUOM>"
            "<QtdShpExChrg><SpecialServiceType>FF</SpecialServiceType>"
            "<LocalServiceTypeName>FUEL SURCHARGE</LocalServiceTypeName>"
            f"<CurrencyCode>EUR</CurrencyCode><ChargeValue>{fuel:.2f}</ChargeValue>"
            "</QtdShpExChrg>"
            f"<PricingDate>{today.isoformat()}</PricingDate>"
            f"<ShippingCharge>{price + fuel:.2f}</ShippingCharge>"
            "<DeliveryDate><DeliveryType>QDDC</DeliveryType>"
            f"<DlvyDateTime>{delivery.isoformat()} 11:59:00</DlvyDateTime>"
            "</DeliveryDate></QtdShp>"
        )
    return (
        '<?xml version="1.0" ?><DCTResponse><GetQuoteResponse><Response><ServiceHeader>'
        f"<MessageTime>{_now()}</MessageTime></ServiceHeader></Response>"
        f"<BkgDetails>{''.join(quotes)}</BkgDetails></GetQuoteResponse></DCTResponse>"
    )


def shipped(root: ET.Element, number: str, *, with_label: bool = True) -> str:
    """A ``ShipmentResponse``: air waybill, charges, a licence plate per piece and the label
    image (one image for the waybill: with ZPL, a label per piece in it)."""
    code = _text(root, "ShipmentDetails", "GlobalProductCode") or "P"
    code = SERVICE_CODES.get(code, code)
    base, per_kg = next(((b, k) for c, _, b, k, _ in PRODUCTS if c == code), (40.0, 5.0))
    pieces = [piece for piece in root.iter() if _local(piece.tag) == "Piece"]
    kilos = sum(
        float(node.text or 0) for piece in pieces for node in piece if _local(node.tag) == "Weight"
    )
    plates = [f"JD01{number}{n:04d}" for n in range(1, max(1, len(pieces)) + 1)]
    price = _price(base, per_kg, kilos)
    image_format = _text(root, "ShipmentRequest", "LabelImageFormat") or next(
        ((n.text or "PDF") for n in root if _local(n.tag) == "LabelImageFormat"), "PDF"
    )
    image = (
        labels.zpl("DHL Express", number)
        if image_format.startswith("ZPL") and len(plates) == 1
        else b"\n".join(labels.zpl("DHL Express", plate) for plate in plates)
        if image_format.startswith("ZPL")
        else labels.pdf(f"DHL EXPRESS WAYBILL {number}")
    )
    pieces_xml = "".join(
        f"<Piece><PieceNumber>{n}</PieceNumber><DataIdentifier>J</DataIdentifier>"
        f"<LicensePlate>{plate}</LicensePlate></Piece>"
        for n, plate in enumerate(plates, start=1)
    )
    label = (
        f"<LabelImage><OutputFormat>{escape(image_format)}</OutputFormat>"
        f"<OutputImage>{labels.b64(image)}</OutputImage></LabelImage>"
        if with_label
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<res:ShipmentResponse xmlns:res='http://www.dhl.com'>"
        f"<Response><ServiceHeader><MessageTime>{_now()}</MessageTime></ServiceHeader></Response>"
        "<RegionCode>EU</RegionCode><Note><ActionNote>Success</ActionNote></Note>"
        f"<AirwayBillNumber>{number}</AirwayBillNumber><CurrencyCode>EUR</CurrencyCode>"
        f"<PackageCharge>{price:.2f}</PackageCharge><Rated>Y</Rated>"
        f"<ShippingCharge>{price:.2f}</ShippingCharge><WeightUnit>K</WeightUnit>"
        f"<ChargeableWeight>{kilos:.1f}</ChargeableWeight>"
        f"<GlobalProductCode>{escape(code)}</GlobalProductCode>"
        f"<Pieces>{pieces_xml}</Pieces>"
        f"<ShipmentDate>{date.today().isoformat()}</ShipmentDate>"
        f"{label}</res:ShipmentResponse>"
    )
