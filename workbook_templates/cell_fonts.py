"""What a returned workbook says about its cells that the fast reader does not: the font of
each cell and of each rich-text run (the evidence that text was typed in TCVN3 or VNI), Excel's
error values ("#N/A", which python-calamine reads as empty) and, in xlsx/xlsm, formulas saved
without a value.

xlsx/xlsm: a cell's font is looked up where the cell is, in its sheet's bytes (the reader
asks for the few cells its content does not settle); the styles are parsed once, the shared
strings (one ``lxml.etree.iterparse`` pass) only when a cell's runs are asked for, and a sheet
holding error values or formulas in one iterparse pass. .ods: ``content.xml``
in one pass, on the first question. .xls: the BIFF8 records of the workbook stream (FONT, XF,
SST with its formatting runs, LABELSST, BOOLERR, FORMULA), on the first question. Nothing is
written.
"""
from __future__ import annotations

import functools
import re
import struct
import zipfile
from pathlib import Path
from dataclasses import dataclass, field
from html import unescape

from lxml import etree

from .vntext import Hint, font_hint

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHEET_TAG = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL_TAG = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"'
                      rb'|<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')

Runs = tuple[tuple[str, Hint | None], ...]


def sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its member in the package (xl/worksheets/sheet1.xml)."""
    return dict(_members(zf.read("xl/workbook.xml"), zf.read("xl/_rels/workbook.xml.rels")))


@functools.lru_cache(maxsize=64)  # the files of a campaign share a few workbook parts
def _members(book: bytes, relations: bytes) -> tuple[tuple[str, str], ...]:
    rels = {}
    for m in _REL_TAG.finditer(relations):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        rels[rid.decode()] = target.decode()
    out = {}
    for m in _SHEET_TAG.finditer(book):
        target = rels.get(m.group(2).decode())
        if target is not None:
            name = unescape(m.group(1).decode("utf-8"))
            out[name] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return tuple(out.items())


@dataclass
class _Sheet:
    errors: dict[str, str] = field(default_factory=dict)  # cell -> "#N/A"
    unvalued: set[str] = field(default_factory=set)  # formula cells saved with no value


def open_fonts(path: Path, package: zipfile.ZipFile | None) -> "Fonts | None":
    """The font reader for the workbook at ``path`` (``package``: its zip, open), or None for
    a format whose fonts are not read. Nothing is parsed until a question is asked."""
    suffix = path.suffix.lower()
    if package is not None and suffix in (".xlsx", ".xlsm"):
        return CellFonts(package)
    if package is not None and suffix == ".ods":
        return OdsFonts(package)
    if package is None and suffix == ".xls":
        return XlsFonts(path)
    return None


class Fonts:
    """What a font reader answers; formats without errors or unsaved formulas say none."""

    def hint(self, sheet: str, cell: str) -> Hint | None:
        raise NotImplementedError

    def runs(self, sheet: str, cell: str) -> Runs | None:
        raise NotImplementedError

    def error(self, sheet: str, cell: str) -> str | None:
        return None

    def unvalued(self, sheet: str, cell: str) -> bool:
        return False


class _Eager(Fonts):
    """A reader that reads every text cell's font and runs, and every error value, at the
    first question."""

    def __init__(self) -> None:
        self._cells: dict[tuple[str, str], tuple[str | None, tuple]] | None = None
        self._errors: dict[tuple[str, str], str] = {}

    def _read(self) -> tuple[dict[tuple[str, str], tuple[str | None, tuple]],
                             dict[tuple[str, str], str]]:
        """(sheet, cell) -> (font name, runs as (text, font name)); (sheet, cell) -> error."""
        raise NotImplementedError

    def _cell(self, sheet: str, cell: str) -> tuple[str | None, tuple]:
        if self._cells is None:
            try:
                self._cells, self._errors = self._read()
            except Exception:  # a damaged part: no font evidence, the content decides
                self._cells = {}
        return self._cells.get((sheet, cell), (None, ()))

    def hint(self, sheet: str, cell: str) -> Hint | None:
        return font_hint(self._cell(sheet, cell)[0])

    def runs(self, sheet: str, cell: str) -> Runs | None:
        font, runs = self._cell(sheet, cell)
        if not runs:
            return None
        return tuple((text, font_hint(own or font)) for text, own in runs)

    def error(self, sheet: str, cell: str) -> str | None:
        self._cell(sheet, cell)
        return self._errors.get((sheet, cell))


class CellFonts(Fonts):
    """Fonts, errors and unsaved formulas of the cells of one xlsx/xlsm package. A cell's
    font is looked up where the cell is, in the sheet's bytes (the reader asks for few cells);
    errors and unsaved formulas come from one pass over a sheet that holds any."""

    def __init__(self, zf: zipfile.ZipFile):
        self._zf = zf
        self._members: dict[str, str] | None = None
        self._data: dict[str, bytes] = {}
        self._elements: dict[tuple[str, str], etree._Element | None] = {}
        self._sheets: dict[str, _Sheet] = {}
        self._xf_fonts: list[str | None] | None = None
        self._shared_runs: dict[int, Runs] | None = None

    def hint(self, sheet: str, cell: str) -> Hint | None:
        """What the font of ``cell`` says (None: no font known)."""
        element = self._element(sheet, cell)
        index = int(element.get("s", "0") or 0) if element is not None else 0
        fonts = self._fonts()
        return font_hint(fonts[index] if index < len(fonts) else None)

    def runs(self, sheet: str, cell: str) -> Runs | None:
        """The rich-text runs of ``cell`` with each run's font (a run without its own font
        takes the cell's), or None for plain text."""
        element = self._element(sheet, cell)
        if element is None:
            return None
        runs: Runs | None = None
        if element.get("t") == "inlineStr" and element.find(f"{_MAIN}is") is not None:
            runs = _runs(element.find(f"{_MAIN}is")) or None
        elif element.get("t") == "s":
            v = element.find(f"{_MAIN}v")
            if v is not None and (v.text or "").strip().isdigit():
                runs = self._shared().get(int(v.text))
        if runs is None:
            return None
        own = self.hint(sheet, cell)
        return tuple((text, hint or own) for text, hint in runs)

    def error(self, sheet: str, cell: str) -> str | None:
        return self._sheet(sheet).errors.get(cell)

    def unvalued(self, sheet: str, cell: str) -> bool:
        return cell in self._sheet(sheet).unvalued

    # -- reading
    def _member(self, name: str) -> str | None:
        if self._members is None:
            self._members = sheet_members(self._zf)
        return self._members.get(name)

    def _element(self, sheet: str, cell: str) -> etree._Element | None:
        """The ``<c>`` element of ``cell``, parsed alone from the sheet's bytes (once: a
        cell's runs and its font are both asked)."""
        key = (sheet, cell)
        if key not in self._elements:
            self._elements[key] = self._parse_element(sheet, cell)
        return self._elements[key]

    def _parse_element(self, sheet: str, cell: str) -> etree._Element | None:
        if sheet not in self._data:
            member = self._member(sheet)
            self._data[sheet] = self._zf.read(member) if member else b""
        xml = _cell_xml(self._data[sheet], cell)
        if xml is None:
            return None
        try:
            return etree.fromstring(xml.replace(b"<c", b'<c xmlns="%s"' % _MAIN[1:-1].encode(),
                                                1))
        except etree.XMLSyntaxError:
            return None

    def _sheet(self, name: str) -> _Sheet:
        if name not in self._sheets:
            member = self._member(name)
            self._sheets[name] = _read_sheet(self._zf, member) if member else _Sheet()
        return self._sheets[name]

    def _fonts(self) -> list[str | None]:
        """The font name of each cell style (cellXfs), in order."""
        if self._xf_fonts is None:
            try:
                styles = self._zf.read("xl/styles.xml")
            except KeyError:
                styles = b""
            self._xf_fonts = _style_fonts(styles)
        return self._xf_fonts

    def _shared(self) -> dict[int, Runs]:
        """Shared strings written in rich-text runs, by index."""
        if self._shared_runs is None:
            self._shared_runs = {}
            try:
                source = self._zf.open("xl/sharedStrings.xml")
            except KeyError:
                return self._shared_runs
            with source:
                for i, (_, si) in enumerate(etree.iterparse(source, tag=f"{_MAIN}si")):
                    runs = _runs(si)
                    if runs:
                        self._shared_runs[i] = runs
                    si.clear()
        return self._shared_runs


