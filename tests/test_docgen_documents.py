"""Documents from a generated control workbook: facts, format, templates, versions."""
from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from docgen.data import read_document_data
from addin.documents import generate_documents, generate_report
from docgen.documents import PACKAGE_TEMPLATES, REPORT_TEMPLATE
from tests.docgen_fixtures import write_control
from workbook_templates.campaign import ORDER_BY_NAME, TARGET_INDIVIDUAL, default_campaign
from workbook_templates.messages import Msg, SetupError

BK = "Bằng khen của BCH LĐLĐ tỉnh"


def _campaign():
    c = default_campaign()
    c.document_date = date(2020, 1, 5)
    c.next_numbers["QĐ"] = 5
    c.phases[0].assessment = "Phong trào thi đua được triển khai sâu rộng đến từng CĐCS."
    c.phases[0].directions = "Tiếp tục phát động thi đua chào mừng Đại hội Đảng các cấp."
    return c


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("camp")
    c = _campaign()
    fx = write_control(folder / "TongHopThiDua.xlsx", c)
    docs = generate_documents(folder, 1, pdf=False, campaign=c)
    report = generate_report(folder, 1, pdf=False, campaign=c)
    return folder, c, fx, docs, report


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def _size(run, paragraph):
    return run.font.size or paragraph.style.font.size


def test_data_reads_what_the_clerk_left(run, tmp_path):
    folder, c, fx, _, _ = run
    data = read_document_data(folder / "TongHopThiDua.xlsx", c, 1)
    assert [s.name for s in data.late] == fx.late
    assert [s.name for s in data.missing] == fx.missing
    assert data.totals == pytest.approx(fx.totals)  # extra column and totals row ignored
    got = {}
    for n in data.nominations:  # "có" and "Có" both approve
        got.setdefault((n.award.name, n.target), []).append(n.name)
    assert got == fx.approved
    assert not data.problems


def test_unknown_award_and_missing_form_are_reported(tmp_path):
    from openpyxl import load_workbook

    c = _campaign()
    path = tmp_path / "TongHopThiDua.xlsx"
    write_control(path, c)
    wb = load_workbook(path)
    ws = wb["Khen cá nhân"]
    col = [cell.value for cell in ws[1]].index("Hình thức được khen") + 1
    ws.cell(2, col).value = "Huân chương Lao động"
    ws.cell(3, col).value = None
    wb.save(path)
    data = read_document_data(path, c, 1)
    assert [p.msg for p in data.problems] == [Msg.DOC_UNKNOWN_AWARD, Msg.DOC_APPROVED_NO_FORM]
    assert data.problems[0].cell == "Khen cá nhân!A2"


def test_decision_facts(run):
    folder, c, fx, docs, _ = run
    path = folder / "output" / "QuyetDinh_BangKhen_Dot1_2020.docx"
    assert path in docs.written
    assert docs.numbers["QĐ"] == [5, 6, 7]  # Cờ thi đua, Bằng khen, gắn biển
    doc = Document(str(path))
    text = _text(doc)
    people = fx.approved[(BK, TARGET_INDIVIDUAL)]
    groups = fx.approved[(BK, "Tập thể")]
    assert "Số: 06/QĐ-LĐLĐ" in text
    assert "Cao Bằng, ngày 05 tháng 01 năm 2020" in text
    assert (f"cho {len(groups)} tập thể và {len(people)} cá nhân (có danh sách kèm theo)"
            in text)
    total = 2_980_000 * len(groups) + 1_490_000 * len(people)
    assert f"Tổng số tiền thưởng: {total:,} đồng.".replace(",", ".") in text
    assert "Bằng chữ: Mười bốn triệu chín trăm nghìn đồng." in text
    assert ("(Kèm theo Quyết định số 06/QĐ-LĐLĐ ngày 05 tháng 01 năm 2020 của Ban Thường vụ "
            "LĐLĐ tỉnh Cao Bằng)") in text
    assert "I. TẬP THỂ" in text and "II. CÁ NHÂN" in text
    for name in people + groups:
        assert name in text
    paras = [p.text for p in doc.paragraphs]
    base = paras.index("Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, "
                       "bổ sung một số điều của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm "
                       "2005 và ngày 16 tháng 11 năm 2013;")
    assert paras[base + 4].endswith(".") and paras[base + 3].endswith(";")
    assert paras[base + 1] == "Căn cứ Điều lệ Công đoàn Việt Nam;"
    recipients = [p.text for p in doc.tables[1].cell(0, 0).paragraphs]
    assert recipients[1] == "- Như Điều 3;" and recipients[-1] == "- Lưu: VT, Ban TCTGNC."
    assert all(r.endswith(";") for r in recipients[1:-1])


