"""The device registry: every kind builds, and the emulated kinds run the real drivers
against their emulators (pty for scale and scanner, TCP for the printer)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from drivers.base import DeviceState, DeviceStatus
from drivers.camera.capture import Camera
from drivers.camera.scanner import CameraScanner
from drivers.camera.synth import make_frame
from drivers.printer.emulator import Language, TcpPrinterEmulator
from drivers.printer.escpos_printer import EscposPrinter
from drivers.printer.lp import LpPrinter
from drivers.printer.model import PrinterStatus
from drivers.printer.testprint import test_label
from drivers.printer.zpl import ZplPrinter
from drivers.registry import (
    CameraDeviceConfig,
    Device,
    DeviceConfigError,
    Listeners,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
    build_devices,
    build_registry,
    describe,
    parse_vid_pid,
)
from drivers.scale.driver import ScaleDriver
from drivers.scale.emulator import ScaleEmulator
from drivers.scale.hid_driver import HidScaleDriver
from drivers.scale.model import ScaleState
from drivers.scale.worker import ScaleUpdate
from drivers.scanner.emulator import SerialScannerEmulator
from drivers.scanner.serial_scanner import SerialScanner

WAIT_S = 5.0


class Events:
    """Everything the drivers report, in one queue, as it arrives on their threads."""

    def __init__(self) -> None:
        self.items: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.listeners = Listeners(
            on_status=lambda s: self.items.put(("status", s)),
            on_scan=lambda data, aim: self.items.put(("scan", (data, aim))),
            on_reading=lambda u: self.items.put(("reading", u)),
            on_printer_status=lambda name, s: self.items.put(("printer", (name, s))),
            on_frame=lambda role, frame: self.items.put(("frame", (role, frame))),
        )

    def wait(self, kind: str, predicate: Callable[[Any], bool] = lambda _: True) -> Any:
        seen: list[tuple[str, Any]] = []
        while True:
            try:
                got, value = self.items.get(timeout=WAIT_S)
            except queue.Empty:
                raise AssertionError(f"no such {kind} event; saw {seen}") from None
            seen.append((got, value))
            if got == kind and predicate(value):
                return value


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def devices() -> Iterator[Callable[[Device[Any]], Device[Any]]]:
    """Stop every device a test built, started or not (emulated ones own an emulator)."""
    built: list[Device[Any]] = []

    def keep(device: Device[Any]) -> Device[Any]:
        built.append(device)
        return device

    yield keep
    for device in built:
        device.stop()


registry = build_registry()


def write_video(path: Path, images: list[np.ndarray], fps: float = 30.0) -> Path:
    """An MJPG .avi (needs no codec installed)."""
    height, width = images[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
    assert writer.isOpened()
    for image in images:
        writer.write(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image)
    writer.release()
    return path


def test_kinds_per_role():
    assert registry.kinds("scanner") == ("serial", "wedge", "camera", "emulated", "none")
    assert registry.kinds("scale") == ("mt-sics", "nci", "toledo8217", "hid", "emulated", "none")
    assert registry.kinds("printer") == ("zpl", "escpos", "lp", "emulated", "none")
    assert registry.kinds("camera") == ("opencv", "none")


def test_the_registry_is_plain_data_a_test_can_extend(events):
    mine = build_registry()

    def bench_top(config: ScaleDeviceConfig, listeners: Listeners) -> Device[Any]:
        return Device("scale", "bench-top", config.name, "on the bench", None)

    mine.scales["bench-top"] = bench_top
    assert "bench-top" in mine.kinds("scale")
    assert "bench-top" not in build_registry().kinds("scale")  # no shared state


# --- emulated devices through the real drivers --------------------------------------------


def test_emulated_scale_gives_a_real_stable_weight(events, devices):
    device = devices(registry.scale(ScaleDeviceConfig(), events.listeners))
    assert isinstance(device.driver, ScaleDriver)
    assert isinstance(device.emulator, ScaleEmulator)
    assert device.where == f"emulated mt-sics scale on {device.emulator.port}"
    device.start()
    events.wait("status", lambda s: s.state is DeviceState.CONNECTED)
    update: ScaleUpdate = events.wait("reading", lambda u: u.accepted)
    assert (update.reading.state, update.reading.weight_g) == (ScaleState.STABLE, 1250.0)


@pytest.mark.parametrize("protocol", ["nci", "toledo8217"])
def test_emulated_scale_speaks_the_configured_protocol(events, devices, protocol):
    config = ScaleDeviceConfig(protocol=protocol, unit="lb", demo_weight="2.00")
    device = devices(registry.scale(config, events.listeners))
    device.start()
    update: ScaleUpdate = events.wait("reading", lambda u: u.accepted)
    assert update.reading.weight_g == pytest.approx(907.18474)


def test_emulated_scale_stop_closes_the_emulator(events):
    device = registry.scale(ScaleDeviceConfig(), events.listeners)
    device.start()
    events.wait("reading")
    device.stop()
    events.wait("status", lambda s: s.state is DeviceState.DISCONNECTED)
    names = [thread.name for thread in threading.enumerate()]
    assert not [name for name in names if name.startswith(("scale-emulator", "scale-scale"))]


def test_emulated_scanner_delivers_a_real_scan(events, devices):
    device = devices(registry.scanner(ScannerDeviceConfig(), events.listeners))
    assert isinstance(device.driver, SerialScanner)
    emulator = device.emulator
    assert isinstance(emulator, SerialScannerEmulator)
    device.start()
    events.wait("status", lambda s: s.state is DeviceState.CONNECTED)
    emulator.send("]C1SO-1001")
    assert events.wait("scan") == ("]C1SO-1001", "]C1")


def test_emulated_scanner_honours_a_tab_suffix(events, devices):
    device = devices(registry.scanner(ScannerDeviceConfig(suffix="tab"), events.listeners))
    device.start()
    events.wait("status", lambda s: s.state is DeviceState.CONNECTED)
    assert isinstance(device.emulator, SerialScannerEmulator)
    device.emulator.send("TOTE-7")
    assert events.wait("scan") == ("TOTE-7", None)


@pytest.mark.parametrize(("language", "driver"), [("zpl", ZplPrinter), ("escpos", EscposPrinter)])
def test_emulated_printer_reports_status_and_prints(events, devices, language, driver):
    config = PrinterDeviceConfig(language=language, timeout_s=1.0)
    device = devices(registry.printer(config, events.listeners))
    assert isinstance(device.driver, driver)
    emulator = device.emulator
    assert isinstance(emulator, TcpPrinterEmulator)
    device.start()
    name, status = events.wait("printer")
    assert name == "printer"
    assert isinstance(status, PrinterStatus)
    assert status.ready is True
    events.wait("status", lambda s: s.state is DeviceState.CONNECTED)
    assert device.driver.print_job(b"^XA^FDhello^FS^XZ").sent
    assert emulator.wait_for_jobs(1, timeout=WAIT_S)[-1] == b"^XA^FDhello^FS^XZ"


def test_a_printer_that_is_not_ready_is_an_error_with_its_reason(events, devices):
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        emulator.state.paper_out = True
        config = PrinterDeviceConfig(kind="zpl", url=emulator.url, timeout_s=1.0)
        device = registry.printer(config, events.listeners)
        device.start()
        try:
            status: DeviceStatus = events.wait("status")
        finally:
            device.stop()
    assert status.state is DeviceState.ERROR
    assert "paper out" in status.reason


def test_a_configured_serial_scale_on_a_pty(events, devices):
    emulator = ScaleEmulator("nci", weight="0.750", unit="kg")
    emulator.start()
    try:
        config = ScaleDeviceConfig(kind="nci", port=emulator.port, poll_interval_s=0.05)
        device = devices(registry.scale(config, events.listeners))
        assert device.emulator is None
        device.start()
        update: ScaleUpdate = events.wait("reading", lambda u: u.accepted)
        assert update.reading.weight_g == 750.0
        device.stop()
    finally:
        emulator.close()


# --- every kind builds ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["mt-sics", "nci", "toledo8217"])
def test_serial_scale_kinds_build(events, devices, kind):
    device = devices(
        registry.scale(ScaleDeviceConfig(kind=kind, port="/dev/ttyUSB0"), events.listeners)
    )
    assert isinstance(device.driver, ScaleDriver)
    assert device.driver.protocol.name == {"mt-sics": "mtsics", "toledo8217": "8217"}.get(
        kind, kind
    )
    assert device.where == f"/dev/ttyUSB0 ({kind})"


def test_hid_scale_builds(events, devices):
    config = ScaleDeviceConfig(kind="hid", hid="0922:8003")
    device = devices(registry.scale(config, events.listeners))
    assert isinstance(device.driver, HidScaleDriver)
    assert device.where == "USB HID scale 0922:8003"


def test_camera_scanner_reads_a_code_from_a_video(events, devices, tmp_path):
    # One second of video: on a loaded machine the first frames (zxing-cpp warming up) can
    # run past the live path's budget, and the code must still be seen twice after them.
    shots = [make_frame(41, "ean13", 3, 8.0, shot) for shot in range(30)]
    video = write_video(tmp_path / "ean.avi", [s.image for s in shots])
    config = ScannerDeviceConfig(kind="camera", source=str(video))
    device = devices(registry.scanner(config, events.listeners))
    assert isinstance(device.driver, CameraScanner)
    device.start()
    data, symbology = events.wait("scan")
    assert symbology == "]E0"
    assert data == "]E0" + shots[0].codes[0].text
    # Every frame also goes to on_frame (the screen's live preview), named by the camera's role.
    role, frame = events.wait("frame")
    height, width = shots[0].image.shape[:2]
    assert role == "scanner" and frame.index >= 1 and frame.full_size == (width, height)


def test_opencv_camera_delivers_a_snapshot(events, devices, tmp_path):
    video = write_video(tmp_path / "grey.avi", [np.full((120, 160), 90, np.uint8)] * 4)
    device = devices(registry.camera(CameraDeviceConfig("opencv", str(video)), events.listeners))
    assert isinstance(device.driver, Camera)
    device.start()
    events.wait("status", lambda s: s.state is DeviceState.CONNECTED)
    assert device.driver.snapshot().shape[:2] == (120, 160)
    role, frame = events.wait("frame")
    assert role == "camera" and frame.full_size == (160, 120)


def test_a_missing_camera_file_is_an_error_with_its_reason(events, devices, tmp_path):
    config = CameraDeviceConfig("opencv", str(tmp_path / "none.avi"))
    devices(registry.camera(config, events.listeners)).start()
    status = events.wait("status", lambda s: s.state is DeviceState.ERROR)
    assert status.reason == f"cannot open video file {tmp_path / 'none.avi'}: no such file"


def test_scanner_kinds_build(events, devices):
    serial = devices(
        registry.scanner(ScannerDeviceConfig(kind="serial", port="/dev/ttyACM0"), events.listeners)
    )
    assert isinstance(serial.driver, SerialScanner)
    wedge = devices(registry.scanner(ScannerDeviceConfig(kind="wedge"), events.listeners))
    assert wedge.driver is None  # the window's event filter reads it
    wedge.start()


def test_printer_kinds_build(events, devices):
    for kind, driver in (("zpl", ZplPrinter), ("escpos", EscposPrinter)):
        config = PrinterDeviceConfig(kind=kind, url="tcp://192.0.2.1:9100")
        assert isinstance(devices(registry.printer(config, events.listeners)).driver, driver)
    lp = devices(
        registry.printer(PrinterDeviceConfig(kind="lp", url="cups:Office"), events.listeners)
    )
    assert isinstance(lp.driver, LpPrinter)
    assert lp.driver.queue == "Office"
    lp.start()
    status: DeviceStatus = events.wait("status")
    assert (status.state, status.reason) == (
        DeviceState.CONNECTED,
        "CUPS queue Office (no printer status)",
    )


@pytest.mark.parametrize(
    ("role", "config", "message"),
    [
        ("scale", ScaleDeviceConfig(kind="nci"), "[devices.scale] port is required"),
        (
            "scale",
            ScaleDeviceConfig(kind="toledo8217", port="/dev/x", unit=""),
            "[devices.scale] the 8217 protocol sends no unit",
        ),
        ("scale", ScaleDeviceConfig(kind="hid", hid="dymo"), "[devices.scale] hid: 'dymo' is not"),
        ("scale", ScaleDeviceConfig(protocol="sics"), "[devices.scale] protocol 'sics' is unknown"),
        ("scale", ScaleDeviceConfig(kind="fair"), "[devices.scale] kind 'fair' is unknown"),
        ("scanner", ScannerDeviceConfig(kind="serial"), "[devices.scanner] port is required"),
        ("scanner", ScannerDeviceConfig(suffix="etx"), "[devices.scanner] suffix 'etx' is unknown"),
        ("printer", PrinterDeviceConfig(kind="zpl"), "[devices.printer] url is required"),
        (
            "printer",
            PrinterDeviceConfig(kind="zpl", url="lpt:1"),
            "[devices.printer] url: unknown printer scheme",
        ),
        ("printer", PrinterDeviceConfig(language="pcl"), "[devices.printer] language 'pcl' is"),
        (
            "scanner",
            ScannerDeviceConfig(kind="camera", engine="zbar"),
            "[devices.scanner] engine 'zbar': live camera scanning decodes with zxing-cpp only",
        ),
    ],
)
def test_bad_configuration_names_the_setting(events, role, config, message):
    with pytest.raises(DeviceConfigError) as caught:
        getattr(registry, role)(config, events.listeners)
    assert str(caught.value).startswith(message)


def test_parse_vid_pid():
    assert parse_vid_pid("0922:8003") == (0x0922, 0x8003)
    for bad in ("0922", "0922:xyz", "10000:1"):
        with pytest.raises(ValueError):
            parse_vid_pid(bad)


def test_describe_says_where_without_opening_anything():
    assert describe(ScannerDeviceConfig()) == "emulated serial scanner on a pty"
    assert describe(ScaleDeviceConfig(kind="mt-sics", port="/dev/ttyS1", baud=2400)) == (
        "/dev/ttyS1 (mt-sics at 2400 baud)"
    )
    assert describe(PrinterDeviceConfig(kind="zpl", url="tcp://10.0.0.7:9100")) == (
        "tcp://10.0.0.7:9100"
    )
    assert describe(CameraDeviceConfig()) == "not configured"
    assert describe(CameraDeviceConfig("opencv", "rtsp://cam")) == "OpenCV source rtsp://cam"


def test_the_test_label_prints_on_an_emulated_printer(events, devices):
    device = devices(registry.printer(PrinterDeviceConfig(timeout_s=1.0), events.listeners))
    assert isinstance(device.driver, ZplPrinter)
    assert device.driver.print_job(test_label()).sent


def test_build_devices_skips_none_and_reports_what_failed(events):
    configs = (
        ScannerDeviceConfig(kind="serial"),  # no port: cannot be built
        ScaleDeviceConfig(),
        PrinterDeviceConfig(kind="none"),
        CameraDeviceConfig(),
    )
    built, failures = build_devices(registry, configs, events.listeners)
    try:
        assert [(d.role, d.kind) for d in built] == [("scale", "emulated")]
        assert failures == [
            DeviceStatus(
                "scanner",
                DeviceState.ERROR,
                "[devices.scanner] port is required for this kind, e.g. '/dev/ttyACM0'",
            )
        ]
    finally:
        for device in built:
            device.stop()
