"""Issue 11 on the demo: the flags the clerk sees where she approves, the check before
documents, and re-runs that add nothing."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from addin.consolidate import consolidate
from addin.demo import run_demo
from addin.flags import ERROR_FILL, OK_FILL, WARNING_FILL
from addin.preflight import PreflightBlocked
from addin.documents import generate_documents
from workbook_templates.forms import NO, YES, ControlSheet
from workbook_templates.messages import Msg, Severity

CONTROL = "TongHopThiDua.xlsx"


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("review") / "demo"
    run_demo(root, say=lambda _: None, pdf=False)
    return root


@pytest.fixture()
def demo(demo_root, tmp_path):
    """A copy of the demo folder this test may change."""
    root = tmp_path / "demo"
    shutil.copytree(demo_root, root)
    return root


def _sheet(control: Path, name: str):
    ws = openpyxl.load_workbook(control)[name]
    header = {c.value: c.column for c in ws[1]}
    return ws, header


def _rows(control: Path, name: str) -> list[dict]:
    ws, header = _sheet(control, name)
    return [{t: ws.cell(r, c).value for t, c in header.items()} | {"_row": r}
            for r in range(2, ws.max_row + 1)]


def _decisions(root: Path) -> list[tuple]:
    with sqlite3.connect(root / "so_theo_doi.sqlite") as db:
        return sorted(db.execute("SELECT kind, number, award_form FROM decisions"))


def _undo_resolution(control: Path) -> list[tuple[str, int]]:
    """Approve again every row the demo's clerk withdrew (her notes say "Không duyệt")."""
    wb = openpyxl.load_workbook(control)
    undone = []
    for name in (ControlSheet.INDIVIDUAL, ControlSheet.COLLECTIVE):
        ws = wb[name]
        header = {c.value: c.column for c in ws[1]}
        for r in range(2, ws.max_row + 1):
            if str(ws.cell(r, header["Ghi chú"]).value or "").startswith("Không duyệt"):
                ws.cell(r, header["Duyệt"]).value = YES
                ws.cell(r, header["Hình thức được khen"]).value = \
                    ws.cell(r, header["Hình thức đề nghị"]).value
                undone.append((name, r))
    wb.save(control)
    return undone


def _output(root: Path) -> set[str]:
    return {p.name for p in (root / "output").iterdir()}


# --- the flags on the review sheets (the command line's file) ------------------------------

def test_review_sheet_shows_each_flag_with_the_other_party_linked_and_highlighted(demo_root):
    rows = _rows(demo_root / CONTROL, ControlSheet.INDIVIDUAL)
    twins = [r for r in rows if str(r["Cảnh báo"] or "").startswith("X01")]
    assert {r["Mã đơn vị"] for r in twins} == {"LD08", "CDN01"}
    ld08 = next(r for r in twins if r["Mã đơn vị"] == "LD08")
    cdn01 = next(r for r in twins if r["Mã đơn vị"] == "CDN01")
    assert ld08["Cảnh báo"] == f"X01 trùng với CDN01, dòng {cdn01['_row']}"
    over = [r for r in rows if "X02" in str(r["Cảnh báo"] or "")]
    assert len(over) == 6 and {r["Mã đơn vị"] for r in over} == {"LD05"}
    assert "vượt số lượng 5 Bằng khen của BCH LĐLĐ tỉnh của LĐLĐ huyện, thành phố" in \
        over[0]["Cảnh báo"]
    errors = [r for r in rows if str(r["Cảnh báo"] or "").startswith("V16")]
    assert [r["Mã đơn vị"] for r in errors] == ["LD07"]

    ws, header = _sheet(demo_root / CONTROL, ControlSheet.INDIVIDUAL)
    problems = _rows(demo_root / CONTROL, ControlSheet.PROBLEMS)
    flag_col = header["Cảnh báo"]
    for row, fill in ((ld08["_row"], WARNING_FILL), (errors[0]["_row"], ERROR_FILL)):
        for col in (1, header["Họ và tên"], flag_col):  # the whole row is highlighted
            assert ws.cell(row, col).fill.fgColor.rgb == fill
        link = ws.cell(row, flag_col).hyperlink
        target = problems[int(link.location.rsplit("A", 1)[1]) - 2]
        assert link.location.startswith(f"'{ControlSheet.PROBLEMS}'!A")
        assert target["Mã"] == ws.cell(row, flag_col).value[:3]
        assert target["Mã đơn vị"] == ws.cell(row, header["Mã đơn vị"]).value
    plain = next(r for r in rows if not r["Cảnh báo"])
    assert ws.cell(plain["_row"], 1).fill.fgColor.rgb in (None, "00000000")


