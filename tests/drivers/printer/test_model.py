"""When a status lets a job through, and what the refusal says."""

from __future__ import annotations

from dataclasses import replace

from drivers.printer.escpos_status import parse_realtime_status
from drivers.printer.model import PrinterStatus, refusal_reason, unknown_status

READY = PrinterStatus(
    online=True,
    paper_out=False,
    head_open=False,
    paused=False,
    ribbon_out=False,
    buffer_full=False,
    raw="",
    reason="ready",
)


def test_ready_passes() -> None:
    assert READY.ready is True
    assert refusal_reason(READY) is None


def test_any_known_problem_blocks_even_if_online_claims_true() -> None:
    for field, text in [
        ("paper_out", "paper out"),
        ("head_open", "print head open"),
        ("paused", "paused"),
        ("ribbon_out", "ribbon out"),
    ]:
        flags: dict[str, bool | str] = {field: True, "reason": text}
        status = replace(READY, **flags)  # type: ignore[arg-type]
        assert status.blocking_problems == [text]
        assert status.ready is False
        assert refusal_reason(status) == text


def test_flags_a_language_lacks_do_not_block_an_online_printer() -> None:
    status = replace(READY, paused=None, ribbon_out=None, buffer_full=None)
    assert status.ready is True


def test_unknown_online_is_unknown_not_ready() -> None:
    status = unknown_status("no answer to ~HS (printer may be in error)")
    assert status.ready is None
    assert refusal_reason(status) == (
        "printer status unknown: no answer to ~HS (printer may be in error)"
    )


def test_offline_printer_gives_its_own_reason() -> None:
    status = parse_realtime_status(b"\x1a", b"\x12", b"\x1e")
    assert status.ready is False
    assert refusal_reason(status) == "printer offline; paper near end"
