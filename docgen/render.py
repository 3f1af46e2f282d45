"""Render a Word template: docxtpl (Jinja) for the text, lxml row copies for the big tables.

A template's long tables are marked, not looped: a row whose cells hold ``[[list.field]]``
is the template row of list ``list``; the rows above it are the table's header. After the
Jinja pass each data item becomes a copy of that row's XML (the fastest way measured, see
``shared/notes/word-and-pdf.md``), and the table is cut into consecutive tables of at most
``BLOCK_ROWS`` rows so LibreOffice lays it out in linear time (one table of 5,000 rows takes
it minutes, blocks seconds). Each block after the first starts a page, with the header rows:
the blocks read as one table whose header heads every page (two tables side by side would be
joined into one by Word and by LibreOffice, and a header inside a page would look like a new
table). A table may have several template rows (e.g. a group heading row ``[[list.nhom]]``
and a data row): each item takes the template row whose fields it has, the fullest first.

So the tables survive pagination: no row of any table breaks across pages, the header rows
repeat on every page, a group heading (a row of one merged cell) is kept with the row under
it and the last data row with the totals under it, and the column widths come from what the
columns hold (:func:`_fit_grid`), so no number, amount or date breaks inside.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, UndefinedError
from lxml import etree

from workbook_templates.messages import Msg, Problem, SetupError

from .layout import fit_columns, line_twips, widest_word_twips

T = TypeVar("T")
BLOCK_ROWS = 200  # 5,000 people: LibreOffice about as fast from 50 to 200 rows, slower past
SEAM_SHARE = 0.25  # how early a block may end so that the next page starts a group
MARKER = re.compile(r"\[\[\s*(\w+)\.(\w+)\s*\]\]")
_W_T, _W_TR, _W_TC, _W_TBL, _W_P = qn("w:t"), qn("w:tr"), qn("w:tc"), qn("w:tbl"), qn("w:p")
DEFAULT_SIZE_PT = 13  # the templates' body size, for a cell that does not set its own
# Characters XML 1.0 cannot hold (cells of a workbook sometimes carry them).
_NOT_XML = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))
_UNDEFINED = re.compile(r"'(?:[^']*object' has no attribute '|)([^']+)'")


@dataclass
class AnnexTable:
    """Rows of one marked table: each row a dict of field -> text; ``fields`` is every field
    the data can give (checked against the template before rendering)."""

    rows: list[dict[str, str]]
    fields: frozenset[str]


def grouped_rows(items: Iterable[T], group: Callable[[T], tuple[Any, str]] | None,
                 row: Callable[[T], dict], start: int = 1) -> list[dict]:
    """Annex rows: each item's ``row`` numbered from ``start`` ("stt"), and a heading row
    ({"nhom": heading}) before each run of items whose ``group`` (key, heading) changes;
    ``group`` None: no headings."""
    rows: list[dict] = []
    current = object()
    for n, item in enumerate(items, start=start):
        if group is not None:
            key, heading = group(item)
            if key != current:
                rows.append({"nhom": heading})
                current = key
        rows.append({"stt": str(n), **row(item)})
    return rows


@dataclass
class Picture:
    path: Path
    width_mm: float


def render(template: Path, context: dict, out: Path, *,
           tables: dict[str, AnnexTable] | None = None,
           pictures: dict[str, Picture] | None = None) -> Path:
    """Render ``template`` with ``context`` into ``out``; fill its marked tables from
    ``tables`` and its picture tags from ``pictures``. A field the template asks for and the
    data lacks raises ``SetupError`` (C05) naming the template and the field."""
    tables = tables or {}
    pictures = pictures or {}
    name = Path(template).name
    tpl = DocxTemplate(str(template))
    env = Environment(undefined=StrictUndefined, autoescape=True)
    asked = tpl.get_undeclared_template_variables(jinja_env=env)
    missing = sorted(asked - set(context) - set(pictures))
    if missing:
        raise SetupError(Problem(Msg.TEMPLATE_FIELD_MISSING, value=name, field=missing[0]))
    tpl.init_docx()
    _check_markers(tpl.docx.element.body, tables, name)
    full = dict(context)
    for key, pic in pictures.items():
        full[key] = InlineImage(tpl, image_descriptor=str(pic.path), width=Mm(pic.width_mm))
    try:
        tpl.render(full, jinja_env=env, autoescape=True)
    except UndefinedError as err:
        found = _UNDEFINED.search(str(err))
        raise SetupError(Problem(Msg.TEMPLATE_FIELD_MISSING, value=name,
                                 field=found.group(1) if found else str(err))) from err
    body = tpl.docx.element.body
    for tbl in list(body.iter(_W_TBL)):
        for tr in tbl.findall(_W_TR):  # a row never breaks across pages
            _row_prop(tr, "w:cantSplit")
        _fill_table(tbl, tables)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(str(out))
    return out


def _check_markers(body, tables: dict[str, AnnexTable], template: str) -> None:
    for t in body.iter(_W_T):
        for m in MARKER.finditer(t.text or ""):
            table = tables.get(m.group(1))
            if table is None or m.group(2) not in table.fields:
                raise SetupError(Problem(Msg.TEMPLATE_FIELD_MISSING, value=template,
                                         field=f"{m.group(1)}.{m.group(2)}"))


class _RowTemplate:
    """One marked row: where its markers sit, so a copy is filled without searching, and
    which grid column (and font) each field prints in, so widths are measured on the data."""

    def __init__(self, tr):
        self.tr = tr
        self.slots: list[tuple[int, str, list[str]]] = []  # (w:t index, text, fields)
        self.fields: set[str] = set()
        for i, t in enumerate(tr.iter(_W_T)):
            found = [m.group(2) for m in MARKER.finditer(t.text or "")]
            if found:
                self.slots.append((i, t.text, found))
                self.fields.update(found)
        self.columns: dict[str, tuple[int, float, bool]] = {}  # field -> (column, pt, bold)
        for col, tc in _single_cells(tr):
            font = _cell_font(tc)
            for t in tc.iter(_W_T):
                for m in MARKER.finditer(t.text or ""):
                    self.columns[m.group(2)] = (col, *font)

    def make(self, item: dict[str, str]):
        tr = copy.deepcopy(self.tr)
        texts = list(tr.iter(_W_T))
        for index, text, found in self.slots:
            if len(found) == 1 and MARKER.fullmatch(text.strip()):
                value = str(item.get(found[0], ""))
            else:
                value = MARKER.sub(lambda m: item.get(m.group(2), ""), text)
            texts[index].text = str(value).translate(_NOT_XML)
            if value != value.strip() or "  " in value:
                texts[index].set(qn("xml:space"), "preserve")
        return tr


def _fill_table(tbl, tables: dict[str, AnnexTable]) -> None:
    rows = tbl.findall(_W_TR)
    marked = [(i, tr) for i, tr in enumerate(rows)
              if any(MARKER.search(t.text or "") for t in tr.iter(_W_T))]
    if not marked:
        return
    list_name = next(MARKER.search(t.text).group(1) for t in marked[0][1].iter(_W_T)
                     if MARKER.search(t.text or ""))
    data = tables[list_name]
    first, last = marked[0][0], marked[-1][0]
    header, footer = rows[:first], rows[last + 1:]
    for tr in header:
        _row_prop(tr, "w:tblHeader")
    for _, tr in marked:
        if len(tr.findall(_W_TC)) == 1:  # a group heading: kept with the row under it
            _keep_with_next(tr)
    chosen = _choose_templates(marked, data)
    _fit_grid(tbl, header, footer, chosen)
    _fix_layout(tbl, header + [tr for _, tr in marked] + footer)
    new_rows = [rt.make(item) for item, rt in chosen]
    if footer and new_rows:  # the totals never start a page alone
        _keep_with_next(new_rows[-1])
    for _, tr in marked:
        tbl.remove(tr)
    for tr in footer:
        tbl.remove(tr)
    _split_blocks(tbl, header, new_rows, [len(rt.tr.findall(_W_TC)) == 1 for _, rt in chosen],
                  footer)


def _choose_templates(marked, data: AnnexTable) -> list[tuple[dict, _RowTemplate]]:
    """Each data item with the template row whose fields it has (the fullest first)."""
    templates = sorted((_RowTemplate(tr) for _, tr in marked), key=lambda r: -len(r.fields))
    chooser: dict[frozenset, _RowTemplate] = {}
    chosen = []
    for item in data.rows:
        keys = frozenset(k for k, v in item.items() if v is not None)
        rt = chooser.get(keys)
        if rt is None:
            rt = next((r for r in templates if r.fields <= keys), templates[-1])
            chooser[keys] = rt
        chosen.append((item, rt))
    return chosen


def _split_blocks(tbl, header: list, new_rows: list, headings: list[bool],
                  footer: list) -> None:
    """Put the rows into ``tbl`` and, past one block (:func:`block_starts`), into consecutive
    copies of it, each with the header rows and starting on a new page (so the header heads
    every page and never stands mid-page); the footer rows close the last one."""
    starts = block_starts(headings, BLOCK_ROWS)
    shell = copy.deepcopy(tbl)
    for tr in shell.findall(_W_TR):
        shell.remove(tr)
    anchor = tbl
    for n, (begin, end) in enumerate(zip(starts, starts[1:] + [len(new_rows)])):
        target = tbl
        if n:
            target = copy.deepcopy(shell)
            for tr in header:
                target.append(copy.deepcopy(tr))
            spacer = _page_break()
            anchor.addnext(spacer)
            spacer.addnext(target)
            anchor = target
        for tr in new_rows[begin:end]:
            target.append(tr)
    for tr in footer:
        anchor.append(tr)


def block_starts(headings: list[bool], size: int) -> list[int]:
    """Where each block of at most ``size`` rows starts, ``headings`` telling which rows are
    group headings: a block ends before the last heading of its final ``SEAM_SHARE`` (so a
    new page begins with a new group), and never with a heading (kept with its rows)."""
    starts = [0]
    while len(headings) - starts[-1] > size:
        limit = starts[-1] + size
        early = limit - int(size * SEAM_SHARE)
        cut = next((i for i in range(limit, early, -1) if headings[i]), limit)
        while cut - 1 > starts[-1] and headings[cut - 1]:
            cut -= 1
        starts.append(cut)
    return starts


def _keep_with_next(tr) -> None:
    for p in tr.iter(_W_P):
        pPr = p.find(qn("w:pPr"))
        if pPr is None:
            pPr = etree.Element(qn("w:pPr"))
            p.insert(0, pPr)
        if pPr.find(qn("w:keepNext")) is None:
            pPr.insert(1 if pPr.find(qn("w:pStyle")) is not None else 0,
                       etree.Element(qn("w:keepNext")))


def _fit_grid(tbl, header: list, footer: list, chosen: list[tuple[dict, _RowTemplate]]
              ) -> None:
    """Column widths from the content (:func:`.layout.fit_columns`): single-word columns (an
    STT, an amount, a date) and short texts (a status) as wide as they need, the other
    columns sharing the rest, none narrower than its widest word."""
    cols = tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
    grid = [int(g.get(qn("w:w"))) for g in cols]
    needs = [0] * len(grid)
    words_only = [True] * len(grid)
    lines = [0] * len(grid)  # the widest body cell on one line

    def measure(col: int, text: str, size: float, bold: bool, body: bool) -> None:
        if col < len(needs):
            needs[col] = max(needs[col], widest_word_twips(text, size, bold))
            if body:
                lines[col] = max(lines[col], line_twips(text, size, bold))
                words_only[col] = words_only[col] and len(text.split()) <= 1

    for n, tr in enumerate(header + footer):
        for col, tc in _single_cells(tr):
            measure(col, " ".join(t.text or "" for t in tc.iter(_W_T)), *_cell_font(tc),
                    body=n >= len(header))
    for item, rt in chosen:
        for key, (col, size, bold) in rt.columns.items():
            measure(col, str(item.get(key) or ""), size, bold, body=True)
    for g, width in zip(cols, fit_columns(grid, needs, words_only, lines)):
        g.set(qn("w:w"), str(width))


def _single_cells(tr):
    """The row's cells that span one grid column, with their column."""
    col = 0
    for tc in tr.findall(_W_TC):
        span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
        if span == 1:
            yield col, tc
        col += span


