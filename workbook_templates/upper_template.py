"""What a template sent by the level above says about its campaign (issue 16).

A district federation (or a sector union) receives the province's pre-filled workbook for
itself. Everything the district's own campaign must share with the province is in it: the
hidden meta sheet (form, version, year, phase, unit code), *Thông tin* (the unit's identity),
the locked rows of *Đăng ký thi đua* (the movements) and *Kết quả* (the indicators), the
lists behind the drop-downs (events, the award forms the unit may propose) and *Hướng dẫn*
(the phase's dates, the deadline, the body to send to, the quotas). :func:`read_upper_template`
reads them back; it never writes to the file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from . import forms, template_writer as tw
from .campaign import TARGET_COLLECTIVE, TARGET_INDIVIDUAL
from .messages import Msg, Problem, SetupError

_DATE = r"(\d{2})/(\d{2})/(\d{4})"
_PERIOD = re.compile(r"từ " + _DATE + r" đến " + _DATE)
_DEADLINE = re.compile(r"Hạn gửi báo cáo: " + _DATE)
_SEND_TO = re.compile(r"Gửi lại chính tệp này về (.+?), giữ nguyên tên tệp")
_AWARD = re.compile(r"^- (" + TARGET_COLLECTIVE + "|" + TARGET_INDIVIDUAL
                    + r"): (.+) — tối đa (\d+)\.$")
# Parts of the unit's heading line: "{unit} — Đợt {n} năm {year}: {theme}".
_THEME = re.compile(r" — Đợt \d+ năm \d{4}: (.*)$", re.MULTILINE)
# What the reader is told is missing (the detail of L01).
D_NO_META = "không có trang thông tin ẩn của biểu mẫu"
D_NO_SHEET = "không có trang “{}”"
D_NO_LINE = "trang Hướng dẫn không ghi {}"


@dataclass
class UpperAward:
    name: str  # as in the drop-down of the template
    target: str
    quota: int  # the most this unit may propose


@dataclass
class UpperTemplate:
    """The campaign of the level above, as its template for one unit shows it."""

    path: Path
    version: str
    year: int
    phase: int
    unit_code: str
    unit_name: str
    unit_type: str
    body: str  # who the template is sent back to (the level above, in full)
    theme: str
    start: date
    end: date
    deadline: date
    movements: list[str] = field(default_factory=list)
    indicators: list[tuple[str, bool]] = field(default_factory=list)  # title, counted in đồng
    events: list[str] = field(default_factory=list)
    awards: list[UpperAward] = field(default_factory=list)

    def quota(self, name: str, target: str) -> int | None:
        return next((a.quota for a in self.awards if a.name == name and a.target == target),
                    None)


def _fail(path: Path, detail: str) -> SetupError:
    return SetupError(Problem(Msg.UPPER_NOT_TEMPLATE, value=path.name, detail=detail))


def _day(groups: tuple[str, ...]) -> date:
    d, m, y = (int(g) for g in groups)
    return date(y, m, d)


def _column(ws, title: str, row: int = forms.HEADER_ROW) -> int | None:
    return next((c for c in range(1, ws.max_column + 1)
                 if str(ws.cell(row, c).value or "").strip() == title), None)


def _fixed_items(ws, form: forms.Form) -> list[tuple[str, bool]]:
    """The locked items of a FIXED sheet, each with whether its value cell counts đồng."""
    key_col = _column(ws, form.field(form.row_key).title)
    value_col = next((_column(ws, f.title) for f in form.entry_fields), None)
    items = []
    for r in range(forms.FIRST_DATA_ROW, ws.max_row + 1):
        item = ws.cell(r, key_col).value if key_col else None
        if item is None:  # below the rows: the free text's label, in column A
            break
        money = value_col is not None and ws.cell(r, value_col).number_format == \
            tw.NUMBER_FORMATS[forms.FieldType.MONEY]
        items.append((str(item).strip(), money))
    return items


def _lines(ws) -> list[str]:
    return [str(ws.cell(r, 1).value).strip() for r in range(1, ws.max_row + 1)
            if ws.cell(r, 1).value]


def read_upper_template(path: str | Path) -> UpperTemplate:
    """The level above's campaign from its template ``path``; SetupError (L01) when the file
    is not such a template."""
    path = Path(path)
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # not a workbook at all
        raise SetupError(Problem(Msg.UPPER_NOT_TEMPLATE, value=path.name, detail=D_NO_META,
                                 technical=f"{type(exc).__name__}: {exc}")) from exc
    for name in (forms.META_SHEET, forms.INSTRUCTIONS_SHEET, forms.LISTS_SHEET,
                 *(f.sheet for f in forms.UNIT_FORMS)):
        if name not in wb.sheetnames:
            raise _fail(path, D_NO_META if name == forms.META_SHEET else
                        D_NO_SHEET.format(name))
    meta = {str(wb[forms.META_SHEET].cell(r, 1).value): wb[forms.META_SHEET].cell(r, 2).value
            for r in range(1, len(forms.META_KEYS) + 1)}
    if meta.get("form_id") != forms.FORM_ID:
        raise _fail(path, D_NO_META)
    info = {str(r[0]).strip(): r[1] for r in wb[forms.INFO.sheet].iter_rows(
        min_row=forms.FIRST_DATA_ROW, values_only=True) if r and r[0]}
    lines = _lines(wb[forms.INSTRUCTIONS_SHEET])
    text = "\n".join(lines)
    found = {key: rx.search(text) for key, rx in
             (("period", _PERIOD), ("deadline", _DEADLINE), ("body", _SEND_TO),
              ("theme", _THEME))}
    for key, match in found.items():
        if match is None:
            raise _fail(path, D_NO_LINE.format(key))
    period = found["period"].groups()
    return UpperTemplate(
        path=path, version=str(meta["version"]), year=int(meta["year"]),
        phase=int(meta["phase"]), unit_code=str(meta["unit_code"]),
        unit_name=str(info.get(forms.INFO.field("ten_don_vi").title) or ""),
        unit_type=str(info.get(forms.INFO.field("loai_don_vi").title) or ""),
        body=found["body"].group(1), theme=found["theme"].group(1).strip(),
        start=_day(period[:3]), end=_day(period[3:]),
        deadline=_day(found["deadline"].groups()),
        movements=[m for m, _ in _fixed_items(wb[forms.REGISTRATION.sheet],
                                              forms.REGISTRATION)],
        indicators=_fixed_items(wb[forms.RESULTS.sheet], forms.RESULTS),
        events=_list(wb[forms.LISTS_SHEET], tw.LIST_NAMES[forms.ChoiceSource.EVENTS]),
        awards=[UpperAward(m.group(2), m.group(1), int(m.group(3)))
                for m in (_AWARD.match(line) for line in lines) if m])


def _list(ws, name: str) -> list[str]:
    col = _column(ws, name, row=1)
    if col is None:
        return []
    return [str(ws.cell(r, col).value) for r in range(2, ws.max_row + 1)
            if ws.cell(r, col).value not in (None, "")]
