"""Emulation blocks (issue 14): settings, the self-scoring form declared once, the Chấm điểm
sheet (ranking, ties, checks, the federation's columns kept), the ranking's proposals and the
block documents."""
from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.shared import Pt
from openpyxl import Workbook

from addin.campaign_setup import init_campaign, load_campaign
from addin.consolidate import consolidate
from addin.demo import fill_workbook
from addin.documents import generate_documents, generate_pledges
from workbook_templates import scoring, settings_sheet
from workbook_templates.campaign import default_campaign
from workbook_templates.forms import (
    ASSESSED_NOTE, ASSESSED_TOTAL, RANKING_SOURCE, SELF_SCORE, ControlSheet)
from workbook_templates.messages import Msg
from workbook_templates.reader import read_return
from workbook_templates.template_writer import write_unit_workbook
from addin.checks import check_return

from test_consolidate import sheet_rows

ROOT = Path(__file__).resolve().parent.parent
BLOCK_A = "Khối LĐLĐ huyện, thành phố"
POINTS, TOTAL = SELF_SCORE.scoring.points, SELF_SCORE.scoring.total.key
INFO = {"thong_tin": {"nguoi_lap": "Hoàng Thị Lan", "dien_thoai": "0912345678",
                      "ngay_bao_cao": date(2020, 12, 10), "thu_truong": "Nông Văn Đức"}}


# --- ranking from small tables --------------------------------------------------------------
def _ranked(rows):
    entries = [scoring.Entry(code, block, score, deducted) for code, block, score, deducted in rows]
    return {e.unit_code: (e.rank, e.tied) for e in scoring.rank(entries)}


def test_rank_by_score_within_each_block():
    got = _ranked([("a", "K1", 90, 0), ("b", "K1", 95, 0), ("c", "K2", 70, 0),
                   ("d", "K1", 80, 0), ("e", "K2", 88, 0)])
    assert got == {"b": (1, False), "a": (2, False), "d": (3, False),
                   "e": (1, False), "c": (2, False)}


def test_equal_scores_fewer_deductions_first_then_shared_rank():
    got = _ranked([("a", "K", 90, 2), ("b", "K", 90, 0), ("c", "K", 90, 2),
                   ("d", "K", 85, 0), ("e", "K", 95, 0)])
    assert got["e"] == (1, False)
    assert got["b"] == (2, False)  # same score, fewer points deducted: placed higher
    assert got["a"] == got["c"] == (3, True)  # equal on both: tied, rank shared
    assert got["d"] == (5, False)  # the next rank skips the shared places


def test_classification_thresholds():
    c = default_campaign()
    assert [c.classify(x) for x in (100, 95, 94.5, 80, 79.9, 0, None)] == [
        "Xuất sắc", "Xuất sắc", "Khá", "Khá", "Trung bình", "Yếu", ""]


# --- settings -------------------------------------------------------------------------------
def test_settings_round_trip_and_units_show_their_block():
    c = default_campaign()
    c.units[0].block = "Khối CĐCS trực thuộc"  # moved by the clerk on Đơn vị
    wb = Workbook()
    settings_sheet.write_settings(wb, c)
    units = wb[ControlSheet.UNITS]
    header = [cell.value for cell in units[1]]
    blocks = {row[1]: row[header.index("Khối thi đua")] for row in
              units.iter_rows(min_row=2, values_only=True)}
    assert blocks["LD01"] == "Khối CĐCS trực thuộc" and blocks["LD02"] == BLOCK_A
    assert blocks["CDVC"] == "Khối Công đoàn ngành, Công đoàn Viên chức"
    rows = [list(r) for r in wb[ControlSheet.SETTINGS].iter_rows(values_only=True)]
    back = settings_sheet.campaign_from_rows(
        rows, [list(r) for r in units.iter_rows(values_only=True)])
    assert back == c
    assert back.block_of(back.unit("LD01")).name == "Khối CĐCS trực thuộc"


