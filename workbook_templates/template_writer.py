"""The pre-filled workbook each unit receives for one phase, written from the forms definition.

Sheets: *Hướng dẫn*, one sheet per form of the phase (:data:`forms.ALL_UNIT_FORMS`), the hidden lists sheet
behind the drop-downs and the hidden meta sheet. Every sheet is protected (no password) with
only the entry cells unlocked. Styles are set once on a prototype cell per column and copied
to the other rows, and validations cover whole column ranges, so a workbook takes a few tens
of milliseconds.
"""
from __future__ import annotations

from copy import copy
from datetime import date, datetime
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from . import forms
from .campaign import TARGET_COLLECTIVE, TARGET_INDIVIDUAL, Campaign, Phase, Unit
from .forms import ChoiceSource, DateWindow, Field, FieldType, Form, Layout, RuleKind

FREE_TEXT_ROWS = 8  # height, in rows, of the merged entry area of a free text cell
RECORD_WIDTHS = (30, 36, 70)
INSTRUCTIONS_WIDTH = 100
LINE_HEIGHT = 15.0  # points per line of wrapped text on the instructions sheet

# --- what the unit reads (UI text) ----------------------------------------------------------
SUBTITLE = "{unit} — {phase} năm {year}: {theme}"
LOCKED_HINT = "Điền sẵn, không sửa."
REQUIRED_HINT = "Bắt buộc nhập."
LIST_NAMES = {
    ChoiceSource.MOVEMENTS: "Phong trào",
    ChoiceSource.EVENTS: "Sự kiện",
    ChoiceSource.COLLECTIVE_FORMS: "Hình thức khen tập thể",
    ChoiceSource.INDIVIDUAL_FORMS: "Hình thức khen cá nhân",
    ChoiceSource.ETHNIC_GROUPS: "Dân tộc",
}
ERROR_TITLE = "Giá trị không hợp lệ"
ERR_LIST = "Chọn một giá trị trong danh sách (bấm mũi tên ▼ bên phải ô)."
ERR_WHOLE = "Nhập số nguyên{bounds}."
ERR_DECIMAL = "Nhập số{bounds}."
ERR_DATE = "Nhập ngày dạng ngày/tháng/năm{bounds}, ví dụ 25/06/{year}."
ERR_LENGTH = "Nội dung tối đa {n} ký tự."
ERR_PHONE = "Số điện thoại gồm 10–11 chữ số."
ERR_EMAIL = "Địa chỉ email phải có ký tự @, ví dụ congdoan@gmail.com."
BOUNDS_BETWEEN = " từ {lo} đến {hi}"
BOUNDS_MIN = " từ {lo} trở lên"
BOUNDS_MAX = " không quá {hi}"
DATE_BETWEEN = " trong khoảng {lo} – {hi}"
DATE_UNTIL = " đến hết ngày {hi}"
FOOTER = "Trang &P/&N"

INSTRUCTIONS_TITLE = "HƯỚNG DẪN ĐIỀN BIỂU MẪU BÁO CÁO THI ĐUA"
H_DEADLINE = "1. Thời hạn và cách gửi"
H_SHEETS = "2. Các trang cần điền"
H_HOW = "3. Cách nhập"
H_AWARDS = "4. Hình thức khen thưởng đơn vị được đề nghị (loại đơn vị: {type})"
H_CONTACT = "5. Liên hệ"
L_PERIOD = "- Thời gian của đợt thi đua: từ {start} đến {end}."
L_DEADLINE = "- Hạn gửi báo cáo: {deadline}."
L_SEND = ("- Gửi lại chính tệp này về {body}, giữ nguyên tên tệp “{file}”; không cần in, "
          "không cần chụp ảnh.")
L_RECORD = "- Trang “{sheet}”: mỗi dòng một thông tin, nhập vào cột “{value_col}”{prefilled}."
L_RECORD_PREFILLED = "; các dòng {titles} đã điền sẵn"
L_FIXED = ("- Trang “{sheet}”: mỗi dòng là một mục “{row}” đã ghi sẵn ({n} dòng); nhập vào "
           "các cột {entry}.")
