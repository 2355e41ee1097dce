"""Issue 17, point 2: no POSIX-only call outside a guarded place (a Windows build needs it)."""

from __future__ import annotations

from tests.install.posix_calls import POSIX_ONLY_MODULES, ROOT, find


def test_posix_only_calls_are_all_guarded() -> None:
    found = find()
    assert found, "the scan found nothing at all: is it still looking at the right names?"
    assert [str(f) for f in found if not f.guarded] == []


def test_the_posix_only_modules_exist() -> None:
    for module in POSIX_ONLY_MODULES:
        assert (ROOT / module).is_file(), module
