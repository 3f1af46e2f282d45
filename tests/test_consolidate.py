"""Consolidate end to end: returned files built in each test from small tables, consolidated
into a real campaign folder, and the control workbook read back."""
from __future__ import annotations

import hashlib
import os
import random
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from addin.campaign_setup import init_campaign
from addin.consolidate import consolidate
from workbook_templates.campaign import default_campaign
from workbook_templates.forms import (
    COLLECTIVE_NOMINATIONS, INDIVIDUAL_NOMINATIONS, REGISTRATION, RESULTS, ControlSheet)
from workbook_templates.messages import Msg

from builders import build_return, fixed_rows
from external import run_soffice

CAMPAIGN = default_campaign()
PHASE1 = datetime(2020, 7, 1, 9, 0)

INFO_OK = {"Số CĐCS trực thuộc": 30, "Tổng số CNVCLĐ": 5000, "Tổng số đoàn viên": 4800,
           "Người lập biểu": "Nông Thị Hoa", "Điện thoại": "0912 345 678",
           "Ngày báo cáo": datetime(2020, 6, 25), "Thủ trưởng đơn vị": "Bế Văn Sơn"}


def person(name="Hoàng Văn Nam", year=1980, award="Bằng khen của BCH LĐLĐ tỉnh", **extra):
    row = {"Họ và tên": name, "Giới tính": "Nam", "Năm sinh": year, "Dân tộc": "Tày",
           "Chức vụ, nghề nghiệp": "Giáo viên", "Đơn vị công tác": "Trường THCS Hưng Đạo",
           "Trực tiếp sản xuất": "Không", "Hình thức đề nghị": award,
           "Phong trào": CAMPAIGN.movements[0], "Thành tích tóm tắt": "Hoàn thành xuất sắc"}
    row.update(extra)
    return row


def good_sheets(people=(), collectives=(), **more) -> dict:
    sheets = {
        "Thông tin": dict(INFO_OK),
        REGISTRATION.sheet: fixed_rows(REGISTRATION, CAMPAIGN.movements, {
            CAMPAIGN.movements[0]: {"Đăng ký": "Có", "Số CĐCS tham gia": 20,
                                    "Số đoàn viên, CNVCLĐ tham gia": 3000}}),
        "Công trình, sản phẩm": [{"Tên công trình, sản phẩm": "Nhà văn hóa xóm Nà Rụa",
                                  "Loại": "Công trình", "Đơn vị thực hiện": "LĐLĐ huyện",
                                  "Chào mừng sự kiện": CAMPAIGN.events[0].name,
                                  "Giá trị (đồng)": 150_000_000,
                                  "Ngày hoàn thành": datetime(2020, 5, 10),
                                  "Đề nghị gắn biển": "Có"}],
        "Sáng kiến": [],
        COLLECTIVE_NOMINATIONS.sheet: list(collectives),
        INDIVIDUAL_NOMINATIONS.sheet: list(people),
        RESULTS.sheet: fixed_rows(RESULTS, [i.title for i in CAMPAIGN.indicators], {
            CAMPAIGN.indicators[1].title: {"Kết quả": 4200},
            CAMPAIGN.indicators[9].title: {"Kết quả": 12},
            CAMPAIGN.indicators[10].title: {"Kết quả": 5}}),
    }
    sheets.update(more)
    return sheets


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "camp"
    init_campaign(root)
    return root


def put(folder: Path, name: str, sheets=None, *, when=PHASE1, **kw) -> Path:
    path = folder / "inbox" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    build_return(path, sheets if sheets is not None else good_sheets(), **kw)
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def sheet_rows(control: Path, name: str) -> list[dict]:
    rows = CalamineWorkbook.from_path(str(control)).get_sheet_by_name(name).to_python()
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:] if any(v not in ("", None) for v in r)]


def problems(control: Path) -> list[dict]:
    return sheet_rows(control, ControlSheet.PROBLEMS)


def codes_for(control: Path, file: str) -> set[str]:
    return {p["Mã"] for p in problems(control) if p["Tệp"] == file}


def status_of(control: Path, code: str) -> dict:
    return next(r for r in sheet_rows(control, ControlSheet.STATUS) if r["Mã đơn vị"] == code)


# --- files that cannot be taken -------------------------------------------------------------

