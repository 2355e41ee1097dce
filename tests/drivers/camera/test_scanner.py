"""The camera as a scanner: a real video through the camera driver into live decoding."""

from __future__ import annotations

import threading
from pathlib import Path

from drivers.base import DeviceState, DeviceStatus
from drivers.camera.capture import Camera, CameraConfig, Frame
from drivers.camera.decode import Decoded
from drivers.camera.live import LiveDecoder, LiveOptions
from drivers.camera.scanner import CameraScanner
from drivers.camera.synth import make_frame


def _frame(index: int, image) -> Frame:
    return Frame(index, image, (image.shape[1], image.shape[0]), float(index))


def test_video_of_a_code_is_one_scan_reported_on_the_decoding_thread(
    barcode_video: tuple[Path, str],
) -> None:
    path, text = barcode_video
    codes: list[tuple[Decoded, str]] = []
    ended = threading.Event()
    scanner = CameraScanner(
        lambda code: codes.append((code, threading.current_thread().name)),
        decoder=LiveDecoder(LiveOptions(budget_ms=None)),
    )

    def status(s: DeviceStatus) -> None:
        if s.state is DeviceState.DISCONNECTED:
            ended.set()

    camera = Camera(CameraConfig(str(path), realtime=False), scanner.submit, status)
    scanner.start()
    camera.start()
    assert ended.wait(10)
    camera.stop()
    assert scanner.drain()
    scanner.stop()
    assert [(c.format, c.text, c.symbology) for c, _ in codes] == [("EAN-13", text, "]E0")]
    assert codes[0][1] == "camera-decode-camera"
    assert scanner.decoded + scanner.skipped == 12


def test_a_code_that_does_not_prove_itself_needs_two_frames() -> None:
    codes: list[Decoded] = []
    scanner = CameraScanner(codes.append, decoder=LiveDecoder(LiveOptions(budget_ms=None)))
    scanner.start()
    first, second = (make_frame(31, "code128", 3, 10.0, shot) for shot in (0, 1))
    scanner.submit(_frame(1, first.image))
    assert scanner.drain()
    assert codes == []
    scanner.submit(_frame(2, second.image))
    assert scanner.drain()
    scanner.stop()
    assert [c.text for c in codes] == [first.codes[0].text]


def test_frames_offered_faster_than_decoded_are_skipped_not_queued() -> None:
    gate = threading.Event()
    decoding = threading.Event()

    class SlowDecoder(LiveDecoder):
        def read(self, gray):
            decoding.set()
            gate.wait(5)
            return []

    scanner = CameraScanner(lambda code: None, decoder=SlowDecoder())
    scanner.start()
    image = make_frame(3, None, 0, 0.0).image
    scanner.submit(_frame(1, image))
    assert decoding.wait(5)  # frame 1 is being decoded; 2..5 arrive meanwhile
    for index in range(2, 6):
        scanner.submit(_frame(index, image))
    gate.set()
    assert scanner.drain()
    scanner.stop()
    assert (scanner.decoded, scanner.skipped) == (2, 3)  # frames 1 and 5 decoded
