"""In-memory state of an open pack session: a fold over its accepted scans.

Pure: no database, no clock. The service rebuilds it on resume and after an undo by replaying
the session's accepted, not-undone scans in order, so what the screen shows after a restart is
exactly what the database holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from station.packing.verdicts import ComponentProgress, LineProgress


@dataclass
class LineState:
    """Counts of one order line. Kit lines also count components towards the next kit."""

    line_id: int
    line_no: int
    product_id: int
    sku: str
    name: str
    expected: int
    tracking: str = "none"
    is_kit: bool = False
    components: dict[int, int] = field(default_factory=dict)  # product id -> units per kit
    component_names: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> sku, name
    packed: int = 0
    short: int = 0
    partial: dict[int, int] = field(default_factory=dict)  # component units towards next kits
    barcode: str = ""

    @property
    def remaining(self) -> int:
        """Units still to pack (kits for a kit line)."""
        return max(0, self.expected - self.packed - self.short)

    def component_room(self, product_id: int) -> int:
        """How many more units of a component this kit line can take."""
        per_kit = self.components.get(product_id, 0)
        return per_kit * self.remaining - self.partial.get(product_id, 0)

    def add(self, product_id: int, quantity: int) -> None:
        """Count ``quantity`` units of ``product_id`` (the line's product or a component)."""
        if product_id == self.product_id:
            self.packed += quantity
            return
        self.partial[product_id] = self.partial.get(product_id, 0) + quantity
        # A kit is packed once every component is there in its per-kit quantity.
        kits = min(self.partial.get(p, 0) // n for p, n in self.components.items())
        if kits:
            self.packed += kits
            for p, n in self.components.items():
                self.partial[p] -= kits * n

    def progress(self) -> LineProgress:
        """An immutable snapshot for the screen."""
        partial = ""
        if self.is_kit and any(self.partial.values()):
            have = sum(min(self.partial.get(p, 0), n) for p, n in self.components.items())
            partial = f"{have}/{sum(self.components.values())} components"
        return LineProgress(
            line_id=self.line_id,
            line_no=self.line_no,
            sku=self.sku,
            name=self.name,
            expected=self.expected,
            packed=self.packed,
            short=self.short,
            tracking=self.tracking,
            is_kit=self.is_kit,
            partial=partial,
            components=tuple(
                ComponentProgress(
                    *self.component_names.get(p, (str(p), "")), n, self.partial.get(p, 0)
                )
                for p, n in self.components.items()
            ),
            barcode=self.barcode,
        )


@dataclass(frozen=True)
class Match:
    """Where a scanned product goes: a line, and whether it is a kit component there."""

    line: LineState
    component: bool


@dataclass
class PackState:
    """Everything the engine needs to decide the next scan of an open session."""

    session_id: int
    order_id: int
    order_number: str
    lines: list[LineState]
    package_id: int
    package_no: int
    # What the next scan must supply: {"capture": "serial"|"lot"|"expiry", "product_id",
    # "line_id", "quantity", "lot"?, "scan_id"} or {"capture": "supervisor", "quantity"}.
    pending: dict[str, object] | None = None
    quantity: int | None = None  # multiplier for the next item scan
    package_items: int = 0  # units counted into the current package

    def line_by_id(self, line_id: int) -> LineState:
        """The line with this id (raises KeyError if it is not in the order)."""
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise KeyError(line_id)

    def in_order(self, product_id: int) -> bool:
        """True if the product is a line of this order or a component of one of its kits."""
        return any(
            line.product_id == product_id or product_id in line.components for line in self.lines
        )

    def match(self, product_id: int, quantity: int) -> Match | None:
        """The line that takes ``quantity`` units of the product, or None (over-scan)."""
        for line in self.lines:
            if line.product_id == product_id and line.remaining >= quantity:
                return Match(line, component=False)
        for line in self.lines:
            if product_id in line.components and line.component_room(product_id) >= quantity:
                return Match(line, component=True)
        return None

    def progress(self) -> tuple[LineProgress, ...]:
        """Snapshot of every line."""
        return tuple(line.progress() for line in self.lines)

    @property
    def complete(self) -> bool:
        """True when every line is packed or short-shipped."""
        return all(line.remaining == 0 for line in self.lines)
