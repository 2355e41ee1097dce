"""Scale factories: serial protocols (MT-SICS, NCI, Toledo 8217), USB HID and emulated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drivers.registry.config import (
    SCALE_PROTOCOLS,
    DeviceConfigError,
    ScaleDeviceConfig,
    _required,
    describe,
    parse_vid_pid,
)
from drivers.registry.device import Device, Listeners, _stop_then

if TYPE_CHECKING:
    from drivers.scale.driver import ScaleConfig
    from drivers.scale.worker import ScaleWorker


def _scale_config(config: ScaleDeviceConfig, port: str, protocol: str) -> ScaleConfig:
    from drivers.scale.driver import ScaleConfig

    scale = ScaleConfig(
        port=port,
        protocol=protocol,
        baudrate=config.baud or None,
        unit=config.unit or None,
        name=config.name,
        stable_count=config.stable_count,
        poll_interval_s=config.poll_interval_s,
    )
    try:
        scale.serial_protocol()  # the 8217 needs a unit: say so now, not on the first poll
    except ValueError as exc:
        raise DeviceConfigError(f"[devices.scale] {exc}") from exc
    return scale


def _serial_scale(config: ScaleDeviceConfig, listeners: Listeners) -> Device[ScaleWorker]:
    from drivers.scale.driver import ScaleDriver

    port = _required(config.port, "scale", "port", "/dev/ttyUSB0")
    scale = _scale_config(config, port, SCALE_PROTOCOLS[config.kind])
    driver = ScaleDriver.from_config(scale, listeners.on_reading, listeners.on_status)
    return Device(
        "scale", config.kind, config.name, describe(config), driver, driver.start, driver.stop
    )


def _hid_scale(config: ScaleDeviceConfig, listeners: Listeners) -> Device[ScaleWorker]:
    from drivers.scale.hid_driver import HidScaleDriver

    vendor_id = product_id = None
    if config.hid:
        try:
            vendor_id, product_id = parse_vid_pid(config.hid)
        except ValueError as exc:
            raise DeviceConfigError(f"[devices.scale] hid: {exc}") from exc
    driver = HidScaleDriver(
        listeners.on_reading,
        listeners.on_status,
        vendor_id=vendor_id,
        product_id=product_id,
        poll_interval_s=config.poll_interval_s,
        stable_count=config.stable_count,
        name=config.name,
    )
    return Device(
        "scale", config.kind, config.name, describe(config), driver, driver.start, driver.stop
    )


def _emulated_scale(config: ScaleDeviceConfig, listeners: Listeners) -> Device[ScaleWorker]:
    from drivers.scale.driver import ScaleDriver
    from drivers.scale.emulator import ScaleEmulator

    if config.protocol not in SCALE_PROTOCOLS:
        known = ", ".join(SCALE_PROTOCOLS)
        raise DeviceConfigError(
            f"[devices.scale] protocol {config.protocol!r} is unknown; use {known}"
        )
    protocol = SCALE_PROTOCOLS[config.protocol]
    emulator = ScaleEmulator(protocol, weight=config.demo_weight, unit=config.unit or "kg")
    try:
        scale = _scale_config(config, emulator.port, protocol)
        driver = ScaleDriver.from_config(scale, listeners.on_reading, listeners.on_status)
    except BaseException:
        emulator.close()
        raise
    emulator.start()
    return Device(
        "scale",
        config.kind,
        config.name,
        f"emulated {config.protocol} scale on {emulator.port}",
        driver,
        driver.start,
        _stop_then(driver.stop, emulator.close),
        emulator,
    )