def test_each_bad_file_is_isolated_and_the_good_one_is_taken(folder: Path):
    inbox = folder / "inbox"
    good = put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person()]), unit="LD01")
    (inbox / "LD02_Dot1_2020.xlsx").write_bytes(b"")
    truncated = good.read_bytes()[: len(good.read_bytes()) // 2]
    (inbox / "LD03_Dot1_2020.xlsx").write_bytes(truncated)
    (inbox / "LD04_Dot1_2020.xlsx").write_bytes(random.Random(1).randbytes(5000))
    put(folder, "LD05_Dot2_2020.xlsx", unit="LD05", phase=2)
    put(folder, "LD06_Dot1_2019.xlsx", unit="LD06", meta={"year": 2019})
    put(folder, "XX99_Dot1_2020.xlsx", unit="XX99")
    put(folder, "LD07_Dot1_2020.xlsx", unit="LD07", meta={"version": "2019.3"})
    put(folder, "LD08_Dot1_2020.xlsx", {"Bảng tính 1": [["Danh sách"], ["a", "b"]]}, meta=None)
    (inbox / "~$LD01_Dot1_2020.xlsx").write_bytes(b"lock")
    (inbox / "ghi chu.txt").write_text("xin gửi")

    result = consolidate(folder, 1)

    control = folder / "TongHopThiDua.xlsx"
    expected = {
        "LD02_Dot1_2020.xlsx": Msg.FILE_EMPTY, "LD03_Dot1_2020.xlsx": Msg.FILE_CORRUPT,
        "LD04_Dot1_2020.xlsx": Msg.FILE_CORRUPT, "LD05_Dot2_2020.xlsx": Msg.FILE_OTHER_PHASE,
        "LD06_Dot1_2019.xlsx": Msg.FILE_OTHER_YEAR, "XX99_Dot1_2020.xlsx": Msg.FILE_UNKNOWN_UNIT,
        "LD07_Dot1_2020.xlsx": Msg.FILE_OLD_VERSION, "LD08_Dot1_2020.xlsx": Msg.FILE_NOT_A_FORM,
    }
    for file, msg in expected.items():
        assert msg.code in codes_for(control, file), (file, codes_for(control, file))
    assert codes_for(control, "ghi chu.txt") == {Msg.FILE_IGNORED.code}
    assert "~$LD01_Dot1_2020.xlsx" not in {p["Tệp"] for p in problems(control)}
    assert status_of(control, "LD01")["Tình trạng"] == "Đã nộp"
    assert status_of(control, "LD05")["Tình trạng"] == "Có lỗi"
    assert status_of(control, "CS01")["Tình trạng"] == "Chưa nộp"
    people = sheet_rows(control, ControlSheet.INDIVIDUAL)
    assert [p["Họ và tên"] for p in people] == ["Hoàng Văn Nam"]
    assert result.counts["rejected"] == 8 and result.counts["ignored"] == 1


def test_encrypted_workbook_is_refused_with_its_message(folder: Path):
    import msoffcrypto.format.ooxml as ooxml

    plain = put(folder, "CS01_Dot1_2020.xlsx", unit="CS01")
    data = plain.read_bytes()
    src = folder / "plain.xlsx"
    src.write_bytes(data)
    with open(src, "rb") as f, open(plain, "wb") as out:
        ooxml.OOXMLFile(f).encrypt("matkhau", out)
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    assert codes_for(control, "CS01_Dot1_2020.xlsx") == {Msg.FILE_ENCRYPTED.code}


# --- values ----------------------------------------------------------------------------------

def test_value_problems_name_the_cell_and_bad_rows_are_not_taken(folder: Path):
    people = [person("Lương Thị Mai", 1985),
              person(None, 1982),  # required name missing: row not taken
              person("Đàm Văn Cường", 1940),  # 80 years old in 2020: year not taken
              person("Triệu Thị Lan", 1990, award="Huân chương Lao động")]  # not a choice
    sheets = good_sheets(people)
    sheets[REGISTRATION.sheet] = fixed_rows(REGISTRATION, CAMPAIGN.movements, {
        CAMPAIGN.movements[0]: {"Đăng ký": "Có", "Số CĐCS tham gia": 45,
                                "Số đoàn viên, CNVCLĐ tham gia": None}})
    put(folder, "LD01_Dot1_2020.xlsx", sheets, unit="LD01")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    rows = {(p["Mã"], p["Trang tính"], p["Ô"]) for p in problems(control)}
    sheet = INDIVIDUAL_NOMINATIONS.sheet
    assert (Msg.REQUIRED.code, sheet, "B6") in rows
    assert (Msg.AGE_OUT_OF_RANGE.code, sheet, "D7") in rows
    assert (Msg.NOT_A_CHOICE.code, sheet, "I8") in rows
    assert (Msg.ABOVE_UNIT_TOTAL.code, REGISTRATION.sheet, "D5") in rows
    assert (Msg.REQUIRED_IF_YES.code, REGISTRATION.sheet, "E5") in rows
    taken = sheet_rows(control, ControlSheet.INDIVIDUAL)
    assert [p["Họ và tên"] for p in taken] == ["Lương Thị Mai", "Đàm Văn Cường"]
    assert taken[1]["Năm sinh"] in ("", None)
    assert status_of(control, "LD01")["Tình trạng"] == "Có lỗi"


def test_text_that_looks_like_a_formula_stays_text(folder: Path):
    people = [person("- Nông Văn An", 1980), person("+Hà Thị Lan", 1981),
              person("@Lý Văn Vinh", 1982), person("Ma Thị Huyền", 1983)]
    path = put(folder, "LD01_Dot1_2020.xlsx", good_sheets(people), unit="LD01")
    wb = openpyxl.load_workbook(path)  # a unit that typed '=SUM(A1) as text in Excel
    cell = wb[INDIVIDUAL_NOMINATIONS.sheet]["B8"]
    cell.value, cell.data_type = '=HYPERLINK("http://x","bấm")', "s"
    wb.save(path)
    consolidate(folder, 1)
    ws = openpyxl.load_workbook(folder / "TongHopThiDua.xlsx")[ControlSheet.INDIVIDUAL]
    col = [c.value for c in ws[1]].index("Họ và tên") + 1
    cells = [ws.cell(r, col) for r in range(2, 6)]
    assert [c.value for c in cells] == ["- Nông Văn An", "+Hà Thị Lan", "@Lý Văn Vinh",
                                        '=HYPERLINK("http://x","bấm")']
    assert all(c.data_type == "s" for c in cells)


# --- across files ------------------------------------------------------------------------------

def test_duplicates_quotas_and_two_files_from_one_unit(folder: Path):
    twin = person("Nông Văn Đức", 1979)
    quota = CAMPAIGN.award_form("Bằng khen của BCH LĐLĐ tỉnh", "Cá nhân").quotas["CĐCS trực thuộc"]
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([twin]), unit="LD01")
    put(folder, "CS01_Dot1_2020.xlsx",
        good_sheets([person(f"Hà Thị Thu {i}", 1980 + i) for i in range(quota + 1)]),
        unit="CS01")
    draft = dict(INFO_OK, **{"Ngày báo cáo": datetime(2020, 6, 1)})
    put(folder, "LD02 ban nhap.xlsx", good_sheets(**{"Thông tin": draft}), unit="LD02")
    put(folder, "LD02_Dot1_2020.xlsx", good_sheets([person(" nông  văn đức ", 1979)]),
        unit="LD02", when=datetime(2020, 6, 28))
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    assert Msg.DUPLICATE_PERSON.code in codes_for(control, "LD01_Dot1_2020.xlsx")
    assert Msg.DUPLICATE_PERSON.code in codes_for(control, "LD02_Dot1_2020.xlsx")
    assert Msg.QUOTA_EXCEEDED.code in codes_for(control, "CS01_Dot1_2020.xlsx")
    assert Msg.FILE_SUPERSEDED.code in codes_for(control, "LD02 ban nhap.xlsx")
    assert Msg.FILE_SEVERAL.code in codes_for(control, "LD02_Dot1_2020.xlsx")
    assert status_of(control, "LD02")["Tệp"] == "LD02_Dot1_2020.xlsx"
    works = sheet_rows(control, ControlSheet.WORKS)
    assert sorted(w["Mã đơn vị"] for w in works) == ["CS01", "LD01", "LD02"]


