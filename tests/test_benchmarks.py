"""The benchmark tooling of issue 18: the generator makes distinct units and people up to
130,000 units, its generated returns are real, clean returns, the stages measure what they
say, and the summary's arithmetic and verdicts are those of the README. (No timing is
asserted here.)"""
from __future__ import annotations

import multiprocessing
import os
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from addin.checks import unit_from_file_name  # noqa: E402
from benchmarks import generate as gen_module  # noqa: E402
from benchmarks.generate import (  # noqa: E402
    PEOPLE_PER_UNIT, PHASE, capacity, generate, person, person_names, person_slot,
    synthetic_campaign)
from benchmarks.measure import TreeMemory, consolidating, reading  # noqa: E402
from benchmarks.run import (  # noqa: E402
    increments, print_report, run_module, slope, summarise)
from workbook_templates.campaign import (  # noqa: E402
    UT_DISTRICT, UT_GRASSROOTS, UT_PUBLIC, UT_SECTOR)
from workbook_templates.forms import (  # noqa: E402
    COLLECTIVE_NOMINATIONS, INDIVIDUAL_NOMINATIONS, OUTSTANDING, template_file_name)
from workbook_templates.identity import bare_key, name_key, person_key  # noqa: E402
from workbook_templates.reader import read_return  # noqa: E402

NATION = 130_000  # the grassroots unions of the whole country
UNITS = 40


# --- distinctness at 130,000, computed -----------------------------------------------------

