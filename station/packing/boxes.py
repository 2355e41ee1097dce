"""Box suggestion: the smallest box type the items of a package fit into. Pure.

A layer / shelf first fit: items, largest first, go into the first shelf of the first layer
with room, in the first of their six orientations that fits; otherwise they open a new shelf
in a layer, or a new layer on top (a few rules for the opening orientation are tried). Not
optimal (3D bin packing is NP-hard), but orientation aware, fast, and never claims a fit that
is not one: every placement is a real position.

Where the hub told the station its carriers' DIM rules (``station.ship.site_rules``), the box
is chosen by billed weight first and volume second: carriers bill the larger of actual and
DIM weight, with each side rounded up to the inch or centimetre, so a box of less volume can
cost more (its sides round up further), and a smaller box that drops the billed weight wins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import permutations

Dims = tuple[float, float, float]
# The billed weight (g) of a box of inner size ``dims`` weighing ``grams`` in all.
BilledWeight = Callable[[Dims, float], float]

# Items the catalog gives no dimensions for are assumed to be this small (a 5 cm cube).
SMALL_ITEM_MM: Dims = (50.0, 50.0, 50.0)


@dataclass(frozen=True)
class Item:
    """A product in the package: its size (None if unknown), weight and count."""

    sku: str
    dims_mm: Dims | None
    weight_g: float | None
    quantity: int = 1


@dataclass(frozen=True)
class Box:
    """A box type: inner size, tare and the most it may weigh full."""

    id: int
    code: str
    name: str
    inner_mm: Dims
    tare_g: float
    max_weight_g: float

    @property
    def volume_mm3(self) -> float:
        """Inner volume."""
        return self.inner_mm[0] * self.inner_mm[1] * self.inner_mm[2]


@dataclass(frozen=True)
class BoxSuggestion:
    """The box to use (None: nothing fits, ``reason`` says why) and the void to fill."""

    box: Box | None
    reason: str
    items_litres: float = 0.0
    void_litres: float = 0.0
    void_pct: float = 0.0
    assumed_small: tuple[str, ...] = ()  # SKUs without dimensions, counted as small items
    billed_g: float | None = None  # the carriers' billed weight in this box, when known


@dataclass
class _Shelf:
    depth: float  # along the box's width
    used_length: float = 0.0


@dataclass
class _Layer:
    height: float
    used_width: float = 0.0
    shelves: list[_Shelf] = field(default_factory=list)


def orientations(dims: Dims) -> list[Dims]:
    """The distinct orientations of a cuboid (up to six)."""
    return sorted({(a, b, c) for a, b, c in permutations(dims)})


# Which orientation opens a new layer, and which a new shelf: no single rule packs every case
# (flat-first stacks slabs, tall-first stands mugs side by side), so each is tried in turn.
_Key = Callable[[Dims], tuple[float, ...]]
_POLICIES: tuple[tuple[_Key, _Key], ...] = (
    (lambda o: (o[2], o[1], o[0]), lambda o: (o[1], o[0])),  # flattest
    (lambda o: (-o[2], o[0], o[1]), lambda o: (o[0], o[1])),  # tallest, shortest
    (lambda o: (-o[2], o[1], o[0]), lambda o: (o[1], o[0])),  # tallest, shallowest
    (lambda o: (o[2], o[0], o[1]), lambda o: (o[0], o[1])),  # flattest, shortest
)


def fits(units: Sequence[Dims], inner: Dims) -> bool:
    """True if every unit can be placed in a box of ``inner`` size (layer/shelf first fit)."""
    ordered = sorted(units, key=lambda d: (max(d), d[0] * d[1] * d[2]), reverse=True)
    return any(_first_fit(ordered, inner, layer, shelf) for layer, shelf in _POLICIES)


def _first_fit(units: Sequence[Dims], inner: Dims, layer_key: _Key, shelf_key: _Key) -> bool:
    length, width, height = inner
    layers: list[_Layer] = []
    used_height = 0.0
    for unit in units:
        options = orientations(unit)
        if _place(options, layers, length, width, shelf_key):
            continue
        new = [o for o in options if o[0] <= length and o[1] <= width]
        new = [o for o in new if used_height + o[2] <= height]
        if not new:
            return False
        lo, wo, ho = min(new, key=layer_key)
        layers.append(_Layer(ho, wo, [_Shelf(wo, lo)]))
        used_height += ho
    return True


def _place(
    options: list[Dims], layers: list[_Layer], length: float, width: float, shelf_key: _Key
) -> bool:
    for layer in layers:
        for shelf in layer.shelves:
            for lo, wo, ho in options:
                if ho <= layer.height and wo <= shelf.depth and shelf.used_length + lo <= length:
                    shelf.used_length += lo
                    return True
        shallow = [o for o in options if o[2] <= layer.height and layer.used_width + o[1] <= width]
        shallow = [o for o in shallow if o[0] <= length]
        if shallow:
            lo, wo, _ = min(shallow, key=shelf_key)
            layer.shelves.append(_Shelf(wo, lo))
            layer.used_width += wo
            return True
    return False


def suggest_box(
    items: Sequence[Item], boxes: Sequence[Box], billed: BilledWeight | None = None
) -> BoxSuggestion:
    """The box the items fit into that can carry their weight: the smallest by inner volume,
    or, with ``billed``, the one billed least (then the smallest)."""
    units: list[Dims] = []
    assumed: list[str] = []
    weight = 0.0
    for item in items:
        if item.quantity <= 0:
            continue
        if item.dims_mm is None or min(item.dims_mm) <= 0:
            assumed.append(item.sku)
        units.extend([item.dims_mm or SMALL_ITEM_MM] * item.quantity)
        weight += (item.weight_g or 0.0) * item.quantity
    volume = sum(d[0] * d[1] * d[2] for d in units)
    note = f" ({', '.join(assumed)} without dimensions: assumed small)" if assumed else ""
    if not boxes:
        return BoxSuggestion(None, "no box types are set up", assumed_small=tuple(assumed))
    too_heavy = 0
    fitting: list[tuple[float, Box]] = []
    for box in sorted(boxes, key=lambda b: (b.volume_mm3, b.tare_g, b.code)):
        if weight + box.tare_g > box.max_weight_g:
            too_heavy += 1
            continue
        if volume <= box.volume_mm3 and fits(units, box.inner_mm):
            if billed is None:  # the smallest is the first that fits
                return _suggestion(box, volume, note, assumed, None)
            fitting.append((billed(box.inner_mm, weight + box.tare_g), box))
    if fitting:  # sorted by volume, and min keeps the first of equals: the smallest
        billed_g, box = min(fitting, key=lambda pair: pair[0])
        return _suggestion(box, volume, note, assumed, billed_g)
    if too_heavy == len(boxes):
        reason = f"{weight:.0f} g is more than any box may carry"
    else:
        reason = "the items fit in no box type: split them over packages"
    return BoxSuggestion(None, f"{reason}{note}", items_litres=volume / 1e6)


def _suggestion(
    box: Box, volume: float, note: str, assumed: list[str], billed_g: float | None
) -> BoxSuggestion:
    void = box.volume_mm3 - volume
    bill = "" if billed_g is None else f", billed {billed_g / 1000:.2f} kg"
    return BoxSuggestion(
        box,
        f"{box.name}: {void / 1e6:.1f} l void fill ({100 * void / box.volume_mm3:.0f}%){bill}"
        f"{note}",
        items_litres=volume / 1e6,
        void_litres=void / 1e6,
        void_pct=100 * void / box.volume_mm3,
        assumed_small=tuple(assumed),
        billed_g=billed_g,
    )
