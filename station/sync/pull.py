"""Pulling the hub's change feed: each page applied with its cursor in one transaction.

A page and the cursor after it commit together, so a crash repeats at most one page (applying
a record twice gives the same result). When the hub answers "reset required" the station
rebuilds: the whole feed from an empty cursor, then a sweep of what the hub no longer has;
the cursor is saved only with the sweep, so an interrupted rebuild simply starts over. The
caller pushes the outbox first; the rebuild never touches the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from station.db import Database
from station.db.models import Order, Product, Rma, RmaSource
from station.returns.rmas import upsert_rmas
from station.sync.apply_catalog import apply_product, remove_product
from station.sync.apply_orders import BlockedOrder, apply_order, remove_order
from station.sync.apply_users import apply_user, deactivate_user
from station.sync.client import HubClient, HubRefused
from station.sync.protocol import ENTITIES, Change
from station.sync.records import OrderRecord, ProductRecord, RmaRecord, UserRecord
from station.sync.state import CURSOR, read_setting, set_setting

log = logging.getLogger(__name__)

DEFAULT_PAGE = 500


class ResetNeeded(Exception):  # noqa: N818 - a state of the protocol
    """The hub cannot continue from our cursor: push everything, then rebuild."""


@dataclass
class PullReport:
    """What a pull did: records applied, orders blocked, whether it was a rebuild."""

    pulled: int = 0
    blocked: list[BlockedOrder] = field(default_factory=list)
    reset: bool = False


def apply_change(session: Session, change: Change) -> BlockedOrder | None:
    """Apply one record or tombstone; entities this station does not keep are skipped."""
    if change.entity == "rma":
        # The returns bench owns its RMA table and the rules of updating it; the record is
        # checked against its shape first (a list for an order number reached the INSERT).
        # Only the fields the hub sent are passed on: an absent one leaves the bench's value.
        record: dict[str, Any] | None = {"number": change.key, "deleted": True}
        if not change.deleted:
            record = _valid(RmaRecord, change)
        if record is not None and upsert_rmas(session, [record]).rejected:
            log.warning("skipped an RMA from the hub (change %d)", change.seq)
        return None
    if change.deleted or change.data is None:
        remover = _REMOVERS.get(change.entity)
        if remover is not None:
            remover(session, change.key)
        return None
    try:
        if change.entity == "product":
            apply_product(session, ProductRecord.model_validate(change.data))
        elif change.entity == "order":
            return apply_order(session, OrderRecord.model_validate(change.data))
        elif change.entity == "user":
            apply_user(session, UserRecord.model_validate(change.data))
    except ValidationError as exc:
        # One malformed record must not stop the feed. Logged by change number only: a key
        # can be a person's name.
        log.warning(
            "skipped a %s from the hub (change %d): %s",
            change.entity,
            change.seq,
            exc.errors()[0]["msg"],
        )
    return None


def _valid(model: type[RmaRecord], change: Change) -> dict[str, Any] | None:
    if change.data is None:
        return None
    try:
        return model.model_validate(change.data).model_dump(exclude_unset=True)
    except ValidationError as exc:
        log.warning(
            "skipped a %s from the hub (change %d): %s",
            change.entity,
            change.seq,
            exc.errors()[0]["msg"],
        )
        return None


_REMOVERS: dict[str, Callable[[Session, str], None]] = {
    "product": remove_product,
    "order": remove_order,
    "user": deactivate_user,
}


def apply_page(session: Session, changes: list[Change], report: PullReport) -> None:
    """Apply a page, products first (orders name them), then users, orders, RMAs."""
    rank = {entity: i for i, entity in enumerate(ENTITIES)}
    for change in sorted(changes, key=lambda c: (rank.get(c.entity, len(rank)), c.seq)):
        blocked = apply_change(session, change)
        if blocked is not None:
            report.blocked.append(blocked)
    report.pulled += len(changes)


def pull_changes(db: Database, client: HubClient, *, page: int = DEFAULT_PAGE) -> PullReport:
    """Apply every change after the stored cursor; ResetNeeded if the hub asks for a reset."""
    report = PullReport()
    cursor = read_setting(db, CURSOR)
    while True:
        try:
            answer = client.pull(cursor, page)
        except HubRefused as exc:
            if exc.error == "reset_required":
                raise ResetNeeded(exc.body.message) from exc
            raise
        with db.session() as session:
            apply_page(session, answer.changes, report)
            set_setting(session, CURSOR, answer.cursor)
            session.commit()
        cursor = answer.cursor
        if not answer.more:
            return report


def rebuild(db: Database, client: HubClient, *, page: int = DEFAULT_PAGE) -> PullReport:
    """Pull the whole feed again and drop what the hub no longer has (after a reset)."""
    report = PullReport(reset=True)
    seen: dict[str, set[str]] = {entity: set() for entity in ENTITIES}
    cursor: str | None = None
    while True:
        answer = client.pull(cursor, page)
        with db.session() as session:
            apply_page(session, answer.changes, report)
            session.commit()
        for change in answer.changes:
            if not change.deleted:
                seen.setdefault(change.entity, set()).add(change.key)
        cursor = answer.cursor
        if not answer.more:
            break
    with db.session() as session:
        _sweep(session, seen)
        set_setting(session, CURSOR, cursor)
        session.commit()
    return report


def _sweep(session: Session, seen: dict[str, set[str]]) -> None:
    # Users are not swept: a station may have local users the hub never knew, and the hub
    # removes a user by sending it inactive, which a rebuild delivers like any record.
    for sku in set(session.scalars(select(Product.sku))) - seen["product"]:
        remove_product(session, sku)
    for number in set(session.scalars(select(Order.number))) - seen["order"]:
        remove_order(session, number)
    # RMAs a bench created here stay; those the hub sent and no longer has are cancelled.
    hub_rmas = set(session.scalars(select(Rma.number).where(Rma.source == RmaSource.HUB)))
    gone = [{"number": n, "deleted": True} for n in sorted(hub_rmas - seen["rma"])]
    upsert_rmas(session, gone)
