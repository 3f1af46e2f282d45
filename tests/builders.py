"""Build returned unit workbooks inside a test, from small tables (in the style of pyxform's
markdown-table tests).

    build_return(tmp_path / "LD01.xlsx", {
        "Thông tin": {"Người lập biểu": "Nguyễn Văn A", "Điện thoại": "0912345678"},
        "Khen cá nhân": [{"Họ và tên": "Nguyễn Văn A", "Năm sinh": 1980}],
    })

* A RECORD form (Thông tin) is a dict ``label -> value``: labels in column A, values in
  column B, from ``forms.FIRST_DATA_ROW``. Identity rows (Mã đơn vị, Tên đơn vị, Loại đơn
  vị, Năm, Đợt, Phiên bản) are filled from ``unit``/``phase``/``year`` unless given.
* A FIXED or TABLE form is a list of dicts ``column title -> value``: the form's titles on
  ``forms.HEADER_ROW`` (STT first), one row per dict from ``forms.FIRST_DATA_ROW``, STT
  numbered. FIXED rows name their item in the row-key column ("Phong trào, cuộc vận động",
  "Chỉ tiêu"); :func:`fixed_rows` builds one row per campaign item.
* A sheet title that is not a form's title is matched to a form by a folded comparison, so
  a renamed sheet ("thong tin ") is written with that form's layout under its new name.
* ``columns={sheet: [titles]}`` writes exactly these column titles, in this order (rename,
  reorder, drop, add unknown columns); dict keys of rows are matched against these titles.
* ``merges={sheet: ["C5:D6"]}``, ``formulas={sheet: {"F5": ("=E5*2", 14)}}`` (formula and
  the cached value Excel would have saved; "#N/A" and the like as error values),
  ``cells={sheet: {"H2": value}}`` (raw cells),
  ``free_text={sheet: text}`` (a labelled free-text cell below a FIXED table, as Kết quả has),
  ``prepared_rows=n`` (STT-only rows after the data of TABLE forms, as in a template).
* ``meta``: the hidden meta sheet's keys (``forms.META_KEYS``); default: this unit, phase
  and year; ``None``: no meta sheet.
* ``fmt="xls"`` or ``"ods"``: the xlsx is converted by LibreOffice (headless, private
  profile); conversions are cached by content for the test session.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from workbook_templates.campaign import Campaign, default_campaign
from workbook_templates.forms import (
    FIRST_DATA_ROW, FORM_ID, FORM_VERSION, HEADER_ROW, META_SHEET, OUTSTANDING, UNIT_FORMS, Form,
    Layout,
)
from workbook_templates.reader import title_key

from external import run_soffice

_CACHE = Path(tempfile.gettempdir()) / "thidua_test_conversions"


def form_for(title: str) -> Form | None:
    """The form a sheet title names (exactly, or folded as the reader folds it)."""
    forms = (*UNIT_FORMS, OUTSTANDING)
    for form in forms:
        if form.sheet == title:
            return form
    for form in forms:
        if title_key(form.sheet) == title_key(title):
            return form
    return None


def fixed_rows(form: Form, items: list[str], values: dict[str, dict[str, Any]] | None = None
               ) -> list[dict[str, Any]]:
    """One row per item of a FIXED form, with the values given for some items."""
    key_title = form.field(form.row_key).title
    values = values or {}
    return [{key_title: item, **values.get(item, {})} for item in items]


def default_info(campaign: Campaign, unit_code: str, phase: int) -> dict[str, Any]:
    """The identity rows of Thông tin, as a template generated for ``unit_code`` holds."""
    unit = campaign.unit(unit_code)
    return {
        "Mã đơn vị": unit_code,
        "Tên đơn vị": unit.name if unit else "",
        "Loại đơn vị": unit.type if unit else "",
        "Năm": campaign.year,
        "Đợt": phase,
        "Phiên bản biểu mẫu": FORM_VERSION,
    }


def build_return(path: Path, sheets: dict[str, Any], *, meta: dict[str, Any] | None | str = "",
                 fmt: str = "xlsx", campaign: Campaign | None = None, unit: str = "LD01",
                 phase: int = 1, columns: dict[str, list[str]] | None = None,
                 merges: dict[str, list[str]] | None = None,
                 formulas: dict[str, dict[str, tuple[str, Any]]] | None = None,
                 cells: dict[str, dict[str, Any]] | None = None,
                 free_text: dict[str, str] | None = None, prepared_rows: int = 0) -> Path:
    """Write a returned workbook at ``path`` (see the module docstring); return ``path``."""
    campaign = campaign or default_campaign()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, content in sheets.items():
        ws = wb.create_sheet(title)
        form = form_for(title)
        if form is None:
            for row in content:
                ws.append(list(row))
        elif form.layout is Layout.RECORD:
            _write_record(ws, form, {**default_info(campaign, unit, phase), **content})
        else:
            titles = (columns or {}).get(title) or [f.title for f in form.fields]
            _write_table(ws, form, titles, content, prepared_rows)
            text = (free_text or {}).get(title)
            if text is not None and form.free_text is not None:
                row = ws.max_row + 2
                ws.cell(row, 1, form.free_text.title)
                ws.cell(row + 1, 1, text)
    for title, spans in (merges or {}).items():
        for span in spans:
            wb[title].merge_cells(span)
    for title, refs in (cells or {}).items():
        for ref, value in refs.items():
            wb[title][ref] = value
    for title, refs in (formulas or {}).items():
        for ref, (formula, _) in refs.items():
            wb[title][ref] = formula
    if meta is not None:
        ws = wb.create_sheet(META_SHEET)
        ws.sheet_state = "hidden"
        given = meta if isinstance(meta, dict) else {}
        data = {"form_id": FORM_ID, "version": FORM_VERSION, "unit_code": unit,
                "phase": phase, "year": campaign.year,
                "generated": datetime(campaign.year, 1, 2, 8, 0), **given}
        for key, value in data.items():
            ws.append([key, value])
    path = Path(path)
    xlsx = path if fmt == "xlsx" else path.with_suffix(".build.xlsx")
    wb.save(xlsx)
    if formulas:
        _write_cached_values(xlsx, wb, formulas)
    if fmt == "xlsx":
        return path
    _convert(xlsx, path, fmt)
    xlsx.unlink()
    return path


def _write_record(ws, form: Form, content: dict[str, Any]) -> None:
    ws.cell(1, 1, form.title)
    row = FIRST_DATA_ROW
    for label, value in content.items():
        ws.cell(row, 1, label)
        ws.cell(row, 2, value)
        row += 1


def _write_table(ws, form: Form, titles: list[str], rows: list[dict[str, Any]],
                 prepared_rows: int) -> None:
    ws.cell(1, 1, form.title)
    for c, t in enumerate(titles, start=1):
        ws.cell(HEADER_ROW, c, t)
    stt = titles.index("STT") + 1 if "STT" in titles else None
    for i, values in enumerate(rows):
        r = FIRST_DATA_ROW + i
        if stt:
            ws.cell(r, stt, i + 1)
        for key, value in values.items():
            if key in titles:
                ws.cell(r, titles.index(key) + 1, value)
            else:
                raise KeyError(f"{form.sheet}: no column {key!r} in {titles}")
    if stt and form.layout is Layout.TABLE:
        for i in range(len(rows), len(rows) + prepared_rows):
            ws.cell(FIRST_DATA_ROW + i, stt, i + 1)


def _write_cached_values(xlsx: Path, wb, formulas: dict[str, dict[str, tuple[str, Any]]]
                         ) -> None:
    """openpyxl saves formulas without values; put in the value Excel would have cached."""
    members = {ws.title: f"xl/worksheets/sheet{i}.xml" for i, ws in enumerate(wb.worksheets, 1)}
    with zipfile.ZipFile(xlsx) as zf:
        contents = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    for title, refs in formulas.items():
        xml = contents[members[title]].decode("utf-8")
        for ref, (_, cached) in refs.items():
            pattern = re.compile(r'<c r="%s"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?' % ref)
            if isinstance(cached, str) and cached.startswith("#"):  # an error value
                repl = rf'<c r="{ref}"\1 t="e"><f>\2</f><v>{cached}</v>'
            elif isinstance(cached, str):
                repl = rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{cached}</v>'
            else:
                repl = rf'<c r="{ref}"\1><f>\2</f><v>{cached}</v>'
            xml, n = pattern.subn(repl, xml)
            assert n == 1, f"formula cell {ref} not found in {title}"
        contents[members[title]] = xml.encode("utf-8")
    with zipfile.ZipFile(xlsx, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)


def _convert(xlsx: Path, target: Path, fmt: str) -> None:
    """LibreOffice conversion of ``xlsx`` to ``fmt`` at ``target``, cached by content. The
    cache entry appears whole or not at all (written beside it, then renamed), so a test
    killed mid-copy, or two sessions converting at once, never leave a truncated file."""
    digest = hashlib.sha1(xlsx.read_bytes()).hexdigest()
    cached = _CACHE / f"{digest}.{fmt}"
    if not cached.exists():
        _CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / f"{digest}.xlsx"
            shutil.copy(xlsx, src)
            filt = {"xls": "xls:MS Excel 97", "ods": "ods"}[fmt]
            run_soffice("--convert-to", filt, "--outdir", tmp, src, timeout=120)
            partial = _CACHE / f".{digest}.{os.getpid()}.{fmt}.part"
            try:
                shutil.copy(Path(tmp) / f"{digest}.{fmt}", partial)
                os.replace(partial, cached)
            finally:
                partial.unlink(missing_ok=True)
    shutil.copy(cached, target)


def column_letter(titles: list[str], title: str) -> str:
    """The letter of ``title``'s column when a sheet is written with ``titles``."""
    return get_column_letter(titles.index(title) + 1)
