"""Single-item batch mode: a product scanned with no order open picks the order it is for.

For single-unit orders (one line of quantity 1) the order barcode is a scan the packer can
skip: the item names the order. With ``PackingSettings.single_item_batch`` on, a product
scanned while no order is open (or after a tote of single-item orders was scanned) picks the
next packable single-unit order holding that SKU, opens it and counts the scan, all in the
scan's one transaction. Which order: highest priority, then oldest, then the configured tie
rule (``batch_tie_break``: ``order_number`` or ``import_order``).

An order open or parked in this station's database (a live pack session) is never picked, nor
one another bench holds at the hub (``elsewhere``: the order lock, ``station.packing.lock``), so
two benches working the same wave do not pick the same order; offline, what the bench last
heard from the hub still counts and the bench that packs first wins.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from station.packing.journal import Journal
from station.packing.rules import Draft, PackContext, find_product, verdict
from station.packing.verdicts import Verdict

OpenOrder = Callable[[Journal, Draft, str], Draft]  # open an order by number or tote
Count = Callable[[Journal, Draft], Draft]  # count a product scan into the open order

# The configured tie rule as SQL (never the configured text itself).
TIE_BREAKS = {"order_number": "o.number", "import_order": "o.id"}

# A single-unit order: exactly one line, of quantity 1, of the product scanned. Packable: open
# or in progress, with no live (open or parked) session at any bench.
_PICK = (
    "SELECT o.number FROM order_lines l JOIN orders o ON o.id = l.order_id"
    " WHERE l.product_id = ? AND l.quantity = 1 AND o.status IN ('open', 'in_progress')"
    " AND (? IS NULL OR o.tote = ?)"
    " AND NOT EXISTS (SELECT 1 FROM order_lines x WHERE x.order_id = o.id AND x.id != l.id)"
    " AND NOT EXISTS (SELECT 1 FROM pack_sessions ps WHERE ps.order_id = o.id"
    " AND ps.status IN ('open', 'parked'))"
    " ORDER BY o.priority DESC, o.created_at, {tie}"
)


class BatchRules:
    """Picks the single-unit order a product scan is for (when batch mode is on).

    ``open`` opens an order (``CommandRules.open``) and ``count`` counts the scan into it
    (``ItemRules.item``): the rules this one composes, given, not reached for.
    """

    def __init__(
        self,
        ctx: PackContext,
        open_order: OpenOrder,
        count: Count,
        elsewhere: Callable[[], Collection[str]] = frozenset,
    ) -> None:
        self._ctx = ctx
        self._open = open_order
        self._count = count
        self._elsewhere = elsewhere  # orders locked at other benches (station.packing.lock)
        tie = ctx.settings.batch_tie_break
        if tie not in TIE_BREAKS:
            raise ValueError(f"batch_tie_break must be one of {', '.join(TIE_BREAKS)}, not {tie!r}")
        self._sql = _PICK.format(tie=TIE_BREAKS[tie])
        self.tote: str | None = None  # a tote of single-item orders being worked through
        self.session_id: int | None = None  # the session this mode opened (closes itself)

    @property
    def on(self) -> bool:
        """True when the configuration turns batch mode on."""
        return self._ctx.settings.single_item_batch

    def tote_scanned(self, j: Journal, d: Draft, tote: str) -> Draft | None:
        """A tote scanned with no order open: if it holds only single-unit orders, remember
        it (the next product scans pick from it) and answer; else None (opened as before)."""
        if not self.on or self._ctx.state is not None:
            return None
        rows = j.cur.execute(
            "SELECT count(*), coalesce(sum((SELECT count(*) = 1 AND sum(l.quantity) = 1"
            " FROM order_lines l WHERE l.order_id = o.id)), 0) FROM orders o"
            " WHERE o.tote = ? AND o.status IN ('open', 'in_progress')",
            (tote,),
        ).fetchone()
        orders, singles = int(rows[0]), int(rows[1])
        if orders < 2 or singles < orders:
            return None
        self.tote = tote
        return verdict(
            d, Verdict.BATCH_TOTE, f"tote {tote}: {orders} single-item orders, scan the items"
        )

    def pick(self, j: Journal, d: Draft) -> Draft:
        """Open the order the scanned product is for and count the scan into it."""
        product = find_product(j, d.interp)
        if product is None:
            why = f" ({d.interp.error})" if d.interp.error else ""
            return verdict(d, Verdict.UNKNOWN_CODE, f"unknown code {d.interp.data!r}{why}")
        locked = self._elsewhere()
        candidates = j.cur.execute(self._sql, (product.id, self.tote, self.tote))
        row = next((r for r in candidates if str(r[0]) not in locked), None)
        if row is None:
            d.product = product
            where = f" in tote {self.tote}" if self.tote else ""
            return verdict(
                d,
                Verdict.NO_ORDER_OPEN,
                f"no single-item order{where} waits for {product.sku}: scan an order",
            )
        number = str(row[0])
        opened = self._open(j, Draft(d.interp), number)
        state = self._ctx.state
        if opened.verdict is not Verdict.ORDER_OPENED or state is None:
            return verdict(d, opened.verdict, opened.message)
        # The open wrote pack.started; the scan writes scan.recorded under the new order.
        self.session_id = state.session_id
        counted = self._count(j, d)
        counted.message = f"order {number}: {counted.message}"
        return counted

    def closes_itself(self) -> bool:
        """True when the open order was picked by batch mode and has nothing left to pack."""
        state = self._ctx.state
        return (
            state is not None
            and state.session_id == self.session_id
            and state.complete
            and state.pending is None
        )

    def tote_done(self, j: Journal) -> None:
        """Forget the tote once none of its orders is left to pack."""
        if self.tote is None:
            return
        left = j.cur.execute(
            "SELECT 1 FROM orders WHERE tote = ? AND status IN ('open', 'in_progress') LIMIT 1",
            (self.tote,),
        ).fetchone()
        if left is None:
            self.tote = None
