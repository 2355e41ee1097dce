"""Product pictures the pulled catalog names that this station lacks: downloaded from the hub
in chunks (``/v1/catalog/images/{sha256}``), checked against their hash and type, stored in
``product_images`` (issue 18, point 2).

A picture that fails its check is logged and left for the next cycle; the pack bench shows a
product's instructions without the picture meanwhile (``station.packing.instructions``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging

from sqlalchemy import select

from station.db import Database
from station.db.models import Product, ProductImage
from station.pictures import MAX_IMAGE_BYTES, media_type_of
from station.sync.client import HubClient, HubRefused

log = logging.getLogger(__name__)


def wanted_images(db: Database) -> list[str]:
    """Hashes of pictures the catalog names and the station does not hold."""
    with db.session() as session:
        held = select(ProductImage.sha256)
        return sorted(
            session.scalars(
                select(Product.image_sha256)
                .where(Product.image_sha256.is_not(None), Product.image_sha256.not_in(held))
                .distinct()
            )
        )


def download_images(db: Database, client: HubClient) -> int:
    """Download every wanted picture; how many were stored. HubUnavailable if the hub fails."""
    stored = 0
    for sha in wanted_images(db):
        data = _download(client, sha)
        if data is None:
            continue
        media, body = data
        with db.session() as session:
            if session.get(ProductImage, sha) is None:
                session.add(ProductImage(sha256=sha, media_type=media, data=body))
                session.commit()
                stored += 1
    return stored


def _download(client: HubClient, sha: str) -> tuple[str, bytes] | None:
    body = bytearray()
    media = ""
    while True:
        try:
            chunk = client.catalog_image(sha, len(body))
        except HubRefused as exc:
            log.warning("picture %s: the hub refused it (%s)", sha[:12], exc.error)
            return None
        if chunk.size > MAX_IMAGE_BYTES:
            log.warning("picture %s is %d bytes: larger than a station takes", sha[:12], chunk.size)
            return None
        try:
            part = base64.b64decode(chunk.data, validate=True)
        except binascii.Error:
            log.warning("picture %s: a chunk was not base64", sha[:12])
            return None
        media = chunk.media_type
        body += part
        if len(body) >= chunk.size or not part:
            break
    data = bytes(body)
    if hashlib.sha256(data).hexdigest() != sha or media_type_of(data) != media:
        log.warning("picture %s is damaged or not what its type says; not stored", sha[:12])
        return None
    return media, data
