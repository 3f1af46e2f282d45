"""Returns typed in TCVN3 (.VnTime, .VnTimeH) and VNI (VNI-Times) with those fonts on the
cells, and the same bytes in Times New Roman, consolidated: every name and achievement
reaches the control workbook in Unicode, each file's conversions in one note per encoding.
The legacy bytes come from UniKey's published tables (tests/legacy_sample.py)."""
from __future__ import annotations

import os
import shutil

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

from addin.consolidate import consolidate
from workbook_templates.forms import INDIVIDUAL_NOMINATIONS, ControlSheet
from workbook_templates.messages import Msg
from workbook_templates.reader import read_return

from builders import _convert
from legacy_sample import TCVN3_TABLE, VNI_TABLE, encode
from test_consolidate import (  # noqa: F401
    CAMPAIGN, PHASE1, folder, good_sheets, person, put, sheet_rows)

# Names and achievements whose legacy bytes also read as Vietnamese ("Vò" for "Vũ", "Cã" for
# "Có", "BÕ … Tó" for "Bế … Tú") or as VNI and TCVN3 alike ("Leâ … Thôm").
PEOPLE = [
    ("Đinh Bích Nga", "Lao động giỏi ba năm liền"),
    ("Vũ Thu Loan", "Cờ thi đua"),
    ("Bế Minh Tú", "Có sáng kiến cải tiến kỹ thuật"),
    ("Lê Thu Thơm", "Chiến sĩ thi đua cơ sở"),
    ("Nguyễn Văn Đức", "Giỏi việc nước, đảm việc nhà"),
]
ROLE = "CHỦ TỊCH CÔNG ĐOÀN"  # typed in .VnTimeH
SHEET = INDIVIDUAL_NOMINATIONS.sheet


def _legacy_return(folder, name, unit, table, font, capitals_font):  # noqa: F811
    """A return whose names, achievements and roles are legacy bytes; the roles in capitals
    (TCVN3: the small letters' codes, drawn as capitals by ``capitals_font``)."""
    role = encode(ROLE.lower() if table is TCVN3_TABLE else ROLE, table)
    people = [person(encode(n, table), 1980 + i, **{"Thành tích tóm tắt": encode(a, table),
                                                    "Chức vụ, nghề nghiệp": role})
              for i, (n, a) in enumerate(PEOPLE)]
    path = put(folder, name, good_sheets(people), unit=unit)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    titles = {c.value: c.column for c in ws[4]}
    for r in range(5, 5 + len(PEOPLE)):
        for title in ("Họ và tên", "Thành tích tóm tắt"):
            ws.cell(r, titles[title]).font = Font(name=font)
        ws.cell(r, titles["Chức vụ, nghề nghiệp"]).font = Font(name=capitals_font)
    # a rich-text cell: the legacy name in the legacy font, the role in a Unicode font
    rich = ws.cell(5 + len(PEOPLE), titles["Họ và tên"])
    rich.value = CellRichText(TextBlock(InlineFont(rFont=font), encode("Hoàng Thị Lan", table)),
                              TextBlock(InlineFont(rFont="Times New Roman"), " (tổ trưởng)"))
    for title, value in (("Năm sinh", 1990), ("Giới tính", "Nữ"), ("Dân tộc", "Tày"),
                         ("Chức vụ, nghề nghiệp", "Giáo viên"),
                         ("Đơn vị công tác", "Trường THCS Hưng Đạo"),
                         ("Hình thức đề nghị", "Bằng khen của BCH LĐLĐ tỉnh"),
                         ("Thành tích tóm tắt", "Kích thước 5 × 3 m, 10 µm")):
        ws.cell(rich.row, titles[title], value).font = Font(name=font)
    wb.save(path)
    os.utime(path, (PHASE1.timestamp(), PHASE1.timestamp()))


EXPECTED = [(n, a, ROLE) for n, a in PEOPLE] + [
    ("Hoàng Thị Lan (tổ trưởng)", "Kích thước 5 × 3 m, 10 µm", "Giáo viên")]


def _read(control, unit):
    return [(p["Họ và tên"], p["Thành tích tóm tắt"], p["Chức vụ, nghề nghiệp"])
            for p in sheet_rows(control, ControlSheet.INDIVIDUAL) if p["Mã đơn vị"] == unit]


def test_legacy_fonts_and_the_same_bytes_in_times_new_roman(folder):  # noqa: F811
    _legacy_return(folder, "LD01_Dot1_2020.xlsx", "LD01", TCVN3_TABLE, ".VnTime", ".VnTimeH")
    _legacy_return(folder, "LD02_Dot1_2020.xlsx", "LD02", VNI_TABLE, "VNI-Times", "VNI-Times")
    _legacy_return(folder, "LD03_Dot1_2020.xlsx", "LD03", TCVN3_TABLE, "Times New Roman",
                   "Times New Roman")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    expected = EXPECTED
    assert _read(control, "LD01") == expected
    assert _read(control, "LD02") == expected
    # without the font the file decides the names that read as Vietnamese both ways; the
    # genuine Unicode cell is unchanged; only what .VnTimeH drew as capitals cannot be known
    assert _read(control, "LD03") == [(n, a, r if r == "Giáo viên" else ROLE.lower())
                                      for n, a, r in expected]
    notes = [p for p in sheet_rows(control, ControlSheet.PROBLEMS)
             if p["Mã"] in (Msg.CONVERTED_TCVN3.code, Msg.CONVERTED_VNI.code)]
    assert sorted((p["Tệp"], p["Mã"]) for p in notes) == [
        ("LD01_Dot1_2020.xlsx", "N01"), ("LD02_Dot1_2020.xlsx", "N02"),
        ("LD03_Dot1_2020.xlsx", "N01")]
    ld01 = next(p for p in notes if p["Tệp"] == "LD01_Dot1_2020.xlsx")
    assert ld01["Giá trị tìm thấy"] in (16, "16")  # 5 names, 5 achievements, 5 roles, 1 rich
    assert "K10" not in ld01["Nội dung"] and "Nông Thị Hoa" not in ld01["Nội dung"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_the_fonts_of_xls_and_ods_files_decide_too(folder, tmp_path, fmt):  # noqa: F811
    """The same return saved by LibreOffice as .xls (BIFF8 FONT/XF records, SST runs) and as
    .ods (cell and span styles): the fonts are read there, not only in xlsx."""
    _legacy_return(folder, "LD01_Dot1_2020.xlsx", "LD01", TCVN3_TABLE, ".VnTime", ".VnTimeH")
    _legacy_return(folder, "LD02_Dot1_2020.xlsx", "LD02", VNI_TABLE, "VNI-Times", "VNI-Times")
    for unit in ("LD01", "LD02"):
        target = tmp_path / f"{unit}.{fmt}"
        _convert(folder / "inbox" / f"{unit}_Dot1_2020.xlsx", target, fmt)
        ret = read_return(target, CAMPAIGN)
        got = [(r.get("ho_ten"), r.get("thanh_tich"), r.get("chuc_vu"))
               for r in ret.tables["khen_ca_nhan"]]
        assert got == EXPECTED, unit