def test_a_control_workbook_made_before_the_blocks_still_loads():
    c = default_campaign()
    wb = Workbook()
    settings_sheet.write_settings(wb, c)
    rows = [list(r) for r in wb[ControlSheet.SETTINGS].iter_rows(values_only=True)]
    first_new = next(i for i, r in enumerate(rows)
                     if r[0] == settings_sheet.EMULATION_BLOCKS.title)
    units = [list(r)[:-1] for r in wb[ControlSheet.UNITS].iter_rows(values_only=True)]
    old = settings_sheet.campaign_from_rows(rows[:first_new], units)
    assert old.emulation_blocks == [] and old.criteria == []
    assert [k.name for k in old.score_classes] == ["Xuất sắc", "Khá", "Trung bình", "Yếu"]
    assert old.ranking_flag_form == "Cờ thi đua của LĐLĐ tỉnh"
    assert old.movements == c.movements


def test_duplicate_criterion_code_is_refused():
    c = default_campaign()
    c.criteria[1].code = c.criteria[0].code
    wb = Workbook()
    settings_sheet.write_settings(wb, c)
    rows = [list(r) for r in wb[ControlSheet.SETTINGS].iter_rows(values_only=True)]
    units = [list(r) for r in wb[ControlSheet.UNITS].iter_rows(values_only=True)]
    with pytest.raises(Exception) as err:
        settings_sheet.campaign_from_rows(rows, units)
    assert "bị trùng" in str(err.value.problem.text)


# --- the form, defined once -----------------------------------------------------------------
def test_the_self_score_sheet_is_in_the_year_end_templates_only(tmp_path):
    c = default_campaign()
    unit = c.unit("CS01")
    first = write_unit_workbook(tmp_path / "CS01_Dot1_2020.xlsx", c, unit, 1)
    assert SELF_SCORE.sheet not in openpyxl.load_workbook(first).sheetnames
    last = write_unit_workbook(tmp_path / "CS01_Dot2_2020.xlsx", c, unit, 2)
    ws = openpyxl.load_workbook(last)[SELF_SCORE.sheet]
    header = [cell.value for cell in ws[4]]
    assert header == [f.title for f in SELF_SCORE.fields]
    codes = [ws.cell(r, 2).value for r in range(5, 5 + 9)]
    assert codes == [x.code for x in c.criteria_of("Khối CĐCS trực thuộc")]
    assert ws.cell(5, 6).protection.locked and not ws.cell(5, 7).protection.locked
    bound = next(dv for dv in ws.data_validations.dataValidation if "G5" in str(dv.sqref))
    assert bound.formula2 == "F5"  # each score bounded by its own row's maximum
    assert ws.cell(14, 1).value == SELF_SCORE.scoring.total.title


def test_a_changed_criterion_changes_template_and_reader_together(tmp_path):
    root = tmp_path / "camp"
    init_campaign(root)
    control = root / "TongHopThiDua.xlsx"
    wb = openpyxl.load_workbook(control)
    ws = wb[ControlSheet.SETTINGS]
    (row,) = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "A.2.2"]
    ws.cell(row, 4).value = "Phát triển đoàn viên trong doanh nghiệp ngoài nhà nước"
    ws.cell(row, 5).value = 12
    wb.save(control)
    _, c = load_campaign(root)
    unit = c.unit("LD01")
    template = write_unit_workbook(tmp_path / "LD01_Dot2_2020.xlsx", c, unit, 2)
    sheet = openpyxl.load_workbook(template)[SELF_SCORE.sheet]
    (r,) = [r for r in range(5, 14) if sheet.cell(r, 2).value == "A.2.2"]
    assert sheet.cell(r, 4).value == "Phát triển đoàn viên trong doanh nghiệp ngoài nhà nước"
    assert sheet.cell(r, 6).value == 12
    filled = fill_workbook(template, tmp_path / "in" / template.name,
                           {**INFO, SELF_SCORE.key: {"A.2.2": {POINTS: 15},
                                                     "A.1.1": {POINTS: 9}}})
    ret = read_return(filled, c)
    check_return(ret, c, 2)
    over = [p for p in ret.problems if p.msg is Msg.SCORE_ABOVE_ITEM_MAX]
    assert [(p.cell, p.expected) for p in over] == [(f"G{r}", 12)]
    assert {row.get("ma_tieu_chi"): row.get(POINTS) for row in ret.tables[SELF_SCORE.key]
            if row.get(POINTS) is not None} == {"A.1.1": 9}


