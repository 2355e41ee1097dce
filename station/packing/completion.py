"""After an order is packed: its labels are queued once each, and confirmed by scan-back.

Auto-print (``[labels] auto_print``): the caller hands each COMPLETED outcome to
:meth:`LabelCompletion.after`, which renders and queues every label that applies: a shipping
label per package (first, so the label the packer waits for leaves first), the packing slip,
the gift note when the order has one, the customs declaration when it has customs lines.
Each job is keyed ``package:{id}:{template}`` or ``order:{id}:{template}`` and the queue takes
a key once, so queueing again (a retry, or :meth:`LabelCompletion.sweep` at start-up after a
crash between the completion's COMMIT and the queueing) never prints a second label.

Label scan-back: scanning the SSCC on a package's label confirms that the label is on a box of
the order just packed (or being packed): ``packages.label_confirmed``, a ``label.confirmed``
event, verdict CONFIRMED. The SSCC of another order's package is NOT_ALLOWED (an error the
packer must act on), one of no package at all UNKNOWN_CODE. The engine checks every SSCC scan
whatever ``[labels] scan_back`` says (a check never hurts); the setting says whether the bench
asks for one (``station simulate`` scans each label back when it is on).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from drivers.registry import NONE, PrinterDeviceConfig
from station.config import Settings
from station.db import Database
from station.db.engine import reader
from station.labels.errors import LabelError
from station.outbox import append_event, sql_time
from station.packing.journal import Journal
from station.packing.rules import Draft, PackContext, verdict
from station.packing.verdicts import Outcome, Verdict

if TYPE_CHECKING:
    from station.printing.queue import PrintQueue

log = logging.getLogger(__name__)

# A crash is noticed at the next start; older packed orders without labels were printed some
# other way (auto-print was off), and printing them all now would bury the bench in paper.
SWEEP_WINDOW = timedelta(hours=24)


def printer_language(config: PrinterDeviceConfig) -> str | None:
    """What the bench's printer speaks: ``zpl``, ``escpos``, or None when it has none."""
    if config.kind == NONE:
        return None
    if config.kind == "escpos" or (config.kind == "emulated" and config.language == "escpos"):
        return "escpos"
    return "zpl"  # a CUPS queue too: the queue then shows why it cannot print to it


@dataclass(frozen=True)
class LabelJob:
    """One label a packed order gets, named by its idempotent job key."""

    key: str
    template: str
    order_id: int
    number: str
    package_id: int | None = None
    package_no: int | None = None


# Packages of the order's latest completed session that hold something (an empty last box,
# all short-shipped, ships nothing and gets no label).
_PACKAGES = (
    "SELECT p.id, p.seq_no FROM packages p WHERE p.session_id = (SELECT max(id) FROM"
    " pack_sessions WHERE order_id = ? AND status = 'completed') AND EXISTS (SELECT 1 FROM"
    " scans s WHERE s.package_id = p.id AND s.verdict = 'accepted' AND s.undone = 0)"
    " ORDER BY p.seq_no"
)
_MISSING = "NOT EXISTS (SELECT 1 FROM print_jobs j WHERE j.job_key = 'order:' || o.id || ':{}')"
# The job of a carrier-supplied label: its bytes as imported, no rendering, no network.
SUPPLIED = "carrier-supplied"
# Packed here recently, and lacking one of the jobs ``planned`` would give it.
_SWEEP = (
    "SELECT o.number FROM orders o JOIN pack_sessions ps ON ps.order_id = o.id"
    " WHERE o.status = 'packed' AND ps.status = 'completed' AND ps.station = ?"
    " AND ps.ended_at >= ? AND ("
    + _MISSING.format("packing-slip")
    + " OR (o.carrier_label_sha256 IS NOT NULL AND "
    + _MISSING.format(SUPPLIED)
    + ") OR (trim(coalesce(o.gift_note, '')) != '' AND "
    + _MISSING.format("gift-note")
    + ") OR (EXISTS (SELECT 1 FROM customs_lines c WHERE c.order_id = o.id) AND "
    + _MISSING.format("customs")
    + ") OR EXISTS (SELECT 1 FROM packages p WHERE p.session_id = ps.id AND NOT EXISTS"
    " (SELECT 1 FROM print_jobs j WHERE j.job_key = 'package:' || p.id || ':shipping')))"
    " ORDER BY ps.id"
)


