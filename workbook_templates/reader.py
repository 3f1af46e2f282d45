"""Read a returned unit workbook (xlsx, xlsm, xls, xlsb, ods) into typed records.

One pass per sheet with python-calamine (cached values of formulas), tolerant of what units
do to a template: renamed or reordered sheets and columns, extra columns, merged cells,
numbers and dates typed as text, TCVN3/VNI text (decided by the cells' fonts, their content
and the file's other cells in the same font), Excel error values and formulas saved without a
value. Every value keeps the address of its cell in the unit's file. The reader parses types
only; the checker applies the forms' rules. The file is never written. What the file is, its
decryption, its bounds and which reader reads it (calamine, or a second reader when calamine
refuses it) are ``opening.py``'s.
"""
from __future__ import annotations

import difflib
import functools
import operator
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from python_calamine import CalamineWorkbook

from .campaign import Campaign
from .cell_fonts import open_fonts, sheet_members
from .forms import (
    ALL_UNIT_FORMS, HEADER_ROW, META_KEYS, META_SHEET, YES_NO, Field, FieldType, Form, Layout,
    forms_of_phase, row_value,
)
from .messages import Msg, Problem
from .opening import LIMITS, ReadFailure, open_source, technical
from .records import Meta, Row, UnitReturn, Value
from .second_readers import SheetTooLarge
from .values import Font, cell_text, is_blank, parse, parse_date, parse_integer
from .vntext import Encoding, Hint, Repair, fold, normalize_text, settle

_HEADER_SCAN_ROWS = 15  # rows searched for a table's header
_FREE_TEXT_SEARCH_ROWS = 10  # rows below a free-text label searched for its text
_FUZZY_RATIO = 0.85  # least similarity of a renamed column title to its form title

# Fields whose legacy text the reader converts by the evidence of fonts and of the file
# (choices are matched, legacy forms included, by values.match_choice).
_TEXT_TYPES = (FieldType.TEXT, FieldType.LONGTEXT)
_CONVERTED = {Encoding.TCVN3: Msg.CONVERTED_TCVN3, Encoding.VNI: Msg.CONVERTED_VNI}
# Said once the whole file is read: conversions in one note per encoding, undecided cells
# only if the file's evidence did not decide them.
_DECIDED_BY_FILE = (Msg.CONVERTED_TCVN3, Msg.CONVERTED_VNI, Msg.LEGACY_UNDECIDED)
_ALONE = "alone"  # the group of cells decided by themselves (rich text, choices)
_LISTED_CELLS = 60  # cells named in a conversion note; the rest are counted


def _cell_list(values: list[Value]) -> str:
    """“Khen cá nhân: C5 “NguyÔn” → “Nguyễn”, C6 …; Thông tin: B11 …”, cut after
    ``_LISTED_CELLS`` cells."""
    parts: dict[str, list[str]] = {}
    for v in values[:_LISTED_CELLS]:
        parts.setdefault(v.sheet, []).append(f"{v.cell} “{_cut(v.raw)}” → “{_cut(v.value)}”")
    text = "; ".join(f"{sheet}: {', '.join(cells)}" for sheet, cells in parts.items())
    if len(values) > _LISTED_CELLS:
        text += f"; và {len(values) - _LISTED_CELLS} ô khác"
    return text


def _cut(value: Any, length: int = 40) -> str:
    """A value quoted in a note, cut to ``length`` characters with "…" when longer."""
    text = str(value)
    return text if len(text) <= length else text[:length - 1] + "…"


def _by_position(value: Value) -> tuple[str, int, str, int]:
    """Sheet, then column, then row: B5, B6, B10, C5 (not B10 before B5)."""
    letters, row = re.fullmatch(r"([A-Z]+)(\d+)", value.cell).groups()
    return value.sheet, len(letters), letters, int(row)


