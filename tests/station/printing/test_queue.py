"""The queue's rows and events on a real SQLite file, without a worker."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from station.db import Database
from station.db.models import AuditEntry, Order, PrintJobStatus, Role, User
from station.printing.jobs import UnknownJobError
from station.printing.queue import PrintQueue

from .conftest import STATION, events, label


def _order(db: Database, number: str) -> int:
    with db.session() as s, s.begin():
        order = Order(number=number)
        s.add(order)
        s.flush()
        return order.id


def _user(db: Database) -> int:
    with db.session() as s, s.begin():
        user = User(name="Sam", role=Role.SUPERVISOR)
        s.add(user)
        s.flush()
        return user.id


def test_enqueue_stores_the_job_and_writes_print_queued(queue: PrintQueue, db: Database) -> None:
    job_id = queue.enqueue("package:1:shipping", "shipping", "zpl", "tcp://p:9100", label(1))
    job = queue.job(job_id)
    assert (job.status, job.copy, job.attempts, job.size) == (
        PrintJobStatus.QUEUED,
        1,
        0,
        len(label(1)),
    )
    assert job.payload_sha256 == hashlib.sha256(label(1)).hexdigest()
    assert not job.final
    [(kind, payload)] = events(db)
    assert kind == "print.queued"
    assert payload["job_id"] == job_id
    assert payload["station"] == STATION
    assert payload["job_key"] == "package:1:shipping"
    assert "payload" not in payload  # the hash travels, not the label


def test_the_same_key_twice_is_one_job(queue: PrintQueue, db: Database) -> None:
    first = queue.enqueue("package:1:shipping", "shipping", "zpl", "tcp://p:9100", label(1))
    again = queue.enqueue("package:1:shipping", "shipping", "zpl", "tcp://p:9100", label(2))
    assert again == first
    assert [j.id for j in queue.jobs()] == [first]
    assert queue.job(first).payload_sha256 == hashlib.sha256(label(1)).hexdigest()
    assert [t for t, _ in events(db)] == ["print.queued"]


def test_reprint_is_a_new_audited_copy(queue: PrintQueue, db: Database) -> None:
    user = _user(db)
    first = queue.enqueue("package:1:shipping", "shipping", "zpl", "tcp://p:9100", label(1))
    second = queue.reprint(first, user)
    third = queue.reprint(second, user)
    copies = [(j.id, j.copy, j.requested_by) for j in reversed(queue.jobs())]
    assert copies == [(first, 1, None), (second, 2, user), (third, 3, user)]
    # Enqueueing the key again still names the first job: no fourth label.
    assert queue.enqueue("package:1:shipping", "shipping", "zpl", "tcp://p:9100", label(1)) == first
    with db.session() as s:
        audit = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(a.action, a.user_id, a.entity_id, a.detail) for a in audit] == [
        (
            "print.reprint",
            user,
            str(second),
            {"of_job": first, "job_key": "package:1:shipping", "copy": 2},
        ),
        (
            "print.reprint",
            user,
            str(third),
            {"of_job": second, "job_key": "package:1:shipping", "copy": 3},
        ),
    ]
    queued = events(db)
    assert [t for t, _ in queued] == ["print.queued"] * 3
    assert queued[1][1]["reprint_of"] == first


def test_reprint_of_an_unknown_job_says_so(queue: PrintQueue) -> None:
    with pytest.raises(UnknownJobError, match="no print job 42"):
        queue.reprint(42, None)


def test_jobs_history_and_pending_count(queue: PrintQueue, db: Database) -> None:
    order = _order(db, "SO-1001")
    other = _order(db, "SO-1002")
    a = queue.enqueue(
        "package:1:shipping", "shipping", "zpl", "tcp://p:9100", label(1), order_id=order
    )
    b = queue.enqueue(
        "package:2:shipping", "shipping", "zpl", "tcp://p:9100", label(2), order_id=other
    )
    c = queue.enqueue(
        "order:1:packing-slip", "packing-slip", "zpl", "tcp://p:9100", label(3), order_id=order
    )
    assert [j.id for j in queue.jobs()] == [c, b, a]
    assert [j.id for j in queue.jobs(limit=1)] == [c]
    assert [j.id for j in queue.history("SO-1001")] == [a, c]
    assert queue.history("SO-9999") == []
    assert queue.pending_count() == 3
    queue.claim(a)
    queue.finish(a)
    assert [j.id for j in queue.jobs(PrintJobStatus.DONE)] == [a]
    assert queue.pending_count() == 2


def test_claim_is_refused_for_a_job_in_flight_or_settled(queue: PrintQueue) -> None:
    job_id = queue.enqueue("k", "shipping", "zpl", "tcp://p:9100", label(1))
    assert queue.claim(job_id) == label(1)
    assert queue.claim(job_id) is None  # already SENDING
    queue.fail(job_id, "paper out", final=False)
    assert queue.claim(job_id) == label(1)  # waiting for the printer: the same row again
    assert queue.job(job_id).attempts == 2
    queue.fail(job_id, "interrupted", final=True)
    assert queue.job(job_id).final
    assert queue.claim(job_id) is None  # only the operator settles it