def test_the_new_forms_key_and_sheet_title_are_written_only_in_forms_py():
    found = subprocess.run(
        ["grep", "-rniIl", "-e", SELF_SCORE.key, "-e", SELF_SCORE.sheet, "--include=*.py",
         "addin", "workbook_templates"], cwd=ROOT, capture_output=True, text=True).stdout
    assert found.split() == ["workbook_templates/forms.py"]


# --- consolidation ----------------------------------------------------------------------------
def _scores(c, code: str, points: dict[str, float] | None = None, total_off: float = 0):
    """A full self-score for unit ``code``: every criterion at its maximum minus one point,
    no bonus, no deduction; ``points`` overrides some."""
    rows = {}
    for x in c.row_items("criteria", c.unit(code)):
        rows[x.code] = {POINTS: x.max_points - 1 if x.kind == "Chuẩn" else 0,
                        "minh_chung": "Báo cáo số 12/BC-CĐ"}
    for k, v in (points or {}).items():
        rows[k][POINTS] = v
    total = sum(x.signed(rows[x.code][POINTS]) for x in c.row_items("criteria", c.unit(code)))
    return {**INFO, SELF_SCORE.key: rows, TOTAL: total + total_off}


@pytest.fixture()
def year_end(tmp_path):
    root = tmp_path / "camp"
    init_campaign(root)
    _, c = load_campaign(root)
    returns = {
        "LD01": _scores(c, "LD01"),  # 93
        "LD02": _scores(c, "LD02", {"A.4.1": 3}),  # 96
        "LD03": _scores(c, "LD03", {"A.4.2": 2, "A.4.1": 2}),  # 93, 2 deducted
        "LD04": _scores(c, "LD04", {"A.1.1": 14}),  # over the maximum 10: not counted
        "LD05": _scores(c, "LD05", total_off=5),  # a total that does not add up
        "CS01": _scores(c, "CS01"),
    }
    for code, values in returns.items():
        template = write_unit_workbook(root / "outbox" / f"{code}_Dot2_2020.xlsx", c,
                                       c.unit(code), 2)
        fill_workbook(template, root / "inbox" / template.name, values)
    consolidate(root, 2)
    return root, c


def _scoring(root: Path) -> dict[str, dict]:
    return {r["Mã đơn vị"]: r for r in sheet_rows(root / "TongHopThiDua.xlsx", ControlSheet.SCORING)}


def test_chấm_điểm_ranks_classifies_and_locates_the_mistakes(year_end):
    root, c = year_end
    rows = _scoring(root)
    assert set(rows) == {u.code for u in c.units}  # every unit of a block has its row
    assert rows["LD02"]["Tổng điểm tự chấm"] == 96 and rows["LD02"]["Xếp hạng trong khối"] == 1
    # 93 and nothing deducted: LD01 and LD05 share the rank; 93 with 2 deducted comes after
    assert (rows["LD01"]["Xếp hạng trong khối"], rows["LD01"]["Đồng hạng"]) == (2, "Đồng hạng")
    assert (rows["LD05"]["Xếp hạng trong khối"], rows["LD05"]["Đồng hạng"]) == (2, "Đồng hạng")
    assert rows["LD03"]["Xếp hạng trong khối"] == 4 and not rows["LD03"]["Đồng hạng"]
    assert rows["LD04"]["Tổng điểm tự chấm"] == 84  # A.1.1 not counted
    assert rows["LD02"]["Xếp loại"] == "Xuất sắc" and rows["LD04"]["Xếp loại"] == "Khá"
    assert rows["CS01"]["Xếp hạng trong khối"] == 1 and rows["CS01"]["Khối thi đua"] == \
        "Khối CĐCS trực thuộc"
    assert rows["LD04"]["Cảnh báo"].startswith(Msg.SCORE_ABOVE_ITEM_MAX.code)
    problems = sheet_rows(root / "TongHopThiDua.xlsx", ControlSheet.PROBLEMS)
    found = {(p["Mã"], p["Mã đơn vị"]) for p in problems}
    assert (Msg.SCORE_ABOVE_ITEM_MAX.code, "LD04") in found
    assert (Msg.SCORE_TOTAL_MISMATCH.code, "LD05") in found
    assert (Msg.SCORE_MISSING.code, "LD06") in found
    assert (Msg.SCORE_TOTAL_MISMATCH.code, "LD01") not in found
    total = next(p for p in problems if p["Mã"] == Msg.SCORE_TOTAL_MISMATCH.code)
    assert total["Ô"] == "G14" and total["Trang tính"] == SELF_SCORE.sheet


