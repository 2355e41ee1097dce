"""The sync worker's status in the window: not enrolled, hub absent (offline, work goes on),
and an order the hub blocked while it is open at the bench."""

from __future__ import annotations

import socket

from pytestqt.qtbot import QtBot

from drivers.base import DeviceState, DeviceStatus
from station.db import Database
from station.sync.apply_orders import BlockedOrder
from station.sync.state import Enrolment, save_enrolment
from tests.ui.stationfixtures import (
    WAIT_MS,
    RecordingPlayer,
    bare_settings,
    running_bench,
    sign_in,
)
from tests.ui.test_pack_window import scan
from ui.composition import Station
from ui.sounds import Sound
from ui.sync_link import SyncView


def closed_port() -> int:
    """A local port nobody listens on (the hub is absent)."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        return int(server.getsockname()[1])


def test_a_station_not_enrolled_says_so_and_packs(qtbot: QtBot, ui_db: Database) -> None:
    with running_bench(ui_db, bare_settings(ui_db), sync=True) as station:
        window = station.window
        label = window.status.sync_label
        qtbot.waitUntil(lambda: label.text().startswith("Sync: not enrolled"), timeout=WAIT_MS)
        assert window.offline.isHidden()
        sign_in(qtbot, window, "BADGE-ALICE")
        assert scan(qtbot, window.pack, "SO-1001").verdict.value == "order_opened"


def test_the_hub_absent_shows_offline_and_blocks_nothing(qtbot: QtBot, ui_db: Database) -> None:
    save_enrolment(ui_db, Enrolment(f"http://127.0.0.1:{closed_port()}", "bench-1", "t0k3n"))
    with running_bench(ui_db, bare_settings(ui_db), sync=True) as station:
        window = station.window
        label = window.status.sync_label
        qtbot.waitUntil(lambda: label.text().startswith("Sync: OFFLINE"), timeout=WAIT_MS)
        assert label.property("state") == "offline"
        assert not window.offline.isHidden()
        assert "keep packing" in window.offline.text()
        assert label.toolTip()  # the reason the hub could not be reached
        sign_in(qtbot, window, "BADGE-ALICE")
        assert scan(qtbot, window.pack, "SO-1001").verdict.value == "order_opened"
        assert scan(qtbot, window.pack, "CMD-UNDO").verdict.value == "nothing_to_undo"


def test_an_order_blocked_at_the_hub_is_named_on_the_pack_screen(
    qtbot: QtBot, station: Station, player: RecordingPlayer
) -> None:
    window, pack = station.window, station.window.pack
    sign_in(qtbot, window, "BADGE-ALICE")
    scan(qtbot, pack, "SO-1001")
    other = BlockedOrder("SO-1002", "on_hold", "order SO-1002 was put on hold at the hub")
    window.show_sync(SyncView(enrolled=True, online=True, blocked=(other,)))
    assert pack.blocked.isHidden()  # not the order at the bench
    mine = BlockedOrder("SO-1001", "cancelled", "order SO-1001 was cancelled at the hub")
    window.show_sync(SyncView(enrolled=True, online=True, blocked=(mine,)))
    assert not pack.blocked.isHidden()
    assert "SO-1001 was cancelled at the hub" in pack.blocked.text()
    assert "Put the items aside" in pack.blocked.text()
    assert player.played[-1] is Sound.ERROR
    assert window.status.currentMessage() == mine.message


def test_device_states_from_the_bridge_go_to_the_hubs_report(qtbot: QtBot, ui_db: Database) -> None:
    with running_bench(ui_db, bare_settings(ui_db), sync=True) as station:
        assert station.bridge is not None and station.sync is not None
        board = station.sync.devices
        station.bridge.report(DeviceStatus("scale", DeviceState.ERROR, "port vanished"))
        qtbot.waitUntil(lambda: any(d.device == "scale" for d in board.snapshot()), timeout=WAIT_MS)
        scale = next(d for d in board.snapshot() if d.device == "scale")
        assert (scale.state, scale.reason) == (DeviceState.ERROR, "port vanished")
