"""The next free document numbers shown on *Cấu hình* after a Documents run, in the
control workbook file or in the workbook open in Excel.

The file is changed in its package (only the cells of the "SỐ VĂN BẢN" block), written
beside it and moved into place, so every other part of the workbook stays as it was.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from lxml import etree
from openpyxl import load_workbook

from workbook_templates.forms import ControlSheet
from workbook_templates.settings_sheet import next_number_cells

from .xlsx_package import NS_MAIN, Package, col_letter

NumbersWriter = Callable[[dict[str, int]], None]
_TMP_PREFIX = ".~numbers."


def write_next_numbers(control: Path, numbers: dict[str, int]) -> None:
    """Write ``numbers`` (kind -> next free number) into the *Cấu hình* sheet of the
    control workbook file; a kind the sheet does not list, or a workbook without the sheet,
    is left to the register. Raises
    ``OSError`` when the file cannot be replaced (open in Excel, read-only folder)."""
    control = Path(control)
    cells = _cells(_settings_rows(control), numbers)
    if not cells:
        return
    package = Package(control)
    part = package.sheet_part(ControlSheet.SETTINGS)
    sheet = etree.fromstring(package.parts[part])
    for ref, number in cells.items():
        _set_number(sheet, ref, number)
    package.parts[part] = etree.tostring(sheet, xml_declaration=True, encoding="UTF-8",
                                         standalone=True)
    tmp = control.with_name(f"{_TMP_PREFIX}{os.getpid()}.{control.name}")
    try:
        package.save(tmp)
        os.replace(tmp, control)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_next_numbers_live(book, numbers: dict[str, int], rows: list[list]) -> None:
    """The same on the workbook open in Excel (xlwings): ``rows`` are its *Cấu hình* values
    from A1."""
    sheet = book.sheets[ControlSheet.SETTINGS]
    for (r, c), number in _positions(rows, numbers).items():
        sheet.range((r + 1, c + 1)).value = number


def _positions(rows: list[list], numbers: dict[str, int]) -> dict[tuple[int, int], int]:
    where = next_number_cells(rows)
    return {where[kind]: n for kind, n in numbers.items() if kind in where}


def _cells(rows: list[list], numbers: dict[str, int]) -> dict[str, int]:
    return {f"{col_letter(c + 1)}{r + 1}": n for (r, c), n in _positions(rows, numbers).items()}


def _settings_rows(control: Path) -> list[list]:
    wb = load_workbook(control, read_only=True, data_only=True)
    try:
        if ControlSheet.SETTINGS not in wb.sheetnames:
            return []
        return [list(r) for r in wb[ControlSheet.SETTINGS].iter_rows(values_only=True)]
    finally:
        wb.close()


def _set_number(sheet, ref: str, number: int) -> None:
    """Put ``number`` in cell ``ref``, keeping its style; the cell is made if missing."""
    ns = {"m": NS_MAIN}
    row_no = int("".join(ch for ch in ref if ch.isdigit()))
    data = sheet.find("m:sheetData", ns)
    row = data.find(f"m:row[@r='{row_no}']", ns)
    if row is None:
        row = etree.SubElement(data, f"{{{NS_MAIN}}}row", r=str(row_no))
        later = [r for r in data if int(r.get("r")) > row_no]
        if later:
            later[0].addprevious(row)
    cell = row.find(f"m:c[@r='{ref}']", ns)
    if cell is None:
        cell = etree.SubElement(row, f"{{{NS_MAIN}}}c", r=ref)
    for child in list(cell):
        cell.remove(child)
    cell.attrib.pop("t", None)
    etree.SubElement(cell, f"{{{NS_MAIN}}}v").text = str(number)