def _cell_xml(data: bytes, cell: str) -> bytes | None:
    """The XML of the first ``<c>`` element whose ``r`` is ``cell``, up to its ``/>`` or its
    first ``</c>`` (found by plain search: a sheet holds thousands of cells)."""
    needle = b'r="%s"' % cell.encode()
    at = data.find(needle)
    while at >= 0:
        start = data.rfind(b"<", 0, at)
        if (start >= 0 and data[start + 1:start + 2] == b"c"
                and not _WORD_BYTE.match(data, start + 2)
                and not _WORD_BYTE.match(data, at - 1) and data.find(b">", start, at) < 0):
            end = data.find(b">", at)
            if end < 0:
                return None
            if data[end - 1:end] == b"/":
                return data[start:end + 1]
            close = data.find(b"</c>", end)
            return None if close < 0 else data[start:close + 4]
        at = data.find(needle, at + 1)
    return None


_WORD_BYTE = re.compile(rb"\w")
_STYLES: dict[bytes, list[str | None]] = {}  # styles.xml -> font of each cell style
_STYLES_KEPT = 64  # a province's templates share a handful of style sheets


def _style_fonts(styles: bytes) -> list[str | None]:
    """The font name of each cell style (cellXfs) of ``styles`` (xl/styles.xml), in order;
    parsed once for every file whose styles are the same (the list is never changed)."""
    fonts = _STYLES.get(styles)
    if fonts is None:
        fonts = []
        try:
            root = etree.fromstring(styles) if styles else None
        except etree.XMLSyntaxError:
            root = None
        if root is not None:
            names = [_font_name(f) for f in root.iterfind(f"{_MAIN}fonts/{_MAIN}font")]
            for xf in root.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf"):
                i = int(xf.get("fontId", "0") or 0)
                fonts.append(names[i] if i < len(names) else None)
        if len(_STYLES) >= _STYLES_KEPT:
            _STYLES.clear()
        _STYLES[styles] = fonts
    return fonts


