"""Place the certificate lines where the pre-printed paper expects them.

Each line is a frame: its left edge, top and width come from the layout settings, its height
runs to the top of the next field (the last field to the bottom margin), exactly, so a line
can never print over another. A line too long for its box is shrunk in steps of
``SHRINK_STEP_PT`` and wraps inside the box; below ``MIN_SHARE`` of its size it stops
shrinking and the box clips what still does not fit.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from workbook_templates.campaign import CertificateLayout

from .layout import lines_needed

TWIPS_PER_MM = 1440 / 25.4
PT_PER_MM = 72 / 25.4
SHRINK_STEP_PT = 1.0
MIN_SHARE = 0.55  # the smallest size a line shrinks to, as a share of its set size
LINE_HEIGHT = 1.17  # a line's height in Times New Roman / Liberation Serif, in ems
# Paragraph style of each line in the certificate template -> (top field, size field).
LINE_STYLES = {
    "Bằng - Tên": ("name_top_mm", "name_size_pt"),
    "Bằng - Đơn vị": ("unit_top_mm", "text_size_pt"),
    "Bằng - Thành tích": ("achievement_top_mm", "text_size_pt"),
    "Bằng - Quyết định": ("decision_top_mm", "text_size_pt"),
}


def box_heights_mm(layout: CertificateLayout) -> dict[str, float]:
    """Each line's box height: down to the next field's top, the last to ``left_mm`` above
    the page's foot (the paper's margins are taken alike)."""
    tops = sorted((getattr(layout, top), style) for style, (top, _) in LINE_STYLES.items())
    heights = {}
    for (top, style), following in zip(tops, tops[1:] + [(None, None)]):
        bottom = following[0] if following[0] is not None else \
            layout.page_height_mm - layout.left_mm / 2
        heights[style] = max(bottom - top, 1.0)
    return heights


def fitted_size(text: str, size_pt: float, width_pt: float, height_pt: float,
                bold: bool = False) -> float:
    """The largest size, from ``size_pt`` down in steps, at which ``text`` wrapped in the box
    fits its height (the smallest allowed size when none does)."""
    smallest = size_pt * MIN_SHARE
    size = size_pt
    while size > smallest:
        lines = lines_needed(text, size, width_pt, bold)
        if lines * size * LINE_HEIGHT <= height_pt:
            return size
        size -= SHRINK_STEP_PT
    return max(size, smallest)


def place_lines(docx: Path, layout: CertificateLayout) -> None:
    """Set the page size, every line's frame (x, y, width, exact height) and each line's font
    size (shrunk to fit its box) from ``layout`` in the rendered certificate file ``docx``."""
    doc = Document(str(docx))
    for section in doc.sections:
        section.orientation = (WD_ORIENT.LANDSCAPE if layout.page_width_mm > layout.page_height_mm
                               else WD_ORIENT.PORTRAIT)
        section.page_width = Mm(layout.page_width_mm)
        section.page_height = Mm(layout.page_height_mm)
    width = layout.page_width_mm - layout.left_mm - layout.right_mm
    heights = box_heights_mm(layout)
    styles = {s.name: s for s in doc.styles}
    for style_name, (_top, size) in LINE_STYLES.items():
        if style_name in styles:
            styles[style_name].font.size = Pt(getattr(layout, size))
    for p in doc.paragraphs:
        spec = LINE_STYLES.get(p.style.name)
        frame = p._p.pPr.find(qn("w:framePr")) if p._p.pPr is not None else None
        if spec is None or frame is None:
            continue
        frame.set(qn("w:x"), str(round(layout.left_mm * TWIPS_PER_MM)))
        frame.set(qn("w:y"), str(round(getattr(layout, spec[0]) * TWIPS_PER_MM)))
        frame.set(qn("w:w"), str(round(width * TWIPS_PER_MM)))
        frame.set(qn("w:h"), str(round(heights[p.style.name] * TWIPS_PER_MM)))
        frame.set(qn("w:hRule"), "exact")
        set_size = getattr(layout, spec[1])
        size = fitted_size(p.text, set_size, width * PT_PER_MM,
                           heights[p.style.name] * PT_PER_MM, bool(p.style.font.bold))
        if size < set_size:
            for run in p.runs:
                run.font.size = Pt(size)
    doc.save(str(docx))
