"""``station inspect`` (a headless returns bench on standard input) and ``simulate-returns``.

``inspect`` reads one line at a time: a scan, or an action starting with ``:``::

    :open REF                       RMA, return label, tracking or order number, or a name
    :create ORDER [SKU[*QTY][:REASON] ...]   an RMA for a parcel that came without one
    :assess ITEM KEY=y|n|na ... [reason=R] [notes=TEXT]
    :override ITEM DISPOSITION full|none|partial:PCT by=SUPERVISOR-BADGE[+PIN] REASON...
    :dispose ITEM | :hold ITEM REASON... | :undo | :complete

Each answer is printed, and flushed, only after its transaction committed. Lines go through
the returns bench (``station.returns.bench``), as the window's scans do: after a red verdict
every line is held back (``held``; ``{"held": ...}`` with ``--json``) until ``CMD-CONFIRM``
(``acknowledged``); a badge signs its owner in; a lookup that several open returns answer
lists them (``matches``) for ``:open`` to choose from; a blank line is nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from station.barcodes import Interpreter
from station.cli.opening import open_or_say
from station.config import Settings
from station.config.returns_model import Answer
from station.packing.approvals import badge_and_pin_approver
from station.permissions import Action, PermissionDenied, allowed
from station.returns.bench import (
    LIVE,
    Acked,
    Badge,
    Held,
    Matches,
    ReturnsBench,
    ReturnsReply,
)
from station.returns.rmas import RmaLine
from station.returns.service import InspectionService
from station.returns.verdicts import ReturnOutcome, ReturnVerdict
from station.tools.simulate.returns import SimulationSummary, simulate_returns

_YES = {"y": True, "yes": True, "n": False, "no": False, "na": None, "-": None}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``inspect`` and ``simulate-returns`` to the ``station`` parser."""
    p = sub.add_parser("inspect", help="inspect returns from lines on standard input")
    p.add_argument("--user", help="badge code of the inspector (as if scanned first)")
    p.add_argument("--json", action="store_true", help="one JSON object per answer")
    p.set_defaults(handler=run_inspect)

    sim = sub.add_parser("simulate-returns", help="a headless inspector over packed orders")
    sim.add_argument("--count", type=int, required=True, help="parcels to return and inspect")
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--json", action="store_true", help="last line: one JSON object")
    sim.set_defaults(handler=run_simulate)


def _answers(words: list[str]) -> tuple[dict[str, Answer], str | None, str | None]:
    answers: dict[str, Answer] = {}
    reason = notes = None
    for n, word in enumerate(words):
        key, _, value = word.partition("=")
        if key == "notes":
            notes = " ".join([value, *words[n + 1 :]])
            break
        if key == "reason":
            reason = value
        elif value.lower() in _YES:
            answers[key] = _YES[value.lower()]
        else:
            raise ValueError(f"{word!r}: answer y, n or na")
    return answers, reason, notes


def _line(word: str) -> RmaLine:
    head, _, reason = word.partition(":")
    sku, _, quantity = head.partition("*")
    return RmaLine(sku, int(quantity or 1), reason)


def act(bench: ReturnsBench, line: str) -> ReturnsReply | None:
    """Run one input line (a scan or a ``:`` action) at the bench; ValueError for a malformed
    action; None for a blank line."""
    if not line.strip():
        return None
    if not line.startswith(":"):
        reply = bench.scan(line)
        if isinstance(reply.result, Badge):
            return bench.sign_in(reply.result.code)
        return reply
    verb = line[1:].split(maxsplit=1)[0] if line[1:].split() else ""
    action = _action(bench.service, line)
    return bench.act(verb, action)


def _action(svc: InspectionService, line: str) -> Callable[[], ReturnOutcome]:
    """The engine call a ``:`` line asks for (not run yet); ValueError when malformed."""
    verb, *words = line[1:].split() or [""]
    match verb, words:
        case "open", [*ref] if ref:
            return lambda: svc.open(" ".join(ref))
        case "create", [order, *lines]:
            rma_lines = [_line(w) for w in lines]
            return lambda: svc.create_rma(order, rma_lines)
        case "assess", [item, *rest]:
            answers, reason, notes = _answers(rest)
            return lambda: svc.assess(int(item), answers, reason, notes)
        case "override", [item, disposition, refund, *why]:
            kind, _, pct = refund.partition(":")
            # by=BADGE or BADGE+PIN (a PIN alone never approves): the supervisor approving
            # (never the inspector at the bench).
            by = next((w[3:] for w in why if w.startswith("by=")), None)
            reason = " ".join(w for w in why if not w.startswith("by="))
            return lambda: svc.override(
                int(item), disposition, kind, reason, int(pct or 0) or None, approver=by
            )
        case "dispose", [item]:
            return lambda: svc.dispose(int(item))
        case "hold", [item, *why] if why:
            return lambda: svc.hold(int(item), " ".join(why))
        case "undo", []:
            return svc.undo
        case "complete", []:
            return svc.complete
    raise ValueError(f"cannot read {line!r}")