def test_decision_annex_in_unit_order_with_unit_rows(run):
    folder, c, fx, _, _ = run
    doc = Document(str(folder / "output" / "QuyetDinh_BangKhen_Dot1_2020.docx"))
    table = doc.tables[-1]
    rows = [[cell.text for cell in r.cells] for r in table.rows]
    assert rows[0][:2] == ["STT", "Họ và tên"]
    assert rows[1][0] == rows[1][-1] == "LĐLĐ Thành phố Cao Bằng"  # merged unit row
    numbers = [r[0] for r in rows[1:] if r[0].isdigit()]
    assert numbers == [str(i) for i in range(1, len(fx.approved[(BK, TARGET_INDIVIDUAL)]) + 1)]


def test_alphabetical_list_order(tmp_path):
    c = _campaign()
    c.list_order = ORDER_BY_NAME
    write_control(tmp_path / "TongHopThiDua.xlsx", c)
    generate_documents(tmp_path, 1, pdf=False, campaign=c, kinds=("decisions",))
    doc = Document(str(tmp_path / "output" / "QuyetDinh_BangKhen_Dot1_2020.docx"))
    names = [r.cells[1].text for r in doc.tables[-1].rows[1:-1]]  # the last row: totals
    # given name, then middle name (Quang < Văn, Kim < Thu, Đức < Hữu), tones after letters
    assert names == ["Đàm Quang An", "Nguyễn Văn An", "Bế Kim Anh", "Phạm Thu Anh",
                     "Trần Ngọc Ánh", "Vũ Đức Bình", "Hoàng Hữu Bình", "Lục Thị Hà"]


def test_decision_format(run):
    folder, *_ = run
    doc = Document(str(folder / "output" / "QuyetDinh_CoThiDua_Dot1_2020.docx"))
    s = doc.sections[0]
    sizes = [s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin,
             s.right_margin]
    assert [round(x.mm, 1) for x in sizes] == [210, 297, 20, 20, 30, 20]
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    left, right = doc.tables[0].rows[0].cells
    parent, body = left.paragraphs[0], left.paragraphs[1]
    assert parent.text == "TỔNG LĐLĐ VIỆT NAM" and not parent.runs[0].bold
    assert body.text == "LĐLĐ TỈNH CAO BẰNG" and body.runs[0].bold
    assert _size(body.runs[0], body) == Pt(13)
    assert left.paragraphs[3].text == "Số: 05/QĐ-LĐLĐ"
    nation, motto, _, when = right.paragraphs[:4]
    assert nation.runs[0].bold and _size(nation.runs[0], nation) == Pt(12)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.runs[0].bold
    assert when.runs[0].italic and _size(when.runs[0], when) == Pt(14)
    title = next(p for p in doc.paragraphs if p.text == "QUYẾT ĐỊNH")
    assert title.runs[0].bold and _size(title.runs[0], title) == Pt(14)
    article = next(p for p in doc.paragraphs if p.text.startswith("Điều 1."))
    assert article.runs[0].text == "Điều 1. " and article.runs[0].bold
    fmt = article.style.paragraph_format
    assert fmt.first_line_indent == Mm(12.7) and fmt.space_before == Pt(6)
    assert 1.0 <= fmt.line_spacing <= 1.5
    cancu = next(p for p in doc.paragraphs if p.text.startswith("Căn cứ Quy chế"))
    assert cancu.style.font.italic
    sign = doc.tables[1].cell(0, 1).paragraphs
    assert [p.text for p in sign if p.text] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH",
                                                 "Nguyễn Ngọc Thư"]
    assert all(p.runs[0].bold for p in sign if p.text)
    recv = doc.tables[1].cell(0, 0).paragraphs
    assert recv[0].runs[0].bold and recv[0].runs[0].italic and recv[0].runs[0].font.size == Pt(12)
    assert recv[1].runs[0].font.size == Pt(11)
    # page numbers from page 2; the annex section restarts its numbering
    assert s.different_first_page_header_footer
    assert "PAGE" in "".join(t.text for t in s.header._element.iter(qn("w:instrText")))
    assert not s.first_page_header.paragraphs[0].text
    annex = doc.sections[1]
    assert annex._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


