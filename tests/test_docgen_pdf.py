"""PDF copies through LibreOffice: the text of the decision and of the report; a long annex."""
from __future__ import annotations

import re
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from addin.documents import generate_documents, generate_report
from docgen import pdf
from tests.docgen_fixtures import write_control
from tests.test_docgen_render import annex_rows, render_annex
from workbook_templates.campaign import default_campaign

from external import soffice


@pytest.fixture(autouse=True)
def libreoffice():
    soffice()  # skipped without LibreOffice, failed under CI


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_decision_and_report_as_pdf(tmp_path):
    c = default_campaign()
    c.document_date = date(2020, 1, 5)
    c.next_numbers["QĐ"] = 5
    write_control(tmp_path / "TongHopThiDua.xlsx", c)
    docs = generate_documents(tmp_path, 1, campaign=c, kinds=("decisions",))
    report = generate_report(tmp_path, 1, campaign=c)
    pdfs = {p.name: p for p in docs.pdfs + report.pdfs}
    assert set(pdfs) == {"QuyetDinh_CoThiDua_Dot1_2020.pdf", "QuyetDinh_BangKhen_Dot1_2020.pdf",
                         "BaoCao_SoKet_Dot1_2020.pdf"}
    text = " ".join(_pdf_text(pdfs["QuyetDinh_BangKhen_Dot1_2020.pdf"]).split())
    assert "Số: 06/QĐ-LĐLĐ" in text
    assert "Bằng chữ: Mười bốn triệu chín trăm nghìn đồng." in text
    assert "(Kèm theo Quyết định số 06/QĐ-LĐLĐ ngày 05 tháng 01 năm 2020" in text
    text = " ".join(_pdf_text(pdfs["BaoCao_SoKet_Dot1_2020.pdf"]).split())
    assert "Sơ kết phong trào thi đua đợt 1 năm 2020" in text
    assert "KẾT QUẢ PHONG TRÀO THI ĐUA THEO ĐƠN VỊ" in text


def _docx(folder: Path, rows: int = 0) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Quyết định khen thưởng")
    if rows:
        table = doc.add_table(rows=rows, cols=4)
        for i, row in enumerate(table.rows):
            row.cells[0].text = f"Người thứ {i}"
    doc.save(folder / "QuyetDinh.docx")
    return folder / "QuyetDinh.docx"


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


def test_libreoffice_leaves_nothing_in_the_temp_folder(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    made = pdf.to_pdf(_docx(tmp_path))
    assert "Quyết định khen thưởng" in _pdf_text(made)
    assert list(scratch.iterdir()) == []  # profile and LibreOffice's own temp files gone


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_a_stuck_libreoffice_is_killed_with_its_children(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(pdf, "TIMEOUT_S", 2.5)  # started (soffice.bin runs), not done
    docx = _docx(tmp_path, rows=3000)  # a conversion of well over 10 s
    start = time.monotonic()
    with pytest.raises(pdf.ConversionFailed, match="LibreOffice chưa xong sau 2.5 giây"):
        pdf.to_pdf(docx)
    assert time.monotonic() - start < 6  # not waiting for soffice.bin to finish
    assert _processes_mentioning(str(scratch)) == []
    assert list(scratch.iterdir()) == []


ROW_START = re.compile(r"^\s*(\d+)\s+(\S+(?: \S+)*)\s{2,}")


def test_a_long_annex_in_pdf_has_its_header_on_every_page_and_every_name_once(tmp_path):
    rows = annex_rows(300)
    docx = render_annex(tmp_path, rows)
    assert any("w:pageBreakBefore" in p._p.xml for p in Document(str(docx)).paragraphs)  # blocks
    made = pdf.to_pdf(docx)
    pages = subprocess.run(["pdftotext", "-layout", str(made), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    first = next(n for n, page in enumerate(pages) if "DANH SÁCH" in page)
    annex = [[line for line in page.splitlines() if line.strip()] for page in pages[first:]]
    annex = [lines for lines in annex if lines]
    headings = {r["nhom"] for r in rows if "nhom" in r}
    read = []
    for lines in annex:
        top = next(i for i, line in enumerate(lines) if "Họ và tên" in line)
        assert "STT" in lines[top] and sum("Họ và tên" in line for line in lines) == 1
        table = [line for line in lines[top + 1:] if ROW_START.match(line)
                 or line.strip() in headings]
        assert table and table[-1].strip() not in headings  # no heading alone at a page end
        for line in table:
            found = ROW_START.match(line)
            read.append((found.group(1), found.group(2)) if found else line.strip())
    expected = [r["nhom"] if "nhom" in r else (r["stt"], r["ho_ten"]) for r in rows]
    assert read == expected  # every row once, in order, across the blocks
