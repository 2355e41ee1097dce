"""What a product picture may be (issue 18, point 2): PNG or JPEG by its first bytes, at
most ``MAX_IMAGE_BYTES``. The lowest layer of ``station``: the catalog importer, the hub's
fetcher and the station's download all check pictures the same way."""

from __future__ import annotations

# A picture on the pack screen needs no more; a larger one is most likely the wrong file.
MAX_IMAGE_BYTES = 2 * 1024 * 1024
# By their first bytes, never by the file name or a server's word alone.
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
MEDIA_TYPES = tuple(media for _, media in _SIGNATURES)


def media_type_of(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` by the leading bytes; None for anything else."""
    for signature, media in _SIGNATURES:
        if data.startswith(signature):
            return media
    return None
