"""``station decode`` and ``station devices camera snapshot`` through the real command line."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera.synth import _content, make_frame, render_symbol
from station.cli.main import main

GS = "\x1d"


def _write_symbol(folder: Path, kind: str, seed: str = "cli") -> tuple[Path, str]:
    """A PNG holding one ``kind`` symbol on a white margin, and its expected text."""
    content, text, _ = _content(kind, random.Random(seed + kind))
    image = cv2.copyMakeBorder(
        render_symbol(kind, content, 3), 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255
    )
    path = folder / f"{kind}.png"
    assert cv2.imwrite(str(path), image)
    return path, text


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines()]


def test_json_shape_gs_kept_and_gs1_interpreted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix, matrix_text = _write_symbol(tmp_path, "gs1-datamatrix")
    ean, ean_text = _write_symbol(tmp_path, "ean13")
    qr, qr_text = _write_symbol(tmp_path, "qr")
    assert main(["decode", str(matrix), str(ean), str(qr), "--json"]) == 0
    first, second, third = _lines(capsys)
    assert first == {
        "file": str(matrix),
        "codes": [
            {
                "format": "Data Matrix",
                "text": matrix_text,
                "symbology": "]d2",
                "gtin": matrix_text[2:16],
                "gs1": {
                    "01": matrix_text[2:16],
                    "17": matrix_text[18:24],
                    "10": matrix_text[26 : matrix_text.index(GS)],
                    "21": matrix_text.split(GS)[1][2:],
                },
            }
        ],
    }
    assert GS in first["codes"][0]["text"]  # type: ignore[index]
    assert second["codes"] == [
        {
            "format": "EAN-13",
            "text": ean_text,
            "symbology": "]E0",
            "gtin": "0" + ean_text,
            "gs1": {},
        }
    ]
    assert third["codes"] == [
        {"format": "QR Code", "text": qr_text, "symbology": "]Q1", "gtin": None, "gs1": {}}
    ]


def test_gs_is_escaped_in_the_json_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    label, _ = _write_symbol(tmp_path, "gs1-128")
    assert main(["decode", "--json", str(label)]) == 0
    raw = capsys.readouterr().out
    assert "\\u001d" in raw and GS not in raw
    (code,) = json.loads(raw)["codes"]
    assert code["symbology"] == "]C1" and code["gs1"]["21"]


def test_bad_files_are_reported_and_the_others_still_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, text = _write_symbol(tmp_path, "code128")
    notes = tmp_path / "notes.png"
    notes.write_text("not an image")
    missing = tmp_path / "missing.png"
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((100, 100), 255, np.uint8))
    args = ["decode", "--json", str(missing), str(notes), str(good), str(blank)]
    assert main(args) == 1
    lines = _lines(capsys)
    assert lines[0] == {"file": str(missing), "error": f"{missing}: no such file", "codes": []}
    assert lines[1] == {
        "file": str(notes),
        "error": f"{notes}: not an image OpenCV can read",
        "codes": [],
    }
    assert [c["text"] for c in lines[2]["codes"]] == [text]  # type: ignore[attr-defined]
    assert lines[3] == {"file": str(blank), "codes": []}


def test_zbar_engine_has_no_aim_identifier_and_no_data_matrix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ean, ean_text = _write_symbol(tmp_path, "ean13")
    matrix, _ = _write_symbol(tmp_path, "gs1-datamatrix")
    assert main(["decode", "--engine", "zbar", "--json", str(ean), str(matrix)]) == 0
    first, second = _lines(capsys)
    assert first["codes"] == [
        {
            "format": "EAN-13",
            "text": ean_text,
            "symbology": None,
            "gtin": "0" + ean_text,
            "gs1": {},
        }
    ]
    assert second["codes"] == []


def test_plain_output_shows_gs_as_a_marker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    label, text = _write_symbol(tmp_path, "gs1-128")
    assert main(["decode", str(label)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"{label}: Code 128 ]C1 {text.replace(GS, '<GS>')}  GTIN {text[2:16]}"


def test_camera_snapshot_saves_a_full_resolution_still(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    video = tmp_path / "bench.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, (1920, 1080))
    for level in (40, 80, 120):
        writer.write(np.full((1080, 1920, 3), level, np.uint8))
    writer.release()
    out = tmp_path / "still.png"
    args = ["devices", "camera", "snapshot", "--source", str(video), "-o", str(out), "--skip", "1"]
    assert main(args) == 0
    still = cv2.imread(str(out))
    assert still is not None and still.shape == (1080, 1920, 3)
    assert still.mean() > 60  # not the skipped first frame (40): the second, or the third
    assert capsys.readouterr().out.strip() == (f"saved a 1920x1080 still from {video} to {out}")


def test_camera_snapshot_says_why_there_is_no_still(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.avi"
    args = [
        "devices",
        "camera",
        "snapshot",
        "--source",
        str(missing),
        "-o",
        str(tmp_path / "x.jpg"),
    ]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"camera: cannot open video file {missing}: no such file"
    assert not (tmp_path / "x.jpg").exists()


def test_bench_decode_prints_its_figures_and_a_json_last_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["bench", "decode", "--frames", "6", "--seed", "2", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["frames"] == 6 and figures["scenes"] == 3
    for key in ("live_p50_ms", "live_p99_ms", "zxing_default_p50_ms", "zbar_default_p50_ms"):
        assert figures[key] > 0
    assert 0 <= figures["live_read"] <= 1 and figures["live_false_positives"] == 0
    assert figures["missing_engines"] == {}
    assert figures["live_vs_zxing_p50_ratio"] == pytest.approx(
        figures["live_p50_ms"] / figures["zxing_default_p50_ms"], rel=1e-2
    )
    assert any(line.startswith("timed on one core:") for line in lines)
    assert main(["bench", "decode", "--frames", "0"]) == 2


# Runs the station's command line with libzbar made unfindable exactly as on a machine without
# libzbar0: pyzbar asks ctypes.util.find_library("zbar"), gets None, and raises ImportError.
WITHOUT_LIBZBAR = """
import ctypes.util, sys
found = ctypes.util.find_library
ctypes.util.find_library = lambda name: None if name == "zbar" else found(name)
from station.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _without_libzbar(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_LIBZBAR, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def test_bench_decode_without_libzbar_compares_the_engines_there(tmp_path: Path) -> None:
    # Issue 12 point 14: this failed outright with ZbarUnavailableError.
    done = _without_libzbar(tmp_path, "bench", "decode", "--frames", "4", "--json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["zxing_default_p50_ms"] > 0 and figures["live_p50_ms"] > 0
    assert figures["zbar_default_p50_ms"] is None and figures["zbar_default_read"] is None
    why = figures["missing_engines"]["zbar"]
    assert "Unable to find zbar shared library" in why and "libzbar0" in why
    (row,) = [line for line in lines if line.startswith("zbar defaults")]
    assert row.split(None, 2)[2] == f"not measured: {why}"


def test_decode_with_zbar_without_libzbar_says_what_to_install(tmp_path: Path) -> None:
    image, _ = _write_symbol(tmp_path, "ean13")
    done = _without_libzbar(tmp_path, "decode", "--engine", "zbar", str(image))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "station decode: zbar is not available (Unable to find zbar shared library):"
        " install the system package libzbar0"
    )


def test_a_tilted_shipping_label_is_read_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # zxing-cpp alone reads nothing here (see tests/drivers/camera/test_live.py).
    frame = make_frame(21, "gs1-128", 3, 25.0)
    photo = tmp_path / "label.jpg"
    assert cv2.imwrite(str(photo), frame.image, [cv2.IMWRITE_JPEG_QUALITY, 95])
    assert main(["decode", "--json", str(photo)]) == 0
    codes = _lines(capsys)[0]["codes"]
    assert isinstance(codes, list) and len(codes) == 1
    code = codes[0]
    assert (code["text"], code["symbology"]) == (frame.codes[0].text, "]C1")
    assert code["gtin"] == frame.codes[0].text[2:16]


def test_an_image_one_pixel_high_is_read_and_the_next_files_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 12 point 10: a 1 px high image ended the run with a cv2.error traceback (the
    # live path halved it to 0 rows) and the files after it were never read.
    ean, text = _write_symbol(tmp_path, "ean13")
    row = tmp_path / "row.png"
    symbol = cv2.imread(str(ean), cv2.IMREAD_GRAYSCALE)
    assert symbol is not None
    assert cv2.imwrite(str(row), symbol[symbol.shape[0] // 2 : symbol.shape[0] // 2 + 1])
    thin = tmp_path / "thin.png"
    assert cv2.imwrite(str(thin), np.full((1, 200), 255, np.uint8))
    dot = tmp_path / "dot.png"
    assert cv2.imwrite(str(dot), np.full((1, 1), 255, np.uint8))
    args = ["decode", "--json", str(thin), str(dot), str(row), str(ean)]
    assert main(args) == 0
    lines = _lines(capsys)
    assert lines[0] == {"file": str(thin), "codes": []}
    assert lines[1] == {"file": str(dot), "codes": []}
    assert [c["text"] for c in lines[2]["codes"]] == [text]  # type: ignore[attr-defined]
    assert [c["text"] for c in lines[3]["codes"]] == [text]  # type: ignore[attr-defined]
    assert main(["decode", str(thin)]) == 0
    assert capsys.readouterr().out == f"{thin}: no barcode found\n"


def test_decode_reports_no_code_the_camera_would_reject(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Issue 12 point 11: zxing-cpp's own sample photos, where its thorough defaults read a
    # valid EAN-13 that is not there (tests/drivers/camera/samples/README.md).
    samples = Path(__file__).parents[1] / "drivers" / "camera" / "samples"
    names = ["ean13-1-35.webp", "upca-2-48.webp", "upca-4-1.webp", "upca-4-2.webp"]
    assert main(["decode", "--json", *(str(samples / n) for n in names)]) == 0
    texts = [[str(c["text"]) for c in line["codes"]] for line in _lines(capsys)]  # type: ignore[attr-defined]
    assert texts[0] == ["5030159003930"]  # the right code, and not the wrong one beside it
    assert set(texts[1]) <= {"0075720003259"}
    assert set(texts[2] + texts[3]) <= {"0023942431015"}