def _show(reply: ReturnsReply, as_json: bool) -> None:
    """One line per answer: the engine's outcome, or what the bench said instead."""
    result = reply.result
    shown: dict[str, object]
    if isinstance(result, ReturnOutcome):
        if as_json:
            print(json.dumps(result.to_json(), ensure_ascii=False, default=str), flush=True)
        else:
            print(f"{result.verdict.value:16} {result.message}", flush=True)
        return
    if isinstance(result, Held):
        shown = {"held": result.what}
        text = f"{'held':16} {result.what}: not counted, acknowledge (CMD-CONFIRM) first"
    elif isinstance(result, Acked):
        shown = {"acknowledged": result.needed}
        text = f"{'acknowledged':16} " + ("error acknowledged" if result.needed else "nothing")
    elif isinstance(result, Matches):
        numbers = [r.number for r in result.found.rmas if r.status in LIVE]
        shown = {"matches": numbers, "text": result.text}
        text = f"{'matches':16} {', '.join(numbers)}: choose one with :open RMA"
    else:
        shown = {"badge": result.code}
        text = f"{'badge':16} {result.code}"
    print(json.dumps(shown, ensure_ascii=False) if as_json else text, flush=True)


def run_inspect(args: argparse.Namespace, settings: Settings) -> int:
    """Read lines until end of input."""
    db = open_or_say(settings)
    if db is None:
        return 2
    svc = InspectionService(
        db,
        Interpreter(settings.barcodes),
        settings.returns,
        settings.barcodes,
        settings.station_name,
        approver=badge_and_pin_approver(db),
    )
    bench = ReturnsBench(db, svc, Interpreter(settings.barcodes))
    try:
        if svc.state is not None:
            print(f"# resumed {svc.state.rma_number}", file=sys.stderr, flush=True)
        if args.user:
            signed = svc.scan(args.user)
            refusal = signed.message
            if signed.verdict is ReturnVerdict.USER_CHANGED:
                may = allowed(svc.user, Action.INSPECT_RETURN)
                refusal = "" if may else str(PermissionDenied(svc.user, Action.INSPECT_RETURN))
            if refusal:
                print(f"station: --user {args.user}: {refusal}", file=sys.stderr)
                return 2
        for raw in sys.stdin:
            line = raw.rstrip("\r\n")
            try:
                reply = act(bench, line)
            except (ValueError, PermissionDenied) as exc:
                print(json.dumps({"error": str(exc)}) if args.json else f"error {exc}", flush=True)
                continue
            if reply is not None:
                _show(reply, args.json)
    finally:
        svc.close()
        db.close()
    return 0


def report(summary: SimulationSummary) -> str:
    """The summary for a person."""

    def counts(values: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(values.items())) or "none"

    return (
        f"parcels inspected: {summary.parcels} ({summary.rmas_from_hub} RMAs from the hub,"
        f" {summary.rmas_created_at_bench} created at the bench); orders packed first:"
        f" {summary.packed_first}\n"
        f"items inspected: {summary.items_inspected}\n"
        f"verdicts: {counts(summary.verdicts)}\n"
        f"grades: {counts(summary.grades)}\n"
        f"dispositions: {counts(summary.dispositions)}\n"
        f"refunds: {counts(summary.refunds)}\n"
        f"fraud flags: {summary.fraud_flags}; overrides: {summary.overrides};"
        f" photos: {summary.photos}; restocked: {summary.restocked}\n"
        f"took {summary.seconds:.1f} s"
    )


def run_simulate(args: argparse.Namespace, settings: Settings) -> int:
    """Return and inspect ``--count`` parcels; print the summary."""
    if args.count < 1:
        print("station simulate-returns: --count must be at least 1", file=sys.stderr)
        return 2
    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        summary = simulate_returns(
            db, settings, args.count, args.seed, say=lambda text: print(text, flush=True)
        )
    finally:
        db.close()
    print(report(summary), flush=True)
    if args.json:
        print(json.dumps(summary.to_json()))
    return 0
