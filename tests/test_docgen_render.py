"""Big annex tables: copied rows, cut into blocks of at most 250 rows, fixed layout."""
from __future__ import annotations

from docx import Document
from docx.oxml.ns import qn

from docgen.render import BLOCK_ROWS, AnnexTable, render
from docgen.documents import DECISION_TEMPLATE, PACKAGE_TEMPLATES
from tests.docgen_fixtures import person

CONTEXT = {
    "co_quan_cap_tren": "TỔNG LĐLĐ VIỆT NAM", "co_quan_ban_hanh": "LĐLĐ TỈNH CAO BẰNG",
    "co_quan_day_du": "Liên đoàn Lao động tỉnh Cao Bằng",
    "ban_thuong_vu": "Ban Thường vụ LĐLĐ tỉnh Cao Bằng", "van_ban_phat_dong": "Phát động thi đua",
    "ban_soan_thao_day_du": "Ban Tổ chức - Tuyên giáo - Nữ công", "don_vi_soan_thao": "Ban TCTGNC",
    "noi_nhan": ["Ban TĐKT tỉnh"], "ky_thay": "TM. BAN THƯỜNG VỤ", "chuc_vu_ky": "CHỦ TỊCH",
    "nguoi_ky": "Nguyễn Ngọc Thư", "so": "05", "dia_danh_ngay": "Cao Bằng, ngày 05 tháng 01 năm 2020",
    "ngay_chu": "ngày 05 tháng 01 năm 2020", "pham_vi": "đợt 1 năm 2020",
    "ten_hinh_thuc": "Bằng khen <của> BCH & LĐLĐ tỉnh", "so_tap_the": 0, "so_ca_nhan": 600,
    "tien_tap_the": "", "tong_tap_the": "", "tien_ca_nhan": "1.490.000 đồng",
    "tong_ca_nhan": "894.000.000 đồng", "tong_tien": "894.000.000 đồng", "tong_tien_chu": "x",
    "can_cu": ["Căn cứ Điều lệ Công đoàn Việt Nam"], "hieu_luc": "", "doi_tuong": "cá nhân",
    "hai_phan": False, "danh_sach_gom": "600 cá nhân",
}
FIELDS = frozenset({"nhom", "stt", "ho_ten", "chuc_vu_don_vi", "thanh_tich"})


def test_600_rows_in_three_blocks(tmp_path):
    rows = [{"stt": str(i + 1), "ho_ten": person(i)[0], "chuc_vu_don_vi": "Kỹ sư, Điện lực",
             "thanh_tich": "Hoàn thành xuất sắc nhiệm vụ\x0b"} for i in range(600)]
    tables = {"ca_nhan": AnnexTable(rows, FIELDS),
              "tap_the": AnnexTable([], frozenset({"nhom", "stt", "ten", "don_vi",
                                                   "thanh_tich"}))}
    out = render(PACKAGE_TEMPLATES / DECISION_TEMPLATE, CONTEXT, tmp_path / "qd.docx",
                 tables=tables)
    doc = Document(str(out))
    assert "Tặng Bằng khen <của> BCH & LĐLĐ tỉnh cho 600 cá nhân" in "\n".join(
        p.text for p in doc.paragraphs)  # escaped, not broken XML
    blocks = [t for t in doc.tables if t.rows[0].cells[1].text == "Họ và tên"]
    assert [len(t.rows) - 1 for t in blocks] == [BLOCK_ROWS, BLOCK_ROWS, 100 + 1]  # + totals
    assert blocks[-1].rows[-1].cells[1].text == "Cộng: 600 cá nhân"
    names = [r.cells[1].text for t in blocks for r in t.rows[1:]][:-1]
    assert names == [person(i)[0] for i in range(600)]
    for t in blocks:
        tbl = t._tbl
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        grid = sum(int(g.get(qn("w:w"))) for g in tbl.tblGrid.findall(qn("w:gridCol")))
        assert grid == 9071
        header, *data = tbl.findall(qn("w:tr"))
        assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert all(tr.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for tr in data)
        widths = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in data[0].findall(
            qn("w:tc"))]
        assert sum(widths) == grid
    # a 1-pt paragraph between consecutive blocks
    first = blocks[0]._tbl
    spacer = first.getnext()
    assert spacer.tag == qn("w:p") and spacer.getnext() is blocks[1]._tbl
    assert spacer.find(qn("w:pPr")).find(qn("w:spacing")).get(qn("w:line")) == "20"