def _font_name(font: etree._Element) -> str | None:
    name = font.find(f"{_MAIN}name")
    if name is None:
        name = font.find(f"{_MAIN}rFont")
    return None if name is None else name.get("val")


def _runs(parent: etree._Element) -> Runs:
    out = []
    for r in parent.iterfind(f"{_MAIN}r"):
        props = r.find(f"{_MAIN}rPr")
        font = None if props is None else _font_name(props)
        out.append(("".join(t.text or "" for t in r.iterfind(f"{_MAIN}t")), font_hint(font)))
    return tuple(out)


def _read_sheet(zf: zipfile.ZipFile, member: str) -> _Sheet:
    """One pass over a sheet's XML: the cells holding an error value, or a formula saved
    without its value."""
    out = _Sheet()
    try:
        source = zf.open(member)
    except KeyError:
        return out
    with source:
        for _, c in etree.iterparse(source, tag=f"{_MAIN}c"):
            ref = c.get("r")
            v = c.find(f"{_MAIN}v")
            value = None if v is None else v.text
            if ref is not None and c.get("t") == "e" and value:
                out.errors[ref] = value
            elif ref is not None and not value and c.find(f"{_MAIN}f") is not None:
                out.unvalued.add(ref)
            c.clear()
    return out


# --- OpenDocument (.ods) ----------------------------------------------------------------------

_NS = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
       "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
       "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
       "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
       "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return "{%s}%s" % (_NS[prefix], local)


class OdsFonts(_Eager):
    """Cell and span fonts of an .ods package (styles.xml for the named styles)."""

    def __init__(self, zf: zipfile.ZipFile):
        super().__init__()
        self._zf = zf

    def _read(self) -> tuple[dict, dict]:
        faces: dict[str, str] = {}
        styles: dict[str, tuple[str | None, str | None]] = {}  # name -> (font, parent)
        if "styles.xml" in self._zf.namelist():
            _ods_styles(etree.fromstring(self._zf.read("styles.xml")), faces, styles)
        with self._zf.open("content.xml") as source:
            return _ods_cells(source, faces, styles)


def _ods_styles(root, faces: dict, styles: dict) -> None:
    for face in root.iter(_q("style:font-face")):
        faces[face.get(_q("style:name"))] = (face.get(_q("svg:font-family")) or "").strip("'\"")
    for st in root.iter(_q("style:style")):
        props = st.find(_q("style:text-properties"))
        font = None if props is None else props.get(_q("style:font-name"))
        styles[st.get(_q("style:name"))] = (font, st.get(_q("style:parent-style-name")))


def _ods_font(name: str | None, faces: dict, styles: dict) -> str | None:
    for _ in range(8):  # a style inherits its parent's font
        if name is None or name not in styles:
            return None
        font, name = styles[name]
        if font:
            return faces.get(font, font)
    return None


