"""Small fixes found trying the merged product as a new user would."""
from __future__ import annotations

import re

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