L_FREE_TEXT = " Dưới bảng có ô “{title}”: {hint}"
L_TABLE = ("- Trang “{sheet}”: mỗi dòng một mục, nhập từ dòng {first}, tối đa {n} dòng; cột STT "
           "đã đánh số sẵn. Cột bắt buộc: {required}.")
L_HOW = (
    "- Các ô nền xám (mã, tên đơn vị, năm, đợt, số thứ tự, tên phong trào, tên chỉ tiêu) đã "
    "điền sẵn và bị khóa, không sửa được. Chỉ nhập vào các ô nền trắng có kẻ khung.",
    "- Bấm vào một ô để xem gợi ý cách nhập ô đó.",
    "- Ô có danh sách chọn: bấm vào ô, bấm mũi tên ▼ bên phải ô rồi chọn một dòng; không gõ "
    "giá trị khác với danh sách.",
    "- Ngày nhập theo dạng ngày/tháng/năm, ví dụ 25/06/{year}.",
    "- Số tiền nhập bằng đồng, chỉ gõ chữ số, ví dụ 1500000; không cần gõ dấu chấm ngăn cách "
    "hàng nghìn, bảng tính tự hiển thị.",
    "- Nhiều tác giả (hoặc nhiều người) trong một ô: cách nhau bằng dấu chấm phẩy (;), ví dụ: "
    "Nguyễn Văn An; Hoàng Thị Bình.",
    "- Không đổi tên, xóa, chèn hay sắp xếp lại các trang và các cột; không dán đè lên dòng "
    "tiêu đề. Có thể kéo rộng cột, dòng cho dễ đọc.",
    "- Tệp này được tạo riêng cho {unit}; không dùng tệp của đơn vị khác, không chép nội dung "
    "sang sổ khác.",
)
L_AWARD = "- {target}: {name} — tối đa {quota}."
L_NO_AWARD = "- {target}: không có hình thức nào."
L_CONTACT = "- {contact}"

# --- styles -------------------------------------------------------------------------------
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
TITLE_FONT = Font(bold=True, size=14)
SUBTITLE_FONT = Font(italic=True, size=11)
BOLD = Font(bold=True)
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)
CENTER_WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
TOP = Alignment(vertical="top")

# Entry cells by type, where the field declares no format of its own (Field.number_format):
# a NUMBER cell stays General, as the unit may type decimals or not.
NUMBER_FORMATS = {
    FieldType.INTEGER: "#,##0",
    FieldType.MONEY: "#,##0",
    FieldType.NUMBER: "General",
    FieldType.DATE: "dd/mm/yyyy",
    FieldType.PHONE: "@",
}


def identity_values(campaign: Campaign, unit: Unit, phase_number: int) -> dict[str, Any]:
    """The pre-filled value of each identity field, by field key."""
    return {"ma_don_vi": unit.code, "ten_don_vi": unit.name, "loai_don_vi": unit.type,
            "nam": campaign.year, "dot": phase_number, "phien_ban": forms.FORM_VERSION}


def _dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _number_format(f: Field) -> str:
    return f.number_format or NUMBER_FORMATS.get(f.type, "General")


