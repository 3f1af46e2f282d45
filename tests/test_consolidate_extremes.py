"""NaN, infinity and a 40,001-character text in every field of every form: consolidated, they
are refused with their message, and the control workbook (openpyxl, LibreOffice) and the
register hold none of them."""
from __future__ import annotations

import math
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.consolidate import consolidate
from workbook_templates.forms import UNIT_FORMS, Layout
from workbook_templates.messages import SHOWN_MAX, Msg

from builders import fixed_rows
from test_consolidate import CAMPAIGN, folder, good_sheets, put, sheet_rows  # noqa: F401

_MARK = 271828.182  # a number put in every field, then replaced in the XML by NaN or INF
LONG = "Nguyễn Văn A " * 3077  # 40,001 characters
CELL_MAX = 32_767


def _everywhere(value) -> dict:
    """The good sheets with ``value`` in every field a unit types into, in every form."""
    sheets = good_sheets()
    for form in UNIT_FORMS:
        entry = {f.title: value for f in form.entry_fields}
        if form.layout is Layout.RECORD:
            sheets[form.sheet] = dict(sheets[form.sheet], **entry)
        elif form.layout is Layout.FIXED:
            items = CAMPAIGN.row_items(form.row_source)
            sheets[form.sheet] = fixed_rows(form, items, {items[0]: entry})
        else:
            sheets[form.sheet] = list(sheets.get(form.sheet, [])) + [entry]
    return sheets


def _replace_mark(path: Path, text: str) -> None:
    with zipfile.ZipFile(path) as zf:
        contents = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    mark = f"<v>{_MARK}</v>".encode()
    for name, data in contents.items():
        if name.startswith("xl/worksheets/"):
            contents[name] = data.replace(mark, f"<v>{text}</v>".encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)


def _cells(path: Path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            yield from row


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_nan_inf_and_a_40001_character_text_in_every_field(folder, tmp_path):  # noqa: F811
    assert len(LONG) == 40_001
    for unit, text in (("LD01", "NaN"), ("LD02", "INF")):
        _replace_mark(put(folder, f"{unit}_Dot1_2020.xlsx", _everywhere(_MARK), unit=unit), text)
    put(folder, "LD03_Dot1_2020.xlsx", _everywhere(LONG), unit="LD03")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    for value in _cells(control):
        assert not (isinstance(value, float) and not math.isfinite(value))
        assert not (isinstance(value, str) and (len(value) > CELL_MAX or value in ("nan", "inf")))
    codes = {(p["Tệp"], p["Mã"]) for p in sheet_rows(control, "Lỗi")}
    assert ("LD01_Dot1_2020.xlsx", Msg.NOT_FINITE.code) in codes
    assert ("LD02_Dot1_2020.xlsx", Msg.NOT_FINITE.code) in codes
    assert ("LD03_Dot1_2020.xlsx", Msg.TOO_LONG.code) in codes
    quoted = [p["Giá trị tìm thấy"] for p in sheet_rows(control, "Lỗi")
              if p["Tệp"] == "LD03_Dot1_2020.xlsx" and isinstance(p["Giá trị tìm thấy"], str)]
    assert quoted and all(len(q) <= SHOWN_MAX for q in quoted)
    assert any(q.endswith("…") for q in quoted)
    with sqlite3.connect(folder / "so_theo_doi.sqlite") as db:
        tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
        for table in tables:
            for row in db.execute(f'select * from "{table}"'):
                for value in row:
                    assert not (isinstance(value, float) and not math.isfinite(value)), table
                    assert not (isinstance(value, str) and LONG[:1000] in value), table
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "ods", "--outdir", str(out), str(control)],
                   check=True, capture_output=True, timeout=240)
    assert zipfile.is_zipfile(out / "TongHopThiDua.ods")
