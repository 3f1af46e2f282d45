"""A Consolidate run's temporary store on disk (issue 18): the sheets' rows read back as the
lists they were, the store gone when the run fails or its result is dropped, and the checks
across files the same on keys as on whole returns."""
from __future__ import annotations

import functools
import gc
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest

import addin.consolidate as consolidate_module
import addin.spill as spill_module
from addin.background import Background
from addin.consolidate import consolidate
from addin.sheet_plan import SheetPlan
from addin.spill import CHOSEN_NOMINEES, NOMINEE_COLUMNS, Spill
from workbook_templates.forms import STATUS_FIELDS, ControlSheet
from test_consolidate import folder, good_sheets, person, put  # noqa: F401


def _runs() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("thidua-run-*"))


@pytest.mark.parametrize("chunk", [2, 512])  # rows in stored chunks, and still pending
def test_stored_rows_read_back_as_the_rows_and_links_of_a_plan(chunk, monkeypatch):
    monkeypatch.setattr(spill_module, "CHUNK_ROWS", chunk)
    with Spill() as spill:
        stored = SheetPlan(ControlSheet.STATUS, STATUS_FIELDS).on_disk(spill.rows())
        listed = SheetPlan(ControlSheet.STATUS, STATUS_FIELDS)
        for plan in (stored, listed):
            for i in range(5):
                plan.add([i, f"Đơn vị {i}", date(2020, 5, 1 + i)],
                         {1: f"inbox/U{i}.xlsx"} if i % 2 == 0 else None)
            plan.links[(1, 0)] = "#'Lỗi'!A2"
            row = plan.rows[3]
            row[1] = "đã sửa"
            plan.rows[3] = row
        assert len(stored.rows) == 5 and list(stored.rows) == list(listed.rows)
        assert stored.rows[-1] == listed.rows[-1] and stored.rows[2] == listed.rows[2]
        window = stored.rows.window(1, 4)
        assert len(window) == 3 and list(window) == listed.rows[1:4]
        assert window[2] == listed.rows[3] and window[-1] == listed.rows[3]
        assert dict(window.links.items()) == {(0, 0): "#'Lỗi'!A2", (1, 1): "inbox/U2.xlsx"}
        assert sorted(stored.links.items()) == sorted(listed.links.items())
        assert stored.links.get((2, 1)) == "inbox/U2.xlsx" and stored.links.get((3, 1)) is None
        assert [(v, links) for v, links in stored.linked_rows()] == \
            [(v, links) for v, links in listed.linked_rows()]
        folder_of_run = spill.folder
        assert folder_of_run.exists()
    assert not folder_of_run.exists()


def test_a_store_read_by_the_writer_process_then_added_to_reads_back_every_row(monkeypatch):
    """The control workbook's writer is another process reading the same stores (sent to
    it pickled, their rows on disk): nothing of a store waits in a buffer."""
    monkeypatch.setattr(spill_module, "CHUNK_ROWS", 3)
    with Spill() as spill:
        store = spill.rows()
        rows = [[i, f"người {i}" * 50] for i in range(20)]
        for row in rows[:10]:
            store.append(row)
        reader = Background()
        reader.begin(list, store)
        assert reader.result() == rows[:10]
        assert list(store) == rows[:10]
        for row in rows[10:]:
            store.append(row)
        assert list(store) == rows and store[12] == rows[12]


def _disk_full(runs_before, *_args):
    """A writer that finds no room (given to the writer process by name, so not local)."""
    assert _runs() - runs_before  # the run's rows are on disk while it writes
    raise OSError("disk full")


def test_the_store_goes_when_the_run_fails_and_when_its_result_is_dropped(folder, monkeypatch):
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person()]), unit="LD01")
    before = _runs()
    monkeypatch.setattr(consolidate_module, "stage_control_workbook",
                        functools.partial(_disk_full, before))
    with pytest.raises(OSError):
        consolidate(folder, 1)
    assert _runs() == before
    monkeypatch.undo()

    result = consolidate(folder, 1)
    people = next(p for p in result.plans if p.name == ControlSheet.INDIVIDUAL)
    assert len(people.rows) == 1 and people.rows[0][people.column("ma_don_vi")] == "LD01"
    del result, people
    gc.collect()
    assert _runs() == before


