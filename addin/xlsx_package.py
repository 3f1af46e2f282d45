"""Replace whole worksheets inside an existing .xlsx package, at the XML level.

The control workbook holds the clerk's own sheets (Cấu hình, Đơn vị, anything they add);
Consolidate rewrites only its own sheets. Loading and saving the whole workbook with openpyxl
would cost seconds for a province and minutes nationally, so the consolidated sheets are
written here as SpreadsheetML directly (inline strings, a handful of cell styles appended to
``styles.xml`` once), and every other part of the package is copied byte for byte.
"""
from __future__ import annotations

import io
import itertools
import posixpath
import re
import shutil
import tempfile
import zipfile
from typing import BinaryIO, Callable, Iterable
from urllib.parse import quote
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from lxml import etree

try:  # ISA-L's deflate: the control workbook's sheets compressed in a third of zlib's time
    from isal.isal_zlib import compressobj as _compressobj
except ImportError:  # a platform isal has no wheel for: zipfile's zlib stays
    _compressobj = None

from workbook_templates.print_layout import (
    MARGINS, ORIENTATION, PAGE_FOOTER, PAGE_HEADER, PAPER_A4, PrintSetup, sheet_ref)

from .sheet_plan import Formula

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_WORKSHEET = NS_REL + "/worksheet"
REL_DRAWING = NS_REL + "/drawing"
REL_CHART = NS_REL + "/chart"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

_PRINT_NAMES = ("_xlnm.Print_Area", "_xlnm.Print_Titles")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_CHUNK = 1 << 20  # bytes copied at a time
_ROWS_AT_A_TIME = 2000  # <row> elements encoded and compressed at a time


# --- cell styles ------------------------------------------------------------------------

@dataclass(frozen=True)
class StyleSpec:
    """A cell style as this writer needs it."""

    num_fmt: str | None = None  # None: General
    bold: bool = False
    link: bool = False
    fill: str | None = None  # ARGB
    border: bool = False
    wrap: bool = False
    top: bool = False  # aligned to the top of the cell (a wrapped cell always is)


