"""The clerk's review columns (Duyệt, Hình thức được khen, Ghi chú, Đã xem xét) read from the
control workbook, and kept for the same nominations by the next Consolidate.

A unit that re-sends its file reorders rows, inserts one above, corrects a year of birth or
the proposed form, fixes a name's spacing, case or diacritics: the nomination's id changes
with some of these. A review is therefore matched to the new row by its id first, then by
unit + normalised name, then by unit + name without diacritics. A review that matches no row
is listed for the clerk (X06) and kept in the register, never dropped silently.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from python_calamine import CalamineWorkbook

from workbook_templates.continued_sheets import joined_rows
from workbook_templates.forms import (
    ASSESSED_NOTE, ASSESSED_TOTAL, CONSOLIDATED_SHEET, NOMINATION_FORMS, NOMINATION_ID,
    OUTSTANDING, REVIEW_FIELDS, SOURCE_FIELDS, ALL_UNIT_FORMS, DELEGATE_REVIEW_FIELDS, Form,
    assessed_field, consolidated_fields, review_fields)
from workbook_templates.identity import bare_key, name_key
from workbook_templates.messages import Msg, Problem
from workbook_templates.vntext import repair


@dataclass
class KeptReview:
    """One reviewed row of a nomination sheet: what the clerk entered, and the row it was on
    (every column, by field key)."""

    nomination_id: str
    row: dict[str, Any]
    values: dict[str, Any]  # review field key -> value

    @property
    def unit_code(self) -> str:
        return str(self.row.get("ma_don_vi") or "").strip()

    @property
    def name(self) -> str:
        return str(self.row.get("ho_ten") or self.row.get("ten_tap_the") or "")

    @property
    def shown(self) -> str:
        """Unit, id and what the clerk entered, as the clerk reads it."""
        v = self.values
        parts = [self.unit_code, f"mã {self.nomination_id}"]
        parts += [f"{title}: {v[key]}" for key, title in _REVIEW_LABELS if v.get(key)]
        return ", ".join(parts)


Reviews = dict[str, list[KeptReview]]  # nomination sheet name -> reviewed rows
_REVIEW_LABELS = tuple((f.key, f.title) for f in (*REVIEW_FIELDS, *DELEGATE_REVIEW_FIELDS))
_NAME_KEYS = (name_key, bare_key)  # how a review is looked for when its id is gone


def reviews_from_rows(rows: list[list[Any]], form: Form | None = None) -> list[KeptReview]:
    """Every nomination row of one sheet's rows (header first), columns found by title; a
    row not reviewed yet has no values (its id still tells that the row was there). Shared
    by the file reader here and the live-workbook reader of the add-in. ``form``: the form
    of the sheet when it is not a nomination sheet (issue 15: *Điển hình*)."""
    if not rows:
        return []
    header = [str(h or "").strip() for h in rows[0]]
    if NOMINATION_ID.title not in header:
        return []
    forms = (form,) if form is not None else NOMINATION_FORMS
    kept = review_fields(form) if form is not None else REVIEW_FIELDS
    fields = {f.key: f for form in forms for f in consolidated_fields(form)}
    cols = {key: header.index(f.title) for key, f in fields.items() if f.title in header}
    review_cols = {f.key: cols[f.key] for f in kept if f.key in cols}
    id_col = cols[NOMINATION_ID.key]
    found = []
    for raw in rows[1:]:
        if id_col >= len(raw) or raw[id_col] in ("", None):
            continue
        values = {k: raw[c] for k, c in review_cols.items()
                  if c < len(raw) and raw[c] not in ("", None)}
        row = {k: raw[c] for k, c in cols.items()
               if c < len(raw) and raw[c] not in ("", None)} if values else {}
        found.append(KeptReview(str(raw[id_col]).strip(), row, values))
    return found


_ASSESSED_PREFIX = assessed_field(1, "").title.strip()  # "Thẩm định"
_ASSESSED_TITLES = {ASSESSED_TOTAL.title, ASSESSED_NOTE.title}


def assessments_from_rows(rows: list[list[Any]]) -> list[KeptReview]:
    """The federation's columns of a scoring sheet (*Chấm điểm*, issue 14), one per unit
    code; values by column title, as the sheet's sections are the campaign's."""
    if not rows:
        return []
    header = [str(h or "").strip() for h in rows[0]]
    code_title = SOURCE_FIELDS[0].title
    if code_title not in header:
        return []
    id_col = header.index(code_title)
    review_cols = {t: c for c, t in enumerate(header)
                   if t in _ASSESSED_TITLES or t.startswith(_ASSESSED_PREFIX + " ")}
    found = []
    for raw in rows[1:]:
        if id_col >= len(raw) or raw[id_col] in ("", None):
            continue
        code = str(raw[id_col]).strip()
        values = {t: raw[c] for t, c in review_cols.items()
                  if c < len(raw) and raw[c] not in ("", None)}
        found.append(KeptReview(code, {"ma_don_vi": code} if values else {}, values))
    return found


# Every sheet whose review columns are kept, and how its rows are read.
REVIEWED_SHEETS = {
    **{CONSOLIDATED_SHEET[f.key]: reviews_from_rows for f in NOMINATION_FORMS},
    CONSOLIDATED_SHEET[OUTSTANDING.key]: lambda rows: reviews_from_rows(rows, OUTSTANDING),
    **{CONSOLIDATED_SHEET[f.key]: assessments_from_rows for f in ALL_UNIT_FORMS if f.scoring},
}


def read_reviews(path: Path) -> Reviews:
    """What the clerk entered in the review columns of every reviewed sheet."""
    if not path.exists():
        return {}
    book = CalamineWorkbook.from_path(str(path))
    return reviews_of_sheets(book.sheet_names,
                             lambda name: book.get_sheet_by_name(name).to_python())


def reviews_of_sheets(names: list[str], rows_of: Callable[[str], list[list[Any]]]) -> Reviews:
    """The kept columns of every reviewed sheet among ``names`` (``rows_of`` gives a sheet's
    rows): the nomination sheets, *Điển hình* and the scoring sheets, each joined to its
    continuation sheets."""
    found = {name: joined_rows(name, names, rows_of) for name in REVIEWED_SHEETS}
    return {name: parse(found[name]) for name, parse in REVIEWED_SHEETS.items()
            if found[name] is not None}


class ReviewKeeper:
    """Hands each new row the review that belongs to it, each review at most once."""

    def __init__(self, reviews: Reviews):
        self._sheets = {sheet: _SheetReviews(kept) for sheet, kept in reviews.items()}

    def reserve(self, sheet: str, nomination_ids: Iterable[str]) -> None:
        """The ids of the new rows of ``sheet``, before any is claimed: a row that was
        already there keeps its own review, never another row's. ``nomination_ids`` is not
        read at all when the clerk reviewed no row of ``sheet``."""
        found = self._sheets.get(sheet)
        if found:
            found.reserve(nomination_ids)

    def claim(self, sheet: str, nomination_id: str, unit_code: str, name: Any,
              proposed: Any = None) -> dict[str, Any]:
        """The review values for the new row (empty when there is none)."""
        found = self._sheets.get(sheet)
        return found.claim(nomination_id, unit_code, name, proposed) if found else {}

    def unmatched(self) -> list[tuple[str, KeptReview]]:
        """(sheet, review) of every review no new row claimed."""
        return [(sheet, r) for sheet, s in self._sheets.items() for r in s.left()]

    def problems(self) -> list[Problem]:
        """One X06 per review no row claimed, for the Lỗi sheet."""
        return [Problem(Msg.REVIEW_NOT_MATCHED, unit=r.unit_code, sheet=sheet, value=r.name,
                        detail=r.shown) for sheet, r in self.unmatched()]


class _SheetReviews:
    def __init__(self, kept: list[KeptReview]):
        self._kept = kept
        self._open = {id(r) for r in kept}
        self._by_id = {r.nomination_id: r for r in kept}
        self.reserved: set[str] = set()
        self._reviewed = any(r.values for r in kept)  # else no row has a review to take
        # Reviewed rows by (unit, normalised name), then by (unit, name without diacritics).
        self._by_name: tuple[dict[tuple[str, str], list[KeptReview]], ...] = (
            defaultdict(list), defaultdict(list))
        for r in (r for r in kept if r.values):
            for keys, key_of in zip(self._by_name, _NAME_KEYS):
                for name in _readings(r.name):
                    keys[(r.unit_code, key_of(name))].append(r)

    def reserve(self, nomination_ids: Iterable[str]) -> None:
        """Only the ids that are a kept review's are held: the other new rows can take no
        review by id."""
        if self._reviewed:
            self.reserved = {nid for nid in nomination_ids if nid in self._by_id}

    def claim(self, nid: str, unit: str, name: Any, proposed: Any) -> dict[str, Any]:
        if not self._reviewed:
            return {}
        review = self._by_id.get(nid)
        if review is not None and id(review) not in self._open:
            review = None
        for keys, key_of in zip(self._by_name, _NAME_KEYS):
            if review is not None:
                break
            review = self._by_key(keys.get((unit, key_of(name)), ()), proposed)
        if review is None:
            return {}
        self._open.discard(id(review))
        return dict(review.values)

    def _by_key(self, candidates: list[KeptReview], proposed: Any) -> KeptReview | None:
        open_ = [r for r in candidates
                 if id(r) in self._open and r.nomination_id not in self.reserved]
        if not open_:
            return None
        same_form = [r for r in open_ if name_key(r.row.get("hinh_thuc")) == name_key(proposed)]
        return (same_form or open_)[0]

    def left(self) -> list[KeptReview]:
        """The reviews no row claimed (rows never reviewed are not listed)."""
        return [r for r in self._kept if id(r) in self._open and r.values]


def _readings(name: str) -> list[str]:
    """A reviewed name as the sheet holds it and as the reader now reads it: a name an
    earlier version left in TCVN3 or VNI ("§inh BÝch Nga") comes back in Unicode."""
    return list(dict.fromkeys((name, repair(name).text)))

