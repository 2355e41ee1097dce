"""``station dashboard [--days 1|7] [--at TIME] [--json]``: the shift dashboard's figures.

The same figures as the dashboard screen (``station.dashboard``), for scripts: today or the
last 7 days in the machine's local time, in total, per user and per bench.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, time
from itertools import pairwise
from typing import Any

from station.cli.opening import open_or_say
from station.config import Settings
from station.dashboard import Dashboard, Figures, OrderMix, load_dashboard
from station.dashboard.figures import UTILISATION_EDGES


def _moment(text: str) -> datetime:
    """An ISO 8601 time; a time of day alone (``12:00``) is today's; without an offset it is
    the machine's local time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.combine(date.today(), time.fromisoformat(text))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r}: expected an ISO 8601 time such as 2026-11-24T16:00 or 12:00"
            ) from None
    return moment.astimezone(UTC)  # a naive time is read as local time here


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``dashboard`` to the ``station`` parser."""
    p = sub.add_parser(
        "dashboard", help="shift figures: packs per hour, accuracy, exceptions, returns..."
    )
    p.add_argument(
        "--days", type=int, choices=(1, 7), default=1, help="1: today (default), 7: last 7 days"
    )
    p.add_argument(
        "--at", type=_moment, help="as seen at this time (ISO 8601, local if no offset; now)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the figures; exit 2 if the database cannot be opened."""
    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        board = load_dashboard(db, args.days, now=args.at)
    finally:
        db.close()
    if args.json:
        print(json.dumps(board.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_text(board))
    return 0


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _counts(counts: dict[str, int] | Any) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"


def _bands() -> list[str]:
    edges = [round(100 * e) for e in UTILISATION_EDGES]
    middle = [f"{a}-{b} %" for a, b in pairwise(edges)]
    return [f"<{edges[0]} %", *middle, f">={edges[-1]} %"]


def figures_text(f: Figures) -> list[str]:
    """The headline figures of one scope, one per line."""
    times = " · ".join(
        f"{m.value.replace('_', '-')} {_num(f.time_of(m).median_s, 0)} s ({f.time_of(m).orders})"
        for m in OrderMix
    )
    bands = ", ".join(f"{b}: {n}" for b, n in zip(_bands(), f.utilisation_bands, strict=True))
    return [
        f"Packs per hour     {_num(f.packs_per_hour)} ({f.packs} packs in"
        f" {f.active_hours} active hours)",
        f"Scan accuracy      {_pct(f.scan_accuracy)} ({f.wrong_scans} wrong of {f.scans} scans)",
        f"Exceptions         {_counts(f.exceptions)}",
        f"Weight mismatch    {_pct(f.weight_mismatch_rate)} ({f.mismatched_packages} of"
        f" {f.weighed_packages} packages weighed)",
        f"Seconds per order  {times}",
        f"Box utilisation    {_pct(f.box_utilisation)} mean of {f.boxed_packages} boxed"
        f" packages ({bands})",
        f"Return grades      {_counts(f.return_grades)}",
        f"Dispositions       {_counts(f.return_dispositions)}",
        f"At the bench       {f.batch_packs} batch packs",
        f"Instructions       {f.instruction_confirmations} confirmed",
        f"Inserts            {f.inserts_added} added, {f.inserts_missing} missing",
    ]


_COLUMNS = "{:<16} {:>6} {:>7} {:>6} {:>9} {:>6} {:>9} {:>8} {:>7} {:>7}"


def _row(name: str, f: Figures) -> str:
    return _COLUMNS.format(
        name[:16],
        f.packs,
        _num(f.packs_per_hour),
        f.scans,
        _pct(f.scan_accuracy),
        f.exception_count,
        _pct(f.weight_mismatch_rate),
        _num(f.median_order_s, 0),
        _pct(f.box_utilisation),
        f.returns_inspected,
    )


def format_text(board: Dashboard) -> str:
    """The dashboard for a person: the totals, the chart as a list, one row per user and bench."""
    p = board.period
    span = "today" if p.days == 1 else f"the last 7 days ({p.first_day.isoformat()} on)"
    out = [f"Shift dashboard: {span}, local time, as of {board.computed_at.astimezone():%H:%M}"]
    out += figures_text(board.total)
    out.append("")
    out.append("Packs by hour" if p.days == 1 else "Packs by day (per active hour)")
    for slot in board.throughput:
        if p.days == 1 and not slot.packs:
            continue
        when = f"{slot.start:%H:%M}" if p.days == 1 else f"{slot.start:%a %Y-%m-%d}"
        rate = "" if p.days == 1 else f"  {_num(slot.packs_per_hour)}/h"
        out.append(f"  {when}  {slot.packs:>5}{rate}")
    header = _COLUMNS.format(
        "", "packs", "per h", "scans", "accuracy", "exc.", "mismatch", "s/order", "box", "returns"
    )
    for title, groups in (("Per user", board.by_user), ("Per bench", board.by_station)):
        out += ["", title, header]
        out += [_row(g.name, g.figures) for g in groups] or ["  (nothing yet)"]
    return "\n".join(out)
