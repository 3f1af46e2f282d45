"""A control workbook made by the previous version (tests/fixtures/control_1befd8f, written by
that version's code): its settings load with the blocks added since at their defaults, told to
the clerk; Consolidate keeps the clerk's review and adds the new review columns; Documents
print on it."""
from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from addin.consolidate import consolidate
from addin.documents import generate_documents, generate_report
from addin.reviews import KeptReview, ReviewKeeper
from workbook_templates import settings_sheet as ss
from workbook_templates.campaign import LAW_BASIS, default_campaign
from workbook_templates.forms import ControlSheet
from workbook_templates.messages import Msg, SetupError

FIXTURE = Path(__file__).parent / "fixtures" / "control_1befd8f"
REVIEW = ("Duyệt", "Hình thức được khen", "Ghi chú")
NAME = {"Khen tập thể": "Tên tập thể", "Khen cá nhân": "Họ và tên"}
# The name the previous version left in TCVN3, as the reader now reads it.
CONVERTED = {"§inh BÝch Nga": "Đinh Bích Nga"}


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "camp"
    shutil.copytree(FIXTURE, folder)
    received = datetime(2020, 7, 1).timestamp()  # git keeps no dates: before the deadline
    for f in (folder / "inbox").iterdir():
        os.utime(f, (received, received))
    return folder


def _sheet(path: Path, name: str) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    try:
        return list(wb[name].iter_rows(values_only=True))
    finally:
        wb.close()


def _reviews(path: Path, sheet: str) -> dict[tuple, tuple]:
    rows = _sheet(path, sheet)
    header = list(rows[0])
    cols = [header.index(t) for t in ("Mã đơn vị", NAME[sheet], *REVIEW)]
    return {(r[cols[0]], CONVERTED.get(r[cols[1]], r[cols[1]])): tuple(r[c] for c in cols[2:])
            for r in rows[1:] if r[cols[1]]}


def _text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory):
    folder = _copy(tmp_path_factory.mktemp("old"))
    before = {s: _reviews(folder / "TongHopThiDua.xlsx", s) for s in NAME}
    result = consolidate(folder, 1, workers=1)
    return folder, before, result


def test_the_old_settings_take_the_defaults_of_the_blocks_added_since():
    campaign = ss.read_campaign(FIXTURE / "TongHopThiDua.xlsx")
    assert campaign.recipients == default_campaign().recipients  # read under "NƠI NHẬN"
    assert campaign.report_recipients == campaign.recipients  # as that version printed it
    assert campaign.proposal_recipients == default_campaign().proposal_recipients
    assert campaign.basis_law == LAW_BASIS and campaign.launch_number == ""
    assert campaign.launch_date is None


def test_the_clerk_is_told_what_was_added_and_what_was_renamed():
    notes = ss.read_settings_notes(FIXTURE / "TongHopThiDua.xlsx")
    added = [n for n in notes if n.msg is Msg.SETTINGS_BLOCK_ADDED]
    assert [n.value for n in added] == ["CĂN CỨ VÀ HIỆU LỰC", "NƠI NHẬN BÁO CÁO",
                                        "NƠI NHẬN TỜ TRÌNH"]
    assert all(n.sheet == ControlSheet.SETTINGS and "Kiểm tra" in n.text for n in added)
    assert "Ban CSKTXH và TĐKT TLĐ" in added[2].text
    (renamed,) = [n for n in notes if n.msg is Msg.SETTINGS_BLOCK_RENAMED]
    rows = _sheet(FIXTURE / "TongHopThiDua.xlsx", ControlSheet.SETTINGS)
    row = int(renamed.cell[1:])
    assert renamed.cell[0] == "A" and rows[row - 1][0] == "NƠI NHẬN"
    assert renamed.expected == "NƠI NHẬN QUYẾT ĐỊNH"


def test_a_new_workbook_says_nothing(tmp_path):
    from workbook_templates.control_workbook import create_control_workbook

    path = create_control_workbook(tmp_path / "TongHopThiDua.xlsx", default_campaign())
    assert ss.read_settings_notes(path) == []