class Styles:
    """Find-or-append cell formats in ``styles.xml`` (idempotent across runs)."""

    def __init__(self, xml: bytes):
        self.root = etree.fromstring(xml)
        self._cache: dict[StyleSpec, int] = {}

    def _section(self, tag: str, before: tuple[str, ...] = ()) -> etree._Element:
        node = self.root.find(f"{{{NS_MAIN}}}{tag}")
        if node is None:
            node = etree.Element(f"{{{NS_MAIN}}}{tag}", count="0")
            anchor = next((self.root.find(f"{{{NS_MAIN}}}{t}") for t in before
                           if self.root.find(f"{{{NS_MAIN}}}{t}") is not None), None)
            if anchor is not None:
                anchor.addprevious(node)
            else:
                self.root.insert(0, node)
        return node

    def _find_or_add(self, section: etree._Element, xml: str) -> int:
        wanted = etree.fromstring(xml)
        canon = etree.tostring(wanted, method="c14n")
        for i, child in enumerate(section):
            if etree.tostring(child, method="c14n") == canon:
                return i
        section.append(wanted)
        section.set("count", str(len(section)))
        return len(section) - 1

    def _num_fmt_id(self, code: str | None) -> int:
        builtin = {None: 0, "0": 1, "#,##0": 3, "0.00": 2, "@": 49}
        if code in builtin:
            return builtin[code]
        fmts = self._section("numFmts", before=("fonts",))
        for nf in fmts:
            if nf.get("formatCode") == code:
                return int(nf.get("numFmtId"))
        new_id = max([163] + [int(nf.get("numFmtId")) for nf in fmts]) + 1
        etree.SubElement(fmts, f"{{{NS_MAIN}}}numFmt", numFmtId=str(new_id), formatCode=code)
        fmts.set("count", str(len(fmts)))
        return new_id

    def index(self, spec: StyleSpec) -> int:
        if spec in self._cache:
            return self._cache[spec]
        ns = f'xmlns="{NS_MAIN}"'
        color = 'rgb="FF0563C1"' if spec.link else 'theme="1"'
        font_xml = (f'<font {ns}>{"<b/>" if spec.bold else ""}{"<u/>" if spec.link else ""}'
                    f'<sz val="11"/><color {color}/><name val="Calibri"/><family val="2"/>'
                    f'</font>')
        font_id = self._find_or_add(self._section("fonts"), font_xml)
        fill_id = border_id = 0
        if spec.fill:
            fill_id = self._find_or_add(self._section("fills"), (
                f'<fill {ns}><patternFill patternType="solid"><fgColor rgb="{spec.fill}"/>'
                f'<bgColor indexed="64"/></patternFill></fill>'))
        if spec.border:
            sides = "".join(f'<{s} style="thin"><color auto="1"/></{s}>'
                            for s in ("left", "right", "top", "bottom"))
            border_id = self._find_or_add(self._section("borders"),
                                          f'<border {ns}>{sides}<diagonal/></border>')
        num_id = self._num_fmt_id(spec.num_fmt)
        align = ('<alignment vertical="top" wrapText="1"/>' if spec.wrap else
                 '<alignment vertical="top"/>' if spec.top else "")
        applied = {"applyNumberFormat": num_id, "applyFont": font_id, "applyFill": fill_id,
                   "applyBorder": border_id, "applyAlignment": align}
        flags = "".join(f' {k}="1"' for k, v in applied.items() if v)
        xf_xml = (f'<xf {ns} numFmtId="{num_id}" fontId="{font_id}" fillId="{fill_id}" '
                  f'borderId="{border_id}" xfId="0"{flags}>{align}</xf>')
        xf_id = self._find_or_add(self._section("cellXfs"), xf_xml)
        self._cache[spec] = xf_id
        return xf_id

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- cells and sheets -------------------------------------------------------------------

