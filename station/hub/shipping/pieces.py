"""Multi-piece shipments: an order's weighed packages bought in one carrier shipment.

karrio 2026.1's UPS connector takes several parcels in one ``ShipmentRequest`` and answers the
shipment's number (the master: UPS's lead package) as ``tracking_number``, every package's own
number in ``meta["tracking_numbers"]`` and their labels bundled in one document (ZPL: one
``^XA...^XZ`` per package, in the request's order). FedEx's and DHL Express's connectors take
several parcels too but answer no child number per package (FedEx's gives the master only,
DHL Express's XML-PI one waybill and one label image), so the hub buys those, like USPS, DHL
Parcel DE and the generic carrier, one package at a time. PDF labels are bundled into one
document of several pages; the hub does not split PDFs, so a PDF buy is one package too.
"""

from __future__ import annotations

import hashlib
import re

from station.ship import protocol as p

MULTI_PIECE = frozenset({"ups"})
_ZPL_LABEL = re.compile(rb"\^XA.*?\^XZ", re.S)


def multi_piece(carrier: str, req: p.BuyRequest) -> bool:
    """True when ``req``'s pieces go in one shipment with it at ``carrier``."""
    return carrier in MULTI_PIECE and req.label_format == "zpl" and bool(req.pieces)


def piece_request(req: p.BuyRequest, piece: p.Piece) -> p.BuyRequest:
    """``piece`` as a buy of its own (the order's address, method and options)."""
    return req.model_copy(
        update={
            "package_no": piece.package_no,
            "weight_g": piece.weight_g,
            "dims_mm": piece.dims_mm,
            "idempotency_key": piece.idempotency_key,
            "pieces": [],
        }
    )


def request_digest(req: p.BuyRequest) -> str:
    """SHA-256 of the package's request, its pieces left out.

    The pieces are what else was awaiting a label when the station asked: a replay may name
    others (one bought meanwhile, one weighed since) and is still the same package's buy.
    Left out, a request hashes as it did before pieces existed.
    """
    return hashlib.sha256(req.model_dump_json(exclude={"pieces"}).encode()).hexdigest()


def split_zpl(data: bytes) -> list[bytes]:
    """The ZPL labels of a bundle, in order (karrio joins them with a new line)."""
    return list(_ZPL_LABEL.findall(data))
