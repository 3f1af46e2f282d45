"""The register's history shown to the clerk: the *Lịch sử* sheet and the command line."""
from __future__ import annotations

from typing import Any, Sequence

from workbook_templates.forms import HISTORY_FIELDS, NO, YES, ControlSheet
from workbook_templates.messages import Msg, Problem

from ..sheet_plan import SheetPlan
from .records import HistoryRow

_CLI_MAX_WIDTH = 40  # a longer cell is cut with "…" on the command line


def history_plan(rows: Sequence[HistoryRow]) -> SheetPlan:
    """The *Lịch sử* sheet of the control workbook, one row per nomination."""
    return SheetPlan(name=ControlSheet.HISTORY, fields=HISTORY_FIELDS,
                     rows=[_cells(r) for r in rows], id_field="ma_de_nghi")


def format_history(rows: Sequence[HistoryRow], *, person: str | None = None,
                   unit: str | None = None) -> str:
    """The history as an aligned text table; when nothing matched, the H01 message naming
    what was searched for."""
    if not rows:
        asked = [(_title("ten"), person), (_title("ma_don_vi"), unit)]
        detail = "; ".join(f"{title[0].lower()}{title[1:]} “{value}”"
                           for title, value in asked if value)
        return Problem(Msg.HISTORY_EMPTY, detail=detail or ControlSheet.HISTORY).text
    table = [[f.title for f in HISTORY_FIELDS]]
    table += [[_text(c) for c in _cells(r)] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HISTORY_FIELDS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip()
             for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cells(r: HistoryRow) -> list[Any]:
    approved = "" if r.approved is None else (YES if r.approved else NO)
    return [r.year, r.phase, r.unit_code, r.nomination_id, r.target, r.name, r.birth_year,
            r.proposed_form, approved, r.awarded_form, "; ".join(r.documents)]


def _title(key: str) -> str:
    return next(f.title for f in HISTORY_FIELDS if f.key == key)


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= _CLI_MAX_WIDTH else text[:_CLI_MAX_WIDTH - 1] + "…"
