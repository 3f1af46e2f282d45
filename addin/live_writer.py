"""Write Consolidate's plans into the control workbook open in Excel, through xlwings.

The twin of :mod:`addin.workbook_writer` (openpyxl, for the CLI): both take the same
:class:`~addin.sheet_plan.SheetPlan` list. Over COM every call costs milliseconds, so the
calls a sheet takes depend on its columns, never on its rows, links or fills: values go in
one ``range.value = rows`` per sheet, links inside it as HYPERLINK formulas, number formats,
wrapping and the link colour by column, row fills as conditional formats keyed on a column
(:mod:`addin.live_fills`). Only calls that the remote engine (``xw.Book(json=...)``)
records as actions and that classic Excel runs through the same xlwings API are used:
``addSheet``, ``sheetClear``, ``clearConditionalFormats``, ``setNumberFormat``,
``setValues``, ``setFontProperty``, ``setColumnWidth``, ``setRowHeight``, ``setWrapText``,
``setPrintArea``, ``namesAdd``, ``setNameRefersTo``, ``addConditionalFormat``,
``setRangeColor``, ``sheetDelete``, ``addChart``, ``setChartType``, ``setChartName``; and, to
keep and put back the sheets a run rewrites, ``copySheet``, ``setSheetVisibility``,
``setSheetName``, ``setSheetPosition``, ``save``.
"""
from __future__ import annotations

from datetime import date
from itertools import islice
from typing import Any, Callable

from workbook_templates.continued_sheets import stale_parts
from workbook_templates.forms import Field, NumberFormat, cell_format
from workbook_templates.print_layout import header_height, sheet_ref, wraps

from .live_fills import KEY_NAME, fill_rules
from .sheet_plan import ChartPlan, Formula, SheetPlan
from .xlsx_package import col_letter

CHART_TYPE = "bar_clustered"
HEADER_ROW = 1
PRINT_TITLES = "Print_Titles"  # Excel's sheet-level name for the rows repeated on each page
# The chart sheet: the chart at the top, over columns A to CHART_LAST_COLUMN, then its data
# from CHART_TABLE_ROW. It fits one portrait page of Excel's new sheet (A4 or Letter, 0.7"
# side margins: 6.9" printable) at 100%, so it prints on one page whatever the page set-up.
CHART_LAST_COLUMN = 7
CHART_HEIGHT = 300.0  # points: 20 rows
CHART_TABLE_ROW = 22
DEFAULT_COLUMN_WIDTH = 8.43
GENERAL = "General"
TEXT_FORMAT = NumberFormat.TEXT
LINK_COLOR = "#0563C1"  # Excel's colour of a hyperlink
MAX_LITERAL = 255
PARSED_PREFIXES = frozenset("=+-@'")


def write_plans(book, plans: list[SheetPlan], chart: ChartPlan | None = None) -> None:
    """Rewrite every planned sheet of ``book`` (created when missing; a sheet longer than
    Excel holds as several, each after the one before), then the chart."""
    for plan in plans:
        parts = plan.parts()
        before = None
        for part in parts:
            write_plan(book, part, after=before)
            before = part.name
        for name in stale_parts(plan.name, len(parts), _sheet_names(book)):
            book.sheets[name].delete()
    if chart is not None:
        source = next((p for p in plans if p.name == chart.source_sheet), None)
        if source is None:
            raise ValueError(f"chart {chart.name!r}: no plan for sheet {chart.source_sheet!r}")
        write_chart(book, chart, source)


def write_plan(book, plan: SheetPlan, after: str | None = None) -> None:
    """One sheet, in calls that do not grow with its rows: cleared, a number format per
    column, every value at once (links as HYPERLINK formulas), bold header and totals,
    column widths, link colour by column, row fills as conditional formats, the layout."""
    sheet = _fresh_sheet(book, plan.name, after)
    n_cols, n_rows = len(plan.fields), len(plan.rows)
    rows = [plan.header] + [_row(r, plan.fields) for r in plan.rows]
    if plan.total_row is not None:
        rows.append(_row(plan.total_row, plan.fields))
    last_row = len(rows)
    fills = {r: f for r, f in plan.row_fills.items() if f and r < n_rows}
    rules = fill_rules(rows[HEADER_ROW:HEADER_ROW + n_rows], fills) if fills else None
    linked = _link_cells(plan, rows)
    formats = _column_formats(plan, rows)
    _number_formats(sheet, plan, rows, formats)
    sheet.range((1, 1)).value = _as_typed(rows, formats)
    sheet.range((HEADER_ROW, 1), (HEADER_ROW, n_cols)).font.bold = True
    if plan.total_row is not None:
        sheet.range((last_row, 1), (last_row, n_cols)).font.bold = True
    for col, f in enumerate(plan.fields, start=1):
        sheet.range((HEADER_ROW, col)).column_width = f.width
    if n_rows:
        for col in sorted(linked):
            sheet.range((HEADER_ROW + 1, col + 1), (HEADER_ROW + n_rows, col + 1)
                        ).font.color = LINK_COLOR
    _fills(sheet, plan, fills, rules)
    _layout(sheet, plan, last_row, linked)