def _cell_font(tc) -> tuple[float, bool]:
    """The font size (pt) and weight of a cell's first run."""
    r = tc.find(f".//{qn('w:r')}")
    rPr = r.find(qn("w:rPr")) if r is not None else None
    sz = rPr.find(qn("w:sz")) if rPr is not None else None
    size = int(sz.get(qn("w:val"))) / 2 if sz is not None else DEFAULT_SIZE_PT
    return size, rPr is not None and rPr.find(qn("w:b")) is not None


def _row_prop(tr, tag: str) -> None:
    trPr = tr.find(qn("w:trPr"))
    if trPr is None:
        trPr = etree.SubElement(tr, qn("w:trPr"))
        tr.remove(trPr)
        tr.insert(1 if tr.find(qn("w:tblPrEx")) is not None else 0, trPr)
    if trPr.find(qn(tag)) is None:
        etree.SubElement(trPr, qn(tag))


def _fix_layout(tbl, rows) -> None:
    """Fixed layout, and every cell width in twips equal to the grid columns it spans."""
    tblPr = tbl.find(qn("w:tblPr"))
    layout = tblPr.find(qn("w:tblLayout"))
    if layout is None:
        layout = etree.SubElement(tblPr, qn("w:tblLayout"))
    layout.set(qn("w:type"), "fixed")
    grid = [int(g.get(qn("w:w"))) for g in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
    tblW = tblPr.find(qn("w:tblW"))
    if tblW is not None:
        tblW.set(qn("w:w"), str(sum(grid)))
        tblW.set(qn("w:type"), "dxa")
    for tr in rows:
        col = 0
        for tc in tr.findall(_W_TC):
            tcPr = tc.find(qn("w:tcPr"))
            if tcPr is None:
                tcPr = etree.SubElement(tc, qn("w:tcPr"))
                tc.remove(tcPr)
                tc.insert(0, tcPr)
            span_el = tcPr.find(qn("w:gridSpan"))
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            tcW = tcPr.find(qn("w:tcW"))
            if tcW is None:
                tcW = etree.SubElement(tcPr, qn("w:tcW"))
                tcPr.remove(tcW)
                tcPr.insert(0, tcW)
            tcW.set(qn("w:w"), str(sum(grid[col:col + span])))
            tcW.set(qn("w:type"), "dxa")
            col += span


def _page_break():
    """A 1-pt empty paragraph that starts a new page: it keeps consecutive blocks apart (Word
    and LibreOffice would join them into one table) and stands, invisible, at the top of the
    page the next block starts."""
    p = etree.Element(qn("w:p"))
    pPr = etree.SubElement(p, qn("w:pPr"))
    etree.SubElement(pPr, qn("w:pageBreakBefore"))
    spacing = etree.SubElement(pPr, qn("w:spacing"))
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "20")
    spacing.set(qn("w:lineRule"), "exact")
    rPr = etree.SubElement(pPr, qn("w:rPr"))
    etree.SubElement(rPr, qn("w:sz")).set(qn("w:val"), "2")
    return p