def test_problems_are_a_worklist_and_status_is_coloured(demo_root):
    problems = _rows(demo_root / CONTROL, ControlSheet.PROBLEMS)
    order = {Severity.ERROR.value: 0, Severity.WARNING.value: 1, Severity.INFO.value: 2}
    levels = [order[p["Mức độ"]] for p in problems]
    assert levels == sorted(levels) and set(levels) == {0, 1, 2}
    notes = [p for p in problems if p["Mức độ"] == Severity.INFO.value]
    kinds = [(p["Mã đơn vị"], p["Tệp"], p["Mã"]) for p in notes]
    assert len(kinds) == len(set(kinds))  # one row per file and kind
    tcvn3 = next(p for p in notes if p["Mã"] == Msg.CONVERTED_TCVN3.code)
    # one note per file and encoding (issue 13), its cells listed in the text
    assert tcvn3["Nội dung"].count(" → ") >= 20 <= int(tcvn3["Giá trị tìm thấy"])
    assert len(problems) < 40  # was 220 rows, 201 of them notes

    ws, header = _sheet(demo_root / CONTROL, ControlSheet.STATUS)
    fills = {ws.cell(r, header["Mã đơn vị"]).value: ws.cell(r, 1).fill.fgColor.rgb
             for r in range(2, ws.max_row)}
    assert fills["LD01"] == OK_FILL and fills["LD07"] == ERROR_FILL
    assert fills["CDN03"] == WARNING_FILL  # late
    total = ws.max_row
    assert ws.cell(total, header["Tên đơn vị"]).value == "TỔNG CỘNG"
    errors = sum(ws.cell(r, header["Số lỗi"]).value or 0 for r in range(2, total))
    warnings = sum(ws.cell(r, header["Số cảnh báo"]).value or 0 for r in range(2, total))
    assert errors and warnings
    assert ws.cell(total, header["Số lỗi"]).value == errors
    assert ws.cell(total, header["Số cảnh báo"]).value == warnings


# --- the check before documents ------------------------------------------------------------

def test_demo_decision_is_clean(demo_root):
    rows = _rows(demo_root / CONTROL, ControlSheet.INDIVIDUAL)
    approved = [r for r in rows if r["Duyệt"] == YES]
    twins = [r for r in approved if str(r["Cảnh báo"] or "").startswith("X01")]
    assert len(twins) == 1  # the clerk kept one of Triệu Quang Phúc's two rows
    over = [r for r in approved if "X02" in str(r["Cảnh báo"] or "")]
    assert len(over) == 5
    assert not [r for r in approved if str(r["Cảnh báo"] or "").startswith("V16")]
    assert any(name.startswith("QuyetDinh_BangKhen") for name in _output(demo_root))


def test_undone_resolution_stops_documents_and_nothing_is_numbered(demo):
    control = demo / CONTROL
    undone = _undo_resolution(control)
    assert undone
    before, files = _decisions(demo), _output(demo)
    with pytest.raises(PreflightBlocked) as caught:
        generate_documents(demo, 1, pdf=False)
    found = caught.value.findings
    codes = {(p.code, p.unit) for p in found}
    assert (Msg.PREFLIGHT_SAME_FORM_TWICE.code, "LD08") in codes
    assert (Msg.PREFLIGHT_SAME_FORM_TWICE.code, "CDN01") in codes
    assert (Msg.PREFLIGHT_QUOTA.code, "LD05") in codes
    assert (Msg.PREFLIGHT_ROW_ERROR.code, "LD07") in codes
    message = caught.value.problem.text
    assert caught.value.problem.code == Msg.PREFLIGHT_BLOCKED.code
    assert "Triệu Quang Phúc" in message and f"{ControlSheet.INDIVIDUAL} dòng" in message
    assert _decisions(demo) == before and _output(demo) == files

    # The command line stops the same way, report included, exit 2.
    run = subprocess.run([sys.executable, "-m", "addin.cli", "documents", str(demo),
                          "--no-pdf"], capture_output=True, text=True)
    assert run.returncode == 2 and "[C20]" in run.stderr and "LD05" in run.stderr
    assert _decisions(demo) == before and _output(demo) == files