def _link_cells(plan: SheetPlan, rows: list[list[Any]]) -> set[int]:
    """Each linked cell of ``rows`` made a HYPERLINK formula showing its value (its target
    when empty), as Excel follows a link: relative to the workbook's folder, "#'Lỗi'!A5" in
    this workbook. The linked columns."""
    columns = set()
    n_cols = len(plan.fields)
    for (r, c), target in plan.links.items():
        if c >= n_cols:
            continue
        value = rows[HEADER_ROW + r][c]
        text = "" if value is None else str(value)
        rows[HEADER_ROW + r][c] = Formula(
            f"=HYPERLINK({_text_literal(target)},{_text_literal(text or target)})")
        columns.add(c)
    return columns


def _text_literal(text: str) -> str:
    """``text`` as a formula's string: quotes doubled, in pieces of at most 255 characters
    (Excel's limit for one string in a formula) joined by &."""
    pieces = [text[i:i + MAX_LITERAL] for i in range(0, len(text), MAX_LITERAL)] or [""]
    return "&".join('"' + p.replace('"', '""') + '"' for p in pieces)


def _column_formats(plan: SheetPlan, rows: list[list[Any]]) -> list[str]:
    """One number format per column, from the forms (``cell_format``): the widest its values
    need (decimals when one value has them, the time when one date has one); General for a
    column of links or formulas (Excel keeps a formula typed into a text cell as text)."""
    formats = []
    data = rows[HEADER_ROW:HEADER_ROW + len(plan.rows)]
    for col, f in enumerate(plan.fields):
        base = cell_format(f)
        fmt = base
        for values in data:
            value = values[col]
            if isinstance(value, Formula):
                fmt = GENERAL
                break
            if value is not None and type(value) is not str and fmt == base:
                fmt = cell_format(f, value)
        formats.append(fmt)
    return formats


def _number_formats(sheet, plan: SheetPlan, rows: list[list[Any]], formats: list[str]) -> None:
    """Each column's format over its data and totals, and General on a formula of the
    totals row in a column of text. Set before the values, so that Excel keeps text as
    typed."""
    last_row = len(rows)
    if last_row <= HEADER_ROW:
        return
    for col, fmt in enumerate(formats):
        sheet.range((HEADER_ROW + 1, col + 1), (last_row, col + 1)).number_format = fmt
    if plan.total_row is not None:
        for col, value in enumerate(rows[-1]):
            if isinstance(value, Formula) and formats[col] != GENERAL:
                sheet.range((last_row, col + 1)).number_format = GENERAL


def _as_typed(rows: list[list[Any]], formats: list[str]) -> list[list[Any]]:
    """``rows`` with the text of a column Excel parses (not formatted as text) that Excel
    would take for a formula or a number ("=…", "+…", "-…", "@…", and "'…", whose quote it
    would drop) behind Excel's text prefix ', so that it stays the text a unit typed."""
    parsed = [c for c, fmt in enumerate(formats) if fmt != TEXT_FORMAT]
    for values in rows[HEADER_ROW:]:
        for c in parsed:
            value = values[c]
            if type(value) is str and value[:1] in PARSED_PREFIXES:
                values[c] = "'" + value
    return rows


