"""The box suggestion weighs billed cost, not only volume (``station.packing.boxes``): with
the DIM rules of the station's site, which the hub hands out (``GET /v1/ship/rules``) and the
label buyer keeps, a box of more volume whose sides round up less is billed less and wins;
with equal bills the smaller box wins; with no rules the smallest box wins as before."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import delete

from drivers.printer.emulator import Language, TcpPrinterEmulator
from station.db import Database
from station.db.models import BoxType
from station.hub.admin import enrol_code
from station.packing.boxes import Box, Item, suggest_box
from station.ship.dim import GRAMS_PER_LB, DimRule, parse_rules_json, rules_json
from station.sync.enroll import enroll_station
from station.sync.state import read_setting
from station.tools.carrier_emulator import CarrierEmulator
from tests.hub.shipping.shipfixtures import start_ship_hub
from tests.hub.shipping.test_label_buyer import STATION, Bench, station_db
from tests.station.packfixtures import MUG

__all__ = ["station_db"]

UPS = DimRule(139, imperial=True)


def box(code: str, dims: tuple[float, float, float], tare: float = 200) -> Box:
    return Box(len(code), code, code.title(), dims, tare, 20_000)


def ups_billed(dims: tuple[float, float, float], grams: float) -> float:
    return UPS.billed_weight_g(grams, dims)


def test_a_box_of_more_volume_billed_less_wins_over_the_smallest() -> None:
    # 255 mm is 10.04 in: every side rounds up to 11 in, 1331 in³ / 139 = 9.6 lb, billed 10.
    cube = box("BOX-CUBE", (255, 255, 255))  # 16.6 l
    # 250 mm is 9.84 in (10), 280 mm is 11.02 in (12): 1200 in³ / 139 = 8.6 lb, billed 9.
    long = box("BOX-LONG", (250, 250, 280))  # 17.5 l: more volume
    items = [Item("LAMP", (240, 240, 240), 1000)]
    by_volume = suggest_box(items, [long, cube])
    assert by_volume.box == cube and by_volume.billed_g is None
    by_bill = suggest_box(items, [long, cube], ups_billed)
    assert by_bill.box == long
    assert by_bill.billed_g == pytest.approx(9 * GRAMS_PER_LB)
    assert by_bill.reason.endswith(f"billed {9 * GRAMS_PER_LB / 1000:.2f} kg")


def test_equal_bills_keep_the_smaller_box_and_a_heavy_load_is_billed_on_its_weight() -> None:
    small = box("BOX-A", (250, 250, 280))  # 10 x 10 x 12 in: 9 lb
    larger = box("BOX-B", (250, 250, 290))  # also 10 x 10 x 12 in: 9 lb, more volume
    items = [Item("LAMP", (240, 240, 240), 1000)]
    assert suggest_box(items, [larger, small], ups_billed).box == small
    # 8 kg of lamp: the actual weight is billed in either box, so the smaller one wins.
    cube, long = box("BOX-CUBE", (255, 255, 255)), box("BOX-LONG", (250, 250, 280))
    heavy = suggest_box([Item("LAMP", (240, 240, 240), 8000)], [long, cube], ups_billed)
    assert heavy.box == cube and heavy.billed_g == pytest.approx(
        19 * GRAMS_PER_LB
    )  # 8.2 kg with the tare


def test_kept_rules_survive_the_settings_table_and_bad_ones_are_left_out() -> None:
    rules = {"ups": UPS, "usps": DimRule(166, imperial=True, min_volume=1728)}
    assert parse_rules_json(rules_json(rules)) == rules
    assert parse_rules_json("not json") == {}
    assert parse_rules_json('{"x": {"divisor": 0, "imperial": true}, "y": 3}') == {}


def test_the_hubs_rules_reach_the_bench_and_its_suggestion_is_the_hubs_bill(
    tmp_path: Path, station_db: Database
) -> None:
    with station_db.session() as s:  # the bench stocks two boxes that disagree
        s.execute(delete(BoxType))
        for code, dims in (("BOX-CUBE", (310, 310, 310)), ("BOX-LONG", (330, 330, 300))):
            s.add(
                BoxType(
                    code=code, name=code.title(), inner_length_mm=dims[0],
                    inner_width_mm=dims[1], inner_height_mm=dims[2], tare_g=200,
                    max_weight_g=20_000,
                )
            )  # fmt: skip
        s.commit()
    with (
        CarrierEmulator() as emulator,
        ExitStack() as stack,
        TcpPrinterEmulator(Language.ZPL) as printer,
    ):
        hub = start_ship_hub(stack, tmp_path / "hub", emulator)
        rules = hub.client.get("/v1/ship/rules")
        assert rules.status_code == 200
        assert rules.json() == {
            "dim": {"usps": {"divisor": 166.0, "imperial": True, "min_volume": 1728.0}}
        }
        enroll_station(station_db, hub.url, enrol_code(hub.db, STATION), STATION)
        bench = Bench(station_db, tmp_path, printer)
        stack.callback(bench.close)
        for code in ("BADGE-ALICE", "SO-1001", MUG):
            bench.bench.scan(code)
        before = bench.service.suggest_box()
        assert before is not None and before.box is not None
        assert before.box.code == "BOX-CUBE" and before.billed_g is None  # by volume
        assert bench.buyer.run_once()  # nothing to buy: it keeps the site's rules
        assert read_setting(station_db, "ship.dim_rules") is not None
        after = bench.service.suggest_box()
        assert after is not None and after.box is not None and after.billed_g is not None
        # USPS: 13 x 13 x 13 in is 13.2 lb, billed 14; 13 x 13 x 12 in is 12.2 lb, billed 13.
        assert after.box.code == "BOX-LONG"
        assert after.billed_g == pytest.approx(13 * GRAMS_PER_LB)
        # The hub bills that box the same: one rule, computed once, on both sides.
        quote = hub.client.post(
            "/v1/ship/rates", json=hub.package(weight_g=300, dims_mm=[330, 330, 300])
        ).json()
        billed = [r["billed_weight_g"] for r in quote["rates"]]
        assert billed and billed == pytest.approx([after.billed_g] * len(billed))