def test_the_leaders_are_proposed_on_khen_tap_the_marked_as_from_the_ranking(year_end):
    root, c = year_end
    proposals = [r for r in sheet_rows(root / "TongHopThiDua.xlsx", ControlSheet.COLLECTIVE)
                 if r["Tệp"] == RANKING_SOURCE]
    got = {(r["Mã đơn vị"], r["Hình thức đề nghị"]) for r in proposals}
    assert got == {("LD02", c.ranking_flag_form), ("LD01", c.ranking_merit_form),
                   ("LD05", c.ranking_merit_form), ("CS01", c.ranking_flag_form)}
    problems = sheet_rows(root / "TongHopThiDua.xlsx", ControlSheet.PROBLEMS)
    tie = next(p for p in problems if p["Mã"] == Msg.SCORE_TIE_AT_PROPOSAL.code)
    assert "LD01, LD05" in tie["Nội dung"] and BLOCK_A in tie["Nội dung"]
    ld02 = next(r for r in proposals if r["Mã đơn vị"] == "LD02")
    assert ld02["Ô"] == f"{ControlSheet.SCORING}!A3" and "Xếp thứ 1" in ld02["Thành tích tóm tắt"]
    assert ld02["Mã đề nghị"]


def _assess(root: Path, code: str, **by_title) -> None:
    control = root / "TongHopThiDua.xlsx"
    wb = openpyxl.load_workbook(control)
    ws = wb[ControlSheet.SCORING]
    header = {cell.value: cell.column for cell in ws[1]}
    (row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code]
    for title, value in by_title.items():
        ws.cell(row, header[title]).value = value
    wb.save(control)


def test_the_federations_scores_survive_a_new_consolidation_and_rank(year_end):
    root, c = year_end
    sections = [f"Thẩm định {s}" for s in scoring.sections(c.criteria)]
    _assess(root, "LD02", **{sections[0]: 18, sections[1]: 50, sections[2]: 20,
                             sections[3]: 0, ASSESSED_NOTE.title: "Trừ điểm minh chứng"})
    _assess(root, "LD01", **{ASSESSED_TOTAL.title: 97})
    _assess(root, "LD03", **{sections[0]: 10, ASSESSED_TOTAL.title: 80})  # disagree: B05
    consolidate(root, 2)
    rows = _scoring(root)
    assert rows["LD02"][sections[1]] == 50 and rows["LD02"][ASSESSED_NOTE.title] == \
        "Trừ điểm minh chứng"
    assert rows["LD02"]["Điểm xếp hạng"] == 88 and rows["LD02"]["Căn cứ xếp hạng"] == "Thẩm định"
    assert rows["LD01"]["Xếp hạng trong khối"] == 1 and rows["LD01"]["Điểm xếp hạng"] == 97
    assert rows["LD03"]["Điểm xếp hạng"] == 80
    assert rows["LD05"]["Căn cứ xếp hạng"] == "Tự chấm"
    problems = sheet_rows(root / "TongHopThiDua.xlsx", ControlSheet.PROBLEMS)
    assert any(p["Mã"] == Msg.ASSESSED_TOTAL_MISMATCH.code and p["Mã đơn vị"] == "LD03"
               for p in problems)
    consolidate(root, 2)  # and once more: still there
    assert _scoring(root)["LD01"][ASSESSED_TOTAL.title] == 97


