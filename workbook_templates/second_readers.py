"""Second readers for valid workbooks python-calamine refuses: openpyxl for an xlsx/xlsm
with a part calamine does not know (an Excel 4 macro sheet, an unknown sheet type), xlrd
for an Excel 5.0/95 or 97–2003 file. Each gives the little of calamine's interface the
reader uses (``sheet_names``, ``get_sheet_by_name``, a sheet's ``to_python`` and
``merged_cell_ranges``), with calamine's values: "" for an empty cell, floats for numbers,
a date for a date without time."""
from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

_MAX_CELLS = 5_000_000  # a sheet larger than this is refused before it is made dense


class SheetTooLarge(Exception):
    """A sheet's used range holds more cells than any form (``cell`` is its far corner)."""

    def __init__(self, sheet: str, cell: str):
        super().__init__(f"{sheet}!{cell}")
        self.sheet, self.cell = sheet, cell


def _value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool) or isinstance(v, (str, float)):
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, datetime) and (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0):
        return v.date()
    return v


class _Sheet:
    def __init__(self, rows: list[list[Any]], merges: list[tuple[tuple[int, int],
                                                                 tuple[int, int]]]):
        self._rows, self.merged_cell_ranges = rows, merges

    def to_python(self, skip_empty_area: bool = False) -> list[list[Any]]:
        return self._rows


def _dense(cells: list[list[Any]]) -> list[list[Any]]:
    """Rows from A1 to the last row and column holding a value, as calamine gives them."""
    while cells and all(v == "" for v in cells[-1]):
        cells.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if v != ""), default=0) for r in cells),
                default=0)
    return [(r + [""] * (width - len(r)))[:width] for r in cells]


class OpenpyxlBook:
    """An xlsx/xlsm read by openpyxl (cached formula values)."""

    def __init__(self, source: Path | bytes):
        import openpyxl

        data = io.BytesIO(source) if isinstance(source, bytes) else source
        self._wb = openpyxl.load_workbook(data, data_only=True)
        self.sheet_names = self._wb.sheetnames

    def get_sheet_by_name(self, name: str) -> _Sheet:
        from openpyxl.utils import get_column_letter

        ws = self._wb[name]
        if ws.max_row * ws.max_column > _MAX_CELLS:
            raise SheetTooLarge(name, f"{get_column_letter(ws.max_column)}{ws.max_row}")
        rows = [[_value(v) for v in row] for row in ws.iter_rows(values_only=True)]
        merges = [((m.min_row - 1, m.min_col - 1), (m.max_row - 1, m.max_col - 1))
                  for m in ws.merged_cells.ranges]
        return _Sheet(_dense(rows), merges)


class XlrdBook:
    """An Excel 5.0/95 or 97–2003 workbook read by xlrd."""

    def __init__(self, source: Path | bytes):
        import xlrd

        kw = {"file_contents": source} if isinstance(source, bytes) else {"filename": str(source)}
        self._book = xlrd.open_workbook(**kw, formatting_info=True, on_demand=True,
                                        logfile=io.StringIO())
        self.sheet_names = self._book.sheet_names()

    def get_sheet_by_name(self, name: str) -> _Sheet:
        import xlrd

        sh = self._book.sheet_by_name(name)
        if sh.nrows * sh.ncols > _MAX_CELLS:
            raise SheetTooLarge(name, xlrd.cellname(sh.nrows - 1, sh.ncols - 1))
        rows = [[self._cell(sh.cell(r, c)) for c in range(sh.row_len(r))]
                for r in range(sh.nrows)]
        merges = [((r0, c0), (r1 - 1, c1 - 1)) for r0, r1, c0, c1 in sh.merged_cells]
        return _Sheet(_dense(rows), merges)

    def _cell(self, cell: Any) -> Any:
        import xlrd

        if cell.ctype == xlrd.XL_CELL_DATE:
            return _value(xlrd.xldate.xldate_as_datetime(cell.value, self._book.datemode))
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
            return ""  # as calamine gives an error value
        return cell.value
