"""Big annex tables: copied rows, cut into blocks that each start a page, fixed layout."""
from __future__ import annotations

from docx import Document
from docx.oxml.ns import qn

from docgen.render import BLOCK_ROWS, AnnexTable, block_starts, grouped_rows, render
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


def annex_rows(people: int, group_sizes: tuple[int, ...] = (3, 11, 1, 27, 6)) -> list[dict]:
    """``people`` annex rows in groups (a unit heading before each) of cycling sizes."""
    units, left = [], people
    while left > 0:
        size = min(group_sizes[len(units) % len(group_sizes)], left)
        units.append(size)
        left -= size
    people_of = (f"Công đoàn cơ sở số {u + 1}" for u, size in enumerate(units)
                 for _ in range(size))
    return grouped_rows(
        [(person(i)[0], unit) for i, unit in enumerate(people_of)],
        lambda item: (item[1], item[1]),
        lambda item: {"ho_ten": item[0], "chuc_vu_don_vi": f"Kỹ sư, {item[1]}",
                      "thanh_tich": "Hoàn thành xuất sắc nhiệm vụ\x0b"})


def render_annex(folder, rows: list[dict]):
    people = sum(1 for r in rows if "stt" in r)
    tables = {"ca_nhan": AnnexTable(rows, FIELDS),
              "tap_the": AnnexTable([], frozenset({"nhom", "stt", "ten", "don_vi",
                                                   "thanh_tich"}))}
    context = dict(CONTEXT, so_ca_nhan=people, danh_sach_gom=f"{people} cá nhân")
    return render(PACKAGE_TEMPLATES / DECISION_TEMPLATE, context, folder / "qd.docx",
                  tables=tables)


def _row_texts(tr) -> list[str]:
    return ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.findall(qn("w:tc"))]


def test_a_long_annex_reads_back_as_one_table(tmp_path):
    rows = annex_rows(1200)
    doc = Document(str(render_annex(tmp_path, rows)))
    assert "Tặng Bằng khen <của> BCH & LĐLĐ tỉnh cho 1200 cá nhân" in "\n".join(
        p.text for p in doc.paragraphs)  # escaped, not broken XML
    blocks = [t._tbl for t in doc.tables if t.rows[0].cells[1].text == "Họ và tên"]
    assert len(blocks) >= len(rows) // BLOCK_ROWS
    body = [tr for tbl in blocks for tr in tbl.findall(qn("w:tr"))[1:]]
    assert _row_texts(body[-1])[1] == "Cộng: 1200 cá nhân"
    read = [_row_texts(tr) for tr in body[:-1]]
    expected = [[r["nhom"]] if "nhom" in r else
                [r["stt"], r["ho_ten"], r["chuc_vu_don_vi"], "Hoàn thành xuất sắc nhiệm vụ"]
                for r in rows]
    assert read == expected  # every row, in order
    assert [r[0] for r in read if len(r) > 1] == [str(n) for n in range(1, 1201)]
    grids = {tuple(g.get(qn("w:w")) for g in tbl.tblGrid.findall(qn("w:gridCol")))
             for tbl in blocks}
    assert len(grids) == 1 and sum(map(int, grids.pop())) == 9071  # one set of widths
    for n, tbl in enumerate(blocks):
        header, *data = tbl.findall(qn("w:tr"))
        assert _row_texts(header)[:2] == ["STT", "Họ và tên"]
        assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert all(tr.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for tr in data)
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert len(data) <= BLOCK_ROWS + (n == len(blocks) - 1)  # + the totals
        if n < len(blocks) - 1:
            assert len(_row_texts(data[-1])) > 1  # a unit's heading never ends a block
        if n:  # a new page, with nothing visible between the blocks
            between = tbl.getprevious()
            assert between.getprevious() is blocks[n - 1]
            assert between.tag == qn("w:p") and not "".join(between.itertext())
            assert between.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None


def test_blocks_end_before_a_group_heading_and_never_on_one():
    #            0  1  2  3  4  5  6  7  8  9 10 11
    headings = [1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0]
    # the block ends before the last heading of its final quarter
    assert block_starts([bool(h) for h in headings], 8) == [0, 8]
    assert block_starts([bool(h) for h in headings], 10) == [0, 8]  # the heading pair moves
    assert block_starts([False] * 25, 10) == [0, 10, 20]  # no groups: full blocks
    assert block_starts([True, False] * 3, 4) == [0, 4]
    assert block_starts([], 10) == [0]
