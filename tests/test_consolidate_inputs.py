"""Consolidate on the shapes units really send: renamed and reordered columns, merged cells,
formulas, TCVN3 and VNI text, numbers and dates typed as text, .xls and .ods — the exact
problem rows on the Lỗi sheet, and every good row in the consolidated sheets."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from addin.consolidate import consolidate
from addin.demo import fill_workbook
from workbook_templates import forms
from workbook_templates.campaign import default_campaign
from workbook_templates.forms import INDIVIDUAL_NOMINATIONS, WORKS, ControlSheet
from workbook_templates.messages import Msg
from workbook_templates.reader import read_return
from workbook_templates.template_writer import write_unit_workbook
from workbook_templates.vntext import to_tcvn3, to_vni

from test_consolidate import folder, good_sheets, person, put, sheet_rows  # noqa: F401

CAMPAIGN = default_campaign()


def problem_rows(control: Path, file: str) -> set[tuple]:
    """(code, sheet, cell) of each problem of ``file``; a row that sums up notes of one kind
    ("Thông tin: B14; Khen cá nhân: B5") gives one tuple per cell."""
    found = set()
    for p in sheet_rows(control, ControlSheet.PROBLEMS):
        if p["Tệp"] != file:
            continue
        sheets = (p["Trang tính"] or "").split("; ")
        for part in (p["Ô"] or "").split("; ") if p["Ô"] else [""]:
            sheet, _, cells = part.rpartition(": ") if len(sheets) > 1 else (sheets[0], "", part)
            found |= {(p["Mã"], sheet or None, (c or "").strip(" …") or None)
                      for c in (cells.split(", ") if cells else [None])}
    return found


def test_reordered_renamed_columns_merged_cells_and_formula(folder):  # noqa: F811
    titles = ["STT", "Ho va ten", "Năm sinh", "Giới tính", "Dân tộc", "Chức vụ, nghề nghiệp",
              "Đơn vị công tác", "Trực tiếp sản xuất", "Hình thức đề nghị", "Phong trào",
              "Thành tích tóm tắt", "Số điện thoại"]
    people = [{("Ho va ten" if k == "Họ và tên" else k): v for k, v in person(name, year).items()}
              for name, year in (("Lý Văn Tú", 1979), ("Nông Thị Yến", 1990))]
    sheets = good_sheets(people)
    put(folder, "LD01_Dot1_2020.xlsx", sheets, unit="LD01",
        columns={INDIVIDUAL_NOMINATIONS.sheet: titles},
        merges={WORKS.sheet: ["D5:E5"]},
        formulas={WORKS.sheet: {"F5": ("=120000000+30000000", 150_000_000)}})
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    rows = problem_rows(control, "LD01_Dot1_2020.xlsx")
    sheet = INDIVIDUAL_NOMINATIONS.sheet
    assert (Msg.COLUMN_RENAMED.code, sheet, "B4") in rows
    assert (Msg.COLUMN_UNKNOWN.code, sheet, "L4") in rows
    assert (Msg.MERGED_CELLS.code, WORKS.sheet, "D5") in rows or \
        (Msg.MERGED_CELLS.code, WORKS.sheet, "D5:E5") in rows
    assert (Msg.FORMULA_VALUE.code, WORKS.sheet, "F5") in rows
    taken = sheet_rows(control, ControlSheet.INDIVIDUAL)
    assert [(p["Họ và tên"], p["Năm sinh"], p["Dân tộc"]) for p in taken] == [
        ("Lý Văn Tú", 1979, "Tày"), ("Nông Thị Yến", 1990, "Tày")]
    works = sheet_rows(control, ControlSheet.WORKS)
    assert works[0]["Giá trị (đồng)"] == 150_000_000


def test_legacy_encodings_and_values_typed_as_text(folder):  # noqa: F811
    info = dict(good_sheets()["Thông tin"], **{
        "Người lập biểu": to_tcvn3("Nguyễn Văn Đức"), "Tổng số CNVCLĐ": "5.000",
        "Ngày báo cáo": "25/6/2020"})
    works = [{"Tên công trình, sản phẩm": to_vni("Nhà văn hóa xóm Nà Giàng"),
              "Loại": "Công trình", "Đơn vị thực hiện": to_vni("Công đoàn xã Hưng Đạo"),
              "Giá trị (đồng)": "1,5 tỷ", "Ngày hoàn thành": "15/5/2020",
              "Đề nghị gắn biển": "x"}]
    people = [person(to_tcvn3("Hoàng Thị Thu Hương"), 1986)]
    put(folder, "LD03_Dot1_2020.xlsx",
        good_sheets(people, **{"Thông tin": info, WORKS.sheet: works}), unit="LD03")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    rows = problem_rows(control, "LD03_Dot1_2020.xlsx")
    notes = [p for p in sheet_rows(control, ControlSheet.PROBLEMS)
             if p["Tệp"] == "LD03_Dot1_2020.xlsx" and p["Mã"] in ("N01", "N02")]
    # one note per encoding, naming every cell converted
    assert sorted(p["Mã"] for p in notes) == [Msg.CONVERTED_TCVN3.code, Msg.CONVERTED_VNI.code]
    tcvn3 = next(p for p in notes if p["Mã"] == Msg.CONVERTED_TCVN3.code)
    assert "Thông tin: B" in tcvn3["Nội dung"] and INDIVIDUAL_NOMINATIONS.sheet in tcvn3["Nội dung"]
    assert (Msg.CONVERTED_VNI.code, WORKS.sheet, "B5") in rows
    assert (Msg.NUMBER_FROM_TEXT.code, WORKS.sheet, "F5") in rows
    assert (Msg.DATE_FROM_TEXT.code, WORKS.sheet, "H5") in rows
    assert (Msg.CHOICE_FROM_TEXT.code, WORKS.sheet, "I5") in rows
    assert not [r for r in rows if r[0].startswith("V")]  # nothing refused
    work = sheet_rows(control, ControlSheet.WORKS)[0]
    assert (work["Tên công trình, sản phẩm"], work["Giá trị (đồng)"], work["Đề nghị gắn biển"]) \
        == ("Nhà văn hóa xóm Nà Giàng", 1_500_000_000, "Có")
    assert work["Ngày hoàn thành"] == date(2020, 5, 15)
    assert sheet_rows(control, ControlSheet.INDIVIDUAL)[0]["Họ và tên"] == "Hoàng Thị Thu Hương"


@pytest.mark.parametrize("fmt", ["xls", "ods"])  # converted by LibreOffice (builders)
def test_xls_and_ods_returns_are_consolidated(folder, fmt):  # noqa: F811
    put(folder, f"CS01_Dot1_2020.{fmt}", good_sheets([person("Đinh Văn Long", 1983)]),
        unit="CS01", fmt=fmt)
    result = consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    assert result.counts["units_in"] == 1
    assert [p["Họ và tên"] for p in sheet_rows(control, ControlSheet.INDIVIDUAL)] == [
        "Đinh Văn Long"]
    assert not [r for r in problem_rows(control, f"CS01_Dot1_2020.{fmt}")
                if r[0].startswith(("V", "F", "S0"))]


def test_a_column_retitled_in_the_definition_changes_template_and_reader_together(tmp_path):
    renamed = forms.with_title(WORKS, "gia_tri", "Giá trị công trình (đồng)")
    defs = tuple(renamed if f is WORKS else f for f in forms.UNIT_FORMS)
    unit = CAMPAIGN.units[0]
    template = write_unit_workbook(tmp_path / "t.xlsx", CAMPAIGN, unit, 1, forms_def=defs)
    header = [c.value for c in openpyxl.load_workbook(template)[WORKS.sheet][forms.HEADER_ROW]]
    assert "Giá trị công trình (đồng)" in header
    values = {"thong_tin": {}, "dang_ky": {}, "sang_kien": [], "khen_tap_the": [],
              "khen_ca_nhan": [], "ket_qua": {},
              "cong_trinh": [{"ten": "Cầu treo Bản Giốc", "don_vi_thuc_hien": "CĐ xã Đàm Thủy",
                              "gia_tri": 250_000_000}]}
    filled = fill_workbook(template, tmp_path / "f.xlsx", values, forms=defs)
    ret = read_return(filled, CAMPAIGN, defs)
    row = ret.tables[WORKS.key][0]
    assert row.get("gia_tri") == 250_000_000
    assert not [p for p in ret.problems if p.msg in (Msg.COLUMN_MISSING, Msg.COLUMN_RENAMED)]
    # The default definition no longer finds its title exactly in that file.
    plain = read_return(filled, CAMPAIGN)
    assert [p.msg for p in plain.problems if p.sheet == WORKS.sheet and p.cell.endswith("4")]