def col_letter(n: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def text_cell(ref: str, text: str, style: int) -> str:
    """The ``<c>`` of a text that is not empty (inline, never a formula)."""
    if text.isprintable():  # most texts: no control character, no other space than " "
        space = ' xml:space="preserve"' if text[:1] == " " or text[-1:] == " " else ""
    else:
        text = _ILLEGAL_XML.sub("", text)
        space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    if "&" in text or "<" in text or ">" in text:
        text = escape(text)
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def cell_xml(ref: str, value, style: int) -> str:
    """One ``<c>``: strings are always inline text, never formulas (a value typed as "=…"
    by a unit stays text)."""
    if type(value) is str and value:  # most cells: tested first
        return text_cell(ref, value, style)
    if isinstance(value, Formula):
        return f'<c r="{ref}" s="{style}"><f>{escape(value[1:])}</f></c>'
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>' if style else ""
    if isinstance(value, bool):
        return text_cell(ref, "Có" if value else "Không", style)
    if isinstance(value, (int, float)):
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        serial = (value - _EXCEL_EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{style}"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        serial = (value - _EXCEL_EPOCH.date()).days
        return f'<c r="{ref}" s="{style}"><v>{serial}</v></c>'
    return text_cell(ref, str(value), style)


RECENT_FILES = 1024  # files whose relationship a sheet's links look up again


class Hyperlinks:
    """A sheet's links: to other files (an external relationship per file, the cell as the
    link's location, ``'Sheet'!B7``) and to places in this workbook (a location only). The
    ``<hyperlink>`` elements and the relationships wait in temporary files (on disk past a
    megabyte): a sheet of 130,000 units' rows links to 130,000 files. Only the relationships
    of the last :data:`RECENT_FILES` files are looked up again (a sheet's rows come file by
    file); a file linked again after them gets a relationship of its own, as valid."""

    def __init__(self) -> None:
        self._rel_ids: dict[str, int] = {}  # by file as linked: its relationship's number
        self._rel_count = 0
        self._links = tempfile.SpooledTemporaryFile(max_size=1 << 20)
        self._rels = tempfile.SpooledTemporaryFile(max_size=1 << 20)
        self._count = 0

    def add(self, ref: str, target: str) -> None:
        path, _, location = target.partition("#")
        loc = f' location="{escape(location, {chr(34): "&quot;"})}"' if location else ""
        self._count += 1
        if not path:  # a place in this workbook: no relationship
            self._links.write(f'<hyperlink ref="{ref}"{loc}/>'.encode("utf-8"))
            return
        rid = self._rel_ids.get(path)
        if rid is None:
            rid = self._relationship(path)
        self._links.write(f'<hyperlink ref="{ref}" r:id="rId{rid}"{loc}/>'.encode("utf-8"))

    def _relationship(self, path: str) -> int:
        """A new relationship to the file at ``path`` (relative, as linked): its number."""
        if len(self._rel_ids) >= RECENT_FILES:
            self._rel_ids.clear()
        self._rel_count += 1
        rid = self._rel_ids[path] = self._rel_count
        target = escape(quote(path, safe="/:"), {chr(34): "&quot;"})
        self._rels.write(f'<Relationship Id="rId{rid}" Type="{NS_REL}/hyperlink" '
                         f'Target="{target}" TargetMode="External"/>'.encode("utf-8"))
        return rid

    def write_xml(self, out: BinaryIO) -> None:
        """The ``<hyperlinks>`` element (nothing when there is no link) into ``out``."""
        if not self._count:
            return
        out.write(b"<hyperlinks>")
        self._links.seek(0)
        shutil.copyfileobj(self._links, out, _CHUNK)
        out.write(b"</hyperlinks>")
        self._links.close()

    def rels(self) -> "StreamedRels | None":
        """What writes the sheet's relationships part (None: it links to no file)."""
        return self._write_rels if self._rel_count else None

    def _write_rels(self, out: BinaryIO) -> None:
        out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  f'<Relationships xmlns="{NS_PKG_REL}">'.encode("utf-8"))
        self._rels.seek(0)
        shutil.copyfileobj(self._rels, out, _CHUNK)
        out.write(b"</Relationships>")
        self._rels.close()


def worksheet_xml(rows_xml: list[str], widths: list[float], last_ref: str,
                  drawing_rid: str | None = None, frozen: bool = True,
                  autofilter: str | None = None, fit_height: int = 0) -> bytes:
    out = io.BytesIO()
    write_worksheet(out, rows_xml, widths, last_ref, drawing_rid=drawing_rid, frozen=frozen,
                    autofilter=autofilter, fit_height=fit_height)
    return out.getvalue()


def write_worksheet(out: BinaryIO, rows_xml: Iterable[str], widths: list[float],
                    last_ref: str, *, drawing_rid: str | None = None, frozen: bool = True,
                    autofilter: str | None = None, links: Hyperlinks | None = None,
                    fit_height: int = 0) -> None:
    """A worksheet's XML into ``out``, its rows (``<row>`` elements) a batch at a time."""
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                   for i, w in enumerate(widths, start=1))
    pane = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>') if frozen else ""
    out.write("".join([
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">',
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
        f'<dimension ref="A1:{last_ref}"/>',
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>',
        '<sheetFormatPr defaultRowHeight="15"/>',
        f"<cols>{cols}</cols>" if cols else "",
        "<sheetData>"]).encode("utf-8"))
    rows = iter(rows_xml)
    while batch := list(itertools.islice(rows, _ROWS_AT_A_TIME)):
        out.write("".join(batch).encode("utf-8"))
    out.write(("</sheetData>" + (f'<autoFilter ref="{autofilter}"/>' if autofilter else ""))
              .encode("utf-8"))
    if links is not None:
        links.write_xml(out)
    out.write((page_setup_xml(fit_height)
               + (f'<drawing r:id="{drawing_rid}"/>' if drawing_rid else "")
               + "</worksheet>").encode("utf-8"))