def read_return(path: Path | str, campaign: Campaign,
                 forms: Iterable[Form] = ALL_UNIT_FORMS) -> UnitReturn:
    """Read the unit workbook at ``path``; raise :class:`ReadFailure` when it cannot be read
    at all (empty, encrypted, too large, corrupt, not one of our forms). Each reader of
    :func:`open_source` is tried in turn; what the first one could not read is noted."""
    path = Path(path)
    forms = tuple(forms)
    with open_source(path, campaign) as source:
        first: BaseException | None = None
        for reader in source.readers:
            try:
                ret = _Reader(path, campaign, forms, reader.open(), source.package).read()
            except (ReadFailure, KeyboardInterrupt, SystemExit):
                raise
            except MemoryError:
                raise ReadFailure(Problem(Msg.FILE_OUT_OF_MEMORY, file=path.name)) from None
            except SheetTooLarge as big:
                raise ReadFailure(Problem(Msg.SHEET_TOO_FAR, file=path.name, sheet=big.sheet,
                                          cell=big.cell, expected=LIMITS)) from None
            except BaseException as exc:  # noqa: BLE001 — a Rust panic is a BaseException
                first = first or exc
                continue
            why = reader.why(first) if callable(reader.why) else reader.why
            if why:
                source.notes.append(Problem(Msg.FILE_SECOND_READER, file=path.name, detail=why,
                                            technical=technical(first) if first else ""))
            ret.problems[:0] = source.notes
            return ret
        raise ReadFailure(Problem(Msg.FILE_CORRUPT, file=path.name,
                                  technical=technical(first) if first else ""))


# --- helpers ------------------------------------------------------------------------------

