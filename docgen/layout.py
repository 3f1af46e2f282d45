"""How wide text prints in Times New Roman (or its metric twin Liberation Serif), so table
columns and certificate lines are sized from what they hold.

Widths are upper bounds from the font's advance widths (in ems), rounded up per class of
letter: a column sized from them never breaks a number, a date or a word inside it.
"""
from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

TWIPS_PER_PT = 20
CELL_MARGINS_TWIPS = 2 * 108 + 60  # Word's default left and right cell margins, and slack
# A text column whose widest cell needs at most this share of its template width is widened
# to hold each cell on one line (a status, a short unit name) ...
SHORT_TEXT_SHARE = 1.6
# ... as long as the other text columns keep this share of their template width.
KEEP_SHARE = 0.85
_NARROW = set(".,:;'!|ijlI")
_HALF = set("0123456789abcdeghknopqsuvxyz?$*#&+=<>_~")
_WIDE_LOWER = set("mw")
_WIDE_UPPER = set("MW")
_THIRD = set("-()[]frt/\"`")


@lru_cache(maxsize=4096)
def _em(ch: str, bold: bool) -> float:
    base = unicodedata.normalize("NFD", ch)[0] if ch else ch
    if base == "đ":
        base = "d"
    elif base == "Đ":
        base = "D"
    if base.isspace():
        return 0.25
    if base in _NARROW:
        return 0.28 if not bold else 0.33
    if base in _THIRD:
        return 0.34 if not bold else 0.45
    if base in _HALF:
        return 0.5 if not bold else 0.56
    if base in _WIDE_LOWER:
        return 0.78 if not bold else 0.84
    if base in _WIDE_UPPER:
        return 0.95 if not bold else 1.0
    if base.isupper():
        return 0.73 if not bold else 0.78
    return 0.56 if not bold else 0.6


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """The printed width of ``text`` on one line, in points (an upper bound)."""
    return sum(_em(ch, bold) for ch in text) * size_pt


@lru_cache(maxsize=65536)
def line_twips(text: str, size_pt: float, bold: bool = False) -> int:
    """The width a table cell needs to hold ``text`` on one line (margins included)."""
    return math.ceil(text_width_pt(" ".join(text.split()), size_pt, bold) * TWIPS_PER_PT) + \
        CELL_MARGINS_TWIPS


@lru_cache(maxsize=65536)
def widest_word_twips(text: str, size_pt: float, bold: bool = False) -> int:
    """The width a table cell needs so no word of ``text`` breaks inside (margins included)."""
    words = text.split()
    if not words:
        return 0
    widest = max(text_width_pt(w, size_pt, bold) for w in words)
    return math.ceil(widest * TWIPS_PER_PT) + CELL_MARGINS_TWIPS


def fit_columns(grid: list[int], needs: list[int], tight: list[bool],
                lines: list[int] | None = None) -> list[int]:
    """Column widths of the same total as ``grid``: a ``tight`` column as wide as it
    ``needs``, the others sharing what is left in proportion to ``grid``, each at least what
    it needs (when the needs exceed the total, every column shrinks alike). ``lines``: each
    column's widest cell on one line; a short text column is widened to it (so it does not
    wrap) while the other text columns keep most of their template width."""
    total = sum(grid)
    if sum(needs) >= total:  # the content cannot fit: every column shrinks alike
        widths = [n * total // max(sum(needs), 1) for n in needs]
        widths[-1] += total - sum(widths)
        return widths
    needs, tight = list(needs), list(tight)
    for k in sorted((k for k in range(len(grid)) if lines and not tight[k]
                     and lines[k] <= SHORT_TEXT_SHARE * grid[k]),
                    key=lambda k: lines[k] - grid[k]):  # those that fit already first
        trial = [max(n, lines[k]) if j == k else n for j, n in enumerate(needs)]
        rest = total - sum(n for j, n in enumerate(trial) if tight[j] or j == k)
        others = [j for j in range(len(grid)) if not tight[j] and j != k]
        if rest >= KEEP_SHARE * sum(grid[j] for j in others) and \
                rest >= sum(trial[j] for j in others):
            needs, tight[k] = trial, True
    return _share(grid, needs, tight)


def _share(grid: list[int], needs: list[int], tight: list[bool]) -> list[int]:
    total = sum(grid)
    widths = [n if t else 0 for n, t in zip(needs, tight)]
    loose = [k for k, t in enumerate(tight) if not t]
    if not loose:  # nothing to share the rest: it goes to the columns alike
        loose, widths = list(range(len(grid))), [0] * len(grid)
    fixed = [k for k in range(len(grid)) if k not in loose]
    while True:  # give each loose column its share; a share below its need is raised to it
        left = total - sum(widths[k] for k in fixed)
        weight = sum(grid[k] for k in loose) or 1
        short = [k for k in loose if left * grid[k] // weight < needs[k]]
        if not short or len(short) == len(loose):
            break
        for k in short:
            widths[k] = needs[k]
        fixed += short
        loose = [k for k in loose if k not in short]
    for k in loose:
        widths[k] = left * grid[k] // weight
    widest = max(range(len(widths)), key=lambda k: widths[k] - needs[k])
    widths[widest] += total - sum(widths)
    return widths


def lines_needed(text: str, size_pt: float, width_pt: float, bold: bool = False) -> int:
    """How many lines ``text`` takes wrapped at word boundaries in ``width_pt``."""
    lines, used = 1, 0.0
    space = text_width_pt(" ", size_pt, bold)
    for word in text.split():
        w = text_width_pt(word, size_pt, bold)
        if used and used + space + w > width_pt:
            lines += 1
            used = w
        else:
            used += (space if used else 0) + w
    return lines