class _Lists:
    """The hidden lists sheet: one column per distinct list of choices."""

    def __init__(self, campaign: Campaign, unit: Unit, form_defs: Sequence[Form]):
        self.columns: list[tuple[str, list[str]]] = []
        self._refs: dict[tuple[str, ...], str] = {}
        for form in form_defs:
            for f in form.fields:
                items = self._choices(campaign, unit, f)
                if items and tuple(items) not in self._refs:
                    name = LIST_NAMES.get(f.choices, f.title)
                    col = get_column_letter(len(self.columns) + 1)
                    self.columns.append((name, items))
                    self._refs[tuple(items)] = (f"{quote_sheetname(forms.LISTS_SHEET)}!"
                                                f"${col}$2:${col}${len(items) + 1}")

    @staticmethod
    def _choices(campaign: Campaign, unit: Unit, f: Field) -> list[str]:
        if isinstance(f.choices, ChoiceSource):
            return campaign.choices(f.choices, unit.type)
        if f.choices:
            return list(f.choices)
        if f.type is FieldType.YESNO:
            return list(forms.YES_NO)
        return []

    def ref(self, campaign: Campaign, unit: Unit, f: Field) -> str | None:
        items = self._choices(campaign, unit, f)
        return self._refs.get(tuple(items)) if items else None

    def write(self, ws) -> None:
        for c, (name, items) in enumerate(self.columns, start=1):
            ws.cell(1, c, name).font = BOLD
            for r, item in enumerate(items, start=2):
                ws.cell(r, c, item)
            ws.column_dimensions[get_column_letter(c)].width = 40


class _Context:
    """What the validations of one workbook depend on."""

    def __init__(self, campaign: Campaign, unit: Unit, phase: Phase, lists: _Lists):
        self.campaign, self.unit, self.phase, self.lists = campaign, unit, phase, lists

    def date_window(self, window: DateWindow | None) -> tuple[date | None, date | None]:
        year = self.campaign.year
        return {
            None: (None, None),
            DateWindow.PHASE: (self.phase.start, self.phase.end),
            DateWindow.YEAR: (date(year, 1, 1), date(year, 12, 31)),
            DateWindow.UNTIL_PHASE_END: (None, self.phase.end),
            DateWindow.REPORTING: (self.phase.start, self.phase.deadline),
        }[window]


def _bounds_text(lo: Any, hi: Any) -> str:
    if lo is not None and hi is not None:
        return BOUNDS_BETWEEN.format(lo=lo, hi=hi)
    if lo is not None:
        return BOUNDS_MIN.format(lo=lo)
    if hi is not None:
        return BOUNDS_MAX.format(hi=hi)
    return ""


def _item_cell(form: Form, attr: str) -> str:
    """The first data row's cell of the locked column pre-filled with ``attr`` (a relative
    reference: a validation over the column compares each row with its own cell)."""
    c = next(c for c, f in enumerate(form.fields, start=1) if f.item_attr == attr)
    return f"{get_column_letter(c)}{forms.FIRST_DATA_ROW}"


def _number(x: float | str) -> str:
    if isinstance(x, str):
        return x
    return str(int(x)) if float(x).is_integer() else str(x)


def _prompt(f: Field) -> str:
    text = " ".join(t for t in ((REQUIRED_HINT if f.required else ""), f.hint) if t)
    return text[:255]


