"""Files told by their content (issue 10): what can be read is read (Excel's default
password, an Excel 4 macro sheet, Excel 5.0/95), what cannot is named for what it is, and a
sheet reaching far beyond the forms is refused before it is parsed."""
from __future__ import annotations

import zipfile

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from corpus import biff5, old_formats, with_macro_sheet
from test_reader import CAMPAIGN, _failure, full_return
from workbook_templates.messages import Msg
from workbook_templates.reader import read_return

def _same_content(a, b):
    assert a.meta.unit_code == b.meta.unit_code and a.info.keys() == b.info.keys()
    assert {k: v.value for k, v in a.info.items()} == {k: v.value for k, v in b.info.items()}
    for key in b.tables:
        assert [{k: v.value for k, v in r.values.items()} for r in a.tables[key]] == [
            {k: v.value for k, v in r.values.items()} for r in b.tables[key]], key


def test_default_password_is_decrypted_and_read(tmp_path):
    plain = full_return(tmp_path, "plain.xlsx")
    path = tmp_path / "LD01.xlsx"
    with plain.open("rb") as src, path.open("wb") as out:
        OOXMLFile(src).encrypt("VelvetSweatshop", out)
    ret = read_return(path, CAMPAIGN)
    assert [p.msg for p in ret.problems] == [Msg.FILE_DEFAULT_PASSWORD]
    _same_content(ret, read_return(plain, CAMPAIGN))


def test_excel4_macro_sheet_is_read_by_the_second_reader(tmp_path):
    from test_reader import INFO, PERSON
    from builders import build_return

    sheets = {"Thông tin": INFO, "Khen cá nhân": [PERSON], "Macro1": [["=HALT()"]]}
    plain = build_return(tmp_path / "plain.xlsx", sheets)
    path = with_macro_sheet(plain, tmp_path / "LD01.xlsm", 3)
    ret = read_return(path, CAMPAIGN)
    second = [p for p in ret.problems if p.msg is Msg.FILE_SECOND_READER]
    assert len(second) == 1 and "macro Excel 4.0" in second[0].text
    assert "macrosheet" in second[0].technical and "macrosheet" not in second[0].text
    _same_content(ret, read_return(plain, CAMPAIGN))


@pytest.mark.parametrize("calamine_refuses", [False, True])
def test_excel95_is_read(tmp_path, monkeypatch, calamine_refuses):
    import openpyxl

    from workbook_templates import opening

    plain = full_return(tmp_path, "plain.xlsx")
    wb = openpyxl.load_workbook(plain)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    path = tmp_path / "LD01.xls"
    path.write_bytes(biff5(sheets))
    if calamine_refuses:  # as it refuses some Excel 95 files: xlrd reads them
        def refuse(_):
            raise ValueError("Unsupported BIFF version")
        monkeypatch.setattr(opening.CalamineWorkbook, "from_path", refuse)
    ret = read_return(path, CAMPAIGN)
    notes = [p for p in ret.problems if p.code.startswith("F")]
    assert [p.msg for p in notes] == ([Msg.FILE_SECOND_READER] if calamine_refuses else [])
    assert all("Excel 5.0/95" in p.text and "BIFF" in p.technical for p in notes)
    assert ret.meta.unit_code == "LD01" and ret.info_value("tong_cnvcld") == 1500
    person = ret.tables["khen_ca_nhan"][0]
    assert person.get("ho_ten") == "Nông Thị Hoa" and person.get("nam_sinh") == 1985
    assert person.cell("nam_sinh") == "D5"


@pytest.mark.parametrize("name, what", [
    ("excel2.xls", "Excel 2.x"), ("excel3.xls", "Excel 3.0"), ("excel4.xls", "Excel 4.0"),
    ("quattro.xls", "Quattro Pro"), ("lotus.xls", "Lotus 1-2-3"),
])
def test_formats_too_old_for_the_forms_are_named(tmp_path, name, what):
    path = next(p for p in old_formats(tmp_path) if p.name == name)
    problem = _failure(path)
    assert problem.msg is Msg.FILE_TOO_OLD and what in problem.text
    assert "biểu mẫu" in problem.text and "hỏng" not in problem.text


