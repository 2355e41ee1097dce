"""schemathesis against the hub's own OpenAPI document: no 5xx, every answer as documented.

The real app (real SQLite database, real blob folder) is called in-process through its ASGI
interface, with the token of an enrolled station, so the authenticated routes are reached.
Each operation gets schema-valid (positive) and schema-violating (negative) requests, and
the outside trial's attacks (issue 12) are replayed as cases of their own; the
checks are that nothing answers 5xx, that every status code is documented, that every body
matches the documented schema and content type, and that the security headers are there.

``STATION_SCHEMATHESIS_EXAMPLES`` sets the examples per operation and mode (default 60).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from station.hub.admin import enrol_code
from station.hub.app import create_app
from station.hub.context import HubContext, Limits
from station.hub.tokens import enrol
from station.sync.protocol import BLOBS_MISSING, ENROLL, PULL, PUSH
from tests.hub.test_body_attacks import tiny_objects_push
from tests.hub.test_cursor_attacks import CRAFTED

EXAMPLES = int(os.environ.get("STATION_SCHEMATHESIS_EXAMPLES", "60"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
SECURITY_HEADERS = (
    "x-content-type-options",
    "x-frame-options",
    "content-security-policy",
    "referrer-policy",
    "cache-control",
)


def aim_at_ingest(body: Any, first_seq: int) -> None:
    """Make a generated push bench-1's own, numbered from where the hub stands.

    Random station names and sequence numbers end in 403 or 409 before any event is looked
    at; these reach the ingest with whatever types and payloads were generated.
    """
    if not isinstance(body, dict):
        return
    body["station"] = "bench-1"
    for offset, event in enumerate(body.get("events") or []):
        if isinstance(event, dict):
            event["station_seq"] = first_seq + offset
            if isinstance(event.get("payload"), dict):
                event["payload"]["station"] = "bench-1"


def test_every_operation_answers_as_documented(tmp_path: Path) -> None:
    # The enrolment limit is lifted: this test is about the schema, not about the limiter
    # (which test_security.py covers), and generated enrolments would hit it at once.
    app = create_app(
        f"sqlite:///{tmp_path / 'hub.sqlite'}",
        blob_dir=tmp_path / "blobs",
        limits=Limits(enrol_attempts=1_000_000),
    )
    ctx = app.state.hub
    assert isinstance(ctx, HubContext)
    with ctx.db.write() as session:
        token = enrol(session, enrol_code(ctx.db, "bench-1"), "bench-1")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)

    cases: dict[str, int] = {}
    statuses: dict[int, int] = {}
    next_seq = [1]  # the seq the hub expects next from bench-1

    def fuzz(label: str, strategy: Any) -> None:
        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            cases[label] = cases.get(label, 0) + 1
            if label == "POST /v1/sync/push (positive)":
                aim_at_ingest(case.body, next_seq[0])
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if label.startswith("POST /v1/sync/push") and response.status_code == 200:
                next_seq[0] = response.json()["next_seq"]
            missing = [h for h in SECURITY_HEADERS if h not in response.headers]
            assert not missing, f"{label}: {response.status_code} without {missing}"

        run()

    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        for mode in GenerationMode:
            label = f"{operation.method.upper()} {operation.path} ({mode.value})"
            try:
                fuzz(label, operation.as_strategy(generation_mode=mode))
            except Unsatisfiable:
                # Nothing to violate: an operation without parameters or body (health).
                assert mode is GenerationMode.NEGATIVE, label

    total = sum(cases.values())
    print(f"schemathesis: {total} cases, {len(cases)} operation/mode pairs, statuses {statuses}")
    for label, count in sorted(cases.items()):
        print(f"  {label}: {count}")
    # The stations' routes were exercised in both modes and reached past authentication
    # (a 2xx seen, not only 401s and 422s).
    for route in ("POST /v1/sync/push", "GET /v1/sync/pull", "PUT /v1/blobs/{sha256}"):
        assert cases.get(f"{route} (positive)") and cases.get(f"{route} (negative)"), route
    assert any(200 <= status < 300 for status in statuses)


def test_the_outside_attacks_answer_as_documented(tmp_path: Path) -> None:
    """Issue 12's attacks as schemathesis cases: documented 4xx, never 5xx, same checks."""
    app = create_app(f"sqlite:///{tmp_path / 'hub.sqlite'}", blob_dir=tmp_path / "blobs")
    ctx = app.state.hub
    assert isinstance(ctx, HubContext)
    with ctx.db.write() as session:
        token = enrol(session, enrol_code(ctx.db, "bench-1"), "bench-1")
    auth = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    push, pull = schema[PUSH]["POST"], schema[PULL]["GET"]
    enroll, missing = schema[ENROLL]["POST"], schema[BLOBS_MISSING]["POST"]
    deep = b"[" * 5000 + b"]" * 5000
    event: dict[str, Any] = {"event_id": str(uuid.uuid4()), "station_seq": 1, "type": "note.added"}
    first: dict[str, Any] = {
        "station": "bench-1",
        "events": [{**event, "payload": {"station": "bench-1"}}],
    }
    changed: dict[str, Any] = {
        "station": "bench-1",
        "events": [{**event, "payload": {"station": "bench-1", "x": 1}}],
    }
    json_type = "application/json"
    cases: list[tuple[Any, dict[str, str], int, str]] = [
        *[
            (pull.Case(query={"cursor": cursor}), auth, 410, "reset_required")
            for cursor, _cause in CRAFTED
        ],
        (push.Case(body=tiny_objects_push(), media_type=json_type), auth, 413, "too_many_values"),
        (
            push.Case(body=b'{"station":"bench-1","events":[' + deep + b"]}", media_type=json_type),
            auth,
            422,
            "invalid_request",
        ),
        (enroll.Case(body=deep, media_type=json_type), {}, 400, "invalid_body"),
        (
            missing.Case(body=b'{"hashes":' + deep + b"}", media_type=json_type),
            auth,
            400,
            "invalid_body",
        ),
        (enroll.Case(body={"code": "x" * 300_000, "station": "b"}), {}, 413, "too_large"),
        (push.Case(body=first), auth, 200, ""),
        (push.Case(body=changed), auth, 409, "replay_changed"),
        (push.Case(body=first), auth, 200, ""),  # the identical replay is still acked
    ]
    for case, headers, status, error in cases:
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == status, (case.path, response.text[:200])
        if error:
            assert response.json()["error"] == error
        missing_headers = [h for h in SECURITY_HEADERS if h not in response.headers]
        assert not missing_headers, (case.path, missing_headers)
