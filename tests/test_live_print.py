"""The ribbon's live writer lays the control workbook out as the file writer does: number
formats from the forms, header rows tall enough, print areas and repeated header rows, the
chart on one page. Asserted on the actions an xlwings Book built from an add-in client's
payload records (see test_macros)."""
from __future__ import annotations

from addin.live_writer import CHART_HEIGHT, CHART_TABLE_ROW, write_plans
from addin.sheet_plan import ChartPlan, SheetPlan
from workbook_templates.campaign import default_campaign
from workbook_templates.forms import (
    INDIVIDUAL_NOMINATIONS, PROBLEM_FIELDS, ControlSheet, consolidated_fields, results_fields)
from workbook_templates.print_layout import LINE_HEIGHT, header_height

from test_macros import _status_plan, actions, make_book, remote_engine  # noqa: F401

CAMPAIGN = default_campaign()
PORTRAIT_WIDTH = (8.27 - 2 * 0.7) * 72  # points inside A4's width at Excel's default margins


def _formats(book, sheet: int, col: int) -> dict[int, str]:
    """Row (0-based) -> number format set on column ``col``."""
    return {row: a["args"][0] for a in actions(book, "setNumberFormat", sheet)
            if a["start_column"] == col
            for row in range(a["start_row"], a["start_row"] + a["row_count"])}


def _results_plan(values: list) -> SheetPlan:
    fields = results_fields(CAMPAIGN.indicators)
    plan = SheetPlan(ControlSheet.RESULTS, fields)
    code = CAMPAIGN.indicators[0].code
    for unit, value in zip(CAMPAIGN.ordered_units(), values):
        row = {f.key: None for f in fields}
        row.update(ma_don_vi=unit.code, ten_don_vi=unit.name, **{code: value})
        plan.rows.append([row[f.key] for f in fields])
    return plan


def test_number_formats_are_the_forms_column_by_column(tmp_path):
    results = _results_plan([39.0, 12.5, None, 40])  # 39.0: whole, read as a float
    people = SheetPlan(ControlSheet.INDIVIDUAL, consolidated_fields(INDIVIDUAL_NOMINATIONS))
    row = [None] * len(people.fields)
    row[people.column("ho_ten")], row[people.column("nam_sinh")] = "Nông Thị Hoa", 1973
    people.rows.append(row)
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {ControlSheet.SETTINGS: [["x"]]})
    write_plans(book, [results, people])
    column = results.column(CAMPAIGN.indicators[0].code)
    # One format a column: the decimals of the value that has them, in one call.
    assert [a["args"] for a in actions(book, "setNumberFormat", 1)
            if a["start_column"] == column] == [["#,##0.0##"]]
    assert _formats(book, 1, column) == {r: "#,##0.0##" for r in (1, 2, 3, 4)}
    assert _formats(book, 1, results.column("ten_don_vi")) == {r: "@" for r in (1, 2, 3, 4)}
    whole = _results_plan([39.0, None, 40])
    write_plans(book, [whole])
    assert _formats(book, 1, column)[3] == "#,##0"  # whole numbers only: no decimals
    assert _formats(book, 2, people.column("nam_sinh")) == {1: "0"}  # 1973, not 1,973


def test_header_height_print_area_and_repeated_header(tmp_path):
    status = _status_plan()
    status.links[(0, status.column("tep"))] = "inbox/LD01_Dot1_2020.xlsx"
    problems = SheetPlan(ControlSheet.PROBLEMS, PROBLEM_FIELDS)  # no problem this time
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {ControlSheet.SETTINGS: [["x"]]})
    write_plans(book, [status, problems])

    (height,) = actions(book, "setRowHeight", 1)
    assert (height["start_row"], height["column_count"]) == (0, len(status.fields))
    assert height["args"] == [header_height(status.fields)] and height["args"][0] > LINE_HEIGHT
    wraps = {(a["start_row"], a["start_column"]): a for a in actions(book, "setWrapText", 1)}
    assert wraps[(0, 0)]["column_count"] == len(status.fields)  # the header
    wrapped = {c for (r, c) in wraps if r == 1}
    assert status.column("ten_don_vi") in wrapped and status.column("ghi_chu") in wrapped
    assert status.column("so_loi") not in wrapped  # a number
    assert status.column("tep") not in wrapped  # links do not wrap
    assert [a["args"] for a in actions(book, "setPrintArea", 1)] == [["$A$1:$K$4"]]
    assert [a["args"] for a in actions(book, "namesAdd", 1)] == [
        ["Print_Titles", "='Tình hình nộp'!$1:$1"]]
    # A sheet without rows prints nothing: one empty cell, no repeated header.
    assert [a["args"] for a in actions(book, "setPrintArea", 2)] == [["$A$2"]]
    assert not actions(book, "namesAdd", 2)

    again = make_book(tmp_path / "TongHopThiDua.xlsx", {
        ControlSheet.SETTINGS: [["x"]], ControlSheet.STATUS: [["cũ"]]})
    again.sheets[ControlSheet.STATUS].names.add("Print_Titles", "='Tình hình nộp'!$1:$1")
    again.impl._json = {"actions": []}
    write_plans(again, [status])
    assert not actions(again, "namesAdd")  # kept from before, not added twice


def test_the_chart_fits_one_portrait_page_above_its_table(tmp_path):
    plan = _results_plan([10, 20, 30])
    code = plan.column(CAMPAIGN.indicators[0].code)
    chart = ChartPlan(ControlSheet.CHART, ControlSheet.RESULTS, plan.column("ten_don_vi"),
                      [code], first_row=2, last_row=4, title="Theo đơn vị")
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {ControlSheet.SETTINGS: [["x"]]})
    write_plans(book, [plan], chart)
    position = [s.name for s in book.sheets].index(ControlSheet.CHART)
    (added,) = actions(book, "addChart", position)
    left, top, width, height = added["args"][4:8]
    (area,) = [a["args"][0] for a in actions(book, "setPrintArea", position)]
    assert area == f"$A$1:$G${CHART_TABLE_ROW + 3}"  # the chart and its table
    widths = {a["start_column"]: a["args"][0] for a in actions(book, "setColumnWidth", position)}
    printed = sum((7 * widths[c] + 5) * 0.75 for c in range(7))  # columns A:G, in points
    assert (left, top) == (0, 0) and width <= printed <= PORTRAIT_WIDTH
    assert height == CHART_HEIGHT <= (CHART_TABLE_ROW - 1) * LINE_HEIGHT  # above its table

    empty = make_book(tmp_path / "TongHopThiDua.xlsx", {ControlSheet.SETTINGS: [["x"]]})
    write_plans(empty, [_results_plan([])], chart)
    position = [s.name for s in empty.sheets].index(ControlSheet.CHART)
    assert not actions(empty, "addChart")
    assert [a["args"] for a in actions(empty, "setPrintArea", position)] == [
        [f"$A${CHART_TABLE_ROW + 1}"]]  # nothing to chart: no page
