"""What a returned xlsx/xlsm package says about its cells that the fast reader does not: the
font of each cell and of each rich-text run (the evidence that text was typed in TCVN3 or
VNI), Excel error values ("#N/A") and formulas saved without a value.

Read lazily, one sheet at a time, in one pass of ``lxml.etree.iterparse``: the styles once,
the shared strings only when a cell's runs are asked for. The package is never written.
"""
from __future__ import annotations

import re
import zipfile
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
    rels = {}
    for m in _REL_TAG.finditer(zf.read("xl/_rels/workbook.xml.rels")):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        rels[rid.decode()] = target.decode()
    out = {}
    for m in _SHEET_TAG.finditer(zf.read("xl/workbook.xml")):
        target = rels.get(m.group(2).decode())
        if target is not None:
            name = unescape(m.group(1).decode("utf-8"))
            out[name] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


@dataclass
class _Sheet:
    styles: dict[str, int] = field(default_factory=dict)  # cell -> style (xf) index
    shared: dict[str, int] = field(default_factory=dict)  # cell -> shared string index
    inline: dict[str, Runs] = field(default_factory=dict)  # cell -> rich inline runs
    errors: dict[str, str] = field(default_factory=dict)  # cell -> "#N/A"
    unvalued: set[str] = field(default_factory=set)  # formula cells saved with no value


class CellFonts:
    """Fonts, errors and unsaved formulas of the cells of one xlsx/xlsm package."""

    def __init__(self, zf: zipfile.ZipFile):
        self._zf = zf
        self._members = sheet_members(zf)
        self._sheets: dict[str, _Sheet] = {}
        self._xf_fonts: list[str | None] | None = None
        self._shared_runs: dict[int, Runs] | None = None

    def hint(self, sheet: str, cell: str) -> Hint | None:
        """What the font of ``cell`` says (None: no font known)."""
        index = self._sheet(sheet).styles.get(cell, 0)
        fonts = self._fonts()
        return font_hint(fonts[index] if index < len(fonts) else None)

    def runs(self, sheet: str, cell: str) -> Runs | None:
        """The rich-text runs of ``cell`` with each run's font (a run without its own font
        takes the cell's), or None for plain text."""
        data = self._sheet(sheet)
        runs = data.inline.get(cell)
        if runs is None and cell in data.shared:
            runs = self._shared().get(data.shared[cell])
        if runs is None:
            return None
        own = self.hint(sheet, cell)
        return tuple((text, hint or own) for text, hint in runs)

    def error(self, sheet: str, cell: str) -> str | None:
        return self._sheet(sheet).errors.get(cell)

    def unvalued(self, sheet: str, cell: str) -> bool:
        return cell in self._sheet(sheet).unvalued

    # -- reading
    def _sheet(self, name: str) -> _Sheet:
        if name not in self._sheets:
            member = self._members.get(name)
            self._sheets[name] = _read_sheet(self._zf, member) if member else _Sheet()
        return self._sheets[name]

    def _fonts(self) -> list[str | None]:
        """The font name of each cell style (cellXfs), in order."""
        if self._xf_fonts is None:
            self._xf_fonts = []
            try:
                root = etree.fromstring(self._zf.read("xl/styles.xml"))
            except (KeyError, etree.XMLSyntaxError):
                return self._xf_fonts
            names = [_font_name(f) for f in root.iterfind(f"{_MAIN}fonts/{_MAIN}font")]
            for xf in root.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf"):
                i = int(xf.get("fontId", "0") or 0)
                self._xf_fonts.append(names[i] if i < len(names) else None)
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
    """One pass over a sheet's XML: each cell's style, string index, runs, error, formula."""
    out = _Sheet()
    try:
        source = zf.open(member)
    except KeyError:
        return out
    with source:
        for _, c in etree.iterparse(source, tag=f"{_MAIN}c"):
            ref = c.get("r")
            if ref is None:
                c.clear()
                continue
            style, kind = c.get("s"), c.get("t")
            if style:
                out.styles[ref] = int(style)
            v = c.find(f"{_MAIN}v")
            value = None if v is None else v.text
            if kind == "s" and value:
                out.shared[ref] = int(value)
            elif kind == "inlineStr" and c.find(f"{_MAIN}is") is not None:
                runs = _runs(c.find(f"{_MAIN}is"))
                if runs:
                    out.inline[ref] = runs
            elif kind == "e" and value:
                out.errors[ref] = value
            if not value and c.find(f"{_MAIN}f") is not None:
                out.unvalued.add(ref)
            c.clear()
    return out
