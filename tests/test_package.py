"""A returned file's package reads each member as zipfile does, and a damaged member fails
as zipfile says (the readers' messages depend on it)."""
from __future__ import annotations

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