def test_acknowledged_warnings_go_but_the_same_form_twice_never_does(demo):
    control = demo / CONTROL
    undone = _undo_resolution(control)
    wb = openpyxl.load_workbook(control)
    for name, r in undone:  # the clerk acknowledges every finding, with a reason
        ws = wb[name]
        header = {c.value: c.column for c in ws[1]}
        ws.cell(r, header["Đã xem xét"]).value = YES
        ws.cell(r, header["Ghi chú"]).value = "Thường trực đã đồng ý"
    wb.save(control)
    with pytest.raises(PreflightBlocked) as caught:
        generate_documents(demo, 1, pdf=False)
    codes = {p.code for p in caught.value.findings}
    assert Msg.PREFLIGHT_SAME_FORM_TWICE.code in codes  # never acknowledged away
    assert Msg.PREFLIGHT_ROW_ERROR.code in codes  # an error neither
    assert Msg.PREFLIGHT_QUOTA.code not in codes and Msg.PREFLIGHT_TWICE.code not in codes

    # Resolved as the demo's clerk does: the documents go.
    wb = openpyxl.load_workbook(control)
    for name, r in undone:
        ws = wb[name]
        header = {c.value: c.column for c in ws[1]}
        ws.cell(r, header["Duyệt"]).value = NO
    wb.save(control)
    result = generate_documents(demo, 1, pdf=False)
    assert result.numbers["QĐ"]


def test_acknowledgement_needs_a_reason(demo):
    control = demo / CONTROL
    wb = openpyxl.load_workbook(control)
    ws = wb[ControlSheet.INDIVIDUAL]
    header = {c.value: c.column for c in ws[1]}
    kept = [r for r in range(2, ws.max_row + 1)
            if "X02" in str(ws.cell(r, header["Cảnh báo"]).value or "")
            and str(ws.cell(r, header["Ghi chú"]).value or "").startswith("Không duyệt")]
    (r,) = kept
    ws.cell(r, header["Duyệt"]).value = YES
    ws.cell(r, header["Ghi chú"]).value = None
    ws.cell(r, header["Đã xem xét"]).value = "x"
    wb.save(control)
    with pytest.raises(PreflightBlocked) as caught:
        generate_documents(demo, 1, pdf=False)
    assert [p.code for p in caught.value.findings] == [Msg.PREFLIGHT_NO_REASON.code]


def test_reruns_add_no_finding_keep_numbers_and_issue_no_second_decision(demo):
    control = demo / CONTROL
    first = _decisions(demo)
    approvals = [(r["Mã đề nghị"], r["Duyệt"]) for r in _rows(control, ControlSheet.INDIVIDUAL)]
    for _ in range(2):
        result = consolidate(demo, 1)
        assert not [p for p in result.problems if p.msg is Msg.ALREADY_AWARDED]
        assert not [p for p in result.problems if p.msg is Msg.REVIEW_NOT_MATCHED]
        assert [(r["Mã đề nghị"], r["Duyệt"])
                for r in _rows(control, ControlSheet.INDIVIDUAL)] == approvals
        docs = generate_documents(demo, 1, pdf=False)
        assert sorted(docs.numbers["QĐ"]) == sorted(n for k, n, _ in first if k == "QĐ")
        assert _decisions(demo) == first


def test_works_sheet_flags_a_work_proposed_for_a_plaque(tmp_path):
    from addin.campaign_setup import init_campaign
    from test_consolidate import CAMPAIGN, good_sheets, put

    root = tmp_path / "camp"
    init_campaign(root)
    works = [{"Tên công trình, sản phẩm": "Nhà văn hóa xóm Nà Rụa", "Loại": "Công trình",
              "Đơn vị thực hiện": "LĐLĐ huyện", "Chào mừng sự kiện": CAMPAIGN.events[0].name,
              "Giá trị (đồng)": 150_000_000, "Ngày khởi công": datetime(2020, 5, 1),
              "Ngày hoàn thành": datetime(2020, 4, 10), "Đề nghị gắn biển": "Có"}]
    put(root, "LD01_Dot1_2020.xlsx", good_sheets(**{"Công trình, sản phẩm": works}),
        unit="LD01")
    consolidate(root, 1)
    ws, header = _sheet(root / CONTROL, ControlSheet.WORKS)
    flag = ws.cell(2, header["Cảnh báo"])
    assert flag.value.startswith(Msg.DATE_BEFORE.code)
    assert ws.cell(2, header["Tên công trình, sản phẩm"]).fill.fgColor.rgb == ERROR_FILL
    assert flag.hyperlink.location.startswith(f"'{ControlSheet.PROBLEMS}'!A")