def col_letter(col: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@functools.lru_cache(maxsize=1 << 16)
def cell_ref(row: int, col: int) -> str:
    """0-based row and column -> "B7" (one string object per cell address, shared by every
    value read from that address)."""
    return f"{col_letter(col)}{row + 1}"


_PUNCT = re.compile(r"[\s\W_]+")
_PARENS = re.compile(r"\([^)]*\)|\*")


@functools.lru_cache(maxsize=8192)
def title_key(text: Any) -> str:
    """A title compared as people mean it: no case, diacritics, spaces or punctuation."""
    return _PUNCT.sub("", fold(text))


@functools.lru_cache(maxsize=8192)
def _loose_key(text: Any) -> str:
    """A title key without parenthesised parts ("Giá trị (đồng)" ~ "Giá trị")."""
    return title_key(_PARENS.sub(" ", normalize_text(text)))


def _match_titles(text: str, fields: list[Field], fuzzy: bool = True
                  ) -> tuple[Field | None, bool]:
    """The field whose title ``text`` names, and whether it was named exactly. ``fuzzy``
    also accepts a title spelt slightly differently (column headers)."""
    norm = normalize_text(text)
    for f in fields:
        if f.title == norm:
            return f, True
    key = title_key(norm)
    for f in fields:
        if title_key(f.title) == key:
            return f, False
    loose = _loose_key(norm)
    found = [f for f in fields if loose and _loose_key(f.title) == loose]
    if len(found) == 1:
        return found[0], False
    if not fuzzy:
        return None, False
    best, best_ratio = None, 0.0
    for f in fields:
        ratio = difflib.SequenceMatcher(None, key, title_key(f.title)).ratio()
        if ratio > best_ratio:
            best, best_ratio = f, ratio
    if best is not None and best_ratio >= _FUZZY_RATIO:
        return best, False
    return None, False


# --- a form's header, read once per distinct header ------------------------------------------

_REMEMBERED: dict[tuple, tuple[Form, Any]] = {}
_REMEMBERED_MAX = 256  # forgotten all at once when full (a worker reads files for hours)


def _remembered(compute: Callable[..., Any], form: Form, key: Callable[[], tuple],
                *args: Any) -> Any:
    """``compute(form, *args)``, remembered for ``form`` and what ``key()`` says of the cells
    it reads: the template's header comes back in every file. What cannot be a key is
    computed each time."""
    try:
        known_key = (compute, id(form), key())
        known = _REMEMBERED.get(known_key)
    except TypeError:
        return compute(form, *args)
    if known is not None and known[0] is form:
        return known[1]
    result = compute(form, *args)
    if len(_REMEMBERED) >= _REMEMBERED_MAX:
        _REMEMBERED.clear()
    _REMEMBERED[known_key] = (form, result)
    return result


def _header_of(form: Form, rows: list[list[Any]]) -> int | None:
    """The row among ``rows`` (the first of the sheet) naming most of ``form``'s titles: the
    first naming them all, when one does (the rows below it are not read)."""
    keys = {title_key(f.title) for f in form.fields} | {_loose_key(f.title)
                                                         for f in form.fields}
    best, best_score = None, 0
    for r, row in enumerate(rows):
        score = sum(1 for cell in row if isinstance(cell, str) and cell.strip()
                    and (title_key(cell) in keys or _loose_key(cell) in keys))
        if score > best_score:
            best, best_score = r, score
        if best_score >= len(form.fields):
            break
    return best


def _columns_of(form: Form, header: tuple[int, list[Any]] | None
                ) -> tuple[list[tuple[Field, int]], list[tuple[Msg, dict[str, Any]]]]:
    """The column of each field the header row (its index and cells) names, and what is to
    be said of the header (unknown, renamed and missing columns)."""
    columns: list[tuple[Field, int]] = []
    notes: list[tuple[Msg, dict[str, Any]]] = []
    unmatched = list(form.fields)
    if header is not None:
        r, cells = header
        for c, cell in enumerate(cells):
            if is_blank(cell):
                continue
            text = normalize_text(cell_text(cell))
            field, exact = _match_titles(text, unmatched)
            ref = cell_ref(r, c)
            if field is None:
                notes.append((Msg.COLUMN_UNKNOWN, {"cell": ref, "value": text}))
                continue
            if not exact:
                notes.append((Msg.COLUMN_RENAMED, {"cell": ref, "value": text,
                                                   "expected": field.title}))
            unmatched.remove(field)
            columns.append((field, c))
    for field in unmatched:
        if field.key != "stt":
            notes.append((Msg.COLUMN_MISSING, {"expected": field.title}))
    return columns, notes


# --- the reader -----------------------------------------------------------------------------

class _Reader:
    def __init__(self, path: Path, campaign: Campaign, forms: tuple[Form, ...],
                 book: CalamineWorkbook, package: zipfile.ZipFile | None):
        self.path = path
        self.campaign = campaign
        self.forms = forms
        self.book = book
        self.package = package
        self.names: list[str] = list(book.sheet_names)
        self.problems: list[Problem] = []
        self.formulas: dict[str, set[str]] | None = None
        self.flagged: set[str] = set()  # sheets whose XML holds formulas or error values
        self.fonts = open_fonts(path, package)
        self.xlsx = package is not None and path.suffix.lower() in (".xlsx", ".xlsm")
        # cells read with a legacy-looking content: the value, how it was read, whether it is
        # free text (choices are matched by the checker), the field's title
        self._legacy: list[tuple[Value, Repair, bool, str]] = []
        self._sheets: dict[str, Any] = {}

    # -- entry point
    def read(self) -> UnitReturn:
        record_forms = [f for f in self.forms if f.layout is Layout.RECORD]
        info_form = record_forms[0] if record_forms else None
        info_sheet = self._find_sheet(info_form) if info_form else None
        if info_form is not None and info_sheet is None:
            raise ReadFailure(Problem(Msg.FILE_NOT_A_FORM, file=self.path.name,
                                      expected=info_form.sheet))
        self._load_formulas()
        meta = self._read_meta(info_form)
        ret = UnitReturn(path=self.path, meta=meta, info={}, tables={},
                         received=datetime.fromtimestamp(self.path.stat().st_mtime))
        year_end = self.campaign.is_year_end(meta.phase) if meta.phase else None
        self.unit = self.campaign.unit(meta.unit_code)
        for form in forms_of_phase(self.forms, year_end):
            name = info_sheet if form is info_form else self._find_sheet(form)
            if name is None:
                if not (form.year_end and year_end is None):
                    self._add(Msg.OPTIONAL_SHEET_MISSING if form.optional
                              else Msg.SHEET_MISSING, sheet=form.sheet)
                continue
            rows = self._rows(name)
            if form.layout is Layout.RECORD:
                ret.info = self._read_record(form, name, rows)
                self.unit = self.unit or self.campaign.unit(str(ret.info_value("ma_don_vi")))
            else:
                table, below = self._read_table(form, name, rows)
                ret.tables[form.key] = table
                if form.free_text is not None and form.free_text.key in below:
                    ret.free_text[form.key] = below[form.free_text.key]
                if form.scoring is not None and form.scoring.total.key in below:
                    ret.totals[form.key] = below[form.scoring.total.key]
        self._settle_legacy()
        ret.problems = self.problems
        return ret

    # -- problems
    def _add(self, msg: Msg, **kw: Any) -> None:
        self.problems.append(Problem(msg, file=self.path.name, **kw))

    # -- sheets
    def _find_sheet(self, form: Form) -> str | None:
        if form.sheet in self.names:
            return form.sheet
        want = title_key(form.sheet)
        for name in self.names:
            key = title_key(name)
            truncated = len(name) == 31 and key and want.startswith(key)
            if key == want or truncated:
                self._add(Msg.SHEET_RENAMED, sheet=name, value=name, expected=form.sheet)
                return name
        return None

    def _sheet(self, name: str) -> Any:
        if name not in self._sheets:
            self._sheets[name] = self.book.get_sheet_by_name(name)
        return self._sheets[name]

    def _rows(self, name: str) -> list[list[Any]]:
        return self._sheet(name).to_python(skip_empty_area=False)

    def _merges(self, name: str) -> list[tuple[int, int, int, int]]:
        ranges = self._sheet(name).merged_cell_ranges or []
        return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]

    def _load_formulas(self) -> None:
        """Addresses of formula cells, per sheet name, and the sheets holding formulas or
        error values (xlsx/xlsm only: calamine does not say which cells hold formulas and
        reads an error as empty; the sheet XML does)."""
        if not self.xlsx:
            return
        try:
            self.formulas, self.flagged = _formula_cells(self.package,
                                                         {f.sheet for f in self.forms})
        except (zipfile.BadZipFile, KeyError, OSError):
            self.formulas = None

    # -- meta
    def _read_meta(self, info_form: Form | None) -> Meta:
        name = META_SHEET if META_SHEET in self.names else next(
            (n for n in self.names if title_key(n) == title_key(META_SHEET)), None)
        if name is None:
            self._add(Msg.FILE_NO_META, sheet=info_form.sheet if info_form else "")
            return Meta()
        meta = Meta(present=True)
        keys = {title_key(k): k for k in META_KEYS}  # key in column A, value in column B
        for row in self._rows(name):
            if len(row) < 2 or is_blank(row[0]):
                continue
            attr = keys.get(title_key(row[0]))
            if attr is None:
                continue
            raw = row[1]
            if attr in ("phase", "year"):
                setattr(meta, attr, parse_integer(raw).value)
            elif attr == "generated":
                setattr(meta, attr, raw if isinstance(raw, datetime) else _as_datetime(raw))
            else:
                setattr(meta, attr, normalize_text(cell_text(raw)))
        return meta

    # -- values
    def _value(self, field: Field, raw: Any, sheet: str, row: int, col: int) -> Value:
        ref = cell_ref(row, col)
        if raw == "" or raw is None:
            return self._empty(field, raw, sheet, ref)
        font = self._font(field, raw, sheet, ref)
        parsed = parse(raw, field.type, font)
        typed = parsed.value
        if typed.__class__ is raw.__class__ and typed == raw:
            raw = typed  # one object for both, shared by every cell of that text (and once
            # in what the worker sends back: the same text in many rows is sent once)
        value = Value(typed, raw, sheet, ref, ok=parsed.ok)
        legacy = parsed.legacy
        if legacy is not None and (legacy.encoding or legacy.alternatives or legacy.doubtful):
            self._legacy.append((value, legacy, field.type in _TEXT_TYPES, field.title))
        if parsed.msg is not None and parsed.msg not in _DECIDED_BY_FILE:
            if parsed.ok:
                self._add(parsed.msg, sheet=sheet, cell=ref, field=field.title,
                          value=cell_text(raw), expected=parsed.value)
            else:
                expected = ", ".join(YES_NO) if field.type is FieldType.YESNO else ""
                self._add(parsed.msg, sheet=sheet, cell=ref, field=field.title,
                          value=cell_text(raw), expected=expected)
        if self.formulas and ref in self.formulas.get(sheet, ()):
            self._add(Msg.FORMULA_VALUE, sheet=sheet, cell=ref, field=field.title,
                      value=parsed.value if parsed.ok else cell_text(raw))
        return value

    def _empty(self, field: Field, raw: Any, sheet: str, ref: str) -> Value:
        """An empty cell; an error value or a formula saved without its value is said."""
        if self.fonts is not None and (sheet in self.flagged or not self.xlsx):
            error = self.fonts.error(sheet, ref)
            if error is not None:
                self._add(Msg.CELL_ERROR, sheet=sheet, cell=ref, field=field.title, value=error)
                return Value(None, error, sheet, ref, ok=False)
            if self.fonts.unvalued(sheet, ref):
                self._add(Msg.FORMULA_NO_VALUE, sheet=sheet, cell=ref, field=field.title)
        return Value(None, raw, sheet, ref)

    def _group(self, value: Value, text: bool) -> Hint | str | None:
        """The cells a legacy-looking value is decided with: those in its font. Rich text was
        decided run by run, a choice is matched by the checker: neither is evidence for
        other cells, nor decided by theirs."""
        fonts = self.fonts
        if not text or (fonts is not None and fonts.runs(value.sheet, value.cell)):
            return _ALONE
        return fonts.hint(value.sheet, value.cell) if fonts is not None else None

    def _font(self, field: Field, raw: Any, sheet: str, ref: str) -> Callable[[], Font] | None:
        """How to read the font evidence of a text cell that may hold legacy text (asked only
        when its content does not settle it: the styles are read only then)."""
        if self.fonts is None or not isinstance(raw, str) or raw.isascii() or \
                field.type not in _TEXT_TYPES:
            return None
        fonts = self.fonts
        return lambda: fonts.runs(sheet, ref) or fonts.hint(sheet, ref)

    def _settle_legacy(self) -> None:
        """The file's evidence for texts that read as Vietnamese both ways (cells in the same
        font); then one note per encoding listing the cells converted, and a warning for each
        cell still undecided."""
        if not any(entry[1].encoding or entry[1].doubtful for entry in self._legacy):
            return  # only texts Vietnamese as typed: no evidence to share, nothing to say
        groups: dict[Hint | str | None, list[int]] = {}
        for i, (value, _, text, _) in enumerate(self._legacy):
            groups.setdefault(self._group(value, text), []).append(i)
        converted: dict[Encoding, list[Value]] = {}
        for group, indexes in groups.items():
            repairs = [self._legacy[i][1] for i in indexes]
            settled = repairs if group == _ALONE else settle(repairs)
            for i, result in zip(indexes, settled):
                value, _, _, title = self._legacy[i]
                if result.encoding is not None:
                    value.value = normalize_text(result.text, keep_newlines="\n" in result.text)
                    converted.setdefault(result.encoding, []).append(value)
                elif result.doubtful:
                    self._add(Msg.LEGACY_UNDECIDED, sheet=value.sheet, cell=value.cell,
                              field=title, value=cell_text(value.raw))
        for encoding, values in converted.items():
            values.sort(key=_by_position)
            self._add(_CONVERTED[encoding], sheet=values[0].sheet, cell=values[0].cell,
                      value=len(values), detail=_cell_list(values))

    def _report_merges(self, sheet: str, merges: list[tuple[int, int, int, int]],
                       cells: set[tuple[int, int]], skip: set[tuple[int, int]]) -> None:
        """Warn of merged ranges that cover a value cell (``cells``) other than ranges
        starting at ``skip`` (the template's own, such as a free-text box)."""
        if not merges or not cells:
            return
        top, bottom = min(r for r, _ in cells), max(r for r, _ in cells)
        left, right = min(c for _, c in cells), max(c for _, c in cells)
        for r0, c0, r1, c1 in merges:
            if (r0, c0) in skip or r1 < top or r0 > bottom or c1 < left or c0 > right:
                continue  # (outside the cells' bounds: covers none of them)
            if any(r0 <= r <= r1 and c0 <= c <= c1 for r, c in cells):
                span = f"{cell_ref(r0, c0)}:{cell_ref(r1, c1)}"
                self._add(Msg.MERGED_CELLS, sheet=sheet, cell=cell_ref(r0, c0), value=span)

    # -- RECORD (Thông tin)
    def _read_record(self, form: Form, sheet: str, rows: list[list[Any]]) -> dict[str, Value]:
        fields = list(form.fields)
        found: dict[str, Value] = {}
        value_cells: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if not isinstance(cell, str) or not cell.strip():
                    continue
                field, _ = _match_titles(cell, fields, fuzzy=False)
                if field is None or field.key in found:
                    continue
                raw = row[c + 1] if c + 1 < len(row) else ""
                found[field.key] = self._value(field, raw, sheet, r, c + 1)
                value_cells.add((r, c + 1))
                break
        self._report_merges(sheet, self._merges(sheet), value_cells, set())
        return found

    # -- FIXED and TABLE
    def _read_table(self, form: Form, sheet: str,
                    rows: list[list[Any]]) -> tuple[list[Row], dict[str, Value]]:
        """The rows, and the cells under the table (free text, total) by field key."""
        header = self._header_row(form, rows)
        columns = self._map_columns(form, sheet, rows, header)
        end = len(rows)
        below: dict[str, Value] = {}
        free_box: set[tuple[int, int]] = set()
        for field in form.cells_below:
            value, label_row, box = self._free_text(field, sheet, rows, header)
            free_box |= box
            if value is not None:
                below[field.key] = value
            if label_row is not None:
                end = min(end, label_row)
        data_cols = [(f, c) for f, c in columns if f.key != "stt"]
        first = (header if header is not None else HEADER_ROW - 1) + 1
        if form.layout is Layout.FIXED:
            table = self._fixed_rows(form, sheet, rows, data_cols, first, end)
        else:
            stt = next((c for f, c in columns if f.key == "stt"), None)
            table = self._free_rows(form, sheet, rows, data_cols, first, end, stt)
        cells = {(r.number - 1, c) for r in table for _, c in data_cols}
        if cells:  # (an empty table covers nothing: the merged ranges are not asked for)
            self._report_merges(sheet, self._merges(sheet), cells, free_box)
        return table, below

    def _header_row(self, form: Form, rows: list[list[Any]]) -> int | None:
        head = rows[:_HEADER_SCAN_ROWS]
        # only text cells count, and a text equals only a text: the values are the key
        return _remembered(_header_of, form, lambda: tuple(map(tuple, head)), head)

    def _map_columns(self, form: Form, sheet: str, rows: list[list[Any]],
                     header: int | None) -> list[tuple[Field, int]]:
        if header is None:
            columns, notes = _remembered(_columns_of, form, tuple, None)
        else:
            cells = rows[header]  # 1, 1.0 and True are equal keys, not equal titles
            columns, notes = _remembered(
                _columns_of, form, lambda: (header, tuple(cells), tuple(map(type, cells))),
                (header, cells))
        for msg, kw in notes:
            self._add(msg, sheet=sheet, **kw)
        return columns

    def _free_rows(self, form: Form, sheet: str, rows: list[list[Any]],
                   cols: list[tuple[Field, int]], first: int, end: int,
                   stt: int | None) -> list[Row]:
        out: list[Row] = []
        indexes = [c for _, c in cols]
        span = rows[first:end]
        for r, row, width, empty in zip(range(first, end), span, map(len, span),
                                        map(_EMPTY_CELLS, span)):
            filled = width - empty
            if (filled == 0  # the common prepared row holds only its STT, or nothing
                    or (filled == 1 and stt is not None and stt < width and row[stt] != "")
                    or not any(c < width and row[c] != "" and not is_blank(row[c])
                               for c in indexes)):
                continue
            values = {f.key: self._value(f, row[c] if c < width else "", sheet, r, c)
                      for f, c in cols}
            out.append(Row(form.key, r + 1, values))
        return out

    def _fixed_rows(self, form: Form, sheet: str, rows: list[list[Any]],
                    cols: list[tuple[Field, int]], first: int, end: int) -> list[Row]:
        key_col = next((c for f, c in cols if f.key == form.row_key), None)
        if key_col is None:
            return []
        key_field = form.field(form.row_key)
        items = self.campaign.row_items(form.row_source, self.unit)
        by_key = {title_key(row_value(i, key_field)): row_value(i, key_field) for i in items}
        others = {title_key(row_value(i, key_field)) for i in
                  self.campaign.row_items(form.row_source)} - set(by_key)
        out: list[Row] = []
        seen: dict[str, int] = {}  # item -> the Excel row it was first read from
        for r in range(first, end):
            row = rows[r]
            raw = row[key_col] if key_col < len(row) else ""
            if is_blank(raw):
                continue
            text = normalize_text(cell_text(raw))
            item = by_key.get(title_key(text))
            if item is None and title_key(text) in others:  # another group's item (issue 14)
                self._add(Msg.ROW_OF_OTHER_BLOCK, sheet=sheet, cell=cell_ref(r, key_col),
                          value=text, expected=key_field.title)
                continue
            if item is None:
                close = difflib.get_close_matches(title_key(text), list(by_key), n=1,
                                                  cutoff=_FUZZY_RATIO)
                item = by_key[close[0]] if close else None
            if item is None:
                self._add(Msg.ROW_NOT_IN_FORM, sheet=sheet, cell=cell_ref(r, key_col),
                          value=text, expected=key_field.title)
                continue
            if item in seen:  # never replaced by, nor added to, its repetition
                self._add(Msg.DUPLICATE_ROW, sheet=sheet, cell=cell_ref(r, key_col),
                          value=item, expected=seen[item], detail=str(r + 1))
                continue
            seen[item] = r + 1
            values = {}
            for f, c in cols:
                if f.key == form.row_key:
                    values[f.key] = Value(item, raw, sheet, cell_ref(r, c))
                else:
                    values[f.key] = self._value(f, row[c] if c < len(row) else "", sheet, r, c)
            out.append(Row(form.key, r + 1, values))
        return out

    def _free_text(self, field: Field, sheet: str, rows: list[list[Any]], header: int | None
                   ) -> tuple[Value | None, int | None, set[tuple[int, int]]]:
        """The free-text cell: the first non-empty cell right of, or below, its label."""
        want = title_key(field.title)
        start = (header or 0) + 1
        for r in range(start, len(rows)):
            for c, cell in enumerate(rows[r]):
                if not (isinstance(cell, str) and title_key(cell).startswith(want)):
                    continue
                at = self._first_after(rows, r, c)
                if at is None:
                    below = (r + 1, c)
                    return (Value(None, "", sheet, cell_ref(*below)), r, {(r, c), below})
                raw = rows[at[0]][at[1]]
                return self._value(field, raw, sheet, *at), r, {(r, c), at}
        return None, None, set()

    @staticmethod
    def _first_after(rows: list[list[Any]], r: int, c: int) -> tuple[int, int] | None:
        row = rows[r]
        for cc in range(c + 1, len(row)):
            if not is_blank(row[cc]):
                return r, cc
        for rr in range(r + 1, min(len(rows), r + 1 + _FREE_TEXT_SEARCH_ROWS)):
            below = rows[rr]
            for cc in range(c, len(below)):
                if not is_blank(below[cc]):
                    return rr, cc
        return None


