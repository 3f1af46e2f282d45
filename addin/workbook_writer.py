"""Write Consolidate's sheets into the control workbook file (the command line's writer).

The new workbook is written to a temporary file beside the old one, flushed to disk and moved
into place; the previous file is kept as a dated backup in ``backup/``, from which
:func:`restore_control_workbook` puts it back when the register's commit fails. Only the sheets
named in the plans (and the chart sheet) are replaced; the clerk's other sheets are copied
untouched. A sheet longer than Excel holds is written as several
(:mod:`workbook_templates.continued_sheets`).
"""
from __future__ import annotations

import dataclasses
import os
import shutil
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator
from xml.sax.saxutils import escape

from workbook_templates.continued_sheets import stale_parts
from workbook_templates.forms import REVIEW_FIELDS, Field, cell_format
from workbook_templates.messages import Msg, Problem, SetupError
from workbook_templates.print_layout import (
    CHART_COLUMN_WIDTH, CHART_COLUMNS, CHART_ROWS, chart_print, header_height, line_capacity,
    lines_height, table_print, text_lines, wraps)

from .folder import sweep_leftovers
from .sheet_plan import ChartPlan, SheetPlan
from .xlsx_package import (
    CT_CHART, CT_DRAWING, NS_PKG_REL, REL_CHART, REL_DRAWING, Hyperlinks, Package,
    StreamedPart, StreamedRels, Styles, StyleSpec, cell_xml, col_letter, text_cell,
    worksheet_xml, write_worksheet)

HEADER_STYLE = StyleSpec(bold=True, fill="FFDDEBF7", border=True, wrap=True)
LINK_STYLE = StyleSpec(link=True, top=True)
BACKUP_DIR = "backup"
_REVIEW_KEYS = frozenset(f.key for f in REVIEW_FIELDS)
TMP_PREFIX = ".~"  # the new control workbook while it is written; Excel ignores such names


def write_control_workbook(path: Path, plans: list[SheetPlan],
                           chart: ChartPlan | None = None) -> Path:
    """Replace the plans' sheets in the control workbook at ``path`` (the new file complete
    on disk before it replaces the old one); return the backup of the old one."""
    tmp = staging_path(path)
    stage_control_workbook(path, plans, chart, tmp)
    return install_control_workbook(path, tmp)


def staging_path(path: Path) -> Path:
    """Where this process writes the new control workbook at ``path`` before it replaces
    the old one (a name Excel ignores; what a killed run left is swept by a later one)."""
    return path.with_name(_temp_name(path, str(os.getpid())))


def stage_control_workbook(path: Path, plans: list[SheetPlan], chart: ChartPlan | None,
                           tmp: Path) -> None:
    """The control workbook at ``path`` with the plans' sheets replaced, written complete
    to ``tmp`` and flushed to disk (``tmp`` removed if it cannot be)."""
    package = Package(path)
    for plan in plans:
        _write_sheet(package, plan)
    if chart is not None:
        _write_chart(package, chart, next((p for p in plans if p.name == chart.source_sheet),
                                          None))
    sweep_leftovers(path.parent, _temp_name(path, "*"))
    try:
        with _locked_said(path):
            package.save(tmp)
            _flush(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def install_control_workbook(path: Path, tmp: Path) -> Path:
    """Put the workbook staged at ``tmp`` in the place of ``path``; return the backup of the
    old one (``tmp`` is gone either way)."""
    try:
        with _locked_said(path):
            backup = _backup(path)
            try:
                os.replace(tmp, path)
            except OSError:
                backup.unlink()
                raise
    finally:
        tmp.unlink(missing_ok=True)
    return backup


@contextmanager
def _locked_said(path: Path) -> Iterator[None]:
    """A file refused to this process (Excel holds it, on Windows) said as C09."""
    try:
        yield
    except PermissionError as err:
        raise SetupError(Problem(Msg.CONTROL_LOCKED, value=path.name,
                                 technical=f"{type(err).__name__}: {err}")) from err


def _write_sheet(package: Package, plan: SheetPlan) -> None:
    """The plan's worksheets (its continuation sheets each after the one before), and no
    continuation left of a longer sheet of an earlier run."""
    parts = plan.parts()
    before = None
    for part_plan in parts:
        name = part_plan.name
        part = package.sheet_part(name) or package.add_sheet(name, after=before)
        package.replace_sheet(part, sheet_writer(package, part_plan))
        package.set_print(name, part_plan.print_setup())
        before = name
    for name in stale_parts(plan.name, len(parts), package.sheet_names()):
        package.remove_sheet(name)


def restore_control_workbook(path: Path, backup: Path) -> None:
    """Put back the workbook :func:`write_control_workbook` replaced (its backup is moved
    back, so ``backup/`` keeps no copy of a run that did not happen)."""
    os.replace(backup, path)


def _flush(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def _temp_name(path: Path, writer: str) -> str:
    """The name the new control workbook has while ``writer`` (a process id) writes it."""
    return f"{TMP_PREFIX}{path.stem}.{writer}.tmp{path.suffix}"


def _backup(path: Path) -> Path:
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}_{stamp}{path.suffix}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem}_{stamp}_{n}{path.suffix}"
    shutil.copy2(path, target)
    return target