def _ods_cells(source, faces: dict, styles: dict) -> tuple[dict, dict]:
    out: dict[tuple[str, str], tuple[str | None, tuple]] = {}
    errors: dict[tuple[str, str], str] = {}
    sheet, row, col, columns, row_style = "", 0, 0, [], None
    cell_tags = (_q("table:table-cell"), _q("table:covered-table-cell"))
    for event, el in etree.iterparse(source, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == _q("table:table"):
                sheet, row, columns = el.get(_q("table:name")) or "", 0, []
            elif tag == _q("table:table-row"):
                col, row_style = 0, el.get(_q("table:default-cell-style-name"))
            continue
        if tag in (_q("office:font-face-decls"), _q("office:automatic-styles")):
            _ods_styles(el, faces, styles)
        elif tag == _q("table:table-column"):
            repeat = int(el.get(_q("table:number-columns-repeated"), "1"))
            columns += [el.get(_q("table:default-cell-style-name"))] * min(repeat, 1024)
        elif tag in cell_tags:
            repeat = int(el.get(_q("table:number-columns-repeated"), "1"))
            if el.find(_q("text:p")) is not None:
                style = el.get(_q("table:style-name")) or row_style or (
                    columns[col] if col < len(columns) else None)
                font = _ods_font(style, faces, styles)
                out[(sheet, _ref(row, col))] = (font, _ods_runs(el, faces, styles))
                if el.get(_q("calcext:value-type")) == "error":
                    errors[(sheet, _ref(row, col))] = "".join(el.itertext()).strip()
            col += repeat
            el.clear()
        elif tag == _q("table:table-row"):
            row += int(el.get(_q("table:number-rows-repeated"), "1"))
            el.clear()
    return out, errors


def _ods_runs(cell, faces: dict, styles: dict) -> tuple:
    """The spans of a cell's paragraphs with their fonts, when it has styled spans."""
    runs: list[tuple[str, str | None]] = []
    styled = False
    for i, p in enumerate(cell.iterfind(_q("text:p"))):
        if i:
            runs.append(("\n", None))
        runs.append((p.text or "", None))
        for child in p:
            if child.tag == _q("text:span"):
                styled = True
                runs.append(("".join(child.itertext()),
                             _ods_font(child.get(_q("text:style-name")), faces, styles)))
            elif child.tag == _q("text:s"):
                runs.append((" " * int(child.get(_q("text:c"), "1")), None))
            runs.append((child.tail or "", None))
    return tuple(r for r in runs if r[0]) if styled else ()


def _ref(row: int, col: int) -> str:
    letters, n = "", col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


# --- Excel 97-2003 (.xls, BIFF8) ------------------------------------------------------------

_BOF, _FONT, _XF, _SHEET, _SST, _CONTINUE, _LABELSST, _BOOLERR, _FORMULA = (
    0x0809, 0x0031, 0x00E0, 0x0085, 0x00FC, 0x003C, 0x00FD, 0x0205, 0x0006)
_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
           0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


class XlsFonts(_Eager):
    """Cell fonts and rich-text runs of a BIFF8 workbook stream."""

    def __init__(self, path: Path):
        super().__init__()
        self._path = path

    def _read(self) -> tuple[dict, dict]:
        import olefile

        with olefile.OleFileIO(str(self._path)) as ole:
            stream = "Workbook" if ole.exists("Workbook") else "Book"
            data = ole.openstream(stream).read()
        return _biff_cells(data)


def _biff_records(data: bytes):
    pos = 0
    while pos + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, pos)
        yield pos, kind, data[pos + 4:pos + 4 + size]
        pos += 4 + size


def _biff_cells(data: bytes) -> tuple[dict, dict]:
    """Each text cell's font and runs, and each error value (a BOOLERR record, or a formula
    whose cached result is an error), by (sheet, cell)."""
    errors: dict[tuple[str, str], str] = {}
    fonts: list[str] = []
    xf_fonts: list[int] = []
    sheets: dict[int, str] = {}  # offset of the sheet's BOF -> name
    sst_parts: list[bytes] = []
    out: dict[tuple[str, str], tuple[str | None, tuple]] = {}
    strings: list[tuple[str, list]] | None = None
    sheet, last = None, None
    for pos, kind, body in _biff_records(data):
        if kind == _FONT:
            fonts.append(_biff_string(body, 14, 1))
        elif kind == _XF:
            xf_fonts.append(struct.unpack_from("<H", body)[0])
        elif kind == _SHEET:
            sheets[struct.unpack_from("<I", body)[0]] = _biff_string(body, 6, 1)
        elif kind == _SST or (kind == _CONTINUE and last == _SST):
            sst_parts.append(body)
            kind = _SST
        elif kind == _BOF:
            sheet = sheets.get(pos)
        elif kind == _LABELSST and sheet is not None:
            if strings is None:
                strings = _biff_sst(sst_parts) if sst_parts else []
            row, col, xf, index = struct.unpack_from("<HHHI", body)
            font = _xf_font(xf, xf_fonts, fonts)
            text, runs = strings[index] if index < len(strings) else ("", [])
            out[(sheet, _ref(row, col))] = (font, _biff_runs(text, runs, fonts))
        elif kind in (_BOOLERR, _FORMULA) and sheet is not None and \
                len(body) >= (8 if kind == _BOOLERR else 14):
            row, col = struct.unpack_from("<HH", body)
            code = _biff_error(kind, body)
            if code is not None:
                errors[(sheet, _ref(row, col))] = code
        last = kind
    return out, errors


