"""The clerk's control workbook, created empty: settings, unit list and the sheets
Consolidate fills (each with its header row only)."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import forms, print_layout
from .campaign import Campaign
from .forms import Field, FieldType
from .settings_sheet import write_settings

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_BORDER = Border(bottom=Side(style="thin", color="808080"))
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
REVIEW_ROWS = 2000  # rows of a nomination sheet whose Duyệt cell offers Có/Không
REVIEW_ERROR = "Chọn Có hoặc Không."


def consolidated_sheets() -> list[tuple[str, tuple[Field, ...]]]:
    """Sheets Consolidate writes, in workbook order, with their columns."""
    sheets = [(forms.ControlSheet.STATUS, forms.STATUS_FIELDS),
              (forms.ControlSheet.PROBLEMS, forms.PROBLEM_FIELDS)]
    sheets += [(forms.CONSOLIDATED_SHEET[f.key], forms.consolidated_fields(f))
               for f in forms.UNIT_FORMS if f.key in forms.CONSOLIDATED_SHEET]
    sheets.append((forms.ControlSheet.HISTORY, forms.HISTORY_FIELDS))
    sheets.append((forms.ControlSheet.MAIL_LOG, forms.MAIL_LOG_FIELDS))  # issue 17
    return sheets


def write_header_sheet(ws, fields: Sequence[Field]) -> None:
    """Header row of a control sheet: titles, widths, frozen header, autofilter."""
    row = forms.CONTROL_HEADER_ROW
    for c, f in enumerate(fields, start=1):
        cell = ws.cell(row, c, f.title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.border, cell.alignment = HEADER_BORDER, HEADER_ALIGNMENT
        ws.column_dimensions[get_column_letter(c)].width = f.width
    ws.row_dimensions[row].height = print_layout.header_height(fields)
    ws.freeze_panes = ws.cell(row + 1, 1)
    ws.auto_filter.ref = f"A{row}:{get_column_letter(len(fields))}{row}"
    set_print(ws, print_layout.table_print(len(fields), 0))


def set_print(ws, setup: print_layout.PrintSetup | None) -> None:
    """A4 landscape, one page wide, margins, the sheet's name and page number on each page;
    the print area and repeated rows of ``setup`` (None: the whole sheet, no repeated rows)."""
    ws.page_setup.paperSize = print_layout.PAPER_A4
    ws.page_setup.orientation = print_layout.ORIENTATION
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = setup.fit_height if setup else 0
    ws.page_setup.firstPageNumber, ws.page_setup.useFirstPageNumber = 1, True
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins
    (margins.left, margins.right, margins.top, margins.bottom, margins.header,
     margins.footer) = print_layout.MARGINS
    ws.oddHeader.center.text = print_layout.PAGE_HEADER.removeprefix("&C")
    ws.oddFooter.center.text = print_layout.PAGE_FOOTER.removeprefix("&C")
    if setup is not None:
        ws.print_area = setup.area
        ws.print_title_rows = setup.title_rows


def _review_validation(ws, fields: Sequence[Field]) -> None:
    """Drop-downs on the clerk's yes/no review column (Duyệt)."""
    for c, f in enumerate(fields, start=1):
        if f in forms.REVIEW_FIELDS and f.type is FieldType.YESNO:
            letter = get_column_letter(c)
            dv = DataValidation(type="list", formula1='"' + ",".join(forms.YES_NO) + '"',
                                allow_blank=True, errorStyle="warning", error=REVIEW_ERROR,
                                showErrorMessage=True)
            first = forms.CONTROL_HEADER_ROW + 1
            dv.add(f"{letter}{first}:{letter}{first + REVIEW_ROWS - 1}")
            ws.add_data_validation(dv)


def create_control_workbook(path: str | Path, campaign: Campaign) -> Path:
    """Write a new control workbook for ``campaign`` at ``path``."""
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    write_settings(wb, campaign)
    set_print(wb[forms.ControlSheet.SETTINGS], None)
    set_print(wb[forms.ControlSheet.UNITS], None)
    for name, fields in consolidated_sheets():
        ws = wb.create_sheet(name)
        write_header_sheet(ws, fields)
        _review_validation(ws, fields)
    wb.active = 0
    wb.save(path)
    return path
