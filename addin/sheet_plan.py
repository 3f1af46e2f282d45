"""What Consolidate writes into the control workbook, described once as data.

The file writer (:mod:`addin.workbook_writer`, openpyxl, for the CLI) and the live writer
(:mod:`addin.live_writer`, xlwings, for the ribbon) both take these plans, so the two cannot
drift apart.
"""
from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from workbook_templates import continued_sheets
from workbook_templates.forms import Field
from workbook_templates.print_layout import PrintSetup, table_print

from .spill import RowStore, RowWindow


class Formula(str):
    """A cell's Excel formula ("=COUNTIF(…)"), written as a formula, never as text (values a
    unit typed are plain ``str`` and stay text)."""


class RowFills(MutableMapping):
    """The fill of each row of a sheet (row 0-based -> ARGB), two bytes a row: a sheet of a
    row per unit held a dict of 130,000 fills (9 MB) in the run, and again in the writer."""

    def __init__(self, fills: Iterable[tuple[int, str | None]] = ()) -> None:
        self._palette: list[str | None] = [None]  # code 0: no fill
        self._codes = array("H")
        for row, fill in fills:
            self[row] = fill

    def __getitem__(self, row: int) -> str:
        code = self._codes[row] if 0 <= row < len(self._codes) else 0
        if not code:
            raise KeyError(row)
        return self._palette[code]

    def get(self, row: int, default: str | None = None) -> str | None:
        """The fill of ``row`` (``default`` when it has none), asked of every row written:
        no KeyError raised and caught for each row without one."""
        code = self._codes[row] if 0 <= row < len(self._codes) else 0
        return self._palette[code] if code else default

    def __setitem__(self, row: int, fill: str | None) -> None:
        if fill not in self._palette:
            self._palette.append(fill)
        if row >= len(self._codes):
            self._codes.frombytes(bytes(2 * (row + 1 - len(self._codes))))
        self._codes[row] = self._palette.index(fill)

    def __delitem__(self, row: int) -> None:
        self[row] = None

    def __iter__(self) -> Iterator[int]:
        return (row for row, code in enumerate(self._codes) if code)

    def __len__(self) -> int:
        return len(self._codes) - self._codes.count(0)


@dataclass
class SheetPlan:
    """One sheet of the control workbook: its columns, rows and links."""

    name: str
    fields: tuple[Field, ...]
    rows: list[list[Any]] = field(default_factory=list)
    # (row, col) 0-based -> target: a file ("path#'Sheet'!B7") or this book ("#'Lỗi'!A5")
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    id_field: str | None = None  # key column that the clerk's review columns hang on
    review_fields: tuple[str, ...] = ()  # columns the clerk fills; kept across runs
    total_row: list[Any] | None = None  # a bold totals row under the data
    row_fills: RowFills = field(default_factory=RowFills)  # row 0-based -> ARGB fill

    def parts(self) -> list["SheetPlan"]:
        """The worksheets the sheet is written as: itself when Excel holds it whole, else
        parts of :data:`~workbook_templates.continued_sheets.PART_ROWS` rows each, named
        "Đăng ký", "Đăng ký (2)" …, the totals on the last."""
        size = continued_sheets.PART_ROWS
        if len(self.rows) <= size:
            return [self]
        return [self._part(n, start, min(start + size, len(self.rows)))
                for n, start in enumerate(range(0, len(self.rows), size), 1)]

    def _part(self, n: int, start: int, stop: int) -> "SheetPlan":
        last = stop == len(self.rows)
        part = SheetPlan(continued_sheets.part_name(self.name, n), self.fields,
                         id_field=self.id_field, review_fields=self.review_fields,
                         total_row=self.total_row if last else None,
                         row_fills=RowFills((r - start, f) for r, f in self.row_fills.items()
                                            if start <= r < stop))
        if isinstance(self.rows, RowStore):
            window = self.rows.window(start, stop)
            part.rows, part.links = window, window.links
        else:
            part.rows = self.rows[start:stop]
            part.links = {(r - start, c): t for (r, c), t in self.links.items()
                          if start <= r < stop}
        return part

    def on_disk(self, store: RowStore) -> "SheetPlan":
        """The plan with its rows (and their links) kept in ``store`` instead of memory."""
        self.rows, self.links = store, store.links
        return self

    def add(self, values: list[Any], links: dict[int, str] | None = None) -> None:
        """Append a row, with the targets of its linked cells (column -> target)."""
        if isinstance(self.rows, RowStore):
            self.rows.append(values, (links or {}).items())
            return
        self.rows.append(values)
        for col, target in (links or {}).items():
            self.links[(len(self.rows) - 1, col)] = target

    def linked_rows(self) -> Iterator[tuple[list[Any], dict[int, str]]]:
        """Each row with the targets of its linked cells (column -> target), in one pass."""
        if isinstance(self.rows, (RowStore, RowWindow)):
            for values, links in self.rows.records():
                yield values, dict(links)
            return
        by_row: dict[int, dict[int, str]] = {}
        for (r, c), target in self.links.items():
            by_row.setdefault(r, {})[c] = target
        for r, values in enumerate(self.rows):
            yield values, by_row.get(r, {})

    @property
    def header(self) -> list[str]:
        return [f.title for f in self.fields]

    def print_setup(self) -> PrintSetup:
        """What of the sheet prints: its table, or nothing when it has no rows."""
        return table_print(len(self.fields), len(self.rows), int(self.total_row is not None))

    def column(self, key: str) -> int:
        for i, f in enumerate(self.fields):
            if f.key == key:
                return i
        raise KeyError(f"{self.name}: no column {key!r}")


@dataclass
class ChartPlan:
    """A native bar chart of one sheet's columns, on its own sheet."""

    name: str
    source_sheet: str
    category_column: int  # 0-based column of the categories (unit names)
    value_columns: list[int]  # 0-based columns of the series
    first_row: int  # 1-based first data row on the source sheet
    last_row: int
    title: str = ""
    y_title: str = ""