def test_late_file_is_marked(folder: Path):
    put(folder, "LD01_Dot1_2020.xlsx", unit="LD01", when=datetime(2020, 7, 20, 10))
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    assert status_of(control, "LD01")["Tình trạng"] == "Nộp muộn"
    assert Msg.FILE_LATE.code in codes_for(control, "LD01_Dot1_2020.xlsx")


# --- lose nothing, change nothing ------------------------------------------------------------

def _hash_tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_inbox_unchanged_and_review_columns_survive_a_new_run(folder: Path):
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person(), person("Lê Thị Hạnh", 1988)]),
        unit="LD01")
    put(folder, "sub/CS02_Dot1_2020.xlsx", good_sheets([person("Sầm Văn Toàn", 1975)]),
        unit="CS02")
    before = _hash_tree(folder / "inbox")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    wb = openpyxl.load_workbook(control)
    ws = wb[ControlSheet.INDIVIDUAL]
    header = [c.value for c in ws[1]]
    name_col = header.index("Họ và tên") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, name_col).value == "Lê Thị Hạnh":
            ws.cell(r, header.index("Duyệt") + 1).value = "Có"
            ws.cell(r, header.index("Hình thức được khen") + 1).value = \
                "Bằng khen của BCH LĐLĐ tỉnh"
            ws.cell(r, header.index("Ghi chú") + 1).value = "Thành tích nổi bật"
    wb.save(control)

    result = consolidate(folder, 1)

    assert _hash_tree(folder / "inbox") == before
    people = sheet_rows(control, ControlSheet.INDIVIDUAL)
    assert len(people) == 3
    hanh = next(p for p in people if p["Họ và tên"] == "Lê Thị Hạnh")
    assert (hanh["Duyệt"], hanh["Hình thức được khen"], hanh["Ghi chú"]) == (
        "Có", "Bằng khen của BCH LĐLĐ tỉnh", "Thành tích nổi bật")
    assert len({p["Mã đề nghị"] for p in people}) == 3
    assert result.backup is not None and result.backup.exists()
    # The clerk's own sheets are still there, untouched.
    names = CalamineWorkbook.from_path(str(control)).sheet_names
    assert {"Cấu hình", "Đơn vị", ControlSheet.CHART}.issubset(names)