def _field_validation(form: Form, f: Field, ctx: _Context) -> DataValidation | None:
    """The Excel validation of one field (drop-down, bounds, length), None if it has none."""
    kw: dict[str, Any] = {}
    style = "warning" if f.severity_warning else "stop"
    if f.type in (FieldType.CHOICE, FieldType.YESNO):
        ref = ctx.lists.ref(ctx.campaign, ctx.unit, f)
        if ref is None:
            return None
        kw = dict(type="list", formula1=ref, error=ERR_LIST)
    elif f.type in (FieldType.INTEGER, FieldType.NUMBER, FieldType.MONEY):
        lo, hi = f.min, f.max
        if f.max_item:  # bounded by the row's own locked cell (issue 14)
            hi = _item_cell(form, f.max_item)
        for rule in form.rules:
            if rule.kind is RuleKind.AGE_BETWEEN and rule.field == f.key and rule.bounds:
                lo, hi = ctx.campaign.year - rule.bounds[1], ctx.campaign.year - rule.bounds[0]
                style = "warning" if rule.warning else style
        whole = f.type is FieldType.INTEGER
        kw = dict(type="whole" if whole else "decimal",
                  error=(ERR_WHOLE if whole else ERR_DECIMAL).format(bounds=_bounds_text(
                      None if lo is None else _number(lo), None if hi is None else _number(hi))))
        if lo is not None and hi is not None:
            kw.update(operator="between", formula1=_number(lo), formula2=_number(hi))
        elif hi is not None:
            kw.update(operator="lessThanOrEqual", formula1=_number(hi))
        else:
            kw.update(operator="greaterThanOrEqual",
                      formula1=_number(lo) if lo is not None else "-999999999999")
    elif f.type is FieldType.DATE:
        lo, hi = ctx.date_window(f.date_window)
        bounds = (DATE_BETWEEN.format(lo=_dmy(lo), hi=_dmy(hi)) if lo and hi
                  else DATE_UNTIL.format(hi=_dmy(hi)) if hi else "")
        kw = dict(type="date", error=ERR_DATE.format(bounds=bounds, year=ctx.campaign.year))
        if lo and hi:
            kw.update(operator="between", formula1=str(int(to_excel(lo))),
                      formula2=str(int(to_excel(hi))))
        else:
            kw.update(operator="lessThanOrEqual" if hi else "greaterThanOrEqual",
                      formula1=str(int(to_excel(hi))) if hi else "1")
        style = "warning"  # a date typed as text is still read
    elif f.max_length:
        kw = dict(type="textLength", operator="lessThanOrEqual", formula1=str(f.max_length),
                  error=ERR_LENGTH.format(n=f.max_length))
    elif f.type is FieldType.PHONE:
        kw = dict(type="textLength", operator="between", formula1="10", formula2="15",
                  error=ERR_PHONE)
        style = "warning"
    elif f.type is FieldType.EMAIL:
        kw = dict(type="custom", formula1="ISNUMBER(SEARCH(\"@\",{cell}))", error=ERR_EMAIL)
        style = "warning"
    prompt = _prompt(f)
    if not kw and not prompt:
        return None
    dv = DataValidation(allow_blank=True, showErrorMessage=bool(kw), errorTitle=ERROR_TITLE,
                        errorStyle=style, showInputMessage=bool(prompt),
                        promptTitle=f.title[:32], prompt=prompt or None, **kw)
    return dv


def _add_validation(ws, dv: DataValidation | None, first: str, last: str) -> None:
    if dv is None:
        return
    if dv.formula1 and "{cell}" in dv.formula1:
        dv.formula1 = dv.formula1.format(cell=first)
    dv.add(f"{first}:{last}" if first != last else first)
    ws.add_data_validation(dv)


def _style(cell, *, font=None, fill=None, border=None, alignment=None, protection=None,
           number_format=None) -> None:
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment
    if protection is not None:
        cell.protection = protection
    if number_format is not None:
        cell.number_format = number_format


