"""A returned file's package reads each member as zipfile does, and a damaged member fails
as zipfile says (the readers' messages depend on it)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from workbook_templates.package import Package

_SHEET = ("<worksheet><sheetData>"
          + "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Nguyễn Văn {r}</t></is>'
                    f"</c></row>" for r in range(1, 400))
          + "</sheetData></worksheet>").encode()


def _zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", _SHEET, zipfile.ZIP_DEFLATED)
        z.writestr("xl/worksheets/sheet2.xml", _SHEET[:500], zipfile.ZIP_DEFLATED)
        z.writestr("[Content_Types].xml", b"<Types/>", zipfile.ZIP_STORED)
    return path


def _patch_central_crc(path: Path, member: str) -> None:
    """The central directory's CRC-32 of ``member`` changed (its data left sound)."""
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")
    while data[at + 46:at + 46 + len(member)] != member.encode():
        at = data.index(b"PK\x01\x02", at + 4)
    data[at + 16] ^= 0xFF
    path.write_bytes(bytes(data))


def test_every_member_reads_as_zipfile_reads_it(tmp_path):
    path = _zip(tmp_path / "a.xlsx")
    with zipfile.ZipFile(path) as plain, Package(path) as package:
        for name in plain.namelist():
            assert package.read(name) == plain.read(name)
            assert package.head(name, 100) == plain.read(name)[:100]
        assert package.read("xl/worksheets/sheet1.xml") == _SHEET


def test_a_member_whose_crc_does_not_match_fails_as_in_zipfile(tmp_path):
    path = _zip(tmp_path / "a.xlsx")
    _patch_central_crc(path, "xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(path) as plain, pytest.raises(zipfile.BadZipFile):
        plain.read("xl/worksheets/sheet1.xml")
    with Package(path) as package:
        with pytest.raises(zipfile.BadZipFile):
            package.read("xl/worksheets/sheet1.xml")
        assert package.read("xl/worksheets/sheet2.xml") == _SHEET[:500]


def test_a_damaged_deflate_stream_fails_as_in_zipfile(tmp_path):
    path = _zip(tmp_path / "a.xlsx")
    data = bytearray(path.read_bytes())
    start = data.index(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml")
    for i in range(start + 40, start + 90):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as plain:
        try:
            plain.read("xl/worksheets/sheet1.xml")
            expected = None
        except Exception as exc:  # noqa: BLE001 — whichever zipfile raises
            expected = type(exc)
    assert expected is not None
    with Package(path) as package, pytest.raises(expected):
        package.read("xl/worksheets/sheet1.xml")


def test_the_stored_copy_holds_every_member_as_it_was(tmp_path):
    path = _zip(tmp_path / "a.xlsx")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/média/ảnh.xml", "<ảnh/>", zipfile.ZIP_DEFLATED)  # a UTF-8 name
    with zipfile.ZipFile(path) as plain, Package(path) as package:
        stored = package.stored()
        with zipfile.ZipFile(io.BytesIO(stored)) as copy:
            assert copy.testzip() is None
            assert copy.namelist() == plain.namelist()
            assert {i.compress_type for i in copy.infolist()} == {zipfile.ZIP_STORED}
            for name in plain.namelist():
                assert copy.read(name) == plain.read(name)


def test_a_workbook_stored_again_reads_as_the_file_does(tmp_path):
    from python_calamine import CalamineWorkbook
    from test_reader import full_return

    path = full_return(tmp_path)
    with Package(path) as package:
        copy = CalamineWorkbook.from_filelike(io.BytesIO(package.stored()))
    book = CalamineWorkbook.from_path(str(path))
    assert copy.sheet_names == book.sheet_names
    for name in book.sheet_names:
        assert (copy.get_sheet_by_name(name).to_python()
                == book.get_sheet_by_name(name).to_python())


def test_no_stored_copy_of_a_damaged_member_nor_of_repeated_names(tmp_path):
    damaged = _zip(tmp_path / "a.xlsx")
    _patch_central_crc(damaged, "xl/worksheets/sheet2.xml")
    with Package(damaged) as package:
        assert package.stored() is None
    repeated = _zip(tmp_path / "b.xlsx")
    with pytest.warns(UserWarning), zipfile.ZipFile(repeated, "a") as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
    with Package(repeated) as package:
        assert package.stored() is None
