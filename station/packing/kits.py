"""Kits at the bench: which line a component goes to, one kit at a time, and what the screen
lists while a kit is being put together. Pure: the open session's state in, decisions out.

A kit line (``products.is_kit`` with ``kit_components``) is packed either by scanning the kit's
own barcode (a pre-assembled kit) or by scanning its components; ``LineState.add`` counts a kit
once every component is there in its per-kit quantity.

- **The lines shown** (:func:`shown_lines`): while a kit's components are being scanned, its
  parent line is not what the packer scans: the screen lists the components of the kit begun
  (what it holds, what it still needs) in its place. Before the first component and once the
  line is done, the parent line is shown as any line.
- **One kit at a time** (``PackingSettings.kits_one_at_a_time``): once a kit is begun, a
  component scan that would start another kit (of the same line, or of another kit line) is
  refused until the begun kit is whole, so two half kits never end up in one box. A component
  that the begun kit still needs goes to it, even when another kit line also takes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from station.packing.state import LineState, Match, PackState
from station.packing.verdicts import LineProgress


def begun(state: PackState) -> LineState | None:
    """The kit line whose next kit has some components but not all, if any."""
    for line in state.lines:
        if line.is_kit and line.remaining > 0 and any(line.partial.values()):
            return line
    return None


def still_needed(line: LineState) -> dict[int, int]:
    """Component units the begun kit of ``line`` still needs (product id -> units)."""
    return {
        p: n - line.partial.get(p, 0)
        for p, n in line.components.items()
        if line.partial.get(p, 0) < n
    }


@dataclass(frozen=True)
class KitCheck:
    """Where a scan goes under the kit rules: a match, or why it is refused."""

    match: Match | None
    refusal: str = ""


class KitRules:
    """Where a product scan goes when kits are in the order (composed into ``ItemRules``)."""

    def __init__(self, one_at_a_time: bool) -> None:
        self.one_at_a_time = one_at_a_time

    def place(self, state: PackState, product_id: int, quantity: int) -> KitCheck:
        """The line that takes the scan: the begun kit first; or the refusal (one at a time)."""
        kit = begun(state)
        if kit is not None and still_needed(kit).get(product_id, 0) >= quantity:
            return KitCheck(Match(kit, component=True))
        match = state.match(product_id, quantity)
        if kit is None or not self.one_at_a_time or match is None:
            return KitCheck(match)
        if not match.line.is_kit:
            return KitCheck(match)  # an item of a plain line does not start a kit
        names = {p: sku for p, (sku, _) in kit.component_names.items()}
        left = ", ".join(f"{n} × {names.get(p, p)}" for p, n in still_needed(kit).items())
        return KitCheck(None, f"finish kit {kit.sku} first: it still needs {left}")


def shown_lines(lines: Sequence[LineProgress]) -> list[LineProgress]:
    """The rows the screen lists: a kit being put together shows its components instead of
    its parent line (each row keeps the parent's line id and number)."""
    rows: list[LineProgress] = []
    for line in lines:
        started = line.is_kit and not line.done and any(c.have for c in line.components)
        if not started:
            rows.append(line)
            continue
        kits_left = line.remaining
        for c in line.components:
            rows.append(
                LineProgress(
                    line_id=line.line_id,
                    line_no=line.line_no,
                    sku=c.sku,
                    name=f"{c.name} · {line.sku} {line.packed + 1}/{line.expected}",
                    expected=c.per_kit,
                    packed=c.have,
                    tracking=line.tracking,
                    partial=f"then {kits_left - 1} more" if kits_left > 1 else "",
                )
            )
    return rows
