"""``thidua demo``: the whole job on the built-in campaign, checked on the files it leaves."""
from __future__ import annotations

import subprocess

import pytest
from docx import Document
from python_calamine import CalamineWorkbook

from addin.demo import run_demo
from docgen.pdf import find_soffice
from workbook_templates.forms import ControlSheet
from workbook_templates.messages import Msg

from external import run_soffice
from test_consolidate import sheet_rows


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "demo-2020"
    lines: list[str] = []
    result = run_demo(root, say=lines.append, pdf=False)
    return root, result, lines


def test_demo_leaves_templates_returns_and_control_workbook(demo):
    root, result, lines = demo
    assert len(list((root / "outbox").glob("*_Dot1_2020.xlsx"))) == 21
    inbox = sorted(p.name for p in (root / "inbox").iterdir())
    assert "CS06_Dot1_2020.xlsx" not in inbox  # the one unit that sends nothing
    assert any(n.endswith(".xls") for n in inbox) == (find_soffice() is not None)
    status = {r["Mã đơn vị"]: r["Tình trạng"] for r in
              sheet_rows(root / "TongHopThiDua.xlsx", ControlSheet.STATUS) if r["Mã đơn vị"]}
    assert status["CS06"] == "Chưa nộp"
    assert status["CS04"] == "Có lỗi"  # password-protected file
    assert status["CDN03"] == "Nộp muộn" and status["CS02"] == "Nộp muộn"
    assert status["LD07"] == "Có lỗi"
    assert status["LD01"] == "Đã nộp"
    assert any("Tổng hợp" in line for line in lines)


def test_demo_understands_legacy_text_and_flags_the_typical_mistakes(demo):
    root, _, _ = demo
    problems = sheet_rows(root / "TongHopThiDua.xlsx", ControlSheet.PROBLEMS)
    codes = {(p["Mã đơn vị"], p["Mã"]) for p in problems}
    assert ("LD03", Msg.CONVERTED_TCVN3.code) in codes
    assert ("LD09", Msg.CONVERTED_VNI.code) in codes
    assert ("LD02", Msg.NUMBER_FROM_TEXT.code) in codes
    assert ("LD05", Msg.QUOTA_EXCEEDED.code) in codes
    assert ("LD08", Msg.DUPLICATE_PERSON.code) in codes
    assert ("LD06", Msg.FILE_SUPERSEDED.code) in codes
    assert ("CS04", Msg.FILE_ENCRYPTED.code) in codes
    people = sheet_rows(root / "TongHopThiDua.xlsx", ControlSheet.INDIVIDUAL)
    ld03 = [p["Họ và tên"] for p in people if p["Mã đơn vị"] == "LD03"]
    assert ld03 and all("©" not in n and "¸" not in n for n in ld03)


def test_demo_ends_with_documents_ready_to_sign(demo):
    root, result, _ = demo
    names = {p.name for p in result.documents}
    assert "BaoCao_SoKet_Dot1_2020.docx" in names
    assert any(n.startswith("QuyetDinh_BangKhen") for n in names)
    decision = Document(next(p for p in result.documents if p.name.startswith("QuyetDinh_Bang")))
    text = "\n".join(p.text for p in decision.paragraphs)
    assert "Nguyễn Ngọc Thư" in "\n".join(c.text for t in decision.tables for r in t.rows
                                          for c in r.cells) + text
    assert "ngày 20 tháng 7 năm 2020" in "\n".join(
        c.text for t in decision.tables for r in t.rows for c in r.cells)


