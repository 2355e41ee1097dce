"""The agreement rule: what a single frame may report, and reporting once per appearance."""

from __future__ import annotations

from drivers.camera.confirm import Confirmer, proves_itself
from drivers.camera.decode import Decoded

_AT = ((0, 0), (10, 0), (10, 10), (0, 10))


def _code(fmt: str, text: str, aim: str | None) -> Decoded:
    return Decoded(fmt, text, aim, _AT)


EAN = _code("EAN-13", "4006381333931", "]E0")
BAD_EAN = _code("EAN-13", "4006381333932", "]E0")
GS1 = _code("Code 128", "0109504000059118\x1d21XYZ", "]C1")
BAD_GS1 = _code("Code 128", "0109504000059116", "]C1")
ORDER = _code("Code 128", "ORD-123456", "]C0")
QR = _code("QR Code", "https://example.com/o/1", "]Q1")


def test_codes_that_prove_themselves() -> None:
    assert proves_itself(EAN)
    assert proves_itself(GS1)
    assert proves_itself(_code("Data Matrix", "0109504000059118", "]d2"))
    assert not proves_itself(BAD_EAN)
    assert not proves_itself(BAD_GS1)
    assert not proves_itself(ORDER)
    assert not proves_itself(QR)
    assert not proves_itself(_code("EAN-8", "96385074", "]E4"))  # short: must be seen twice


def test_self_proving_code_is_reported_on_first_sight() -> None:
    confirmer = Confirmer()
    assert confirmer.feed(1, [EAN, GS1]) == [EAN, GS1]


def test_other_codes_need_a_second_frame() -> None:
    confirmer = Confirmer(window=15)
    assert confirmer.feed(1, [ORDER, QR]) == []
    assert confirmer.feed(1, [ORDER]) == []  # the same frame twice is not agreement
    assert confirmer.feed(3, [ORDER, QR]) == [ORDER, QR]


def test_a_second_sighting_too_late_starts_over() -> None:
    confirmer = Confirmer(window=5)
    assert confirmer.feed(1, [ORDER]) == []
    assert confirmer.feed(10, [ORDER]) == []
    assert confirmer.feed(11, [ORDER]) == [ORDER]


def test_a_code_in_view_is_reported_once_and_again_after_leaving() -> None:
    confirmer = Confirmer(window=5)
    reports = [confirmer.feed(frame, [EAN]) for frame in range(1, 20)]
    assert sum(len(r) for r in reports) == 1
    assert confirmer.feed(30, [EAN]) == [EAN]  # gone for more than the window: a new scan


def test_different_texts_do_not_agree() -> None:
    confirmer = Confirmer()
    assert confirmer.feed(1, [ORDER]) == []
    assert confirmer.feed(2, [_code("Code 128", "ORD-123457", "]C0")]) == []
