"""The clerk's review survives what units do when they re-send their file (issue 11, point 6),
and a review that finds no row is listed and kept in the register."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest

from addin.consolidate import consolidate
from workbook_templates.forms import ControlSheet
from workbook_templates.messages import Msg

from test_consolidate import folder, good_sheets, person, put, sheet_rows  # noqa: F401

BK = "Bằng khen của BCH LĐLĐ tỉnh"
TLD = "Đề nghị Bằng khen của BCH Tổng Liên đoàn"
NOTE = "Thành tích nổi bật, đã xác minh"
A, B, C = person("Lê Thị Hạnh", 1988), person("Sầm Văn Toàn", 1975), person("Ma Thị Huyền", 1983)

# (case, first file, re-sent file, the name reviewed, the name that must carry the review)
CASES = [
    ("rows reordered", [A, B, C], [C, A, B], "Lê Thị Hạnh", "Lê Thị Hạnh"),
    ("row inserted above", [A, B], [C, A, B], "Lê Thị Hạnh", "Lê Thị Hạnh"),
    ("birth year corrected", [A, B], [person("Lê Thị Hạnh", 1989), B], "Lê Thị Hạnh",
     "Lê Thị Hạnh"),
    ("proposed form corrected", [A, B], [person("Lê Thị Hạnh", 1988, TLD), B], "Lê Thị Hạnh",
     "Lê Thị Hạnh"),
    ("spacing fixed", [person("Lê  Thị   Hạnh ", 1988), B], [A, B], "Lê Thị Hạnh",
     "Lê Thị Hạnh"),
    ("case fixed", [person("Lê thị Hạnh", 1988), B], [A, B], "Lê thị Hạnh", "Lê Thị Hạnh"),
    ("diacritics added", [person("Le Thi Hanh", 1988), B], [A, B], "Le Thi Hanh",
     "Lê Thị Hạnh"),
    ("tone placement changed", [person("Lò Văn Thuỷ", 1980), B], [person("Lò Văn Thủy", 1980), B],
     "Lò Văn Thuỷ", "Lò Văn Thủy"),
    ("two changes at once", [A, B, C], [B, person("Lê Thị Hạnh", 1989, TLD), C],
     "Lê Thị Hạnh", "Lê Thị Hạnh"),
]


def _review(control: Path, name: str) -> None:
    wb = openpyxl.load_workbook(control)
    ws = wb[ControlSheet.INDIVIDUAL]
    header = {c.value: c.column for c in ws[1]}
    (row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(r, header["Họ và tên"]).value == name]
    ws.cell(row, header["Duyệt"]).value = "Có"
    ws.cell(row, header["Hình thức được khen"]).value = BK
    ws.cell(row, header["Ghi chú"]).value = NOTE
    wb.save(control)


@pytest.mark.parametrize("case, first, resent, reviewed, carrier", CASES,
                         ids=[c[0] for c in CASES])
def test_review_follows_its_row_when_the_unit_resends(folder, case, first, resent,  # noqa: F811
                                                     reviewed, carrier):
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets(first), unit="LD01")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    _review(control, reviewed)

    put(folder, "LD01_Dot1_2020.xlsx", good_sheets(resent), unit="LD01")
    result = consolidate(folder, 1)

    people = sheet_rows(control, ControlSheet.INDIVIDUAL)
    kept = [(p["Họ và tên"], p["Duyệt"], p["Hình thức được khen"], p["Ghi chú"])
            for p in people if p["Duyệt"]]
    assert kept == [(carrier, "Có", BK, NOTE)]
    assert not [p for p in result.problems if p.msg is Msg.REVIEW_NOT_MATCHED]


def test_a_namesake_already_there_never_takes_the_review_of_a_withdrawn_row(folder):  # noqa: F811
    older, younger = person("Nông Văn An", 1970), person("Nông Văn An", 1992)
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([older, younger]), unit="LD01")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    wb = openpyxl.load_workbook(control)
    ws = wb[ControlSheet.INDIVIDUAL]
    header = {c.value: c.column for c in ws[1]}
    (row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(r, header["Năm sinh"]).value == 1970]
    ws.cell(row, header["Duyệt"]).value = "Có"
    wb.save(control)

    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([younger]), unit="LD01")
    result = consolidate(folder, 1)
    assert [bool(p["Duyệt"]) for p in sheet_rows(control, ControlSheet.INDIVIDUAL)] == [False]
    assert [p.value for p in result.problems if p.msg is Msg.REVIEW_NOT_MATCHED] == [
        "Nông Văn An"]


def test_a_review_that_finds_no_row_is_listed_and_kept_in_the_register(folder):  # noqa: F811
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([A, B]), unit="LD01")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    _review(control, "Lê Thị Hạnh")
    old_id = next(p["Mã đề nghị"] for p in sheet_rows(control, ControlSheet.INDIVIDUAL)
                  if p["Họ và tên"] == "Lê Thị Hạnh")

    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([B, C]), unit="LD01")  # Hạnh withdrawn
    consolidate(folder, 1)

    problems = sheet_rows(control, ControlSheet.PROBLEMS)
    (listed,) = [p for p in problems if p["Mã"] == Msg.REVIEW_NOT_MATCHED.code]
    assert listed["Nội dung"].startswith("Không tìm thấy dòng để giữ kết quả duyệt: "
                                         "“Lê Thị Hạnh”")
    assert old_id in listed["Nội dung"] and NOTE in listed["Nội dung"]
    assert not [p for p in sheet_rows(control, ControlSheet.INDIVIDUAL) if p["Duyệt"]]
    with sqlite3.connect(folder / "so_theo_doi.sqlite") as db:
        stored = db.execute("SELECT name, approved, awarded_form, note FROM nominations "
                            "WHERE nomination_id = ?", (old_id,)).fetchall()
    (name, approved, awarded, note), = stored
    assert (name, approved, awarded) == ("Lê Thị Hạnh", None, "")  # no approval: row gone
    assert f"Duyệt: Có, Hình thức được khen: {BK}, Ghi chú: {NOTE}" in note


def test_namesakes_each_keep_their_own_review_when_one_year_is_corrected(folder):  # noqa: F811
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person("Nông Văn An", 1992),
                                                    person("Nông Văn An", 1970)]), unit="LD01")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    wb = openpyxl.load_workbook(control)
    ws = wb[ControlSheet.INDIVIDUAL]
    header = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        ws.cell(r, header["Ghi chú"]).value = f"sinh {ws.cell(r, header['Năm sinh']).value}"
    wb.save(control)

    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person("Nông Văn An", 1971),
                                                    person("Nông Văn An", 1992)]), unit="LD01")
    consolidate(folder, 1)
    assert [(p["Năm sinh"], p["Ghi chú"]) for p in sheet_rows(control, ControlSheet.INDIVIDUAL)
            ] == [(1971, "sinh 1970"), (1992, "sinh 1992")]


def test_a_withdrawn_row_already_in_a_decision_stays_as_the_decision_has_it(folder):  # noqa: F811
    from addin.documents import generate_documents

    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([A, B]), unit="LD01")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    _review(control, "Lê Thị Hạnh")
    generate_documents(folder, 1, pdf=False)
    old_id = next(p["Mã đề nghị"] for p in sheet_rows(control, ControlSheet.INDIVIDUAL)
                  if p["Họ và tên"] == "Lê Thị Hạnh")

    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([B]), unit="LD01")
    result = consolidate(folder, 1)
    assert [p.value for p in result.problems if p.msg is Msg.REVIEW_NOT_MATCHED] == [
        "Lê Thị Hạnh"]
    with sqlite3.connect(folder / "so_theo_doi.sqlite") as db:
        stored = db.execute("SELECT approved, awarded_form FROM nominations "
                            "WHERE nomination_id = ?", (old_id,)).fetchall()
    assert stored == [(1, BK)]  # the decision gave it: still an award, for X03 and history