_EMPTY_CELLS = operator.methodcaller("count", "")  # of a row: how many cells are empty


def _as_datetime(raw: Any) -> datetime | None:
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw.strip())
        except ValueError:
            pass
    d = parse_date(raw).value
    return datetime(d.year, d.month, d.day) if d else None


# --- formula cells (xlsx) ---------------------------------------------------------------------

_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>\s*<(?:\w+:)?f[\s>/]')
# Every sheet with formulas has a formula element closing with "f>" (</f>, </x:f>; a shared
# formula's master holds its text): sheets without it are not scanned. (A regex finds two
# bytes faster than ``in``; "<f" alone would match every data validation's <formula1>.)
_FORMULA_END = re.compile(rb"f>")
# A cell holding an error value, searched from the end (``rfind``: 87 µs for the sheets of a
# return where ``in``, whose forward search stops at every quote, took 203 and a regex 226).
_ERROR_CELL = b' t="e"'


def _formula_cells(zf: zipfile.ZipFile, wanted: set[str]
                   ) -> tuple[dict[str, set[str]], set[str]]:
    """Formula cells of the sheets whose names fold like one of ``wanted``, and the names of
    those sheets holding formulas or error values."""
    wanted_keys = {title_key(w) for w in wanted}
    out: dict[str, set[str]] = {}
    flagged: set[str] = set()
    for name, member in sheet_members(zf).items():
        if title_key(name) not in wanted_keys:
            continue
        data = zf.read(member)
        if data.rfind(_ERROR_CELL) >= 0:
            flagged.add(name)
        if not _FORMULA_END.search(data):
            continue
        flagged.add(name)
        out[name] = {ref.decode() for ref in _FORMULA_CELL.findall(data)}
    return out, flagged