def test_every_person_index_of_130000_units_is_a_different_name_and_year():
    needed = NATION * PEOPLE_PER_UNIT
    assert capacity() >= NATION
    for female in (True, False):
        count = len(person_names(female))
        assert needed <= count * gen_module._YEARS
        position, year = person_slot(np.arange(needed), count)
        assert position.min() >= 0 and position.max() < count
        assert year.min() >= 1966 and year.max() <= 1995  # ages 25..54 in 2020
        codes = position * gen_module._YEARS + (year - 1966)
        assert np.bincount(codes).max() == 1  # no (name, year) twice
        for k in (0, 1, count - 1, count, needed // 2, needed - 1):
            assert person(k, female) == (person_names(female)[position[k]], year[k])
        with pytest.raises(ValueError):
            person(count * gen_module._YEARS, female)


def test_the_names_are_distinct_as_the_cross_file_checks_compare_them():
    """Name keys (and bare keys, so that no name typed without diacritics matches another
    one) are per syllable: computed per word, joined, over both genders' names."""
    names = person_names(True) + person_names(False)
    assert all(len(n.split()) == 4 for n in names)
    words = {w for n in names for w in n.split()}
    keys = {w: name_key(w) for w in words}
    bare = {w: bare_key(w) for w in words}
    assert name_key(names[-1]) == " ".join(keys[w] for w in names[-1].split())
    assert bare_key(names[-1]) == " ".join(bare[w] for w in names[-1].split())
    assert len({" ".join(keys[w] for w in n.split()) for n in names}) == len(names)
    assert len({" ".join(bare[w] for w in n.split()) for n in names}) == len(names)


def test_130000_units_have_distinct_codes_and_names_read_back_from_their_file_names():
    campaign = synthetic_campaign(NATION)
    units = campaign.ordered_units()
    assert len(units) == NATION
    assert len({u.code.casefold() for u in units}) == NATION
    assert len({u.name for u in units}) == NATION
    assert all(u.name.endswith(f" số {u.code[1:]}") for u in units)  # digits: keys differ
    assert units[-1].code == "U130000"
    for unit in units:
        path = Path(template_file_name(unit.code, PHASE, campaign.year))
        assert unit_from_file_name(path, campaign) == unit.code


def test_beyond_the_capacity_the_generator_refuses(tmp_path):
    with pytest.raises(ValueError):
        generate(capacity() + 1, tmp_path, say=lambda _: None)
    assert not any(tmp_path.iterdir())


# --- a real generated set ---------------------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate(UNITS, tmp_path_factory.mktemp("cache"), say=lambda _: None)


def test_the_set_has_every_unit_type_and_one_file_per_unit(generated):
    assert [p.name for p in generated.files()] == [
        template_file_name(u.code, PHASE, 2020) for u in generated.campaign.ordered_units()]
    assert {u.type for u in generated.campaign.units} == {
        UT_DISTRICT, UT_SECTOR, UT_PUBLIC, UT_GRASSROOTS}
    for path in generated.files():  # the packages written by hand are sound zip files
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None  # every member inflates and matches its CRC
            assert "xl/workbook.xml" in z.namelist()


def test_files_read_back_with_their_own_unit_distinct_people_and_collectives(generated):
    returns = [read_return(p, generated.campaign, generated.campaign.unit_forms(PHASE))
               for p in generated.files()]
    assert [r.unit_code for r in returns] == [u.code for u in generated.campaign.ordered_units()]
    for form in (INDIVIDUAL_NOMINATIONS, OUTSTANDING):
        people = [person_key(row.get("ho_ten"), row.get("nam_sinh"))
                  for r in returns for row in r.tables[form.key]]
        assert len(people) >= UNITS and len(set(people)) == len(people), form.key
    stories = [row for r in returns for row in r.tables[OUTSTANDING.key]]
    assert all(str(row.get("ho_ten")) in str(row.get("thanh_tich")) for row in stories)
    collectives = [(name_key(row.get("ten_tap_the")), name_key(row.get("thuoc_don_vi")))
                   for r in returns for row in r.tables[COLLECTIVE_NOMINATIONS.key]]
    assert len(collectives) > UNITS and len(set(collectives)) == len(collectives)


def test_consolidating_the_set_is_clean(generated, tmp_path):
    out = consolidating(generated.fresh_folder(tmp_path / "run"), UNITS)
    counts = out["counts"]
    assert counts["units_in"] == UNITS and counts["rows"] > UNITS
    assert counts["errors"] == 0 and counts["warnings"] == 0


# --- the stages -------------------------------------------------------------------------

@pytest.mark.parametrize("stage", ["inflate", "calamine", "baseline"])
def test_reading_stages_read_every_file_on_the_workers(generated, stage):
    files = generated.files()[:6]
    out = reading(stage, files, budget=600, processes=2)
    assert out["files_read"] == len(files) and not out["extrapolated"]
    assert out["workers"] == 2


def test_reading_stops_at_the_budget_and_extrapolates(generated):
    out = reading("inflate", generated.files(), budget=0, processes=2)
    assert out["extrapolated"] and 1 <= out["files_read"] < UNITS
    assert out["seconds"] == pytest.approx(
        out["seconds_measured"] * UNITS / out["files_read"])
    assert 0 < out["cpu_seconds"] <= 3 * out["seconds"]  # parent and 2 workers, scaled alike


def _hold(ready, done):
    ready.set()
    done.wait(30)


def test_tree_memory_counts_shared_pages_once_in_pss_and_per_process_in_rss():
    block = bytearray(os.urandom(1024)) * (96 * 1024)  # 96 MB, touched, then shared
    ctx = multiprocessing.get_context("fork")
    ready, done = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold, args=(ready, done))
    child.start()
    try:
        assert ready.wait(30)
        mem = TreeMemory()
        mem.sample()
    finally:
        done.set()
        child.join()
    assert len(block) == 96 * 1024 * 1024
    mb = 1024
    assert mem.peak_rss_kb >= 2 * 90 * mb  # the block counted in both processes
    assert mem.peak_pss_kb <= mem.peak_rss_kb - 80 * mb  # and once in PSS
    assert mem.peak_pss_kb >= 90 * mb


def test_tree_memory_reads_pss_near_the_rss_peak_not_at_every_sample(monkeypatch):
    import benchmarks.measure as measure

    reads = []
    monkeypatch.setattr(measure, "_proc_kb", lambda path, label: reads.append(path) or 1)
    monkeypatch.setattr(measure, "_tree", lambda pid: [pid])  # not the suite's servers
    mem = TreeMemory(interval=0.0, pss_interval=60.0)
    for _ in range(20):
        mem.sample()
    assert len(reads) == 1  # the first sample; then at most once a minute near the peak
    mem.sample(pss=True)
    assert len(reads) == 2 and mem.peak_pss_kb == 1 and mem.peak_rss_kb > 1000


# --- the summary's arithmetic -----------------------------------------------------------