def page_setup_xml(fit_height: int) -> str:
    """A4 landscape, one page wide and ``fit_height`` pages tall (0: as needed), the margins,
    the sheet's name above and the page number below (see :mod:`~workbook_templates.print_layout`)."""
    left, right, top, bottom, header, footer = MARGINS
    return (
        '<printOptions horizontalCentered="1"/>'
        f'<pageMargins left="{left}" right="{right}" top="{top}" bottom="{bottom}" '
        f'header="{header}" footer="{footer}"/>'
        f'<pageSetup paperSize="{PAPER_A4}" orientation="{ORIENTATION}" fitToWidth="1" '
        f'fitToHeight="{fit_height}" firstPageNumber="1" useFirstPageNumber="1"/>'
        f'<headerFooter><oddHeader>{escape(PAGE_HEADER)}</oddHeader>'
        f'<oddFooter>{escape(PAGE_FOOTER)}</oddFooter></headerFooter>')


# --- the package ------------------------------------------------------------------------

class Package:
    """An .xlsx package held in memory: parts by name, with the workbook's sheet map."""

    def __init__(self, path):
        self.parts = _Parts(path)
        self.workbook = etree.fromstring(self.parts["xl/workbook.xml"])
        self.wb_rels = etree.fromstring(self.parts["xl/_rels/workbook.xml.rels"])
        self.types = etree.fromstring(self.parts["[Content_Types].xml"])
        self.styles = Styles(self.parts["xl/styles.xml"])

    # sheet map
    def sheet_part(self, name: str) -> str | None:
        for sheet in self.workbook.iter(f"{{{NS_MAIN}}}sheet"):
            if sheet.get("name") == name:
                rid = sheet.get(f"{{{NS_REL}}}id")
                for rel in self.wb_rels:
                    if rel.get("Id") == rid:
                        return _resolve("xl", rel.get("Target"))
        return None

    def sheet_names(self) -> list[str]:
        return [s.get("name") for s in self.workbook.iter(f"{{{NS_MAIN}}}sheet")]

    def add_sheet(self, name: str, after: str | None = None) -> str:
        """Add a new worksheet named ``name`` (after sheet ``after``, else last) and return
        its part name."""
        n = 1
        while f"xl/worksheets/sheet{n}.xml" in self.parts:
            n += 1
        part = f"xl/worksheets/sheet{n}.xml"
        rid = self._new_rel_id(self.wb_rels)
        etree.SubElement(self.wb_rels, f"{{{NS_PKG_REL}}}Relationship", Id=rid,
                         Type=REL_WORKSHEET, Target=f"worksheets/sheet{n}.xml")
        sheets = self.workbook.find(f"{{{NS_MAIN}}}sheets")
        sheet_id = max(int(s.get("sheetId")) for s in sheets) + 1
        el = etree.Element(f"{{{NS_MAIN}}}sheet", name=name, sheetId=str(sheet_id))
        el.set(f"{{{NS_REL}}}id", rid)
        names = self.sheet_names()
        at = names.index(after) + 1 if after in names else len(names)
        sheets.insert(at, el)
        self._shift_local_names(at, +1)
        self._override("/" + part, CT_WORKSHEET)
        self.parts[part] = b""
        return part

    def remove_sheet(self, name: str) -> None:
        """Remove worksheet ``name``, its part, what its relationships pointed at and the
        defined names scoped to it."""
        part = self.sheet_part(name)
        sheets = self.workbook.find(f"{{{NS_MAIN}}}sheets")
        at = self.sheet_names().index(name)
        el = sheets[at]
        rid = el.get(f"{{{NS_REL}}}id")
        sheets.remove(el)
        for rel in [r for r in self.wb_rels if r.get("Id") == rid]:
            self.wb_rels.remove(rel)
        names = self._defined_names()
        for dn in [d for d in names if d.get("localSheetId") == str(at)]:
            names.remove(dn)
        self._shift_local_names(at + 1, -1)
        if part is not None:
            if _rels_name(part) in self.parts:
                self._drop_related(part, _rels_name(part))
            self.parts.pop(part, None)
            self._remove_override("/" + part)

    def _shift_local_names(self, first: int, by: int) -> None:
        """Defined names scoped to sheet ``first`` or later, moved ``by`` positions (a sheet
        added or removed before them); the active and first shown tab too."""
        names = self.workbook.find(f"{{{NS_MAIN}}}definedNames")
        for dn in (names if names is not None else ()):
            local = dn.get("localSheetId")
            if local is not None and int(local) >= first:
                dn.set("localSheetId", str(int(local) + by))
        for view in self.workbook.iter(f"{{{NS_MAIN}}}workbookView"):
            for attr in ("activeTab", "firstSheet"):
                if view.get(attr) is not None and int(view.get(attr)) >= first:
                    view.set(attr, str(max(int(view.get(attr)) + by, 0)))

    def replace_sheet(self, part: str, xml: bytes | StreamedPart,
                      rels: bytes | None = None) -> None:
        """Put ``xml`` in place of a worksheet part, dropping what its old relationships
        pointed at (drawings, charts, tables) so no orphan part is left. A
        :data:`StreamedPart` is written when the package is saved, with the relationships
        it returns."""
        rels_name = _rels_name(part)
        if rels_name in self.parts:
            self._drop_related(part, rels_name)
        self.parts[part] = xml
        if rels is not None:
            self.parts[rels_name] = rels

    def set_print(self, sheet: str, setup: PrintSetup) -> None:
        """The sheet's print area and repeated rows, as the defined names Excel keeps them
        in (``_xlnm.Print_Area``, ``_xlnm.Print_Titles``, scoped to the sheet)."""
        local_id = str(self.sheet_names().index(sheet))
        names = self._defined_names()
        for dn in list(names):
            if dn.get("localSheetId") == local_id and dn.get("name") in _PRINT_NAMES:
                names.remove(dn)
        for name, ref in zip(_PRINT_NAMES, (setup.area, setup.title_rows)):
            if ref:
                el = etree.SubElement(names, f"{{{NS_MAIN}}}definedName", name=name,
                                      localSheetId=local_id)
                el.text = sheet_ref(sheet, ref)

    def _defined_names(self) -> etree._Element:
        names = self.workbook.find(f"{{{NS_MAIN}}}definedNames")
        if names is None:
            names = etree.Element(f"{{{NS_MAIN}}}definedNames")
            before = [self.workbook.find(f"{{{NS_MAIN}}}{tag}")
                      for tag in ("sheets", "functionGroups", "externalReferences")]
            [el for el in before if el is not None][-1].addnext(names)
        return names

    def add_part(self, name: str, data: bytes, content_type: str) -> None:
        self.parts[name] = data
        self._override("/" + name, content_type)

    def free_name(self, pattern: str) -> str:
        n = 1
        while pattern.format(n) in self.parts:
            n += 1
        return pattern.format(n)

    def save(self, path) -> None:
        """The package at ``path``: the parts as they are, the streamed sheets written into
        it a batch of rows at a time, the styles they used last."""
        self.parts["xl/workbook.xml"] = _xml(self.workbook)
        self.parts["xl/_rels/workbook.xml.rels"] = _xml(self.wb_rels)
        self.parts["[Content_Types].xml"] = _xml(self.types)
        self.parts.pop("xl/calcChain.xml", None)
        self._drop_calc_chain_refs()
        order = ["[Content_Types].xml"] + [n for n in self.parts
                                           if n not in ("[Content_Types].xml", "xl/styles.xml")]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for name in order:
                self.parts.write(z, name)
            z.writestr("xl/styles.xml", self.styles.to_bytes())

    # internals
    def _drop_related(self, part: str, rels_name: str) -> None:
        rels = etree.fromstring(self.parts.pop(rels_name))
        base = posixpath.dirname(part)
        for rel in rels:
            if rel.get("TargetMode") == "External":
                continue
            target = _resolve(base, rel.get("Target"))
            if target in self.parts and rel.get("Type") in (REL_DRAWING, REL_CHART,
                                                           NS_REL + "/table"):
                sub_rels = _rels_name(target)
                if sub_rels in self.parts:
                    self._drop_related(target, sub_rels)
                del self.parts[target]
                self._remove_override("/" + target)

    def _drop_calc_chain_refs(self) -> None:
        for rel in list(self.wb_rels):
            if rel.get("Type", "").endswith("/calcChain"):
                self.wb_rels.remove(rel)
                self.parts["xl/_rels/workbook.xml.rels"] = _xml(self.wb_rels)
        self._remove_override("/xl/calcChain.xml")
        self.parts["[Content_Types].xml"] = _xml(self.types)

    def _override(self, part_name: str, content_type: str) -> None:
        self._remove_override(part_name)
        etree.SubElement(self.types, f"{{{NS_CT}}}Override", PartName=part_name,
                         ContentType=content_type)

    def _remove_override(self, part_name: str) -> None:
        for o in list(self.types):
            if o.get("PartName") == part_name:
                self.types.remove(o)

    @staticmethod
    def _new_rel_id(rels: etree._Element) -> str:
        used = {r.get("Id") for r in rels}
        n = 1
        while f"rId{n}" in used:
            n += 1
        return f"rId{n}"