def test_report_facts(run):
    folder, c, fx, _, report = run
    path = folder / "output" / "BaoCao_SoKet_Dot1_2020.docx"
    assert report.written == [path]
    doc = Document(str(path))
    text = _text(doc)
    assert "Sơ kết phong trào thi đua đợt 1 năm 2020" in text
    assert "Có 19/21 đơn vị gửi báo cáo" in text
    assert "gửi sau thời hạn: " + "; ".join(fx.late) in text
    assert "chưa gửi báo cáo: " + "; ".join(fx.missing) in text
    tet = f"{fx.totals['kinh_phi_tet']:,.0f}".replace(",", ".")
    assert f"với tổng kinh phí {tet} đồng" in text
    assert "Phong trào thi đua được triển khai sâu rộng đến từng CĐCS." in text
    assert "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI" in text
    assert "Có 4 công trình, sản phẩm được các đơn vị đề nghị gắn biển." in text
    assert len(doc.inline_shapes) == 1  # the participation chart
    annex = doc.tables[-1]
    assert len(annex.rows) == 1 + 21 + 1  # header, one row per unit, totals
    total_row = [cell.text for cell in annex.rows[-1].cells]
    assert total_row[1] == "TỔNG CỘNG"
    assert total_row[4] == f"{fx.totals['luot_tham_gia']:,.0f}".replace(",", ".")


def test_other_documents_and_skips(run):
    folder, c, fx, docs, _ = run
    out = folder / "output"
    plaques = _text(Document(str(out / "QuyetDinh_GanBien_Dot1_2020.docx")))
    assert "Số: 07/QĐ-LĐLĐ" in plaques
    for name in fx.plaques:
        assert name in plaques
    proposal = _text(Document(str(out / "ToTrinh_DeNghiTLD_Dot1_2020.docx")))
    assert "Kính gửi: Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam." in proposal
    assert "Số: 01/TTr-LĐLĐ" in proposal
    for name in fx.approved[("Đề nghị Bằng khen của BCH Tổng Liên đoàn", TARGET_INDIVIDUAL)]:
        assert name in proposal
    cert = Document(str(out / "InBang_BangKhen_Dot1_2020.docx"))
    s = cert.sections[0]
    assert s.page_width > s.page_height
    names = [p.text for p in cert.paragraphs if p.style.name == "Bằng - Tên"]
    assert sorted(names) == sorted(fx.approved[(BK, TARGET_INDIVIDUAL)] +
                                   fx.approved[(BK, "Tập thể")])
    frame = next(p for p in cert.paragraphs if p.style.name == "Bằng - Tên")._p.pPr.find(
        qn("w:framePr"))
    assert frame.get(qn("w:y")) == str(round(c.certificate.name_top_mm * 1440 / 25.4))
    assert "Quyết định số 06/QĐ-LĐLĐ ngày 05 tháng 01 năm 2020" in [p.text for p in
                                                                   cert.paragraphs]


def test_nobody_approved_skips_with_reason(tmp_path):
    c = _campaign()
    write_control(tmp_path / "TongHopThiDua.xlsx", c, individuals=0, collectives=0)
    res = generate_documents(tmp_path, 1, pdf=False, campaign=c)
    # two decisions, the proposal and (issue 15) the outstanding examples' decision
    assert [p.msg for p in res.problems].count(Msg.DOC_SKIPPED_NOBODY) == 4
    assert all(not p.name.startswith(("QuyetDinh_BangKhen", "ToTrinh")) for p in res.written)


def test_second_run_writes_v2_unless_replace(run):
    folder, c, *_ = run
    again = generate_report(folder, 1, pdf=False, campaign=c)
    assert again.written[0].name == "BaoCao_SoKet_Dot1_2020_v2.docx"
    third = generate_report(folder, 1, pdf=False, campaign=c)
    assert third.written[0].name == "BaoCao_SoKet_Dot1_2020_v3.docx"
    replaced = generate_report(folder, 1, pdf=False, replace=True, campaign=c)
    assert replaced.written[0].name == "BaoCao_SoKet_Dot1_2020.docx"


def _edit_template(folder: Path, old: str, new: str) -> None:
    own = folder / "templates"
    own.mkdir(exist_ok=True)
    doc = Document(str(PACKAGE_TEMPLATES / REPORT_TEMPLATE))
    for p in doc.paragraphs:
        for r in p.runs:
            if old in r.text:
                r.text = r.text.replace(old, new)
    doc.save(str(own / REPORT_TEMPLATE))