def sheet_writer(package: Package, plan: SheetPlan) -> StreamedPart:
    """What writes the worksheet of one plan (header, rows, totals) into the package when it
    is saved, its rows read as they go; it returns its links' relationships."""
    letters = [col_letter(i + 1) for i in range(len(plan.fields))]
    last_row = len(plan.rows) + 1 + int(plan.total_row is not None)
    last_col = letters[-1]

    def write(out) -> StreamedRels | None:
        links = Hyperlinks()
        write_worksheet(out, _rows_xml(package.styles, plan, letters, links),
                        [f.width for f in plan.fields], f"{last_col}{last_row}",
                        autofilter=f"A1:{last_col}{len(plan.rows) + 1}", links=links)
        return links.rels()
    return write


def _rows_xml(styles: Styles, plan: SheetPlan, letters: list[str],
              links: Hyperlinks) -> Iterator[str]:
    """The ``<row>`` of the header, of each row (its links added to ``links``) and of the
    totals."""
    header_style = styles.index(HEADER_STYLE)
    col_styles = _ColumnStyles(styles, plan.fields)
    link_style = styles.index(LINK_STYLE)
    wrapped = [(c, line_capacity(f.width)) for c, f in enumerate(plan.fields) if wraps(f)]
    # The clerk types into the review columns: their empty cells are styled (top-aligned,
    # wrapped) like the rest of the row.
    typed = {c for c, f in enumerate(plan.fields) if f.key in _REVIEW_KEYS}
    yield f'<row r="1" ht="{header_height(plan.fields)}" customHeight="1">' + "".join(
        cell_xml(f"{letters[c]}1", f.title, header_style)
        for c, f in enumerate(plan.fields)) + "</row>"
    n = 1
    base = col_styles.base
    for r, (values, row_links) in enumerate(plan.linked_rows()):
        n = r + 2
        cells = []
        add = cells.append
        fill = plan.row_fills.get(r)
        row = str(n)
        for c, value in enumerate(values):
            if value is None and not fill and c not in typed:  # no value, link or style
                continue
            ref = letters[c] + row
            if row_links and row_links.get(c) and value not in ("", None):
                links.add(ref, row_links[c])
                add(cell_xml(ref, value, col_styles.link(fill) if fill else link_style))
            elif value.__class__ is str and value and not fill:  # most cells: plain text
                add(text_cell(ref, value, base[c]))
            else:
                add(cell_xml(ref, value, col_styles.of(c, value, fill)))
        yield f'<row r="{n}"{_height(values, wrapped, row_links)}>{"".join(cells)}</row>'
    if plan.total_row is not None:
        n += 1
        bold = _ColumnStyles(styles, plan.fields, bold=True)
        height = _height(plan.total_row, wrapped, {})  # "Chưa nộp: 1; Đã nộp: 2" wraps
        yield f'<row r="{n}"{height}>' + "".join(
            cell_xml(f"{letters[c]}{n}", v, bold.of(c, v))
            for c, v in enumerate(plan.total_row)) + "</row>"


class _ColumnStyles:
    """Each column's cell style for the value it holds: the number format the forms declare
    (:func:`~workbook_templates.forms.cell_format`), texts wrapped, every cell aligned to the
    top of its row."""

    def __init__(self, styles: Styles, fields: tuple[Field, ...], bold: bool = False):
        self._styles, self._fields, self._bold = styles, fields, bold
        self._cache: dict[tuple[str, bool], int] = {}
        # each column's style for a value whose format does not vary, on a row without fill
        self.base = [self._index(f, cell_format(f)) for f in fields]

    def of(self, col: int, value: Any, fill: str | None = None) -> int:
        """The style of ``value`` in column ``col``, on a row highlighted with ``fill``."""
        if isinstance(value, (float, datetime)) or fill:  # a format that varies, or a fill
            return self._index(self._fields[col], cell_format(self._fields[col], value), fill)
        return self.base[col]

    def link(self, fill: str | None) -> int:
        """A link's style on a row highlighted with ``fill``."""
        key = ("link", False, fill)
        if key not in self._cache:
            self._cache[key] = self._styles.index(dataclasses.replace(LINK_STYLE, fill=fill))
        return self._cache[key]

    def _index(self, f: Field, num_fmt: str, fill: str | None = None) -> int:
        key = (num_fmt, wraps(f), fill)
        if key not in self._cache:
            self._cache[key] = self._styles.index(StyleSpec(
                num_fmt=num_fmt, bold=self._bold, wrap=key[1], top=True, fill=fill))
        return self._cache[key]