def test_results_are_totalled_and_linked(folder: Path):
    put(folder, "LD01_Dot1_2020.xlsx", unit="LD01")
    put(folder, "LD02_Dot1_2020.xlsx", unit="LD02")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    rows = sheet_rows(control, ControlSheet.RESULTS)
    total = next(r for r in rows if r["Tên đơn vị"] == "TỔNG CỘNG")
    assert total[CAMPAIGN.indicators[1].title] == 8400
    wb = openpyxl.load_workbook(control)
    status = wb[ControlSheet.STATUS]
    assert status["G2"].value == "LD01_Dot1_2020.xlsx"
    assert status["G2"].hyperlink.target == "inbox/LD01_Dot1_2020.xlsx"
    works = wb[ControlSheet.WORKS]
    origin = [c.value for c in works[1]].index("Ô") + 1
    link = works.cell(2, origin).hyperlink
    assert (link.target, link.location) == ("inbox/LD01_Dot1_2020.xlsx",
                                            "'Công trình, sản phẩm'!B5")


def test_libreoffice_opens_the_control_workbook(folder: Path, tmp_path: Path):
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person()]), unit="LD01")
    consolidate(folder, 1)
    out = tmp_path / "pdf"
    run_soffice("--convert-to", "pdf", "--outdir", out, folder / "TongHopThiDua.xlsx")
    text = subprocess.run(["pdftotext", str(out / "TongHopThiDua.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Hoàng Văn Nam" in text
    assert "Tình hình nộp" in text or "Đã nộp" in text


def test_each_nomination_row_has_the_id_made_of_its_unit_person_and_award(folder):
    """A row's Mã đề nghị is the stable id of its unit, person and proposed award (what a
    review hangs on from one run to the next), row by row, whichever unit comes first."""
    from workbook_templates.identity import nomination_id, person_key
    put(folder, "LD02_Dot1_2020.xlsx", good_sheets([person("Lý Thị Mai", 1990)]), unit="LD02")
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([
        person("Hoàng Văn Nam", 1980), person("Lê Thị Hạnh", 1985)]),
        unit="LD01")
    consolidate(folder, 1)
    people = sheet_rows(folder / "TongHopThiDua.xlsx", ControlSheet.INDIVIDUAL)
    assert [(p["Mã đơn vị"], p["Họ và tên"]) for p in people] == [
        ("LD01", "Hoàng Văn Nam"), ("LD01", "Lê Thị Hạnh"), ("LD02", "Lý Thị Mai")]
    for p in people:
        assert p["Mã đề nghị"] == nomination_id(
            2020, 1, p["Mã đơn vị"], "khen_ca_nhan", person_key(p["Họ và tên"], p["Năm sinh"]),
            p["Hình thức đề nghị"]), p