def planned(conn: Connection, number: str) -> list[LabelJob]:
    """The labels packed order ``number`` gets, shipping labels first ([] if not packed)."""
    row = conn.exec_driver_sql(
        "SELECT id, gift_note, (SELECT count(*) FROM customs_lines c WHERE c.order_id = o.id),"
        " carrier_label_sha256 FROM orders o WHERE number = ? AND status IN ('packed', 'shipped')",
        (number,),
    ).first()
    if row is None:
        return []
    order_id, gift_note, customs = int(row[0]), row[1], int(row[2])
    # A carrier-supplied label (imported with the order) first: the label the parcel ships on.
    jobs = [LabelJob(f"order:{order_id}:{SUPPLIED}", SUPPLIED, order_id, number)] if row[3] else []
    jobs += [
        LabelJob(f"package:{pid}:shipping", "shipping", order_id, number, int(pid), int(no))
        for pid, no in conn.exec_driver_sql(_PACKAGES, (order_id,))
    ]
    # The same conditions as station.labels.rules.check_applies, so none is refused later.
    wanted = ["packing-slip"]
    if gift_note and gift_note.strip():
        wanted.append("gift-note")
    if customs:
        wanted.append("customs")
    jobs += [LabelJob(f"order:{order_id}:{t}", t, order_id, number) for t in wanted]
    return jobs


class LabelCompletion:
    """Queues the labels of packed orders on the bench's printer, each job once.

    ``printer`` is the name jobs carry (``[devices.printer] name``: the worker resolves it to
    the bench's printer, wherever it is now) and ``language`` what is rendered for it.
    """

    def __init__(
        self,
        db: Database,
        settings: Settings,
        queue: PrintQueue,
        *,
        printer: str | None = None,
        language: str | None = None,
    ) -> None:
        # Loaded now, at start-up, rather than by the first completion of the day: python-escpos
        # and the renderers take a quarter of a second to import. Not at module level, so the
        # pack engine (importing this module for scan-back) does not pay for them.
        from station.labels.service import render_order_label

        self._render = render_order_label
        self._db = db
        self._settings = settings
        self._queue = queue
        self.printer = printer or settings.devices.printer.name
        self.language = language or printer_language(settings.devices.printer)

    @property
    def enabled(self) -> bool:
        """Auto-print is on and there is a printer to print on."""
        return self._settings.labels.auto_print and self.language is not None

    def after(self, outcome: Outcome, user_id: int | None = None) -> list[int]:
        """Auto-print: queue the labels of the order ``outcome`` completed; the new job ids."""
        if outcome.verdict is not Verdict.COMPLETED or outcome.order_number is None:
            return []
        return self.queue_order(outcome.order_number, user_id) if self.enabled else []

    def queue_order(self, number: str, user_id: int | None = None) -> list[int]:
        """Render and queue each label of ``number`` not queued yet; the new job ids.

        A label that cannot be rendered is logged and left out; the next sweep tries again.
        """
        language = self.language
        if language is None:
            return []
        with reader(self._db.engine).connect() as conn:
            jobs = planned(conn, number)
            have = {
                str(k)
                for (k,) in conn.exec_driver_sql(
                    "SELECT job_key FROM print_jobs WHERE order_id = (SELECT id FROM orders"
                    " WHERE number = ?)",
                    (number,),
                )
            }
        queued: list[int] = []
        for job in jobs:
            if job.key in have:
                continue
            try:
                if job.template == SUPPLIED:
                    payload = self._supplied(number, language)
                else:
                    payload = self._render(
                        self._db,
                        self._settings,
                        number,
                        job.template,
                        language,
                        package_no=job.package_no,
                    )
            except LabelError as exc:
                log.warning("label %s of order %s not queued: %s", job.template, number, exc)
                continue
            queued.append(
                self._queue.enqueue(
                    job.key,
                    job.template,
                    language,
                    self.printer,
                    payload,
                    order_id=job.order_id,
                    package_id=job.package_id,
                    user_id=user_id,
                )
            )
        return queued

    def _supplied(self, number: str, language: str) -> bytes:
        """The carrier's own label, unchanged; only a printer of its language can print it."""
        from station.labels.service import order_carrier_label

        label = order_carrier_label(self._db, self._settings, number)
        if label.format != language:
            raise LabelError(
                f"the carrier-supplied label is {label.format.upper()}: the bench printer"
                f" takes {language.upper()} (print it with `station label carrier`)"
            )
        return label.data

    def sweep(self, now: datetime) -> list[str]:
        """At start-up: queue the missing labels of orders packed here within a day.

        Returns the order numbers that were looked at again (empty when auto-print is off).
        """
        if not self.enabled:
            return []
        with reader(self._db.engine).connect() as conn:
            since = sql_time(now - SWEEP_WINDOW)
            numbers = [
                str(n)
                for (n,) in conn.exec_driver_sql(_SWEEP, (self._settings.station_name, since))
            ]
        for number in numbers:
            self.queue_order(number)
        return numbers


