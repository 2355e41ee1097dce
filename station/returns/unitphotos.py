"""Photos of returned units, stored by ``station.photos`` (content-addressed, fsynced).

The file is written first, outside the transaction; the ``photos`` row (kind ``return``), its
``photo.taken`` event and the link to the unit are then written in one transaction. A crash in
between leaves an orphan file that costs only disk, never a row without its photo.
"""

from __future__ import annotations

from station.photos import StoredPhoto, record_photo
from station.returns.base import InspectionContext, Step
from station.returns.journal import ReturnJournal
from station.returns.tags import tag_id
from station.returns.verdicts import ReturnVerdict


class PhotoRules:
    """Attaches stored photos to the units of the open parcel."""

    def __init__(self, ctx: InspectionContext) -> None:
        self._ctx = ctx

    def caption(self, item_id: int) -> list[str]:
        """The caption strip of a unit's photo: RMA, tag, SKU, order."""
        state = self._ctx.state
        if state is None:
            return [tag_id(item_id)]
        item = next((i for i in state.items if i.id == item_id), None)
        sku = item.sku if item and item.sku else "unknown item"
        return [f"{state.rma_number}  {tag_id(item_id)}  {sku}", f"order {state.order_number}"]

    def attach(self, j: ReturnJournal, item_id: int, photo: StoredPhoto, caption: str) -> Step:
        """Link a stored photo to a received or assessed unit."""
        state, item = self._ctx.unit(item_id, "received", "assessed")
        photo_id = record_photo(
            j.cur,
            photo,
            kind="return",
            caption=caption,
            order_id=state.order_id,
            package_id=None,
            user_id=self._ctx.user_id,
            now=j.now,
            event={"return_item": item.id, "rma": state.rma_number, "station": self._ctx.station},
        )
        j.link_photo(item.id, photo_id)
        message = f"photo of {tag_id(item.id)} kept ({photo.sha256[:12]})"
        return Step(ReturnVerdict.PHOTO_TAKEN, message, item_id=item.id, extra={"photo": photo_id})
