"""A control sheet longer than one worksheet holds (Excel opens 1,048,576 rows): its rows
go on in continuation sheets named "Đăng ký (2)", "Đăng ký (3)" …, each with the header row,
placed after the one before. Writers split a sheet with :data:`PART_ROWS` data rows a part;
readers join the parts they find, in order, whatever their lengths.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from .forms import CONTROL_HEADER_ROW

EXCEL_MAX_ROWS = 1_048_576  # rows of one worksheet in Excel 2007 and later
# Data rows of one part: the header above them and room for the totals row below.
PART_ROWS = EXCEL_MAX_ROWS - CONTROL_HEADER_ROW - 1


def part_name(sheet: str, part: int) -> str:
    """The name of part ``part`` (1-based) of ``sheet``: the sheet's own name for the first."""
    return sheet if part == 1 else f"{sheet} ({part})"


def sheet_parts(sheet: str, names: Iterable[str]) -> list[str]:
    """``sheet`` and its continuation sheets among ``names``, in order (none when ``sheet``
    is not there; a gap in the numbering ends the parts)."""
    present = set(names)
    parts: list[str] = []
    while part_name(sheet, len(parts) + 1) in present:
        parts.append(part_name(sheet, len(parts) + 1))
    return parts


def stale_parts(sheet: str, kept: int, names: Iterable[str]) -> list[str]:
    """The continuation sheets of ``sheet`` among ``names`` beyond the first ``kept`` parts
    (what an earlier, longer run left)."""
    return sheet_parts(sheet, names)[max(kept, 1):]


def joined_rows(sheet: str, names: Iterable[str],
                rows_of: Callable[[str], list[list[Any]]]) -> list[list[Any]] | None:
    """The rows of ``sheet`` and its continuation sheets as one sheet: the header rows of
    the first part, then the rows below the header of every part (``rows_of`` gives a
    part's rows from its first row). None when ``sheet`` is not among ``names``."""
    parts = sheet_parts(sheet, names)
    if not parts:
        return None
    rows = list(rows_of(parts[0]))
    for name in parts[1:]:
        rows += rows_of(name)[CONTROL_HEADER_ROW:]
    return rows


def row_address(sheet: str, index: int) -> tuple[str, int]:
    """Where data row ``index`` (0-based) of ``sheet`` is written: the part and its row."""
    part, at = divmod(index, PART_ROWS)
    return part_name(sheet, part + 1), CONTROL_HEADER_ROW + 1 + at
