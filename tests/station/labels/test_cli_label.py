"""``station label render`` and ``station label carrier`` through ``main``."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.cli.main import main
from station.db import Database
from station.db.models import Order
from station.labels.carrier import store_carrier_label
from tests.station.labels.conftest import decode


def _run(db: Database, *args: str) -> int:
    return main(["--db", str(db.path), "label", *args])


@pytest.mark.parametrize("fmt", ["zpl", "png", "pdf", "escpos"])
def test_render_writes_the_file(
    label_db: Database, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"label.{fmt}"
    args = ["--order", "SO-NL1", "--package", "2", "--template", "shipping", "--format", fmt]
    dpi = [] if fmt == "escpos" else ["--dpi", "300"]  # ESC/POS: the profile's resolution
    status = _run(label_db, "render", *args, *dpi, "-o", str(out))
    assert status == 0
    data = out.read_bytes()
    assert {"zpl": b"^XA", "png": b"\x89PNG", "pdf": b"%PDF", "escpos": b"\x1b@"}[fmt] in data[:8]
    if fmt == "zpl":
        assert b"^PW1218^LL1827" in data and b"PACKAGE 2 OF 2" in data
    if fmt == "png":
        assert "SO-NL1" in {c.text for c in decode(data)}
    assert f"-> {out}" in capsys.readouterr().out


def test_dpi_for_escpos_is_refused_not_ignored(
    label_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--order", "SO-NL1", "--template", "packing-slip", "--format", "escpos"]
    assert _run(label_db, "render", *args, "--dpi", "300", "-o", str(tmp_path / "x")) == 1
    assert "resolution of its printer profile (TM-T88III)" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_return_tag_fields_from_the_command_line(label_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "tag.png"
    status = _run(label_db, "render", "--order", "SO-NL1", "--template", "return-tag",
                  "--format", "png", "--field", "tag_id=RT-7", "--field", "disposition=SCRAP",
                  "-o", str(out))  # fmt: skip
    assert status == 0
    assert [c.text for c in decode(out.read_bytes())] == ["RT-7"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--order", "SO-NOPE", "--template", "shipping"], "unknown order 'SO-NOPE'"),
        (["--order", "SO-NL1", "--template", "customs"], "it is domestic"),
        (["--order", "SO-NL1", "--template", "gift-note"], "no gift note for order SO-NL1"),
        (["--order", "SO-NL1", "--package", "9", "--template", "shipping"], "no package 9"),
    ],
)
def test_exits_1_with_the_reason(
    label_db: Database,
    tmp_path: Path,
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "label.zpl"
    assert _run(label_db, "render", *args, "--format", "zpl", "-o", str(out)) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_carrier_label_is_written_unchanged(
    label_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    supplied = b"^XA^FO50,50^A0N,40,40^FDCARRIER LABEL^FS^XZ\r\n\x00binary tail"
    digest = store_carrier_label(label_db.path.parent / "carrier-labels", supplied, "zpl")
    with label_db.session() as s:
        order = s.query(Order).filter_by(number="SO-US1").one()
        order.carrier_label_format, order.carrier_label_sha256 = "zpl", digest
        s.commit()
    out = tmp_path / "carrier.zpl"
    assert _run(label_db, "carrier", "--order", "SO-US1", "-o", str(out)) == 0
    assert out.read_bytes() == supplied
    # A file that no longer matches its hash is refused rather than printed.
    (label_db.path.parent / "carrier-labels" / f"{digest}.zpl").write_bytes(b"^XA^XZ")
    assert _run(label_db, "carrier", "--order", "SO-US1", "-o", str(out)) == 1
    assert "does not match its hash" in capsys.readouterr().err
    assert _run(label_db, "carrier", "--order", "SO-NL1", "-o", str(out)) == 1
    assert "has no carrier-supplied label" in capsys.readouterr().err
