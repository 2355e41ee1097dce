"""The frame generator: deterministic, truthful, covering what the benchmark claims."""

from __future__ import annotations

import numpy as np

from drivers.camera.synth import HEIGHT, KINDS, WIDTH, frame_set, make_frame, scene_set


def test_same_seed_same_pixels_other_seed_other_pixels() -> None:
    a = make_frame(11, "qr", 3, 12.0)
    b = make_frame(11, "qr", 3, 12.0)
    c = make_frame(12, "qr", 3, 12.0)
    assert np.array_equal(a.image, b.image) and a.codes == b.codes
    assert not np.array_equal(a.image, c.image)


def test_frames_are_grey_720p_with_their_truth() -> None:
    frame = make_frame(5, "gs1-128", 2, -20.0)
    assert frame.image.shape == (HEIGHT, WIDTH) and frame.image.dtype == np.uint8
    (code,) = frame.codes
    assert (code.kind, code.format, code.symbology) == ("gs1-128", "Code 128", "]C1")
    assert code.text.startswith("01") and "\x1d21" in code.text
    assert frame.module_px == 2 and frame.angle == -20.0


def test_no_code_frames_have_clutter_and_no_truth() -> None:
    frame = make_frame(5, None, 0, 0.0)
    assert frame.codes == () and frame.module_px == 0
    assert frame.image.std() > 10  # texture, text and lines, not a flat grey


def test_a_set_covers_every_kind_size_and_some_empty_frames() -> None:
    frames = frame_set(36, seed=3)
    kinds = {f.codes[0].kind for f in frames if f.codes}
    sizes = {f.module_px for f in frames if f.codes}
    assert kinds == set(KINDS)
    assert sizes == {1, 2, 3, 4}
    assert sum(1 for f in frames if not f.codes) == 6


def test_shots_of_a_scene_differ_only_by_noise_and_jitter() -> None:
    (first, second), *_ = scene_set(1, seed=4, shots=2)
    assert first.codes == second.codes
    assert not np.array_equal(first.image, second.image)
    difference = np.abs(first.image.astype(int) - second.image.astype(int))
    assert np.median(difference) < 40