def test_a_unit_scored_in_another_blocks_criteria_is_told(tmp_path):
    root = tmp_path / "camp"
    init_campaign(root)
    _, c = load_campaign(root)
    moved = default_campaign()
    moved.unit("LD01").block = "Khối CĐCS trực thuộc"  # the template of a former block
    template = write_unit_workbook(root / "outbox" / "LD01_Dot2_2020.xlsx", moved,
                                   moved.unit("LD01"), 2)
    fill_workbook(template, root / "inbox" / template.name, _scores(moved, "LD01"))
    consolidate(root, 2)
    problems = sheet_rows(root / "TongHopThiDua.xlsx", ControlSheet.PROBLEMS)
    wrong = [p for p in problems if p["Mã"] == Msg.ROW_OF_OTHER_BLOCK.code]
    assert len(wrong) == 9 and {p["Mã đơn vị"] for p in wrong} == {"LD01"}
    assert _scoring(root)["LD01"]["Xếp hạng trong khối"] in ("", None)


# --- documents --------------------------------------------------------------------------------
def _format_like_the_decisions(doc) -> None:
    s = doc.sections[0]
    sizes = [s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin,
             s.right_margin]
    assert [round(x.mm, 1) for x in sizes] == [210, 297, 20, 20, 30, 20]
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    left, right = doc.tables[0].rows[0].cells
    assert left.paragraphs[1].text == "LĐLĐ TỈNH CAO BẰNG" and left.paragraphs[1].runs[0].bold
    assert right.paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"


def test_one_pledge_per_block_with_members_criteria_and_signatures(tmp_path):
    root = tmp_path / "camp"
    init_campaign(root)
    result = generate_pledges(root, pdf=False)
    assert len(result.written) == 3
    doc = Document(str(next(p for p in result.written if "LDLD" in p.name)))
    _format_like_the_decisions(doc)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "GIAO ƯỚC THI ĐUA NĂM 2020" in text and BLOCK_A in text
    assert "thang điểm 100 điểm" in text and "1 đơn vị dẫn đầu khối" in text
    signatures = [p.text for p in doc.tables[1].cell(0, 0).paragraphs]
    assert signatures[1] == "1. LĐLĐ Thành phố Cao Bằng" and len(
        [s for s in signatures if re.match(r"\d+\. ", s)]) == 10
    criteria = [[c.text for c in row.cells] for row in doc.tables[2].rows]
    assert ["1", "A.1.1"] == criteria[2][:2] and criteria[1][0] == "I. Tổ chức phong trào thi đua"
    assert criteria[-1][4] == "100"


def test_the_classification_decision_lists_every_ranked_unit(year_end):
    root, c = year_end
    result = generate_documents(root, 2, pdf=False, kinds=("decisions",))
    out = next(p for p in result.written if p.name.startswith("QuyetDinh_XepLoai"))
    doc = Document(str(out))
    _format_like_the_decisions(doc)
    article = next(p for p in doc.paragraphs if p.text.startswith("Điều 1."))
    assert article.runs[0].text == "Điều 1. " and article.runs[0].bold
    assert "6 đơn vị thuộc 2 khối thi đua" in article.text
    assert "1 đơn vị xếp loại Xuất sắc" in article.text
    rows = [[cell.text for cell in row.cells] for row in doc.tables[2].rows]
    assert rows[1][0] == BLOCK_A
    assert rows[2][1:] == ["LĐLĐ huyện Bảo Lâm", "96", "", "1", "Xuất sắc"]
    assert rows[-1][1] == "Tổng cộng: 6 đơn vị"
    assert round(doc.sections[1].left_margin.mm) == 30