def _fills(sheet, plan: SheetPlan, fills: dict[int, str], rules) -> None:
    """The rows' fills: a conditional format per colour keyed on the column that tells them
    (:mod:`addin.live_fills`), else one call per run of rows with the same fill."""
    if not fills:
        return
    n_cols = len(plan.fields)
    if rules is None:
        for first, last, fill in _fill_runs(fills):
            sheet.range((HEADER_ROW + 1 + first, 1), (HEADER_ROW + 1 + last, n_cols)).color = \
                "#" + fill[-6:]
        return
    _set_name(sheet, KEY_NAME, rules.name_formula(plan.name))
    data = sheet.range((HEADER_ROW + 1, 1), (HEADER_ROW + len(plan.rows), n_cols))
    for formula, color in rules.rules():
        data.conditional_formats.add_custom(formula, fill_color=color)


def _set_name(sheet, name: str, refers_to: str) -> None:
    """The sheet-level ``name`` set to ``refers_to``: added, or changed if it is there."""
    found = next((n for n in sheet.names if n.name.rsplit("!", 1)[-1] == name), None)
    if found is None:
        sheet.names.add(name, refers_to)
    else:
        found.refers_to = refers_to


def _layout(sheet, plan: SheetPlan, last_row: int, linked: set[int]) -> None:
    """The header row wrapped and tall enough for its titles, text columns wrapped but for
    links (Excel fits their rows), the print area (none for a sheet without rows) and, once,
    the header as the rows repeated on every page. Orientation, fit to width and margins are not in xlwings'
    engine-independent API (``page_setup`` has the print area only): the sheets ``thidua init``
    made carry them (:mod:`workbook_templates.control_workbook`), and clearing the cells
    keeps them."""
    n_cols = len(plan.fields)
    header = sheet.range((HEADER_ROW, 1), (HEADER_ROW, n_cols))
    header.wrap_text = True
    header.row_height = header_height(plan.fields)
    if last_row > HEADER_ROW:
        for col, f in enumerate(plan.fields):
            if wraps(f) and col not in linked:
                sheet.range((HEADER_ROW + 1, col + 1), (last_row, col + 1)).wrap_text = True
    setup = plan.print_setup()
    sheet.page_setup.print_area = setup.area
    if setup.title_rows and not any(n.name.endswith(PRINT_TITLES) for n in sheet.names):
        sheet.names.add(PRINT_TITLES, "=" + sheet_ref(plan.name, setup.title_rows))


def _fill_runs(fills: dict[int, str]) -> list[tuple[int, int, str]]:
    """(first row, last row, ARGB) of each run of consecutive rows with the same fill."""
    runs: list[tuple[int, int, str]] = []
    for r in sorted(fills):
        if runs and runs[-1][1] == r - 1 and runs[-1][2] == fills[r]:
            runs[-1] = (runs[-1][0], r, fills[r])
        else:
            runs.append((r, r, fills[r]))
    return runs


def write_chart(book, chart: ChartPlan, source: SheetPlan) -> None:
    """The chart sheet, rebuilt: a native bar chart at the top (series named by the column
    titles) of the charted columns of ``source``, copied under it as a small table; the print
    area is the chart and the table, one page wide."""
    if chart.name in _sheet_names(book):
        book.sheets[chart.name].delete()
    sheet = book.sheets.add(chart.name, after=book.sheets[len(book.sheets) - 1])
    columns = [chart.category_column, *chart.value_columns]
    first = chart.first_row - HEADER_ROW - 1  # 0-based index into source.rows
    data = islice(source.rows, first, chart.last_row - HEADER_ROW)
    table = [[source.fields[c].title for c in columns]]
    table += [[_cell(row[c] if c < len(row) else None) for c in columns] for row in data]
    top = CHART_TABLE_ROW
    sheet.range((top, 1)).value = _as_typed(table, [GENERAL] * len(columns))
    sheet.range((top, 1), (top, len(columns))).font.bold = True
    widths = [source.fields[c].width for c in columns]
    widths += [DEFAULT_COLUMN_WIDTH] * (CHART_LAST_COLUMN - len(widths))
    for col, width in enumerate(widths, start=1):
        sheet.range((top, col)).column_width = width
    last = top + len(table) - 1
    if len(table) < 2:
        sheet.page_setup.print_area = f"$A${top + 1}"  # nothing to chart: no page
        return
    sheet.page_setup.print_area = f"$A$1:${col_letter(CHART_LAST_COLUMN)}${last}"
    obj = sheet.charts.add(left=0, top=0, width=sum(_points(w) for w in widths),
                           height=CHART_HEIGHT)
    obj.set_source_data(sheet.range((top, 1), (last, len(columns))))
    obj.chart_type = CHART_TYPE
    obj.name = chart.title or chart.name


