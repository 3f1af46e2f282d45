"""The open findings of a consolidated row, as the clerk reads them in its Cảnh báo column:
code and short reason naming the other party ("X01 trùng với LD08, dòng 12"), and the
colour the row is highlighted in."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from workbook_templates.messages import Msg, Problem, Severity

# Fills (ARGB) of highlighted rows, and of the submission status of a unit.
ERROR_FILL = "FFFFC7CE"
WARNING_FILL = "FFFFEB9C"
OK_FILL = "FFC6EFCE"
MISSING_FILL = "FFD9D9D9"
SEVERITY_FILL = {Severity.ERROR: ERROR_FILL, Severity.WARNING: WARNING_FILL}
FLAG_SEPARATOR = "; "
Where = dict[tuple[str, str, int], "int | str"]  # origin -> its row, as a flag names it


@dataclass
class RowFlags:
    """The findings of one row of a consolidated sheet."""

    problems: list[Problem] = field(default_factory=list)

    def text(self, rows: Where) -> str:
        """Code and short reason of each, the other party named by its row on this sheet
        (``rows``: (file, sheet, row in the unit's file) -> row of the consolidated sheet)."""
        return FLAG_SEPARATOR.join(flag_text(p, rows) for p in self.problems)

    @property
    def fill(self) -> str | None:
        worst = min((p.severity for p in self.problems), key=_rank, default=None)
        return SEVERITY_FILL.get(worst)


def _rank(severity: Severity) -> int:
    return 0 if severity is Severity.ERROR else 1


def flags_by_row(problems: list[Problem]) -> dict[tuple[str, str, int], RowFlags]:
    """Errors, then warnings, by (file, sheet, Excel row) of the unit's file; a problem
    about several rows (a quota) is on each of them (``extra["rows"]``)."""
    found: dict[tuple[str, str, int], RowFlags] = defaultdict(RowFlags)
    for p in problems:
        if p.severity is Severity.INFO or not p.sheet:
            continue
        rows = p.extra.get("rows") or ([row_number(p.cell)] if row_number(p.cell) else [])
        for n in rows:
            found[(p.file, p.sheet, n)].problems.append(p)
    for flags in found.values():  # errors first: the row's link goes to its worst finding
        flags.problems.sort(key=lambda p: _rank(p.severity))
    return found


def flag_text(p: Problem, rows: Where | None = None) -> str:
    """Code and short reason of one finding."""
    short = _SHORT.get(p.msg)
    return f"{p.code} {short(p, rows or {}) if short else p.text}"


def row_number(cell: str) -> int:
    digits = "".join(c for c in cell or "" if c.isdigit())
    return int(digits) if digits else 0


def _others(p: Problem, rows: Where) -> str:
    """The other rows of a duplicate: unit and row on the consolidated sheet (or the row of
    the unit's file when that row is not on it)."""
    return FLAG_SEPARATOR.join(
        f"{unit}, dòng {rows[(file, p.sheet, n)]}" if (file, p.sheet, n) in rows
        else f"{unit}, {file} dòng {n}" for unit, file, n in p.extra.get("others", ()))


_SHORT = {
    Msg.DUPLICATE_PERSON: lambda p, rows: f"trùng với {_others(p, rows) or p.expected}",
    Msg.DUPLICATE_COLLECTIVE: lambda p, rows: f"trùng với {_others(p, rows) or p.expected}",
    Msg.QUOTA_EXCEEDED: lambda p, rows: (f"vượt số lượng {p.expected} {p.field} của "
                                         f"{p.extra.get('unit_type') or 'loại đơn vị này'}"
                                         f" ({p.value} đề nghị)"),
    Msg.ALREADY_AWARDED: lambda p, rows: f"đã được {p.field}, {p.detail}",
    Msg.NAME_WITHOUT_DIACRITICS: lambda p, rows: (f"viết không dấu, có thể là “{p.expected}”"
                                                  f" ({_others(p, rows)})"),
}
