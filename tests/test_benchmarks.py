"""The benchmark tooling still works: its generated returns are real, clean returns, and its
figures are computed as its README says. (No timing is asserted here.)"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generate import generate  # noqa: E402
from benchmarks.measure import consolidating, reading  # noqa: E402
from benchmarks.run import slope, summarise  # noqa: E402
from workbook_templates.campaign import UT_DISTRICT, UT_GRASSROOTS, UT_PUBLIC, UT_SECTOR  # noqa: E402
from workbook_templates.forms import INDIVIDUAL_NOMINATIONS  # noqa: E402
from workbook_templates.reader import read_return  # noqa: E402

UNITS = 21  # one full cycle of the unit mix, and one more


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate(UNITS, tmp_path_factory.mktemp("cache"), say=lambda _: None)


def test_the_set_has_every_unit_type_and_one_file_per_unit(generated):
    assert len(generated.files()) == UNITS
    kinds = {u.type for u in generated.campaign.units}
    assert kinds == {UT_DISTRICT, UT_SECTOR, UT_PUBLIC, UT_GRASSROOTS}


def test_clones_carry_their_own_unit_and_people(generated):
    first, second = (read_return(p, generated.campaign) for p in generated.files()[:2])
    assert first.unit_code == "U00001" and second.unit_code == "U00002"
    names = [{r.get("ho_ten") for r in ret.tables[INDIVIDUAL_NOMINATIONS.key]}
             for ret in (first, second)]
    assert names[0] and names[1] and not names[0] & names[1]


def test_consolidating_the_set_is_clean(generated, tmp_path):
    out = consolidating(generated, tmp_path / "run")
    assert out["counts"]["units_in"] == UNITS
    assert out["counts"]["errors"] == 0 and out["counts"]["rows"] > UNITS


@pytest.mark.parametrize("stage", ["floor", "calamine", "baseline"])
def test_reading_stages_read_every_file_without_a_budget_limit(generated, stage):
    out = reading(stage, generated.files(), budget=600)
    assert out["files_read"] == UNITS and not out["extrapolated"]


def test_reading_stops_at_the_budget_and_extrapolates(generated):
    out = reading("floor", generated.files(), budget=0)
    assert out["files_read"] == 1 and out["extrapolated"]
    assert out["seconds"] == pytest.approx(out["seconds_measured"] * UNITS)


def test_slope_is_the_least_squares_line():
    assert slope([(100, 1.0), (1000, 10.0), (10000, 100.0)]) == pytest.approx((0.01, 0.0))
    assert slope([(100, 1.0)]) is None


def test_summary_gives_the_ratios_and_judges_the_targets():
    def stage(seconds, mb=100.0):
        return {"seconds": seconds, "cpu_seconds": seconds, "peak_rss_mb": mb,
                "extrapolated": False}
    runs = {1000: {"floor": stage(6.0), "baseline": stage(60.0), "consolidate": stage(4.0)},
            10000: {"floor": stage(60.0), "consolidate": stage(70.0, 1400.0)}}
    summary = summarise(runs)
    row = summary["sizes"][1000]
    assert row["thidua_vs_baseline"] == pytest.approx(15.0)
    assert row["thidua_over_floor"] == pytest.approx(4.0 / 6.0)
    targets = summary["targets"]
    assert targets["1000: ≥ 4× faster than baseline"] and targets["1000: within 3× of floor"]
    assert not targets["10000: under a minute"] and targets["10000: under 1.5 GB"]