def test_libreoffice_opens_a_filled_return(demo, tmp_path):
    root, _, _ = demo
    filled = root / "inbox" / "LD01_Dot1_2020.xlsx"
    run_soffice("--convert-to", "pdf", "--outdir", tmp_path, filled)
    text = subprocess.run(["pdftotext", str(tmp_path / "LD01_Dot1_2020.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "LĐLĐ Thành phố Cao Bằng" in text
    names = CalamineWorkbook.from_path(str(filled)).sheet_names
    assert "Khen cá nhân" in names


def test_demo_chooses_delegates_within_the_allotment_and_the_documents_agree(demo):
    """Issue 15: proposals with the usual mistakes, a choice within the allotment and the
    share, and four documents that name the same delegates as the Điển hình sheet."""
    from workbook_templates.campaign import default_campaign
    from workbook_templates.forms import outstanding_fields

    root, result, _ = demo
    titles = {f.key: f.title for f in outstanding_fields()}
    rows = [r for r in sheet_rows(root / "TongHopThiDua.xlsx", ControlSheet.OUTSTANDING)
            if r["Mã đơn vị"]]
    flags = {str(r["Cảnh báo"])[:3] for r in rows if r["Cảnh báo"]}
    assert {Msg.OUTSTANDING_TWICE.code, Msg.STORY_MISSING.code} <= flags
    chosen = [r for r in rows if r[titles["chon_dai_bieu"]] == "Có"]
    direct = sum(1 for r in chosen if r[titles["truc_tiep_sx"]] == "Có")
    campaign = default_campaign()
    assert 0 < len(chosen) <= campaign.delegates_allotted
    assert direct * 100 >= len(chosen) * campaign.direct_min_percent
    names = [r[titles["ho_ten"]] for r in chosen]
    assert len(set(names)) == len(names)
    docs = {p.name.rsplit("_Dot1", 1)[0]: Document(str(p)) for p in result.documents
            if p.suffix == ".docx"}
    listing = [[c.text for c in r.cells] for t in docs["DanhSach_DaiBieu"].tables[1:-1]
               for r in t.rows if r.cells[0].text.isdigit()]
    decision = [[c.text for c in r.cells] for t in docs["QuyetDinh_DienHinh"].tables[2:]
                for r in t.rows if r.cells[0].text.isdigit()]
    invited = [p.text.split(": ", 1)[1] for p in docs["GiayMoi_DaiBieu"].paragraphs
               if p.text.startswith(("Ông: ", "Bà: "))]
    stories = [p.text for p in docs["KyYeu_DienHinh"].paragraphs if p.text in names]
    assert sorted(r[1] for r in listing) == sorted(names)
    assert [r[1] for r in decision] == [r[1] for r in listing] == invited == stories
    assert sum(r[5] == "x" for r in listing) == direct
    text = "\n".join(p.text for p in docs["DanhSach_DaiBieu"].paragraphs)
    assert f"gồm {len(chosen)} đại biểu, trong đó {direct} công nhân" in text
    assert f"{100 * direct / len(chosen):.1f}%".replace(".", ",") in text


def test_demo_year_end_scores_ranks_and_writes_the_block_documents(demo):  # issue 14
    from addin.demo_year_end import YEAR_END_DIR
    from workbook_templates.forms import RANKING_SOURCE

    root, result, lines = demo
    control = root / YEAR_END_DIR / "TongHopThiDua.xlsx"
    scores = {r["Mã đơn vị"]: r for r in sheet_rows(control, ControlSheet.SCORING)}
    assert len(scores) == 21
    assert all(r["Tổng điểm tự chấm"] not in ("", None) for c, r in scores.items() if c != "CS06")
    assert sum(1 for r in scores.values() if r["Căn cứ xếp hạng"] == "Thẩm định") == 4
    assert {r["Xếp hạng trong khối"] for r in scores.values() if r["Tổng điểm tự chấm"]} >= {1, 2}
    codes = {(p["Mã đơn vị"], p["Mã"]) for p in sheet_rows(control, ControlSheet.PROBLEMS)}
    assert {("LD07", Msg.SCORE_ABOVE_ITEM_MAX.code), ("CS03", Msg.SCORE_TOTAL_MISMATCH.code),
            ("CS06", Msg.SCORE_MISSING.code)} <= codes
    ranked = [r for r in sheet_rows(control, ControlSheet.COLLECTIVE) if r["Tệp"] == RANKING_SOURCE]
    assert len(ranked) >= 6 and all(r["Duyệt"] == "Có" for r in ranked)
    names = {p.name for p in result.documents}
    assert "QuyetDinh_XepLoaiThiDua_2020.docx" in names and "BaoCao_TongKet_2020.docx" in names
    assert sum(1 for n in names if n.startswith("GiaoUoc_") and n.endswith(".docx")) == 3
    report = Document(str(root / "output" / "BaoCao_TongKet_2020.docx"))
    assert "KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA THEO KHỐI" in [p.text for p in report.paragraphs]