def _height(values: list[Any], wrapped: list[tuple[int, int]], links: dict[int, str]) -> str:
    """A row's height attributes when its texts (columns and line capacities ``wrapped``;
    its links, by column, excepted: they do not wrap) take more than one line."""
    lines, width = 1, len(values)
    for c, capacity in wrapped:
        value = values[c] if c < width else None
        if (value.__class__ is str and (len(value) > capacity or "\n" in value)
                and c not in links):
            lines = max(lines, text_lines(value, capacity))
    if lines == 1:  # most rows: the default height
        return ""
    return f' ht="{lines_height(lines)}" customHeight="1"'


# --- the chart ------------------------------------------------------------------------

def _write_chart(package: Package, chart: ChartPlan, source: SheetPlan | None) -> None:
    """The chart sheet, rebuilt: the chart over a fixed block of cells that prints on one
    page; with no rows to chart, an empty sheet (it prints no page)."""
    part = package.sheet_part(chart.name) or package.add_sheet(chart.name)
    widths = [CHART_COLUMN_WIDTH] * CHART_COLUMNS
    if source is not None and not source.rows:
        package.replace_sheet(part, worksheet_xml([], widths, "A1", frozen=False))
        package.set_print(chart.name, table_print(CHART_COLUMNS, 0))
        return
    drawing = package.free_name("xl/drawings/drawing{}.xml")
    chart_part = package.free_name("xl/charts/chart{}.xml")
    sheet_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  f'<Relationships xmlns="{NS_PKG_REL}"><Relationship Id="rId1" '
                  f'Type="{REL_DRAWING}" Target="../drawings/{Path(drawing).name}"/>'
                  f'</Relationships>').encode()
    setup = chart_print()
    package.replace_sheet(part, worksheet_xml([], widths, "A1", drawing_rid="rId1",
                                              frozen=False, fit_height=setup.fit_height),
                          rels=sheet_rels)
    package.set_print(chart.name, setup)
    package.add_part(drawing, _drawing_xml(), CT_DRAWING)
    package.parts[f"xl/drawings/_rels/{Path(drawing).name}.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{NS_PKG_REL}"><Relationship Id="rId1" Type="{REL_CHART}" '
        f'Target="../charts/{Path(chart_part).name}"/></Relationships>').encode()
    package.add_part(chart_part, _chart_xml(chart), CT_CHART)


def _drawing_xml() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
        'spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        ' xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<xdr:twoCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff>'
        f'<xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to>'
        f'<xdr:col>{CHART_COLUMNS}</xdr:col><xdr:colOff>0</xdr:colOff>'
        f'<xdr:row>{CHART_ROWS}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
        '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Biểu đồ 1"/>'
        '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.'
        'openxmlformats.org/drawingml/2006/chart"><c:chart r:id="rId1"/></a:graphicData>'
        '</a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>'
    ).encode("utf-8")


def _chart_xml(chart: ChartPlan) -> bytes:
    sheet = chart.source_sheet.replace("'", "''")
    cat_col = col_letter(chart.category_column + 1)
    cats = f"'{sheet}'!${cat_col}${chart.first_row}:${cat_col}${chart.last_row}"
    series = []
    for i, col in enumerate(chart.value_columns):
        letter = col_letter(col + 1)
        values = f"'{sheet}'!${letter}${chart.first_row}:${letter}${chart.last_row}"
        series.append(
            f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:strRef>'
            f"<c:f>{escape(chr(39) + sheet + chr(39))}!${letter}$1</c:f></c:strRef></c:tx>"
            f'<c:invertIfNegative val="0"/><c:cat><c:strRef><c:f>{escape(cats)}</c:f>'
            f'</c:strRef></c:cat><c:val><c:numRef><c:f>{escape(values)}</c:f></c:numRef>'
            f"</c:val></c:ser>")
    title = escape(chart.title)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<c:roundedCorners val="0"/><c:chart>'
        f'<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{title}</a:t></a:r></a:p></c:rich>'
        '</c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea>'
        '<c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
        f'<c:varyColors val="0"/>{"".join(series)}<c:gapWidth val="80"/>'
        '<c:axId val="10"/><c:axId val="20"/></c:barChart>'
        '<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:tickLblPos val="nextTo"/><c:txPr><a:bodyPr rot="-2700000"/><a:p><a:pPr><a:defRPr/>'
        '</a:pPr><a:endParaRPr lang="vi-VN"/></a:p></c:txPr><c:crossAx val="20"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/></c:catAx>'
        '<c:valAx><c:axId val="20"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>'
        '<c:numFmt formatCode="#,##0" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="10"/><c:crosses val="autoZero"/><c:crossBetween val="between"/>'
        '</c:valAx></c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/>'
        '</c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        '</c:chartSpace>'
    ).encode("utf-8")
