"""How the control workbook's sheets look on screen and on paper: header heights, page
set-up, print areas.

One definition for every writer of the control workbook: ``thidua init``
(:mod:`workbook_templates.control_workbook`), Consolidate's file writer
(:mod:`addin.workbook_writer`) and the ribbon's live writer (:mod:`addin.live_writer`).
Every table sheet prints on A4 landscape, one page wide and as many pages tall as it needs,
its header row repeated on each page, the sheet's name at the top of each page and the page
number at the foot. A sheet with no data rows prints no page: its print area is one empty
cell, which Excel and LibreOffice both leave out of a print job (an empty page is never
printed). The chart prints on one page.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from openpyxl.utils import get_column_letter

from .forms import CONTROL_HEADER_ROW, Field, NumberFormat, cell_format

PAPER_A4 = 9  # Excel's paperSize code
ORIENTATION = "landscape"
# Inches, as Excel keeps them: left, right, top, bottom, header, footer.
MARGINS = (0.5, 0.5, 0.75, 0.75, 0.3, 0.3)
PAGE_HEADER = "&C&A"  # the sheet's name
PAGE_FOOTER = "&CTrang &P"  # page numbers start at 1 on every sheet

# Header rows: Calibri 11 bold, wrapped. A column of width w (in characters of the default
# font) holds about (w - 1) / HEADER_CHAR_WIDTH bold characters a line (a little less than
# Excel fits, so that a title is never cut).
LINE_HEIGHT = 15.0  # points, one line of Calibri 11
HEADER_PADDING = 3.0  # points above and below the lines
MAX_ROW_HEIGHT = 409.0  # Excel's limit
HEADER_CHAR_WIDTH = 1.15
BODY_CHAR_WIDTH = 0.95  # the same for the data rows' regular characters

# The chart: anchored over CHART_COLUMNS x CHART_ROWS cells of default size (8.43 characters,
# 15 points), 10 x 6.25 inches, inside A4 landscape's printable 10.7 x 6.8 inches.
CHART_COLUMNS = 15
CHART_ROWS = 30
CHART_COLUMN_WIDTH = 8.43


@dataclass(frozen=True)
class PrintSetup:
    """What prints of one sheet: the print area, the rows repeated on every page, and how
    many pages tall it may be (0: as many as needed)."""

    area: str  # absolute range, e.g. "$A$1:$K$23"
    title_rows: str | None  # e.g. "$1:$1"
    fit_height: int = 0


def wraps(f: Field) -> bool:
    """Text columns wrap, so that nothing is cut off on screen or on paper."""
    return cell_format(f) == NumberFormat.TEXT


def line_capacity(width: float, char_width: float = BODY_CHAR_WIDTH) -> int:
    """How many characters one line of a column ``width`` wide holds."""
    return max(1, math.floor((width - 1) / char_width))


@lru_cache(maxsize=8192)  # the same unit names, forms and movements fill many rows
def text_lines(text: str, capacity: int) -> int:
    """How many lines ``text`` takes, wrapped at spaces, ``capacity`` characters a line (a
    word longer than a line breaks anywhere, as Excel breaks it; a line break starts one)."""
    if len(text) <= capacity and "\n" not in text:
        return 1
    return sum(_paragraph_lines(p, capacity) for p in text.split("\n"))


def _paragraph_lines(text: str, capacity: int) -> int:
    lines, used = 0, None
    for word in text.split():
        if used is not None and used + 1 + len(word) <= capacity:
            used += 1 + len(word)
            continue
        pieces = math.ceil(len(word) / capacity)
        lines += pieces
        used = len(word) - (pieces - 1) * capacity
    return max(lines, 1)


def header_height(fields: Sequence[Field]) -> float:
    """Points the header row needs for its longest wrapped title."""
    lines = max((text_lines(f.title, line_capacity(f.width, HEADER_CHAR_WIDTH))
                 for f in fields), default=1)
    return min(lines * LINE_HEIGHT + HEADER_PADDING, MAX_ROW_HEIGHT)


def lines_height(lines: int) -> float | None:
    """Points a data row of ``lines`` wrapped lines needs; None for one line (the default
    height)."""
    return min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT) if lines > 1 else None


def table_print(n_columns: int, data_rows: int, extra_rows: int = 0) -> PrintSetup:
    """A table sheet: the header and its rows (``extra_rows``: a totals row) one page wide,
    the header repeated; with no data rows, one empty cell under the header (no page)."""
    header = CONTROL_HEADER_ROW
    if data_rows == 0:
        return PrintSetup(area=f"$A${header + 1}", title_rows=None)
    last = header + data_rows + extra_rows
    return PrintSetup(area=f"$A${header}:${get_column_letter(n_columns)}${last}",
                      title_rows=f"${header}:${header}")


def chart_print() -> PrintSetup:
    """The chart sheet: the cells under the chart, on one page."""
    return PrintSetup(area=f"$A$1:${get_column_letter(CHART_COLUMNS)}${CHART_ROWS}",
                      title_rows=None, fit_height=1)


def sheet_ref(sheet: str, ref: str) -> str:
    """``'Sheet name'!$A$1:$B$2`` as a defined name refers to it."""
    return "'" + sheet.replace("'", "''") + "'!" + ref