@pytest.mark.parametrize("content", [
    b"Kinh gui LDLD tinh: don vi LD06 xin gui bao cao thi dua dot 1/2020.\n",
    b"LD01", "Báo cáo".encode("cp1258"), "Mã đơn vị: LD01".encode("utf-8"),
])
def test_text_of_any_length_is_not_a_spreadsheet(tmp_path, content):
    path = tmp_path / "LD01.xls"
    path.write_bytes(content)
    problem = _failure(path)
    assert problem.msg is Msg.FILE_DISGUISED and "tệp văn bản" in problem.text


def test_word_document_renamed_is_named(tmp_path):
    import docx

    path = tmp_path / "LD01.xlsx"
    docx.Document().save(path)
    problem = _failure(path)
    assert problem.msg is Msg.FILE_DISGUISED and "Word" in problem.text


def _with_far_cell(tmp_path, ref: str, dimension: str | None):
    """A full return whose Đăng ký thi đua sheet also holds a value at ``ref``, its
    dimension rewritten to ``dimension`` (None: no dimension, as some writers do)."""
    import re

    plain = full_return(tmp_path, "plain.xlsx")
    path = tmp_path / "LD01.xlsx"
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ").encode()
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":  # Đăng ký thi đua
                data = data.replace(b"</sheetData>", b'<row r="%s"><c r="%s" t="inlineStr">'
                                    b"<is><t>x</t></is></c></row></sheetData>"
                                    % (row, ref.encode()))
                tag = b"" if dimension is None else b'<dimension ref="%s"/>' % dimension.encode()
                data = re.sub(rb"<dimension [^>]*/>", tag, data)
            zout.writestr(info, data)
    return path


@pytest.mark.parametrize("ref", ["XFD1048576", "AAA1", "B100001", "ZZZZ99999999"])
@pytest.mark.parametrize("stated", [True, False])
def test_a_sheet_reaching_beyond_the_forms_is_refused_before_parsing(tmp_path, ref, stated):
    path = _with_far_cell(tmp_path, ref, f"A1:{ref}" if stated else None)
    problem = _failure(path)
    assert problem.msg is Msg.SHEET_TOO_FAR
    assert (problem.sheet, problem.cell) == ("Đăng ký thi đua", ref)


def test_an_xls_sheet_reaching_beyond_the_forms_is_refused_before_parsing(tmp_path):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    wb.add_sheet("Thông tin").write(0, 0, "Mã đơn vị")
    wb.add_sheet("Khen cá nhân").write(65535, 255, "x")
    path = tmp_path / "LD01.xls"
    wb.save(str(path))
    problem = _failure(path)
    assert problem.msg is Msg.SHEET_TOO_FAR
    assert (problem.sheet, problem.cell) == ("Khen cá nhân", "IV65536")


def test_a_far_dimension_or_empty_far_cell_alone_is_read(tmp_path):
    plain = full_return(tmp_path, "plain.xlsx")
    path = tmp_path / "LD01.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="')
                data = data.replace(b"</sheetData>",
                                    b'<row r="7"><c r="XFD7" s="0"/></row></sheetData>')
            zout.writestr(info, data)
    assert read_return(path, CAMPAIGN).problems == []


@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
def test_second_readers_give_what_calamine_gives(tmp_path, fmt):
    """The second readers read the same values, cells and merged ranges as calamine."""
    import shutil as sh

    if fmt == "xls" and sh.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    from python_calamine import CalamineWorkbook

    from workbook_templates.second_readers import OpenpyxlBook, XlrdBook

    path = full_return(tmp_path, f"LD01.{fmt}", fmt=fmt, merges={"Khen cá nhân": ["H9:J10"]})
    fast = CalamineWorkbook.from_path(str(path))
    second = XlrdBook(path) if fmt == "xls" else OpenpyxlBook(path)
    assert second.sheet_names == fast.sheet_names
    for name in fast.sheet_names:
        a, b = fast.get_sheet_by_name(name), second.get_sheet_by_name(name)
        assert b.to_python() == a.to_python(skip_empty_area=False), name
        assert sorted(b.merged_cell_ranges) == sorted(a.merged_cell_ranges or []), name
