"""Small fixes found trying the merged product as a new user would."""
from __future__ import annotations

import re

from openpyxl import load_workbook

from builders import build_return
from workbook_templates.campaign import default_campaign
from workbook_templates.messages import Msg
from workbook_templates.reader import read_return
from workbook_templates.vntext import to_tcvn3

CAMPAIGN = default_campaign()
INFO = {"Người lập biểu": "Nguyễn Văn Đức", "Điện thoại": "0912345678",
        "Tổng số CNVCLĐ": 1500, "Ngày báo cáo": "25/06/2020"}
LONG = "Xây dựng Mái ấm Công đoàn tại thị trấn Trùng Khánh, huyện Trùng Khánh"


def test_a_conversion_note_lists_cells_in_sheet_order_and_marks_what_it_cuts(tmp_path):
    works = [{"Tên công trình, sản phẩm": to_tcvn3(LONG if i == 0 else f"Nhà văn hóa xóm {i}"),
              "Đơn vị thực hiện": "CĐ xã", "Giá trị (đồng)": 1_000_000}
             for i in range(11)]
    path = build_return(tmp_path / "LD01.xlsx", {"Thông tin": INFO,
                                                  "Công trình, sản phẩm": works})
    (note,) = [p for p in read_return(path, CAMPAIGN).problems
               if p.msg is Msg.CONVERTED_TCVN3]
    cells = re.findall(r"\b([A-Z]+\d+) “", note.detail)
    assert cells == [f"B{r}" for r in range(5, 16)]  # B5 … B15, never B10 before B5
    assert f"“{LONG[:39]}…”" in note.detail and LONG not in note.detail


def test_the_status_totals_row_is_tall_enough_for_its_counts(tmp_path):
    """"Chưa nộp: 1; Đã nộp: 2" wraps in the Tình trạng column: the totals row grows, so no
    count is hidden under the row's edge."""
    from test_old_control_workbook import _copy

    from addin.consolidate import consolidate
    from workbook_templates.forms import ControlSheet
    from workbook_templates.print_layout import lines_height

    folder = _copy(tmp_path)
    (folder / "inbox" / "CDN02_Dot1_2020.xlsx").unlink()
    consolidate(folder, 1, workers=1)
    ws = load_workbook(folder / "TongHopThiDua.xlsx")[ControlSheet.STATUS]
    last = ws.max_row
    status = [c.value for c in ws[1]].index("Tình trạng") + 1
    assert ws.cell(last, status).value == "Chưa nộp: 1; Đã nộp: 2"
    assert ws.row_dimensions[last].height >= lines_height(2)