def _stage(seconds, pss=100.0, rss=300.0):
    return {"seconds": seconds, "cpu_seconds": 2 * seconds, "peak_pss_mb": pss,
            "peak_rss_mb": rss, "extrapolated": False}


def _runs(seconds_130k=388.0, pss_130k=230.0):
    """PSS exactly 100 MB + 1 MB per 1,000 files; 2.67 then 3.0 ms per added file."""
    return {1000: {"inflate": _stage(1.0), "calamine": _stage(2.0), "baseline": _stage(30.0),
                   "consolidate": _stage(4.0, 101.0, 500.0)},
            10000: {"inflate": _stage(8.0), "calamine": _stage(20.0), "baseline": _stage(300.0),
                    "consolidate": _stage(28.0, 110.0, 900.0)},
            130000: {"consolidate": _stage(seconds_130k, pss_130k, 1300.0)}}


LIVE = {"sizes": {"100": {"actions": 40, "sheets": 12}, "1000": {"actions": 52, "sheets": 12}}}
PDF = {"word_seconds": {"5000": 0.4}, "pdf_seconds": {"1000": 3.0, "2000": 5.0, "5000": 14.0}}


def test_slope_and_increments():
    assert slope([(100, 1.0), (1000, 10.0), (10000, 100.0)]) == pytest.approx((0.01, 0.0))
    assert slope([(100, 1.0)]) is None
    assert increments([(1000, 4.0), (10000, 28.0), (130000, 388.0)]) == pytest.approx(
        [24 / 9000, 360 / 120000])


def test_summary_gives_the_five_points_and_meets_them():
    summary = summarise(_runs(), LIVE, PDF)
    assert summary["sizes"][10000]["consolidate"]["ms_per_file"] == pytest.approx(2.8)
    assert summary["sizes"][10000]["consolidate"]["cpu_ms_per_file"] == pytest.approx(5.6)
    points = summary["points"]
    ratios = points["1 reading"]["ratios"][10000]
    assert ratios == pytest.approx({"over_inflate": 3.5, "over_calamine": 1.4,
                                    "over_baseline": 28 / 300})
    memory = points["2 memory"]
    assert memory["pss_mb_per_1000_files"] == pytest.approx(1.0)
    assert memory["pss_fixed_mb"] == pytest.approx(100.0)
    assert memory["peaks"][130000] == {"pss_mb": 230.0, "rss_mb": 1300.0}
    scale = points["3 scale"]
    assert scale["ms_per_file"][130000] == pytest.approx(388 / 130)
    assert scale["ms_per_added_file"] == pytest.approx([24 / 9, 3.0])
    assert points["4 live writer"]["difference"] == 12
    assert points["5 documents"]["pdf_seconds_per_1000"] == pytest.approx({1000: 3.0, 5000: 2.8})
    verdicts = [ok for p in points.values() for ok in p["targets"].values()]
    assert len(verdicts) == 9 and all(verdicts)


def test_summary_says_missed_where_a_figure_misses():
    runs = _runs(seconds_130k=700.0, pss_130k=601.0)
    runs[10000]["consolidate"]["seconds"] = 31.0  # 1.55× calamine
    live = {"sizes": {"100": {"actions": 40, "sheets": 12},
                      "1000": {"actions": 53, "sheets": 12}}}
    pdf = {"word_seconds": {"5000": 1.0}, "pdf_seconds": {"1000": 3.0, "5000": 20.0}}
    points = summarise(runs, live, pdf)["points"]
    missed = {(name, t) for name, p in points.items() for t, ok in p["targets"].items()
              if not ok}
    assert {name for name, _ in missed} == set(points)
    assert len(missed) == 9  # every target, the slope too (> 1.2 MB per 1,000 files)
    assert points["2 memory"]["pss_mb_per_1000_files"] > 1.2


def test_absent_benchmarks_are_reported_as_not_available(capsys):
    assert run_module("bench_that_is_not_there") is None
    summary = summarise(_runs(), None, None)
    assert not summary["points"]["4 live writer"]["available"]
    assert not summary["points"]["5 documents"]["targets"]
    print_report(summary)
    out = capsys.readouterr().out
    assert out.count("not available") == 2
    assert "target 1: N = 10,000: thidua ≤ 1.5× calamine's reading: met" in out
    assert "target 3: N = 130,000 in < 600 s: met" in out
