"""How far a sheet of a returned file reaches, read cheaply from the file before any parser
makes the sheet's used range dense (python-calamine allocates every cell of the rectangle
from A1 to the farthest cell holding a value: one stray value in XFD1048576 asks for
hundreds of gigabytes). A sheet reaching beyond what a form can hold is refused
(:class:`SheetTooFar`). For an xlsx/xlsm the sheet XML's dimension, then if need be its cell
references; for an .xls the DIMENSIONS record of each sheet; for xlsb and ods the reading
worker's memory limit."""
from __future__ import annotations

import re
import struct
import zipfile

from openpyxl.utils import get_column_letter

from .package import Package

MAX_ROWS = 100_000
MAX_COLUMNS = 702  # A…ZZ
MAX_CELLS = 5_000_000
LIMITS = f"tối đa {MAX_ROWS:,} dòng, {MAX_COLUMNS} cột".replace(",", ".")


class SheetTooFar(Exception):
    """A sheet reaches ``cell``, beyond the limits."""

    def __init__(self, sheet: str, cell: str):
        super().__init__(cell)
        self.sheet, self.cell = sheet, cell


_SHEET_PART = re.compile(r"xl/(?:worksheets|macrosheets|dialogsheets)/[^/]+\.xml")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)"')
# A cell reference beyond ZZ or beyond row 99,999; a row number; a two-letter column.
_FAR_REF = re.compile(rb'r="([A-Z]{3,}[0-9]+|[A-Z]{1,2}[0-9]{6,})"')
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row r="([0-9]+)"')
_TWO_LETTERS = re.compile(rb'r="([A-Z]{2})[0-9]')


def check_package(zf: zipfile.ZipFile) -> None:
    """Refuse a sheet whose farthest cell holding a value lies beyond what a form can hold
    (a parser makes the whole rectangle up to it). The ``<dimension>`` at the head of the
    sheet XML, which Excel and LibreOffice write exactly, is read first; only a sheet without
    one, or whose dimension is too large, is scanned for its cells' references. (A writer
    that lies in its dimension meets the reading worker's memory limit.)"""
    for name in zf.NameToInfo:
        if not _SHEET_PART.fullmatch(name):
            continue
        dim = _DIMENSION.search(_head(zf, name))
        if dim and _within(_column(dim.group(1)), int(dim.group(2))):
            continue
        far = _farthest(zf.read(name))
        if far:
            raise SheetTooFar(_sheet_title(zf, name), far)


_SHEET_HEAD = 4096  # bytes of a sheet's XML that hold its dimension


def _head(zf: zipfile.ZipFile, name: str) -> bytes:
    if isinstance(zf, Package):  # the sheet is decompressed once, for the readers too
        return zf.head(name, _SHEET_HEAD)
    with zf.open(name) as f:
        return f.read(_SHEET_HEAD)


def _within(cols: int, rows: int) -> bool:
    return rows <= MAX_ROWS and cols <= MAX_COLUMNS and rows * cols <= MAX_CELLS


def _farthest(data: bytes) -> str:
    """The reference of a cell holding a value beyond the limits ("" if none): a cell
    written ``<c r="XFD9"/>`` holds nothing and is passed over, as parsers do."""
    for m in _FAR_REF.finditer(data):
        end = data.find(b">", m.end())
        if end > 0 and data[end - 1:end] != b"/":
            return m.group(1).decode()
    rows = max((int(r) for r in _ROW_NUMBER.findall(data)), default=0)
    cols = max((_column(c) for c in _TWO_LETTERS.findall(data)), default=26)
    return "" if _within(cols, rows) else f"{get_column_letter(cols)}{rows}"


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_title(zf: zipfile.ZipFile, member: str) -> str:
    """The sheet name a worksheet part has in the workbook (the part name if not found)."""
    from html import unescape

    try:
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    except KeyError:
        return member.rsplit("/", 1)[-1]
    target = member[len("xl/"):]
    rid = re.search(r'Id="([^"]+)"[^>]*Target="/?(?:xl/)?%s"|Target="/?(?:xl/)?%s"[^>]*Id="'
                    r'([^"]+)"' % (re.escape(target), re.escape(target)), rels)
    if rid:
        sheet = re.search(r'<(?:\w+:)?sheet\b[^>]*name="([^"]*)"[^>]*r:id="%s"'
                          % re.escape(rid.group(1) or rid.group(2)), book)
        if sheet:
            return unescape(sheet.group(1))
    return member.rsplit("/", 1)[-1]


# --- .xls (BIFF8) ---------------------------------------------------------------------------

_BOF, _EOF, _BOUNDSHEET, _DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x0200


def check_biff8(stream: bytes) -> None:
    """Refuse a sheet of an .xls ``Workbook`` stream whose DIMENSIONS record (which every
    writer puts at the head of the sheet, and parsers size the sheet by) reaches too far."""
    for name, offset in _boundsheets(stream):
        dims = _first_record(stream, offset, _DIMENSIONS)
        if dims is None or len(dims) < 12:
            continue
        last_row, last_col = struct.unpack_from("<I", dims, 4)[0], struct.unpack_from(
            "<H", dims, 10)[0]
        if not _within(last_col, last_row):
            raise SheetTooFar(name, f"{get_column_letter(max(last_col, 1))}{last_row}")


def _records(stream: bytes, pos: int):
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        yield kind, stream[pos + 4:pos + 4 + size]
        pos += 4 + size


def _boundsheets(stream: bytes) -> list[tuple[str, int]]:
    """(name, stream offset of its BOF) of every worksheet, from the globals."""
    out = []
    for kind, data in _records(stream, 0):
        if kind == _EOF:
            break
        if kind == _BOUNDSHEET and len(data) >= 8 and data[5] == 0:  # a worksheet
            length, wide = data[6], data[7] & 1
            raw = data[8:8 + length * (2 if wide else 1)]
            out.append((raw.decode("utf-16-le" if wide else "latin-1", "replace"),
                        struct.unpack_from("<I", data)[0]))
    return out


def _first_record(stream: bytes, offset: int, wanted: int) -> bytes | None:
    for i, (kind, data) in enumerate(_records(stream, offset)):
        if kind == wanted:
            return data
        if kind == _EOF or i > 64 or (i == 0 and kind != _BOF):
            return None
    return None
