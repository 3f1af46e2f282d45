"""Place the certificate lines where the pre-printed paper expects them."""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from workbook_templates.campaign import CertificateLayout

TWIPS_PER_MM = 1440 / 25.4
# Paragraph style of each line in the certificate template -> (top field, size field).
LINE_STYLES = {
    "Bằng - Tên": ("name_top_mm", "name_size_pt"),
    "Bằng - Đơn vị": ("unit_top_mm", "text_size_pt"),
    "Bằng - Thành tích": ("achievement_top_mm", "text_size_pt"),
    "Bằng - Quyết định": ("decision_top_mm", "text_size_pt"),
}


def place_lines(docx: Path, layout: CertificateLayout) -> None:
    """Set the page size and every line's absolute frame (x, y, width) and font size from
    ``layout`` in the rendered certificate file ``docx``."""
    doc = Document(str(docx))
    for section in doc.sections:
        section.orientation = (WD_ORIENT.LANDSCAPE if layout.page_width_mm > layout.page_height_mm
                               else WD_ORIENT.PORTRAIT)
        section.page_width = Mm(layout.page_width_mm)
        section.page_height = Mm(layout.page_height_mm)
    width = layout.page_width_mm - layout.left_mm - layout.right_mm
    for style_name, (_top, size) in LINE_STYLES.items():
        if style_name in [s.name for s in doc.styles]:
            doc.styles[style_name].font.size = Pt(getattr(layout, size))
    for p in doc.paragraphs:
        spec = LINE_STYLES.get(p.style.name)
        frame = p._p.pPr.find(qn("w:framePr")) if p._p.pPr is not None else None
        if spec is None or frame is None:
            continue
        frame.set(qn("w:x"), str(round(layout.left_mm * TWIPS_PER_MM)))
        frame.set(qn("w:y"), str(round(getattr(layout, spec[0]) * TWIPS_PER_MM)))
        frame.set(qn("w:w"), str(round(width * TWIPS_PER_MM)))
    doc.save(str(docx))
