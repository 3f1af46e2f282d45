"""Write Consolidate's plans into the control workbook open in Excel, through xlwings.

The twin of :mod:`addin.workbook_writer` (openpyxl, for the CLI): both take the same
:class:`~addin.sheet_plan.SheetPlan` list. Only calls that the remote engine
(``xw.Book(json=...)``) records as actions and that classic Excel runs through the same
xlwings API are used: ``addSheet``, ``sheetClear``, ``setNumberFormat``, ``setValues``,
``setFontProperty``, ``setColumnWidth``, ``addHyperlink``, ``setRangeColor``, ``sheetDelete``,
``addChart``,
``setChartType``, ``setChartName``. Values go in one ``range.value = rows`` per sheet.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from workbook_templates.forms import Field, FieldType

from .sheet_plan import ChartPlan, SheetPlan

# Excel number formats (English codes, as Range.NumberFormat takes them) by field type.
# Text-like columns are "@" so that Excel keeps "0912..." and "01" as typed.
NUMBER_FORMATS = {
    FieldType.INTEGER: "0",
    FieldType.NUMBER: "#,##0.##",
    FieldType.MONEY: "#,##0",
    FieldType.DATE: "dd/mm/yyyy",
    FieldType.TEXT: "@",
    FieldType.LONGTEXT: "@",
    FieldType.CHOICE: "@",
    FieldType.YESNO: "@",
    FieldType.PHONE: "@",
    FieldType.EMAIL: "@",
}
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
CHART_TYPE = "bar_clustered"
CHART_TOP, CHART_WIDTH, CHART_HEIGHT = 10.0, 620.0, 420.0
POINTS_PER_CHAR = 6.0  # roughly, a column width unit in points: places the chart right of the table
HEADER_ROW = 1


def write_plans(book, plans: list[SheetPlan], chart: ChartPlan | None = None) -> None:
    """Rewrite every planned sheet of ``book`` (created when missing), then the chart."""
    for plan in plans:
        write_plan(book, plan)
    if chart is not None:
        source = next((p for p in plans if p.name == chart.source_sheet), None)
        if source is None:
            raise ValueError(f"chart {chart.name!r}: no plan for sheet {chart.source_sheet!r}")
        write_chart(book, chart, source)


def write_plan(book, plan: SheetPlan) -> None:
    """One sheet: cleared, formats by column, all values at once, bold header and totals,
    column widths, hyperlinks."""
    sheet = _fresh_sheet(book, plan.name)
    rows = [plan.header] + [_row(r, plan.fields) for r in plan.rows]
    if plan.total_row is not None:
        rows.append(_row(plan.total_row, plan.fields))
    n_cols = len(plan.fields)
    last_row = len(rows)
    if last_row > HEADER_ROW:
        for col, f in enumerate(plan.fields, start=1):
            fmt = _format(f, plan, col - 1)
            sheet.range((HEADER_ROW + 1, col), (last_row, col)).number_format = fmt
    sheet.range((1, 1)).value = rows
    sheet.range((HEADER_ROW, 1), (HEADER_ROW, n_cols)).font.bold = True
    if plan.total_row is not None:
        sheet.range((last_row, 1), (last_row, n_cols)).font.bold = True
    for col, f in enumerate(plan.fields, start=1):
        sheet.range((HEADER_ROW, col)).column_width = f.width
    for first, last, fill in _fill_runs(plan.row_fills):
        sheet.range((HEADER_ROW + 1 + first, 1), (HEADER_ROW + 1 + last, n_cols)).color = \
            "#" + fill[-6:]
    for (r, c), target in sorted(plan.links.items()):
        value = rows[HEADER_ROW + r][c] if c < n_cols else None
        text = "" if value is None else str(value)
        sheet.range((HEADER_ROW + 1 + r, c + 1)).add_hyperlink(target, text or target, target)


def _fill_runs(fills: dict[int, str | None]) -> list[tuple[int, int, str]]:
    """(first row, last row, ARGB) of each run of consecutive rows with the same fill."""
    runs: list[tuple[int, int, str]] = []
    for r in sorted(k for k, v in fills.items() if v):
        if runs and runs[-1][1] == r - 1 and runs[-1][2] == fills[r]:
            runs[-1] = (runs[-1][0], r, fills[r])
        else:
            runs.append((r, r, fills[r]))
    return runs


def write_chart(book, chart: ChartPlan, source: SheetPlan) -> None:
    """The chart sheet, rebuilt: the charted columns of ``source`` as a small table, and a
    native bar chart of it (series named by the column titles)."""
    if chart.name in _sheet_names(book):
        book.sheets[chart.name].delete()
    sheet = book.sheets.add(chart.name, after=book.sheets[len(book.sheets) - 1])
    columns = [chart.category_column, *chart.value_columns]
    first = chart.first_row - HEADER_ROW - 1  # 0-based index into source.rows
    data = source.rows[first:chart.last_row - HEADER_ROW]
    table = [[source.fields[c].title for c in columns]]
    table += [[_cell(row[c] if c < len(row) else None) for c in columns] for row in data]
    sheet.range((1, 1)).value = table
    sheet.range((1, 1), (1, len(columns))).font.bold = True
    sheet.range((1, 1)).column_width = source.fields[chart.category_column].width
    if len(table) < 2:
        return
    left = (sum(source.fields[c].width for c in columns) + 2) * POINTS_PER_CHAR
    obj = sheet.charts.add(left=left, top=CHART_TOP, width=CHART_WIDTH, height=CHART_HEIGHT)
    obj.set_source_data(sheet.range((1, 1), (len(table), len(columns))))
    obj.chart_type = CHART_TYPE
    obj.name = chart.title or chart.name


def _fresh_sheet(book, name: str):
    """The sheet called ``name``, emptied; added after the last sheet when missing."""
    if name in _sheet_names(book):
        sheet = book.sheets[name]
        sheet.clear()
        return sheet
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])


def _sheet_names(book) -> list[str]:
    return [s.name for s in book.sheets]


def _format(f: Field, plan: SheetPlan, col: int) -> str:
    if f.type is FieldType.DATE and any(isinstance(r[col], datetime) for r in plan.rows
                                        if col < len(r)):
        return DATETIME_FORMAT
    return NUMBER_FORMATS[f.type]


def _row(values: list[Any], fields: tuple[Field, ...]) -> list[Any]:
    """A row padded to the plan's width, each value as Excel takes it."""
    row = [_cell(v) for v in values[:len(fields)]]
    return row + [None] * (len(fields) - len(row))


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, date)):
        return value
    return str(value)
