"""Issue 17, point 5: every runtime dependency's licence is known, copyleft ones explained."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from tests.install.licences import copyleft, licences, report, runtime_dependencies, unexplained


def test_the_runtime_closure_has_the_dependencies_and_no_test_tools() -> None:
    names = {canonicalize_name(n) for n in runtime_dependencies()}
    for needed in ("pyside6-essentials", "zplkit", "sqlalchemy", "psycopg-binary", "biip"):
        assert needed in names
    for tool in ("pytest", "mypy", "ruff", "hypothesis", "pip-licenses"):
        assert tool not in names


def test_every_copyleft_dependency_says_how_we_use_it() -> None:
    rows = licences(runtime_dependencies())
    assert unexplained(rows) == []
    flagged = {canonicalize_name(r["Name"]) for r in copyleft(rows)}
    assert {"zplkit", "pyside6-essentials", "psycopg"} <= flagged
    text = report(rows)
    assert all(f"| {r['Name']} |" in text for r in rows)
    assert "NOT KNOWN" not in text