# Writes a part's relationships into the package's stream.
StreamedRels = Callable[[BinaryIO], None]
# Writes a part into the package's stream when it is saved; returns the part's
# relationships (None: it has none).
StreamedPart = Callable[[BinaryIO], "StreamedRels | None"]
_SOURCE = object()  # a part still as the workbook read holds it


class _Parts(dict):
    """The package's parts by name: bytes, a :data:`StreamedPart`, or a part of the source
    workbook read only when asked for (and copied as it is when saved)."""

    def __init__(self, source) -> None:
        self._source = source
        with zipfile.ZipFile(source) as z:
            super().__init__((n, _SOURCE) for n in z.namelist())

    def __getitem__(self, name: str):
        value = super().__getitem__(name)
        if value is _SOURCE:
            with zipfile.ZipFile(self._source) as z:
                value = z.read(name)
            self[name] = value
        return value

    def pop(self, name: str, *default):
        if name in self:
            value = self[name]
            del self[name]
            return value
        return super().pop(name, *default)

    def write(self, z: zipfile.ZipFile, name: str) -> None:
        value = super().__getitem__(name)
        if isinstance(value, bytes):
            z.writestr(name, value)
            return
        with z.open(name, "w") as out:
            _faster_deflate(out)
            if value is _SOURCE:
                with zipfile.ZipFile(self._source) as src, src.open(name) as part:
                    shutil.copyfileobj(part, out, _CHUNK)
                rels = None
            else:
                rels = value(out)
        if rels is not None:
            with z.open(_rels_name(name), "w") as out:
                rels(out)


def _faster_deflate(out: BinaryIO) -> None:
    """ISA-L's deflate for the member ``out`` being written, before anything is written:
    zipfile's zlib at level 1 took 13 % of writing a control workbook; ISA-L's level 1,
    three and a half times as fast, compresses as well. (zipfile keeps a member's
    compressor in ``_compressor``; should it not, its own stays.)"""
    if _compressobj is not None and getattr(out, "_compressor", None) is not None:
        out._compressor = _compressobj(1, zipfile.ZIP_DEFLATED, -15)


def _rels_name(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _xml(el: etree._Element) -> bytes:
    return etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True)