def _protect(ws) -> None:
    """Protect without a password; columns and rows may still be resized."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False


def _print_setup(ws, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = FOOTER
    ws.page_margins.left = ws.page_margins.right = 0.5


def _headings(ws, form: Form, n_cols: int, subtitle: str) -> None:
    last = get_column_letter(n_cols)
    ws.cell(forms.TITLE_ROW, 1, form.title).font = TITLE_FONT
    ws.cell(forms.TITLE_ROW, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A{forms.TITLE_ROW}:{last}{forms.TITLE_ROW}")
    ws.cell(forms.SUBTITLE_ROW, 1, subtitle).font = SUBTITLE_FONT
    ws.cell(forms.SUBTITLE_ROW, 1).alignment = Alignment(horizontal="center", wrap_text=True)
    ws.merge_cells(f"A{forms.SUBTITLE_ROW}:{last}{forms.SUBTITLE_ROW}")


def _header_row(ws, titles: Sequence[str], widths: Sequence[float]) -> None:
    for c, (title, width) in enumerate(zip(titles, widths), start=1):
        cell = ws.cell(forms.HEADER_ROW, c, title)
        _style(cell, font=BOLD, fill=HEADER_FILL, border=BORDER, alignment=CENTER_WRAP)
        ws.column_dimensions[get_column_letter(c)].width = width


def _write_record(ws, form: Form, ctx: _Context, identity: dict[str, Any]) -> None:
    _header_row(ws, forms.RECORD_COLUMNS, RECORD_WIDTHS)
    for r, f in enumerate(form.fields, start=forms.FIRST_DATA_ROW):
        label = ws.cell(r, 1, f.title)
        _style(label, font=BOLD if f.required else None, border=BORDER, alignment=TOP_WRAP)
        fixed = f.locked or f.identity
        value = ws.cell(r, 2, identity[f.key] if f.identity else None)
        _style(value, border=BORDER, number_format=_number_format(f),
               fill=LOCKED_FILL if fixed else None, protection=LOCKED if fixed else UNLOCKED,
               alignment=Alignment(horizontal="left", vertical="top",
                                   wrap_text=f.type is FieldType.LONGTEXT))
        hint = ws.cell(r, 3, LOCKED_HINT if fixed else _prompt(f))
        _style(hint, border=BORDER, alignment=TOP_WRAP, font=Font(italic=True, color="595959"))
        if not fixed:
            _add_validation(ws, _field_validation(form, f, ctx), f"B{r}", f"B{r}")


def _prototypes(ws, form: Form, row: int, locked_keys: set[str]) -> list:
    """Style the cells of one data row; the other rows copy these styles."""
    protos = []
    for c, f in enumerate(form.fields, start=1):
        cell = ws.cell(row, c)
        fixed = f.key in locked_keys
        _style(cell, border=BORDER, number_format=_number_format(f),
               fill=LOCKED_FILL if fixed else None, protection=LOCKED if fixed else UNLOCKED,
               alignment=TOP_WRAP if f.type is FieldType.LONGTEXT or fixed else TOP)
        protos.append(cell)
    return protos


def _fill_rows(ws, protos: list, first: int, last: int) -> None:
    for r in range(first + 1, last + 1):
        for c, proto in enumerate(protos, start=1):
            ws.cell(r, c)._style = copy(proto._style)


def _write_rows(ws, form: Form, ctx: _Context, items: Sequence | None) -> int:
    """FIXED (``items`` given) or TABLE rows; returns the last data row."""
    _header_row(ws, forms.titles(form.fields), [f.width for f in form.fields])
    first = forms.FIRST_DATA_ROW
    n = len(items) if items is not None else forms.TABLE_ENTRY_ROWS
    last = first + max(n, 1) - 1
    locked = {f.key for f in form.fields if f.locked}
    _fill_rows(ws, _prototypes(ws, form, first, locked), first, last)
    prefilled = [(c, f) for c, f in enumerate(form.fields, start=1)
                 if f.key == form.row_key or (f.locked and f.item_attr)]
    stt_col = next((c for c, f in enumerate(form.fields, start=1) if f.key == "stt"), None)
    for i in range(n):
        if stt_col:
            ws.cell(first + i, stt_col, i + 1)
        for c, f in prefilled if items is not None else ():
            ws.cell(first + i, c, forms.row_value(items[i], f))
    if form.row_source == "indicators":
        _money_rows(ws, form, ctx.campaign, first)
    for c, f in enumerate(form.fields, start=1):
        if f.key in locked:
            continue
        letter = get_column_letter(c)
        _add_validation(ws, _field_validation(form, f, ctx), f"{letter}{first}", f"{letter}{last}")
    return last


def _money_rows(ws, form: Form, campaign: Campaign, first: int) -> None:
    """Indicators counted in đồng show thousands separators in their value cells."""
    for c, f in enumerate(form.fields, start=1):
        if f.type is FieldType.NUMBER:
            for i, indicator in enumerate(campaign.indicators):
                if indicator.money:
                    ws.cell(first + i, c).number_format = NUMBER_FORMATS[FieldType.MONEY]


def _write_free_text(ws, form: Form, ctx: _Context, last_row: int) -> None:
    f = form.free_text
    n_cols = len(form.fields)
    label_row, top = last_row + 1, last_row + 2
    bottom = top + FREE_TEXT_ROWS - 1
    _style(ws.cell(label_row, 1, f.title), font=BOLD)
    for r in range(top, bottom + 1):
        for c in range(1, n_cols + 1):
            ws.cell(r, c).border = BORDER
    _style(ws.cell(top, 1), protection=UNLOCKED, alignment=TOP_WRAP)
    ws.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=n_cols)
    _add_validation(ws, _field_validation(form, f, ctx), f"A{top}", f"A{top}")


def _write_total(ws, form: Form, ctx: _Context, last_row: int) -> None:
    """The cell under a scoring table where the unit writes its total (issue 14)."""
    f = form.scoring.total
    row = last_row + 1
    col = next(c for c, g in enumerate(form.fields, start=1) if g.key == form.scoring.points)
    _style(ws.cell(row, 1, f.title), font=BOLD)
    cell = ws.cell(row, col)
    _style(cell, border=BORDER, protection=UNLOCKED)
    cell.number_format = _number_format(f)
    letter = get_column_letter(col)
    _add_validation(ws, _field_validation(form, f, ctx), f"{letter}{row}", f"{letter}{row}")


def _write_form(wb: Workbook, form: Form, ctx: _Context, identity: dict[str, Any]) -> None:
    ws = wb.create_sheet(form.sheet)
    n_cols = len(forms.RECORD_COLUMNS) if form.layout is Layout.RECORD else len(form.fields)
    subtitle = SUBTITLE.format(unit=ctx.unit.name, phase=ctx.phase.label,
                               year=ctx.campaign.year, theme=ctx.phase.theme)
    _headings(ws, form, n_cols, subtitle)
    if form.layout is Layout.RECORD:
        _write_record(ws, form, ctx, identity)
    else:
        items = (ctx.campaign.row_items(form.row_source, ctx.unit)
                 if form.layout is Layout.FIXED else None)
        last = _write_rows(ws, form, ctx, items)
        if form.scoring is not None:
            _write_total(ws, form, ctx, last)
            last += 1
        if form.free_text is not None:
            _write_free_text(ws, form, ctx, last)
    ws.freeze_panes = f"A{forms.FIRST_DATA_ROW}"
    _print_setup(ws, f"{forms.HEADER_ROW}:{forms.HEADER_ROW}")
    _protect(ws)


def _instruction_lines(campaign: Campaign, unit: Unit, phase: Phase,
                       form_defs: Sequence[Form]) -> list[tuple[str, Font | None]]:
    file_name = forms.template_file_name(unit.code, phase.number, campaign.year)
    lines: list[tuple[str, Font | None]] = [
        (INSTRUCTIONS_TITLE, TITLE_FONT),
        (SUBTITLE.format(unit=f"{unit.name} ({unit.code})", phase=phase.label,
                         year=campaign.year, theme=phase.theme), SUBTITLE_FONT),
        ("", None),
        (H_DEADLINE, BOLD),
        (L_PERIOD.format(start=_dmy(phase.start), end=_dmy(phase.end)), None),
        (L_DEADLINE.format(deadline=_dmy(phase.deadline)), BOLD),
        (L_SEND.format(body=campaign.issuing_body_full, file=file_name), None),
        ("", None),
        (H_SHEETS, BOLD),
    ]
    for form in form_defs:
        if form.layout is Layout.RECORD:
            ids = ", ".join(f"“{f.title}”" for f in form.fields if f.identity)
            lines.append((L_RECORD.format(
                sheet=form.sheet, value_col=forms.RECORD_COLUMNS[1],
                prefilled=L_RECORD_PREFILLED.format(titles=ids) if ids else ""), None))
        elif form.layout is Layout.FIXED:
            text = L_FIXED.format(
                sheet=form.sheet, row=form.field(form.row_key).title,
                n=len(campaign.row_items(form.row_source, unit)),
                entry=", ".join(f"“{f.title}”" for f in form.entry_fields))
            for below in form.cells_below:
                text += L_FREE_TEXT.format(title=below.title, hint=below.hint)
            lines.append((text, None))
        else:
            required = ", ".join(f"“{f.title}”" for f in form.fields if f.required)
            lines.append((L_TABLE.format(sheet=form.sheet, first=forms.FIRST_DATA_ROW,
                                         n=forms.TABLE_ENTRY_ROWS, required=required), None))
    lines += [("", None), (H_HOW, BOLD)]
    lines += [(line.format(year=campaign.year, unit=unit.name), None) for line in L_HOW]
    lines += [("", None), (H_AWARDS.format(type=unit.type), BOLD)]
    for target in (TARGET_COLLECTIVE, TARGET_INDIVIDUAL):
        awards = campaign.forms_for(target, unit.type)
        lines += [(L_AWARD.format(target=target, name=a.name, quota=a.quotas[unit.type]), None)
                  for a in awards] or [(L_NO_AWARD.format(target=target), None)]
    if campaign.office_contact:
        lines += [("", None), (H_CONTACT, BOLD),
                  (L_CONTACT.format(contact=campaign.office_contact), None)]
    return lines


def _write_instructions(wb: Workbook, campaign: Campaign, unit: Unit, phase: Phase,
                        form_defs: Sequence[Form]) -> None:
    ws = wb.create_sheet(forms.INSTRUCTIONS_SHEET)
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    per_line = INSTRUCTIONS_WIDTH * 1.1  # characters of body text on one line, roughly
    for r, (text, font) in enumerate(_instruction_lines(campaign, unit, phase, form_defs),
                                     start=1):
        if text:
            _style(ws.cell(r, 1, text), font=font, alignment=TOP_WRAP)
            size = font.sz if font is not None and font.sz else 11
            lines = -(-len(text) * size // (per_line * 11))
            ws.row_dimensions[r].height = max(1, lines) * LINE_HEIGHT * size / 11
    ws.sheet_view.showGridLines = False
    _print_setup(ws, None)
    _protect(ws)


def _write_meta(wb: Workbook, campaign: Campaign, unit: Unit, phase_number: int,
                generated: datetime) -> None:
    ws = wb.create_sheet(forms.META_SHEET)
    values = dict(form_id=forms.FORM_ID, version=forms.FORM_VERSION, unit_code=unit.code,
                  phase=phase_number, year=campaign.year,
                  generated=generated.isoformat(timespec="seconds"))
    for r, key in enumerate(forms.META_KEYS, start=1):
        ws.cell(r, 1, key)
        ws.cell(r, 2, values[key])
    ws.sheet_state = "hidden"
    _protect(ws)


def write_unit_workbook(path: str | Path, campaign: Campaign, unit: Unit, phase_number: int,
                        forms_def: Sequence[Form] = forms.ALL_UNIT_FORMS,
                        generated: datetime | None = None) -> Path:
    """Write the pre-filled workbook of ``unit`` for phase ``phase_number`` at ``path``.

    ``forms_def`` is the form definition to write (the province's :data:`forms.ALL_UNIT_FORMS`
    unless a caller passes a variant; the phase's own are written); ``generated`` is the time stamped on the meta sheet."""
    path = Path(path)
    phase = campaign.phase(phase_number)
    forms_def = forms.forms_of_phase(forms_def, campaign.is_year_end(phase_number))
    lists = _Lists(campaign, unit, forms_def)
    ctx = _Context(campaign, unit, phase, lists)
    identity = identity_values(campaign, unit, phase_number)
    wb = Workbook()
    wb.remove(wb.active)
    _write_instructions(wb, campaign, unit, phase, forms_def)
    for form in forms_def:
        _write_form(wb, form, ctx, identity)
    lists_ws = wb.create_sheet(forms.LISTS_SHEET)
    lists.write(lists_ws)
    lists_ws.sheet_state = "hidden"
    _protect(lists_ws)
    _write_meta(wb, campaign, unit, phase_number, generated or datetime.now())
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(path)
    return path