def test_office_copy_of_template_is_used(tmp_path):
    c = _campaign()
    write_control(tmp_path / "TongHopThiDua.xlsx", c)
    _edit_template(tmp_path, "Tất cả các đơn vị đã gửi báo cáo.",
                   "Toàn bộ đơn vị đã báo cáo đúng hạn.")
    _edit_template(tmp_path, "Trên đây là báo cáo", "Trên đây là bản báo cáo")
    res = generate_report(tmp_path, 1, pdf=False, campaign=c)
    assert "Trên đây là bản báo cáo sơ kết" in _text(Document(str(res.written[0])))


def test_template_asking_for_missing_field_gives_c05(tmp_path):
    c = _campaign()
    write_control(tmp_path / "TongHopThiDua.xlsx", c)
    _edit_template(tmp_path, "{{ chu_de }}", "{{ chu_de_moi }}")
    with pytest.raises(SetupError) as err:
        generate_report(tmp_path, 1, pdf=False, campaign=c)
    assert err.value.problem.msg is Msg.TEMPLATE_FIELD_MISSING
    assert err.value.problem.field == "chu_de_moi"
    # an indicator the settings do not have, asked through kq.<code>
    _edit_template(tmp_path, "{{ chu_de_moi }}", "{{ chu_de }}")
    _edit_template(tmp_path, "{{ kq.dien_hinh }}", "{{ kq.so_hoi_thi }}")
    with pytest.raises(SetupError) as err:
        generate_report(tmp_path, 1, pdf=False, campaign=c)
    assert err.value.problem.field == "so_hoi_thi"


def test_no_control_workbook_is_a_setup_error(tmp_path):
    with pytest.raises(SetupError) as err:
        generate_documents(tmp_path, 1, pdf=False, campaign=_campaign())
    assert err.value.problem.msg is Msg.NO_CONTROL_WORKBOOK


def test_docgen_imports_nothing_of_addin():
    """docgen is a pure stage: every module of it imported in a fresh interpreter loads no
    module of the pipeline above it."""
    code = ("import docgen, importlib, pkgutil, sys\n"
            "for m in pkgutil.iter_modules(docgen.__path__):\n"
            "    importlib.import_module('docgen.' + m.name)\n"
            "assert len([m for m in sys.modules if m.startswith('docgen.')]) >= 8\n"
            "assert not [m for m in sys.modules if m.startswith('addin')], sorted(sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_legal_frame_from_settings_and_empty_ones_left_out(tmp_path):
    c = _campaign()
    c.launch_number, c.launch_date = "05/KH-LĐLĐ", date(2020, 1, 10)
    c.basis_charter = ""
    c.effect_clause = ""
    write_control(tmp_path / "TongHopThiDua.xlsx", c)
    generate_documents(tmp_path, 1, pdf=False, campaign=c, kinds=("decisions",))
    doc = Document(str(tmp_path / "output" / "QuyetDinh_BangKhen_Dot1_2020.docx"))
    paras = [p.text for p in doc.paragraphs]
    basis = [p for p in paras if p.startswith(("Căn cứ", "Xét đề nghị"))]
    assert basis == [
        "Căn cứ " + c.basis_law + ";",
        "Căn cứ " + c.basis_rules + ";",
        "Căn cứ văn bản số 05/KH-LĐLĐ ngày 10/01/2020 của Ban Thường vụ LĐLĐ tỉnh Cao Bằng "
        "phát động phong trào thi đua trong cán bộ, công chức, viên chức và người lao động "
        "tỉnh Cao Bằng năm 2020;",
        "Xét đề nghị của Ban Tổ chức - Tuyên giáo - Nữ công."]
    assert any(p.startswith("Điều 3. Chánh Văn phòng") for p in paras)
    assert "…" not in _text(doc) and "Điều lệ" not in _text(doc)


def test_individual_only_decision_speaks_of_individuals(tmp_path):
    c = _campaign()
    fx = write_control(tmp_path / "TongHopThiDua.xlsx", c, collectives=0)
    generate_documents(tmp_path, 1, pdf=False, campaign=c, kinds=("decisions",))
    doc = Document(str(tmp_path / "output" / "QuyetDinh_BangKhen_Dot1_2020.docx"))
    text = _text(doc)
    people = fx.approved[(BK, TARGET_INDIVIDUAL)]
    assert "tập thể" not in text.casefold()
    assert "Mỗi cá nhân được tặng" in text and "I. CÁ NHÂN" not in text
    assert f"Danh sách gồm {len(people)} cá nhân./." in text
    assert f"Cộng: {len(people)} cá nhân" in text