def _biff_error(kind: int, body: bytes) -> str | None:
    """The error value a BOOLERR or FORMULA record holds, if it holds one."""
    if kind == _BOOLERR:
        return _ERRORS.get(body[6], "#N/A") if body[7] == 1 else None
    if body[12:14] == b"\xff\xff" and body[6] == 2:  # a formula's cached result: an error
        return _ERRORS.get(body[8], "#N/A")
    return None


def _xf_font(xf: int, xf_fonts: list[int], fonts: list[str]) -> str | None:
    if xf >= len(xf_fonts):
        return None
    index = xf_fonts[xf]
    index = index - 1 if index > 4 else index  # BIFF has no font 4
    return fonts[index] if index < len(fonts) else None


def _biff_runs(text: str, runs: list[tuple[int, int]], fonts: list[str]) -> tuple:
    """The text cut at its formatting runs, each part with its font (the first part, before
    any run, with the cell's)."""
    if not runs:
        return ()
    out = [(text[:runs[0][0]], None)] if runs[0][0] else []
    for i, (start, font) in enumerate(runs):
        end = runs[i + 1][0] if i + 1 < len(runs) else len(text)
        index = font - 1 if font > 4 else font
        out.append((text[start:end], fonts[index] if index < len(fonts) else None))
    return tuple(r for r in out if r[0])


def _biff_string(body: bytes, at: int, size_bytes: int) -> str:
    """A string whose character count (1 or 2 bytes) is at ``at``, then its flags."""
    count = body[at] if size_bytes == 1 else struct.unpack_from("<H", body, at)[0]
    flags, start = body[at + size_bytes], at + size_bytes + 1
    if flags & 1:
        return body[start:start + 2 * count].decode("utf-16-le", "replace")
    return body[start:start + count].decode("latin-1")


class _Parts:
    """The SST record and its CONTINUE records, read as one stream of fields."""

    def __init__(self, parts: list[bytes]):
        self.parts, self.i, self.pos = parts, 0, 8

    def _ensure(self) -> None:
        while self.pos >= len(self.parts[self.i]) and self.i + 1 < len(self.parts):
            self.i, self.pos = self.i + 1, 0

    def unpack(self, fmt: str) -> tuple:
        self._ensure()
        values = struct.unpack_from(fmt, self.parts[self.i], self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def chars(self, count: int, high: bool) -> str:
        out = []
        while count:
            if self.pos >= len(self.parts[self.i]):  # a CONTINUE restates the width
                self.i += 1
                high, self.pos = bool(self.parts[self.i][0] & 1), 1
            width = 2 if high else 1
            take = min(count, (len(self.parts[self.i]) - self.pos) // width)
            raw = self.parts[self.i][self.pos:self.pos + take * width]
            out.append(raw.decode("utf-16-le" if high else "latin-1"))
            self.pos += take * width
            count -= take
        return "".join(out)

    def skip(self, n: int) -> None:
        while n:
            self._ensure()
            step = min(n, len(self.parts[self.i]) - self.pos)
            self.pos += step
            n -= step


def _biff_sst(parts: list[bytes]) -> list[tuple[str, list[tuple[int, int]]]]:
    reader = _Parts(parts)
    total = struct.unpack_from("<I", parts[0], 4)[0]
    out = []
    for _ in range(total):
        count, flags = reader.unpack("<HB")
        runs = reader.unpack("<H")[0] if flags & 8 else 0
        ext = reader.unpack("<I")[0] if flags & 4 else 0
        text = reader.chars(count, bool(flags & 1))
        rich = [reader.unpack("<HH") for _ in range(runs)]
        reader.skip(ext)
        out.append((text, rich))
    return out
