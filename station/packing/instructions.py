"""Packing instructions and pictures per SKU, and the packer's confirmation of them.

When a product is scanned the bench shows its instructions and picture beside the verdict
(look-alike variants are told apart by the picture, not the scan). A product imported with
``confirm_instruction`` (fragile, gift wrap) must be confirmed: the confirm-instruction key
or barcode (``CMD-CONFIRM-INSTR``) records an ``instruction_confirmed`` scan naming the
product and an audit entry, and the order cannot complete before every such product packed
in it is confirmed. Confirmations count per product and session: one covers every unit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from station.packing.journal import Journal
from station.packing.rules import Draft, PackContext, product_by_id, verdict
from station.packing.verdicts import Verdict

# Pictures are read from the database at most this many at a time into memory: a bench
# shows one product at a time, and a wave repeats a few SKUs.
_CACHED_IMAGES = 32


@dataclass(frozen=True)
class Instruction:
    """What the bench shows for a scanned product: its instructions, picture and whether the
    packer must (still) confirm them."""

    product_id: int
    sku: str
    name: str
    text: str | None
    image: bytes | None  # PNG or JPEG
    confirm: bool  # the SKU requires the confirm-instruction step
    confirmed: bool  # ... and it was given in this session

    @property
    def awaiting(self) -> bool:
        """True while the packer still has to confirm these instructions."""
        return self.confirm and not self.confirmed


class InstructionRules:
    """Shows a product's instructions at its scan; records their confirmation; holds the
    completion of an order whose instructions are not yet confirmed."""

    def __init__(self, ctx: PackContext) -> None:
        self._ctx = ctx
        self._images: dict[str, bytes] = {}

    def shown(self, j: Journal, product_id: int) -> Instruction | None:
        """The instructions of a product (None when it has none, no picture, no step)."""
        row = j.cur.execute(
            "SELECT sku, name, instructions, image_sha256, confirm_instruction FROM products"
            " WHERE id = ?",
            (product_id,),
        ).fetchone()
        if row is None:
            return None
        sku, name, text, sha, confirm = row
        if not text and not sha and not confirm:
            return None
        confirmed = bool(confirm) and self._confirmed(j, product_id)
        return Instruction(
            product_id, sku, name, text, self._image(j, sha), bool(confirm), confirmed
        )

    def confirm(self, j: Journal, d: Draft) -> Draft:
        """The confirm-instruction key or barcode: the latest product scanned that awaits it."""
        state = self._ctx.state
        if state is None:
            return verdict(d, Verdict.NO_ORDER_OPEN, "no order open")
        awaiting = self.awaiting(j)
        if not awaiting:
            return verdict(d, Verdict.NOTHING_TO_CONFIRM, "no instructions wait for confirmation")
        product_id, sku, name = awaiting[-1]
        d.product = product_by_id(j, product_id)
        j.audit(
            self._ctx.user.id if self._ctx.user else None,
            "pack.instruction_confirmed",
            "order",
            state.order_number,
            {"sku": sku, "session_id": state.session_id},
        )
        shown = self.shown(j, product_id)
        if shown is not None:  # confirmed by this very scan, written after the decision
            d.extra["instruction"] = replace(shown, confirmed=True)
        left = len(awaiting) - 1
        tail = f"; {left} more to confirm" if left else ""
        return verdict(
            d, Verdict.INSTRUCTION_CONFIRMED, f"instructions of {sku} {name} confirmed{tail}"
        )

    def before_complete(self, j: Journal, d: Draft) -> Draft | None:
        """A refusal while a packed product's instructions wait for confirmation; else None."""
        awaiting = self.awaiting(j)
        if not awaiting:
            return None
        skus = ", ".join(sku for _, sku, _ in awaiting)
        shown = self.shown(j, awaiting[-1][0])
        if shown is not None:  # the panel shows what is to confirm (a batch pick's only answer)
            d.extra["instruction"] = shown
        return verdict(d, Verdict.NOT_COMPLETE, f"confirm the packing instructions of {skus} first")

    def awaiting(self, j: Journal) -> list[tuple[int, str, str]]:
        """(product id, SKU, name) of products counted in the open session whose
        instructions need confirming and are not confirmed, oldest scan first."""
        state = self._ctx.state
        if state is None:
            return []
        rows = j.cur.execute(
            "SELECT p.id, p.sku, p.name FROM scans s JOIN products p ON p.id = s.product_id"
            " WHERE s.session_id = ? AND s.verdict = 'accepted' AND s.undone = 0"
            " AND p.confirm_instruction = 1 AND NOT EXISTS (SELECT 1 FROM scans c"
            " WHERE c.session_id = s.session_id AND c.product_id = p.id"
            " AND c.verdict = 'instruction_confirmed') GROUP BY p.id ORDER BY max(s.id)",
            (state.session_id,),
        ).fetchall()
        return [(int(pid), str(sku), str(name)) for pid, sku, name in rows]

    def _confirmed(self, j: Journal, product_id: int) -> bool:
        state = self._ctx.state
        if state is None:
            return False
        row = j.cur.execute(
            "SELECT 1 FROM scans WHERE session_id = ? AND product_id = ?"
            " AND verdict = 'instruction_confirmed' LIMIT 1",
            (state.session_id, product_id),
        ).fetchone()
        return row is not None

    def _image(self, j: Journal, sha: str | None) -> bytes | None:
        if not sha:
            return None
        data = self._images.get(sha)
        if data is None:
            row = j.cur.execute(
                "SELECT data FROM product_images WHERE sha256 = ?", (sha,)
            ).fetchone()
            if row is None:
                return None  # not synced yet: the text is shown alone
            if len(self._images) >= _CACHED_IMAGES:
                self._images.pop(next(iter(self._images)))
            data = self._images[sha] = bytes(row[0])
        return data
