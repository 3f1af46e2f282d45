"""Typed records read back from a unit workbook, every value with its sheet and cell.

Callers of the reader see these objects, never calamine rows (as python-docx callers see
paragraphs, never XML).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .messages import Problem


@dataclass(slots=True)
class Value:
    """One cell as read: the typed value, what was in the cell, and where it was."""

    value: Any  # str | int | float | date | None, typed by the field
    raw: Any  # what the cell held before parsing
    sheet: str
    cell: str  # "B7"
    ok: bool = True  # False when the value could not be taken (the problem says why)

    def __reduce__(self):
        """Pickled by the reading processes: a plain constructor call is about twice as fast
        as the slotted dataclass's own state functions."""
        return Value, (self.value, self.raw, self.sheet, self.cell, self.ok)

    @property
    def empty(self) -> bool:
        return self.value is None or self.value == ""


@dataclass(slots=True)
class Row:
    """One row of a FIXED or TABLE form, keyed by field key."""

    form: str
    number: int  # the Excel row number
    values: dict[str, Value]

    def __reduce__(self):
        return Row, (self.form, self.number, self.values)

    def get(self, key: str) -> Any:
        v = self.values.get(key)
        return None if v is None else v.value

    def cell(self, key: str) -> str:
        v = self.values.get(key)
        return "" if v is None else v.cell


@dataclass(slots=True)
class Meta:
    """What the hidden meta sheet says about the workbook."""

    form_id: str = ""
    version: str = ""
    unit_code: str = ""
    phase: int | None = None
    year: int | None = None
    generated: datetime | None = None
    present: bool = False


@dataclass(slots=True)
class UnitReturn:
    """A returned unit workbook, read and typed but not yet checked across files."""

    path: Path | None  # None in a light head: the outcome that holds it has the path
    meta: Meta
    info: dict[str, Value]  # Thông tin, by field key
    tables: dict[str, list[Row]]  # form key -> rows (FIXED and TABLE forms)
    free_text: dict[str, Value] = field(default_factory=dict)  # form key -> free text cell
    totals: dict[str, Value] = field(default_factory=dict)  # scoring form key -> unit's total
    problems: list[Problem] = field(default_factory=list)
    received: datetime | None = None  # the file's modification time

    def info_value(self, key: str) -> Any:
        v = self.info.get(key)
        return None if v is None else v.value

    @property
    def unit_code(self) -> str:
        return self.meta.unit_code or str(self.info_value("ma_don_vi") or "")

    @property
    def report_date(self) -> date | None:
        d = self.info_value("ngay_bao_cao")
        return d if isinstance(d, date) else None