class LabelScanRules:
    """Label scan-back, a rule of ``PackService``: the SSCC scanned off a package's label."""

    def __init__(self, ctx: PackContext) -> None:
        self._ctx = ctx

    def label_scan(self, j: Journal, d: Draft) -> Draft:
        """The SSCC of a label: right when it is a package of the order (just) packed here."""
        ctx = self._ctx
        sscc = d.interp.sscc or d.interp.data
        session_id = ctx.state.session_id if ctx.state is not None else None
        if session_id is None:
            # Newest first by rowid: stops at the last order packed here, however many there are.
            row = j.cur.execute(
                "SELECT id FROM pack_sessions WHERE station = ? AND status = 'completed'"
                " ORDER BY id DESC LIMIT 1",
                (ctx.station,),
            ).fetchone()
            session_id = row[0] if row else None
        if session_id is None:
            return verdict(d, Verdict.NO_ORDER_OPEN, "no packed order here to check against")
        ours = j.cur.execute(
            "SELECT p.id, p.seq_no, o.number FROM packages p JOIN orders o ON o.id = p.order_id"
            " WHERE p.session_id = ? AND p.sscc = ?",
            (session_id, sscc),
        ).fetchone()
        if ours is None:
            return self._wrong_label(j, d, sscc, int(session_id))
        package_id, seq_no, number = ours
        j.cur.execute("UPDATE packages SET label_confirmed = 1 WHERE id = ?", (package_id,))
        append_event(
            j.cur,
            "label.confirmed",
            {
                "order": number,
                "package": seq_no,
                "sscc": sscc,
                "station": ctx.station,
                "user": ctx.user.name if ctx.user else None,
                "at": j.now.isoformat(),
            },
            j.now,
        )
        message = f"label of package {seq_no} of {number} is right"
        return verdict(d, Verdict.CONFIRMED, message)

    @staticmethod
    def _wrong_label(j: Journal, d: Draft, sscc: str, session_id: int) -> Draft:
        (number,) = j.cur.execute(
            "SELECT o.number FROM pack_sessions ps JOIN orders o ON o.id = ps.order_id"
            " WHERE ps.id = ?",
            (session_id,),
        ).fetchone()
        other = j.cur.execute(
            "SELECT p.seq_no, o.number FROM packages p JOIN orders o ON o.id = p.order_id"
            " WHERE p.sscc = ?",
            (sscc,),
        ).fetchone()
        if other is None:
            return verdict(d, Verdict.UNKNOWN_CODE, f"label {sscc}: no package here has that SSCC")
        return verdict(
            d,
            Verdict.NOT_ALLOWED,
            f"wrong label: SSCC {sscc} is package {other[0]} of {other[1]}, not of {number}:"
            " take it off this box",
        )
