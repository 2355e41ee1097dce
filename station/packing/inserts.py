"""Inserts (flyers, samples) the configuration's rules call for, at the bench (issue 18, 3).

When an order opens, the rules of ``[[packing.inserts]]`` (``station.config.inserts``) say
which inserts it gets: by channel, SKU, order value and the customer's first order. The
bench shows them; the packer confirms each by scanning the insert's barcode, or all at once
by the inserts key (``CMD-INSERTS``). Each confirmation is recorded (``pack_inserts``,
``added``) and counts the insert's stock down; an insert still outstanding when the order
completes is recorded ``missing`` with an audit entry, and never holds the package.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.config.inserts import InsertRule
from station.outbox import sql_time
from station.packing.journal import Journal
from station.packing.rules import Draft, PackContext, verdict
from station.packing.verdicts import Verdict


@dataclass(frozen=True)
class InsertDue:
    """An insert the open order gets, as the bench shows it."""

    code: str
    name: str
    barcode: str
    added: bool
    on_hand: int | None  # None: the stock was never counted
    low: bool  # at or below the rule's ``low_stock``


class InsertRules:
    """Which inserts the open order gets; their confirmation, stock and what was missed."""

    def __init__(self, ctx: PackContext) -> None:
        self._ctx = ctx
        self._rules = ctx.settings.inserts
        self._by_barcode = {rule.barcode: rule for rule in self._rules}

    @property
    def on(self) -> bool:
        """True when the configuration has insert rules."""
        return bool(self._rules)

    def claims(self, code: str) -> bool:
        """True when ``code`` is an insert's barcode."""
        return code in self._by_barcode

    def due(self, j: Journal) -> list[InsertDue]:
        """The inserts the open order gets, with what is added and the stock."""
        state = self._ctx.state
        if state is None or not self._rules:
            return []
        added = {
            code
            for (code,) in j.cur.execute(
                "SELECT code FROM pack_inserts WHERE session_id = ? AND status = 'added'",
                (state.session_id,),
            )
        }
        stock = dict(j.cur.execute("SELECT code, on_hand FROM insert_stock").fetchall())
        result = []
        for rule in self._matching(j, state.order_id):
            on_hand = stock.get(rule.code)
            result.append(
                InsertDue(
                    rule.code,
                    rule.name,
                    rule.barcode,
                    rule.code in added,
                    None if on_hand is None else int(on_hand),
                    on_hand is not None and int(on_hand) <= rule.low_stock,
                )
            )
        return result

    def scan(self, j: Journal, d: Draft) -> Draft:
        """An insert's barcode scanned: it is in the box (when the order gets it)."""
        rule = self._by_barcode[d.interp.data]
        due = {insert.code: insert for insert in self.due(j)}
        if rule.code not in due:
            d.extra["inserts"] = list(due.values())
            return verdict(
                d, Verdict.INSERT_NOT_DUE, f"{rule.name}: this order does not get it, take it out"
            )
        if due[rule.code].added:
            d.extra["inserts"] = list(due.values())
            return verdict(d, Verdict.INSERT_ADDED, f"{rule.name} is already in")
        self._add(j, rule)
        d.extra["inserts"] = self.due(j)
        return verdict(d, Verdict.INSERT_ADDED, f"{rule.name} added")

    def add_all(self, j: Journal, d: Draft) -> Draft:
        """The inserts key or barcode: every outstanding insert is in the box."""
        if self._ctx.state is None:
            return verdict(d, Verdict.NO_ORDER_OPEN, "no order open")
        by_code = {rule.code: rule for rule in self._rules}
        outstanding = [by_code[i.code] for i in self.due(j) if not i.added]
        if not outstanding:
            d.extra["inserts"] = self.due(j)
            return verdict(d, Verdict.NOTHING_TO_CONFIRM, "no inserts are outstanding")
        for rule in outstanding:
            self._add(j, rule)
        d.extra["inserts"] = self.due(j)
        names = ", ".join(rule.name for rule in outstanding)
        return verdict(d, Verdict.INSERT_ADDED, f"added {names}")

    def completing(self, j: Journal) -> None:
        """The open order is completing: record the inserts it did not get (never refuses)."""
        state = self._ctx.state
        if state is None:
            return
        for insert in self.due(j):
            if insert.added:
                continue
            self._record(j, insert.code, "missing")
            j.audit(
                self._user_id(),
                "pack.insert_missing",
                "order",
                state.order_number,
                {"insert": insert.code, "session_id": state.session_id},
            )

    # --- the rules -------------------------------------------------------------------------

    def _matching(self, j: Journal, order_id: int) -> list[InsertRule]:
        channel, ship_to_id = j.cur.execute(
            "SELECT channel, ship_to_id FROM orders WHERE id = ?", (order_id,)
        ).fetchone()
        skus: set[str] | None = None
        value: float | None = None
        first: bool | None = None
        chosen = []
        for rule in self._rules:
            if rule.channels and channel not in rule.channels:
                continue
            if rule.skus:
                if skus is None:
                    skus = self._skus(j, order_id)
                if skus.isdisjoint(rule.skus):
                    continue
            if rule.min_order_value is not None:
                if value is None:
                    value = self._value(j, order_id)
                if value < rule.min_order_value:
                    continue
            if rule.first_order:
                if first is None:
                    first = self._first_order(j, order_id, ship_to_id)
                if not first:
                    continue
            chosen.append(rule)
        return chosen

    @staticmethod
    def _skus(j: Journal, order_id: int) -> set[str]:
        rows = j.cur.execute(
            "SELECT p.sku FROM order_lines l JOIN products p ON p.id = l.product_id"
            " WHERE l.order_id = ?",
            (order_id,),
        )
        return {str(sku) for (sku,) in rows}

    @staticmethod
    def _value(j: Journal, order_id: int) -> float:
        (value,) = j.cur.execute(
            "SELECT coalesce(sum(l.quantity * coalesce(p.unit_value, 0)), 0) FROM order_lines l"
            " JOIN products p ON p.id = l.product_id WHERE l.order_id = ?",
            (order_id,),
        ).fetchone()
        return float(value)

    @staticmethod
    def _first_order(j: Journal, order_id: int, ship_to_id: int | None) -> bool:
        """No order here for the same customer (by e-mail, else by name) came in before."""
        if ship_to_id is None:
            return False  # no customer known (purged or not given): not provably the first
        email, name = j.cur.execute(
            "SELECT lower(email), customer_name FROM ship_to WHERE id = ?", (ship_to_id,)
        ).fetchone()
        same = "lower(s.email) = ?" if email else "s.email IS NULL AND s.customer_name = ?"
        earlier = j.cur.execute(
            "SELECT 1 FROM orders o JOIN ship_to s ON s.id = o.ship_to_id"
            " JOIN orders me ON me.id = ? WHERE o.id != me.id AND " + same + " AND"
            " (o.created_at < me.created_at OR (o.created_at = me.created_at AND o.id < me.id))"
            " LIMIT 1",
            (order_id, email or name),
        ).fetchone()
        return earlier is None

    # --- writes ----------------------------------------------------------------------------

    def _add(self, j: Journal, rule: InsertRule) -> None:
        self._record(j, rule.code, "added")
        j.cur.execute(
            "INSERT INTO insert_stock (code, on_hand, updated_at) VALUES (?, -1, ?)"
            " ON CONFLICT (code) DO UPDATE SET on_hand = on_hand - 1,"
            " updated_at = excluded.updated_at",
            (rule.code, sql_time(j.now)),
        )

    def _record(self, j: Journal, code: str, status: str) -> None:
        state = self._ctx.state
        assert state is not None
        j.cur.execute(
            "INSERT INTO pack_inserts (session_id, code, status, user_id, at)"
            " VALUES (?, ?, ?, ?, ?)",
            (state.session_id, code, status, self._user_id(), sql_time(j.now)),
        )

    def _user_id(self) -> int | None:
        user = self._ctx.user
        return user.id if user else None


def restock(j: Journal, code: str, on_hand: int) -> None:
    """Set an insert's counted stock (a delivery, a count)."""
    j.cur.execute(
        "INSERT INTO insert_stock (code, on_hand, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (code) DO UPDATE SET on_hand = excluded.on_hand,"
        " updated_at = excluded.updated_at",
        (code, on_hand, sql_time(j.now)),
    )
