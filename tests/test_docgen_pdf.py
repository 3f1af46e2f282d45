"""PDF copies through LibreOffice: the text of the decision and of the report."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from addin.documents import generate_documents, generate_report
from tests.docgen_fixtures import write_control
from workbook_templates.campaign import default_campaign

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")


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