def _points(width: float) -> float:
    """A column ``width`` characters wide in points, as Excel draws it (7 px a character of
    Calibri 11 and 5 px of padding, at 96 px an inch)."""
    return (7 * width + 5) * 0.75


def _fresh_sheet(book, name: str, after: str | None = None):
    """The sheet called ``name``, emptied; added when missing, after sheet ``after`` or
    else the last sheet."""
    if name in _sheet_names(book):
        sheet = book.sheets[name]
        sheet.clear()
        sheet.cells.conditional_formats.clear()  # the fills of the run before
        return sheet
    return book.sheets.add(name, after=book.sheets[after] if after
                           else book.sheets[len(book.sheets) - 1])


def _sheet_names(book) -> list[str]:
    return [s.name for s in book.sheets]


def _row(values: list[Any], fields: tuple[Field, ...]) -> list[Any]:
    """A row padded to the plan's width, each value as Excel takes it."""
    row = [_cell(v) for v in values[:len(fields)]]
    return row + [None] * (len(fields) - len(row))


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, date)):
        return value
    return str(value)


KEPT_PREFIX = "~"  # a hidden copy of a sheet while a Consolidate run rewrites it


class LivePublish:
    """Consolidate's ``publish`` for the book open in Excel (see :mod:`addin.consolidate`):
    the result's sheets written and the book saved before the register commits, the
    rewritten sheets kept as hidden copies until :meth:`committed`; the undo (a failed
    commit) puts them back and saves the book again."""

    def __init__(self, book):
        self._book = book
        self._kept: KeptSheets | None = None

    def __call__(self, result) -> Callable[[], None]:
        names = _rewritten(result.plans, _sheet_names(self._book))
        names += [result.chart.name] if result.chart else []
        kept = self._kept = KeptSheets(self._book, names)
        try:
            write_plans(self._book, result.plans, result.chart)
            self._book.save()
        except BaseException:
            kept.restore()
            raise
        return self._undo

    def _undo(self) -> None:
        self._kept.restore()
        self._book.save()

    def committed(self) -> None:
        """The register has committed: the copies go, and the book is saved without them."""
        self._kept.drop()
        self._book.save()


class KeptSheets:
    """Hidden copies of the sheets a run is about to rewrite in the open book, kept until
    the register has committed: :meth:`restore` puts the book's sheets back as they were
    (a sheet the run added is deleted), :meth:`drop` deletes the copies. A restored sheet
    is the copy renamed, so a formula of another sheet that pointed into it shows #REF!."""

    def __init__(self, book, names: list[str]):
        self._book = book
        present = _sheet_names(book)
        self._added = [n for n in names if n not in present]
        self._kept: list[tuple[str, str]] = []  # (sheet, its copy)
        for name in (n for n in names if n in present):
            copy = book.sheets[name].copy(name=_kept_name(name, present))
            copy.visible = False
            present.append(copy.name)
            self._kept.append((name, copy.name))

    def restore(self) -> None:
        book = self._book
        for name in self._added:
            if name in _sheet_names(book):
                book.sheets[name].delete()
        for name, kept in self._kept:
            if name in _sheet_names(book):
                old = book.sheets[name]
                book.sheets[kept].move(before=old)
                old.delete()
            copy = book.sheets[kept]
            copy.name = name
            copy.visible = True
        self._kept = self._added = []

    def drop(self) -> None:
        for _, kept in self._kept:
            self._book.sheets[kept].delete()
        self._kept = self._added = []


def _rewritten(plans: list[SheetPlan], present: list[str]) -> list[str]:
    """The sheets writing ``plans`` rewrites, adds or deletes (continuations of an earlier,
    longer run)."""
    names = []
    for plan in plans:
        parts = plan.parts()
        names += [part.name for part in parts] + stale_parts(plan.name, len(parts), present)
    return names


def _kept_name(name: str, present: list[str]) -> str:
    """A free sheet name (31 characters at most) for the copy of ``name``."""
    n = 1
    while True:
        tag = f"{KEPT_PREFIX}{n}" if n > 1 else KEPT_PREFIX
        candidate = f"{tag}{name}"[:31]
        if candidate not in present:
            return candidate
        n += 1