def test_a_block_missing_from_a_new_layout_is_not_found_in_another_blocks_header(tmp_path):
    """"Nơi nhận" heads the columns of every recipients block: with "NƠI NHẬN QUYẾT ĐỊNH"
    deleted, the report's header row is not taken for the former title."""
    from workbook_templates.control_workbook import create_control_workbook

    path = create_control_workbook(tmp_path / "TongHopThiDua.xlsx", default_campaign())
    rows = [list(r) for r in _sheet(path, ControlSheet.SETTINGS)]
    first = next(i for i, r in enumerate(rows) if r and r[0] == ss.RECIPIENTS.title)
    end = next(i for i, r in enumerate(rows) if r and r[0] == ss.REPORT_RECIPIENTS.title)
    rows[first:end] = [[] for _ in range(first, end)]  # the whole block deleted
    units = [list(r) for r in _sheet(path, ControlSheet.UNITS)]
    with pytest.raises(SetupError) as err:
        ss.campaign_from_rows(rows, units)
    assert err.value.problem.detail == ss.D_MISSING_BLOCK.format(ss.RECIPIENTS.title)


def test_consolidate_keeps_every_review_and_adds_the_new_columns(consolidated):
    folder, before, result = consolidated
    control = folder / "TongHopThiDua.xlsx"
    for sheet in NAME:
        header = _sheet(control, sheet)[0]
        assert "Cảnh báo" in header and "Đã xem xét" in header
        assert _reviews(control, sheet) == before[sheet]
    assert not [p for p in result.problems if p.msg is Msg.REVIEW_NOT_MATCHED]
    problems = _sheet(control, ControlSheet.PROBLEMS)
    codes = [r[1] for r in problems]
    assert codes.count("C40") == 3 and codes.count("C41") == 1


def test_documents_print_on_the_old_workbook(consolidated):
    folder, before, _ = consolidated
    docs = generate_documents(folder, 1, pdf=False)
    report = generate_report(folder, 1, pdf=False)
    assert Msg.SETTINGS_BLOCK_ADDED in {p.msg for p in docs.other_problems}
    names = {p.name: p for p in docs.written}
    decision = _text(names["QuyetDinh_BangKhen_Dot1_2020.docx"])
    assert "Đinh Bích Nga" in decision  # approved under her TCVN3 name, kept
    assert "Phạm Kim Thủy" not in decision  # turned down by the clerk
    assert "Điều lệ Công đoàn Việt Nam" in decision
    proposal = _text(names["ToTrinh_DeNghiTLD_Dot1_2020.docx"])
    assert "Ban CSKTXH và TĐKT TLĐ" in proposal and "Tỉnh ủy" not in proposal
    assert "Ban Dân vận tỉnh" in _text(report.written[0])


def test_a_review_under_a_name_left_in_tcvn3_goes_to_the_converted_row():
    kept = KeptReview("CN1-LD03-OLD", {"ma_don_vi": "LD03", "ho_ten": "§inh BÝch Nga"},
                      {"duyet": "Có"})
    keeper = ReviewKeeper({"Khen cá nhân": [kept]})
    keeper.reserve("Khen cá nhân", ["CN1-LD03-NEW"])
    assert keeper.claim("Khen cá nhân", "CN1-LD03-NEW", "LD03", "Đinh Bích Nga") == {
        "duyet": "Có"}
    assert keeper.unmatched() == []


def test_the_command_line_tells_what_the_documents_run_noticed(consolidated):
    from click.testing import CliRunner

    from addin.cli import main

    folder, _, _ = consolidated
    out = CliRunner().invoke(main, ["documents", str(folder), "--no-pdf", "--no-report"])
    assert out.exit_code == 0, out.output
    assert out.output.count("[C40]") == 3 and "NƠI NHẬN TỜ TRÌNH" in out.output


def test_the_empty_review_cells_are_aligned_with_their_row(consolidated):
    """What the clerk types into an empty Duyệt, Ghi chú or Đã xem xét cell sits at the top
    of its row like the rest of it, not at the bottom where it reads as the next row's."""
    folder, _, _ = consolidated
    wb = load_workbook(folder / "TongHopThiDua.xlsx")
    ws = wb["Khen cá nhân"]
    col = [c.value for c in ws[1]].index("Đã xem xét") + 1
    cells = [ws.cell(r, col) for r in range(2, ws.max_row + 1)]
    assert cells and all(c.value is None for c in cells)
    assert {c.alignment.vertical for c in cells} == {"top"}