def test_the_chosen_files_nominees_come_file_by_file_without_sorting_the_whole_run():
    """The checks read every nominee of the chosen files in rank order, each file's by
    their order in it; SQLite sorts one file's rows at a time, never the whole run's."""
    def nominees(seqs):
        return [("khen_ca_nhan", seq, *[None] * (len(NOMINEE_COLUMNS) - 2)) for seq in seqs]

    with Spill() as spill:
        spill.put(2, b"", nominees([1, 0]))
        spill.put(0, b"", nominees([0]))
        spill.put(1, b"", nominees([2, 0, 1]))
        spill.choose([(1, 0, "U1", "b.xlsx"), (2, 1, "U2", "c.xlsx"), (0, 2, "U0", "a.xlsx")])
        sql = (f"SELECT c.code, n.seq {CHOSEN_NOMINEES} WHERE n.form = ? "
               "ORDER BY c.rank, n.seq")
        assert list(spill.query(sql, ("khen_ca_nhan",))) == [
            ("U1", 0), ("U1", 1), ("U1", 2), ("U2", 0), ("U2", 1), ("U0", 0)]
        plan = [step for *_, step in spill.query("EXPLAIN QUERY PLAN " + sql, ("khen_ca_nhan",))]
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
        assert plan[0].startswith("SCAN c USING INDEX"), plan


def test_awards_are_counted_file_by_file_as_sqlite_groups_them():
    """The quota check's counts, made as the rows stream file by file, are what SQLite's
    GROUP BY over the whole run gives, in the same order."""
    from addin.crosscheck import _award_counts

    forms = ("khen_tap_the", "khen_ca_nhan")
    awards = ["Bằng khen", "Giấy khen", None, "Bằng khen", "Giấy khen", "Bằng khen", None]

    def nominees(idx):
        return [(forms[(idx + seq) % 2], (seq * 5 + idx) % (6 + idx), *[None] * 8, awards[(seq + idx) % 7],
                 *[None] * 5) for seq in range(6 + idx)]

    with Spill() as spill:
        for idx in (3, 0, 2, 1):
            spill.put(idx, b"", nominees(idx))
        spill.choose([(2, 0, "U2", "c"), (0, 1, "U0", "a"), (3, 2, "U3", "d"), (1, 3, "U1", "b")])
        grouped = list(spill.query(
            "SELECT n.idx, c.code, c.file, n.form, n.award, COUNT(*) FROM nominees n "
            "JOIN chosen c ON c.idx = n.idx WHERE n.form IN (?, ?) "
            "GROUP BY n.idx, n.form, n.award ORDER BY c.rank, n.form = ?, MIN(n.seq)",
            (*forms, "khen_ca_nhan")))
        assert len(grouped) > 8
        assert list(_award_counts(spill, forms)) == grouped


def test_the_parent_keeps_one_head_per_report_date_and_the_campaigns_unit_codes(folder):
    """What the run keeps of each file is shared where files say the same (memory at
    130,000 files), and still says what each file said."""
    from addin.campaign_setup import load_campaign
    late = dict(good_sheets([person()]))
    late["Thông tin"] = {**late["Thông tin"], "Ngày báo cáo": datetime(2020, 6, 27)}
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person()]), unit="LD01")
    put(folder, "LD02_Dot1_2020.xlsx", good_sheets([person("Lý Thị Mai")]), unit="LD02")
    put(folder, "LD03_Dot1_2020.xlsx", late, unit="LD03")
    campaign = load_campaign(folder)[1]

    outcomes = {o.unit_code: o for o in consolidate(folder, 1, campaign=campaign).outcomes}

    first, second, third = (outcomes[u].ret for u in ("LD01", "LD02", "LD03"))
    assert first.info is second.info and third.info is not first.info
    assert (first.report_date, third.report_date) == (date(2020, 6, 25), date(2020, 6, 27))
    assert all(code is campaign.unit(code).code for code in outcomes)
    # one folder for the inbox's files, each outcome's path still its own
    assert outcomes["LD01"].folder is outcomes["LD02"].folder is outcomes["LD03"].folder
    assert outcomes["LD02"].path == folder / "inbox" / "LD02_Dot1_2020.xlsx"
    # the fingerprint in the spill, for the register (test_consolidate_register)
    assert first.path is None and outcomes["LD01"].fingerprint is None


def test_what_the_steps_leave_in_cycles_is_freed_before_the_workbook_is_written(
        folder, monkeypatch):
    """The collector is paused for the run; what its steps leave in reference cycles (the
    register's queries, openpyxl's workbooks) is freed between them, not kept until the
    run ends (memory at 130,000 files)."""
    import addin.register_sync as register_sync
    monkeypatch.setattr(register_sync, "_BATCH", 1)  # a query of the register per nominee
    for i in range(1, 7):
        put(folder, f"LD0{i}_Dot1_2020.xlsx", good_sheets([person(f"Người số {i}")]),
            unit=f"LD0{i}")
    left = []

    def publish(result):
        assert not gc.isenabled()
        left.append(gc.collect())
        return lambda: None

    consolidate(folder, 1, publish=publish)

    assert left[0] < 100, left
