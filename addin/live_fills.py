"""Row fills of the live writer as conditional formats keyed on a column, so that the calls
into Excel do not grow with the rows: one sheet-level name holding the first word of the
key column's cell in the formatted row, and one rule per fill colour that compares it with
the words keying that colour (the status of *Tình hình nộp*, the first code of a row's
*Cảnh báo*, the severity of *Kiểm tra trước khi in*).

The key column is found in the data, not declared: the column whose cells' first word tells
every row's fill (and no fill for a row without one). The rule formulas hold no comma and
no cell reference: Excel reads a conditional format's formula in the clerk's own list
separator and relative to the active cell, the name's formula in English.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from workbook_templates.print_layout import sheet_ref

from .xlsx_package import col_letter

KEY_NAME = "ThiDua_MauDong"  # sheet-level name: the first word of the key cell of the row
MAX_KEYS = 12  # words keying one fill colour at most, so that its rule stays short
MAX_WORD = 60  # characters of a key word at most


@dataclass
class FillRules:
    """The key column (0-based) and, by ARGB fill, the first words that key it."""

    column: int
    words: dict[str, list[str]]

    def name_formula(self, sheet: str) -> str:
        """The name's formula: the first word of the key cell in the row it is read from."""
        letter = col_letter(self.column + 1)
        cell = f"INDEX({sheet_ref(sheet, f'${letter}:${letter}')},ROW())"
        return f'=LEFT({cell}&" ",FIND(" ",{cell}&" ")-1)'

    def rules(self) -> list[tuple[str, str]]:
        """(formula, "#RRGGBB") of each fill colour's conditional format."""
        out = []
        for fill, words in self.words.items():
            tests = [f'{KEY_NAME}="{w.replace(chr(34), chr(34) * 2)}"' for w in words]
            formula = tests[0] if len(tests) == 1 else "+".join(f"({t})" for t in tests)
            out.append(("=" + formula, "#" + fill[-6:]))
        return out


def fill_rules(rows: list[list[Any]], fills: dict[int, str]) -> FillRules | None:
    """The rules that fill ``rows`` as ``fills`` (row 0-based -> ARGB) says, keyed on the
    column with the fewest words keying a fill, then the fewest words in all, then the
    rightmost (the columns a run derives, status and flags, follow those the units sent);
    None when no column tells the fills."""
    best, best_score = None, None
    width = max((len(r) for r in rows), default=0)
    for col in range(width):
        found = _words(rows, fills, col)
        if found is None:
            continue
        words, seen = found
        score = (sum(len(w) for w in words.values()), seen, -col)
        if best_score is None or score < best_score:
            best, best_score = FillRules(col, words), score
    return best


def _words(rows: Iterable[list[Any]], fills: dict[int, str], col: int
           ) -> tuple[dict[str, list[str]], int] | None:
    """By fill, the first words of column ``col`` that key it, and the number of its
    distinct first words, when every row's first word tells its fill (Excel compares text
    ignoring case: so does this); else None."""
    seen: dict[str, str | None] = {}  # folded first word -> fill (None: not filled)
    written: dict[str, str] = {}  # folded -> as written
    per_fill: dict[str, int] = {}  # words keying each fill so far
    for r, row in enumerate(rows):
        value = row[col] if col < len(row) else None
        fill = fills.get(r)
        if value is None or value == "":
            if fill:
                return None
            continue
        if type(value) is not str:  # a number, date or formula: not a key
            return None
        word = value.split(" ", 1)[0]
        folded = word.casefold()
        if folded in seen:
            if seen[folded] != fill:
                return None
            continue
        if fill:
            per_fill[fill] = per_fill.get(fill, 0) + 1
            if not 0 < len(word) <= MAX_WORD or per_fill[fill] > MAX_KEYS:
                return None
        seen[folded], written[folded] = fill, word
    by_fill: dict[str, list[str]] = {}
    for folded, fill in seen.items():
        if fill:
            by_fill.setdefault(fill, []).append(written[folded])
    return (by_fill, len(seen)) if by_fill else None
