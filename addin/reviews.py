"""The clerk's review columns (Duyệt, Hình thức được khen, Ghi chú) read from the control
workbook file, so a new Consolidate writes them back next to the same nominations."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from workbook_templates.forms import (
    CONSOLIDATED_SHEET, NOMINATION_FORMS, NOMINATION_ID, REVIEW_FIELDS)

Reviews = dict[str, dict[str, dict[str, Any]]]  # sheet -> nomination id -> field key -> value


def reviews_from_rows(rows: list[list[Any]]) -> dict[str, dict[str, Any]]:
    """Review values by nomination id, from one sheet's rows (header first). Shared by the
    file reader here and the live-workbook reader of the add-in."""
    if not rows:
        return {}
    header = [str(h or "").strip() for h in rows[0]]
    if NOMINATION_ID.title not in header:
        return {}
    id_col = header.index(NOMINATION_ID.title)
    cols = {f.key: header.index(f.title) for f in REVIEW_FIELDS if f.title in header}
    found: dict[str, dict[str, Any]] = {}
    for row in rows[1:]:
        if id_col >= len(row) or not row[id_col]:
            continue
        values = {k: row[c] for k, c in cols.items() if c < len(row) and row[c] not in ("", None)}
        if values:
            found[str(row[id_col]).strip()] = values
    return found


def read_reviews(path: Path) -> Reviews:
    """What the clerk entered in the review columns of every nomination sheet."""
    if not path.exists():
        return {}
    book = CalamineWorkbook.from_path(str(path))
    reviews: Reviews = {}
    for form in NOMINATION_FORMS:
        name = CONSOLIDATED_SHEET[form.key]
        if name in book.sheet_names:
            reviews[name] = reviews_from_rows(book.get_sheet_by_name(name).to_python())
    return reviews
