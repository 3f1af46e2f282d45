"""Write Consolidate's sheets into the control workbook file (the command line's writer).

The new workbook is written to a temporary file beside the old one and moved into place;
the previous file is kept as a dated backup in ``backup/``. Only the sheets named in the
plans (and the chart sheet) are replaced; the clerk's other sheets are copied untouched.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from workbook_templates.forms import FieldType
from workbook_templates.messages import Msg, Problem, SetupError

from .folder import sweep_leftovers
from .sheet_plan import ChartPlan, SheetPlan
from .xlsx_package import (
    CT_CHART, CT_DRAWING, NS_PKG_REL, REL_CHART, REL_DRAWING, Hyperlinks, Package, StyleSpec,
    cell_xml, col_letter, worksheet_xml)

HEADER_STYLE = StyleSpec(bold=True, fill="FFDDEBF7", border=True, wrap=True)
_TYPE_STYLE = {
    FieldType.DATE: StyleSpec(num_fmt="dd/mm/yyyy"),
    FieldType.INTEGER: StyleSpec(num_fmt="#,##0"),
    FieldType.MONEY: StyleSpec(num_fmt="#,##0"),
    FieldType.NUMBER: StyleSpec(num_fmt="#,##0.##"),
    FieldType.LONGTEXT: StyleSpec(wrap=True),
}
LINK_STYLE = StyleSpec(link=True)
BACKUP_DIR = "backup"
TMP_PREFIX = ".~"  # the new control workbook while it is written; Excel ignores such names


def write_control_workbook(path: Path, plans: list[SheetPlan],
                           chart: ChartPlan | None = None) -> Path | None:
    """Replace the plans' sheets in the control workbook at ``path``; return the backup."""
    package = Package(path)
    for plan in plans:
        part = package.sheet_part(plan.name) or package.add_sheet(plan.name)
        package.replace_sheet(part, *render_sheet(package, plan))
    if chart is not None:
        _write_chart(package, chart)
    sweep_leftovers(path.parent, _temp_name(path, "*"))
    tmp = path.with_name(_temp_name(path, str(os.getpid())))
    try:
        package.save(tmp)
        backup = _backup(path)
        os.replace(tmp, path)
    except PermissionError as err:
        raise SetupError(Problem(Msg.CONTROL_LOCKED, value=path.name,
                                 detail=err.strerror or type(err).__name__)) from err
    finally:
        if tmp.exists():
            tmp.unlink()
    return backup


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


def render_sheet(package: Package, plan: SheetPlan) -> tuple[bytes, bytes | None]:
    """The worksheet XML of one plan (header, rows, totals) and its links' relationships."""
    styles = package.styles
    header_style = styles.index(HEADER_STYLE)
    col_specs = [_TYPE_STYLE.get(f.type, StyleSpec()) for f in plan.fields]
    col_styles = [styles.index(spec) for spec in col_specs]
    link_style = styles.index(LINK_STYLE)
    filled = _filled_styles(styles, plan, col_specs)
    letters = [col_letter(i + 1) for i in range(len(plan.fields))]
    links = Hyperlinks()
    rows_xml = ['<row r="1">' + "".join(
        cell_xml(f"{letters[c]}1", f.title, header_style)
        for c, f in enumerate(plan.fields)) + "</row>"]
    for r, values in enumerate(plan.rows):
        n = r + 2
        cells = []
        fill = plan.row_fills.get(r)
        for c, value in enumerate(values):
            if value is None and not fill:  # nothing to write: no link, no style
                continue
            ref = f"{letters[c]}{n}"
            target = plan.links.get((r, c))
            if target and value not in ("", None):
                links.add(ref, target)
                cells.append(cell_xml(ref, value, filled[(fill, True)][c] if fill
                                      else link_style))
            else:
                cells.append(cell_xml(ref, value, filled[(fill, False)][c] if fill
                                      else col_styles[c]))
        rows_xml.append(f'<row r="{n}">{"".join(cells)}</row>')
    last_row = len(plan.rows) + 1
    if plan.total_row is not None:
        last_row += 1
        bold = [styles.index(StyleSpec(num_fmt=_TYPE_STYLE.get(f.type, StyleSpec()).num_fmt,
                                       bold=True)) for f in plan.fields]
        rows_xml.append(f'<row r="{last_row}">' + "".join(
            cell_xml(f"{letters[c]}{last_row}", v, bold[c])
            for c, v in enumerate(plan.total_row)) + "</row>")
    last_col = letters[-1]
    data_end = len(plan.rows) + 1
    xml = worksheet_xml(rows_xml, [f.width for f in plan.fields], f"{last_col}{last_row}",
                        autofilter=f"A1:{last_col}{max(data_end, 1)}", hyperlinks=links.xml())
    return xml, links.rels()


def _filled_styles(styles, plan: SheetPlan, col_specs: list[StyleSpec]
                   ) -> dict[tuple[str, bool], list[int]]:
    """The style of each column on a highlighted row, by (fill, linked)."""
    found = {}
    for fill in set(f for f in plan.row_fills.values() if f):
        for linked in (False, True):
            found[(fill, linked)] = [styles.index(dataclasses.replace(
                LINK_STYLE if linked else spec, fill=fill,
                num_fmt=spec.num_fmt)) for spec in col_specs]
    return found


# --- the chart ------------------------------------------------------------------------

def _write_chart(package: Package, chart: ChartPlan) -> None:
    part = package.sheet_part(chart.name) or package.add_sheet(chart.name)
    drawing = package.free_name("xl/drawings/drawing{}.xml")
    chart_part = package.free_name("xl/charts/chart{}.xml")
    sheet_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  f'<Relationships xmlns="{NS_PKG_REL}"><Relationship Id="rId1" '
                  f'Type="{REL_DRAWING}" Target="../drawings/{Path(drawing).name}"/>'
                  f'</Relationships>').encode()
    package.replace_sheet(part, worksheet_xml([], [], "A1", drawing_rid="rId1", frozen=False),
                          rels=sheet_rels)
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
        '<xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>16</xdr:col>'
        '<xdr:colOff>0</xdr:colOff><xdr:row>32</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
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
