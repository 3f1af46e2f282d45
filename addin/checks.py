"""Checks of one returned workbook against the forms: identity, required, choices, bounds,
dates, and the cross-field rules declared in :mod:`workbook_templates.forms`.

Checks are lazy (pandera's word): every problem is collected, none stops the others. A value
with an error is not taken (``Value.ok`` becomes False and its value None); a free row whose
required values are missing or wrong is not taken at all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbook_templates.campaign import Campaign, Phase, Unit
from workbook_templates.forms import (
    ALL_UNIT_FORMS, FORM_ID, FORM_VERSION, INFO, RESULTS, DateWindow, Field, FieldType, Form,
    Layout, Rule, RuleKind, YES, forms_of_phase, row_value)
from workbook_templates import scoring
from workbook_templates.identity import tidy_case
from workbook_templates.messages import Msg, Problem, Severity
from workbook_templates.records import Row, UnitReturn, Value
from workbook_templates.values import match_choice

PERSON_NAME = "ho_ten"  # the field whose case is tidied
_FILE_NAME = re.compile(r"^(?P<code>[^_]+)_Dot(?P<phase>\d+)_(?P<year>\d{4})", re.IGNORECASE)


@dataclass
class Verdict:
    """What the checks decided for one file."""

    accepted: bool
    unit: Unit | None


class _Context:
    """What every check of one file needs, and the one place problems are added."""

    def __init__(self, ret: UnitReturn, campaign: Campaign, phase: Phase, unit: Unit | None):
        self.ret = ret
        self.campaign = campaign
        self.phase = phase
        self.unit = unit
        self.code = unit.code if unit else ret.unit_code

    def add(self, msg: Msg, value: Value | None = None, field: Field | None = None, *,
            severity: Severity | None = None, **kw) -> Problem:
        p = Problem(msg, file=self.ret.path.name, unit=self.code,
                    sheet=kw.pop("sheet", value.sheet if value else ""),
                    cell=kw.pop("cell", value.cell if value else ""),
                    field=kw.pop("field_title", field.title if field else ""),
                    value=kw.pop("shown", _shown(value)), severity=severity, **kw)
        self.ret.problems.append(p)
        return p

    def reject_value(self, value: Value) -> None:
        value.ok = False
        value.value = None


def check_return(ret: UnitReturn, campaign: Campaign, phase_number: int,
                 forms: tuple[Form, ...] = ALL_UNIT_FORMS) -> Verdict:
    """Check one returned workbook; add its problems to ``ret.problems``."""
    phase = campaign.phase(phase_number)
    unit = campaign.unit(ret.unit_code)
    ctx = _Context(ret, campaign, phase, unit)
    if not _check_identity(ctx, forms[0]):
        return Verdict(False, unit)
    for form in forms_of_phase(forms, campaign.is_year_end(phase_number)):
        if form.layout is Layout.RECORD:
            _check_record(ctx, form)
        else:
            _check_rows(ctx, form)
            if form.scoring is not None:
                _check_total(ctx, form)
    _check_indicator_bounds(ctx)
    return Verdict(True, unit)


# --- identity ---------------------------------------------------------------------------

def _check_identity(ctx: _Context, info_form: Form) -> bool:
    ret, campaign = ctx.ret, ctx.campaign
    meta = ret.meta
    info_sheet = info_form.sheet
    code = ret.unit_code
    if ctx.unit is None:
        cell = ret.info.get("ma_don_vi")
        ctx.add(Msg.FILE_UNKNOWN_UNIT, cell, shown=code or "(trống)", sheet=info_sheet)
        return False
    if meta.present and meta.form_id and meta.form_id != FORM_ID:
        ctx.add(Msg.FILE_NOT_A_FORM, expected=info_sheet)
        return False
    phase = meta.phase if meta.present else _as_int(ret.info_value("dot"))
    year = meta.year if meta.present else _as_int(ret.info_value("nam"))
    if year is not None and year != campaign.year:
        ctx.add(Msg.FILE_OTHER_YEAR, ret.info.get("nam"), shown=year, expected=campaign.year)
        return False
    if phase is not None and phase != ctx.phase.number:
        ctx.add(Msg.FILE_OTHER_PHASE, ret.info.get("dot"), shown=phase,
                expected=ctx.phase.number)
        return False
    version = meta.version if meta.present else str(ret.info_value("phien_ban") or "")
    if version and version != FORM_VERSION:
        ctx.add(Msg.FILE_OLD_VERSION, ret.info.get("phien_ban"), shown=version,
                expected=FORM_VERSION)
        return False
    # The locked identity cells must still say what the file was generated for.
    expected = {"ma_don_vi": ctx.unit.code, "ten_don_vi": ctx.unit.name,
                "loai_don_vi": ctx.unit.type, "nam": campaign.year, "dot": ctx.phase.number,
                "phien_ban": FORM_VERSION}
    for field in info_form.fields:
        if not field.identity:
            continue
        v = ret.info.get(field.key)
        if v is None or v.empty:
            continue
        want = expected[field.key]
        if str(v.value).strip().casefold() == str(want).casefold():
            continue
        if field.key == "ma_don_vi" and meta.present:
            ctx.add(Msg.FILE_IDENTITY_MISMATCH, v, field, expected=want)
            return False
        ctx.add(Msg.IDENTITY_CHANGED, v, field, expected=want)
        v.value = want
    match = _FILE_NAME.match(ret.path.stem)
    if match and match["code"].casefold() != ctx.unit.code.casefold():
        ctx.add(Msg.FILE_NAME_MISMATCH, shown=match["code"], expected=ctx.unit.code)
    return True


def unit_from_file_name(path: Path, campaign: Campaign) -> str:
    """The unit a file is named for (``<Mã đơn vị>_Dot<N>_<Năm>…``), when it is a known unit;
    used for files that cannot be opened at all."""
    match = _FILE_NAME.match(path.stem)
    if match is None:
        return ""
    unit = campaign.unit(match["code"].upper())
    return unit.code if unit else ""


# --- values -----------------------------------------------------------------------------

def _check_record(ctx: _Context, form: Form) -> None:
    for field in form.fields:
        if field.identity:
            continue
        v = ctx.ret.info.get(field.key)
        _check_value(ctx, field, v, where=form.sheet)
    for rule in form.rules:
        _apply_rule(ctx, form, rule, ctx.ret.info)


@dataclass
class _RowPlan:
    """What the checks of one form's rows need of its fields, worked out once per form."""

    entries: list[tuple[Field, str, bool]]  # (field, key, whether a taken value is checked)
    required: list[str]  # keys of the required fields
    bounded: list[Field]  # fields bounded by their row's item
    named: bool  # the form holds a person's name


_PLANS: dict[int, tuple[Form, _RowPlan]] = {}  # by the form's id (the form kept with it)
_PLANS_KEPT = 256  # forms are module constants, or a campaign's retitled copies


def _row_plan(form: Form) -> _RowPlan:
    known = _PLANS.get(id(form))
    if known is not None and known[0] is form:
        return known[1]
    plan = _RowPlan([(f, f.key, _checks_taken(f)) for f in form.fields if not f.locked],
                    [f.key for f in form.fields if f.required],
                    [f for f in form.fields if f.max_item],
                    any(f.key == PERSON_NAME for f in form.fields))
    if len(_PLANS) >= _PLANS_KEPT:
        _PLANS.clear()
    _PLANS[id(form)] = (form, plan)
    return plan


def _checks_taken(field: Field) -> bool:
    """Whether :func:`_check_value` has anything to check of a taken, non-empty value."""
    if field.type in (FieldType.CHOICE, FieldType.YESNO):
        return True
    if field.type in (FieldType.INTEGER, FieldType.NUMBER, FieldType.MONEY):
        return field.min is not None or field.max is not None
    if field.type is FieldType.DATE and field.date_window is not None:
        return True
    return bool(field.length_limit)


def _check_rows(ctx: _Context, form: Form) -> None:
    rows = ctx.ret.tables.get(form.key, [])
    kept: list[Row] = []
    plan = _row_plan(form)
    fixed = form.layout is Layout.FIXED
    for row in rows:
        values = row.values
        for field, key, checked in plan.entries:
            v = values.get(key)
            if v is None or not v.ok:
                continue  # a row's missing cell is the row's (_row_complete); errors are said
            if not checked and not field.required:
                continue
            _check_value(ctx, field, v, where=form.sheet, row_number=row.number)
        for rule in form.rules:
            _apply_rule(ctx, form, rule, values)
        if plan.bounded:
            _check_item_bounds(ctx, form, row, plan.bounded)
        if plan.named:
            _tidy_person_name(ctx, form, row)
        if fixed or _row_complete(plan, row):
            kept.append(row)
    ctx.ret.tables[form.key] = kept
    free = form.free_text
    if free is not None and form.key in ctx.ret.free_text:
        _check_value(ctx, free, ctx.ret.free_text[form.key], where=form.sheet)


def _check_item_bounds(ctx: _Context, form: Form, row: Row, bounded: list[Field]) -> None:
    """A value bounded by its row's item (a criterion's maximum points) may not exceed it."""
    if ctx.unit is None:
        return
    key_field = form.field(form.row_key)
    item = next((i for i in ctx.campaign.row_items(form.row_source, ctx.unit)
                 if row_value(i, key_field) == row.get(form.row_key)), None)
    for field in bounded:
        v = row.values.get(field.key)
        if item is None or v is None or not v.ok or v.empty:
            continue
        limit = getattr(item, field.max_item)
        if isinstance(v.value, (int, float)) and v.value > limit:
            ctx.add(Msg.SCORE_ABOVE_ITEM_MAX, v, field, expected=limit)
            ctx.reject_value(v)


def _check_total(ctx: _Context, form: Form) -> None:
    """The total the unit wrote under a scoring table agrees with its items (B03)."""
    v = ctx.ret.totals.get(form.key)
    _check_value(ctx, form.scoring.total, v, where=form.sheet)
    if ctx.unit is None or v is None or not v.ok or v.empty:
        return
    pairs = scoring.scored_items(ctx.campaign, form, ctx.unit, ctx.ret.tables.get(form.key, []))
    computed = scoring.total(pairs)
    if abs(float(v.value) - computed) > 0.005:
        ctx.add(Msg.SCORE_TOTAL_MISMATCH, v, form.scoring.total, expected=computed)


def _tidy_person_name(ctx: _Context, form: Form, row: Row) -> None:
    """A person's name typed all in lower or upper case is taken in title case (N11)."""
    v = row.values.get(PERSON_NAME)
    if v is None or not v.ok or not isinstance(v.value, str):
        return
    tidied = tidy_case(v.value)
    if tidied is not None:
        ctx.add(Msg.NAME_CASE_TIDIED, v, form.field(PERSON_NAME), expected=tidied)
        v.value = tidied


def _row_complete(plan: _RowPlan, row: Row) -> bool:
    """A free row is taken only when every required value is there and right."""
    for key in plan.required:
        v = row.values.get(key)
        if v is None or not v.ok or v.empty:
            return False
    return True


def _check_value(ctx: _Context, field: Field, v: Value | None, *, where: str,
                 row_number: int | None = None) -> None:
    if v is None:
        if field.required and row_number is None:
            ctx.add(Msg.REQUIRED, field=field, sheet=where)
        return
    if not v.ok:
        return  # the reader has said why
    if v.empty:
        if field.required:
            ctx.add(Msg.REQUIRED, v, field)
        return
    value = v.value
    if field.type in (FieldType.CHOICE, FieldType.YESNO):
        choices = _choices(ctx, field)
        canonical = match_choice(value, choices)
        if canonical is None:
            ctx.add(Msg.NOT_A_CHOICE, v, field, expected=_short_list(choices))
            ctx.reject_value(v)
            return
        if canonical != value:
            ctx.add(Msg.CHOICE_FROM_TEXT, v, field, expected=canonical)
            v.value = canonical
        return
    if field.type in (FieldType.INTEGER, FieldType.NUMBER, FieldType.MONEY):
        severity = Severity.WARNING if field.severity_warning else None
        if field.min is not None and value < field.min:
            ctx.add(Msg.BELOW_MIN, v, field, expected=field.min, severity=severity)
            if severity is None:
                ctx.reject_value(v)
        elif field.max is not None and value > field.max:
            ctx.add(Msg.ABOVE_MAX, v, field, expected=field.max, severity=severity)
            if severity is None:
                ctx.reject_value(v)
        return
    if field.type is FieldType.DATE and isinstance(value, date):
        window = _window(ctx, field.date_window)
        if window and not (window[0] <= value <= window[1]):
            ctx.add(Msg.DATE_OUTSIDE, v, field, expected=window[2])
        return
    limit = field.length_limit
    if limit and isinstance(value, str) and len(value) > limit:
        ctx.add(Msg.TOO_LONG, v, field, shown=len(value), expected=limit)
        ctx.reject_value(v)


def _choices(ctx: _Context, field: Field) -> list[str]:
    if isinstance(field.choices, tuple):
        return list(field.choices)
    return ctx.campaign.choices(field.choices, ctx.unit.type if ctx.unit else None)


def _window(ctx: _Context, window: DateWindow | None) -> tuple[date, date, str] | None:
    p, year = ctx.phase, ctx.campaign.year
    if window is DateWindow.PHASE:
        return p.start, p.end, f"thời gian {p.label.lower()} ({_d(p.start)} – {_d(p.end)})"
    if window is DateWindow.YEAR:
        return date(year, 1, 1), date(year, 12, 31), f"năm {year}"
    if window is DateWindow.UNTIL_PHASE_END:
        return date(1900, 1, 1), p.end, f"thời gian đến hết {p.label.lower()} ({_d(p.end)})"
    if window is DateWindow.REPORTING:
        return p.start, p.deadline, f"thời gian báo cáo ({_d(p.start)} – {_d(p.deadline)})"
    return None


# --- rules ------------------------------------------------------------------------------

def _apply_rule(ctx: _Context, form: Form, rule: Rule, values: dict[str, Value]) -> None:
    v = values.get(rule.field)
    severity = Severity.WARNING if rule.warning else None
    if rule.kind is RuleKind.REQUIRED_IF_YES:
        if v is None or v.value != YES:
            return
        for key in rule.targets:
            t = values.get(key)
            if t is None or (t.ok and t.empty):
                ctx.add(Msg.REQUIRED_IF_YES, t, form.field(key), sheet=v.sheet,
                        cell=t.cell if t is not None else v.cell,
                        detail=form.field(rule.field).title)
        return
    if v is None or not v.ok or v.empty:
        return
    if rule.kind is RuleKind.NOT_BEFORE:
        other = values.get(rule.targets[0])
        if other is not None and other.ok and isinstance(other.value, date) \
                and isinstance(v.value, date) and v.value < other.value:
            ctx.add(Msg.DATE_BEFORE, v, form.field(rule.field), expected=other.value,
                    detail=form.field(rule.targets[0]).title, severity=severity)
            if severity is None:
                ctx.reject_value(v)
    elif rule.kind in (RuleKind.AT_MOST_INFO, RuleKind.AT_MOST_FIELD):
        source = ctx.ret.info if rule.kind is RuleKind.AT_MOST_INFO else values
        other = source.get(rule.targets[0])
        if other is None or not other.ok or other.empty:
            return
        if v.value > other.value:
            title = (INFO.field(rule.targets[0]).title if rule.kind is RuleKind.AT_MOST_INFO
                     else form.field(rule.targets[0]).title)
            msg = Msg.ABOVE_UNIT_TOTAL if rule.kind is RuleKind.AT_MOST_INFO else Msg.ABOVE_FIELD
            ctx.add(msg, v, form.field(rule.field), expected=other.value, detail=title,
                    severity=severity)
            if (severity or msg.severity) is Severity.ERROR:
                ctx.reject_value(v)
    elif rule.kind is RuleKind.AGE_BETWEEN:
        low, high = rule.bounds
        age = ctx.campaign.year - int(v.value)
        if not (low <= age <= high):
            ctx.add(Msg.AGE_OUT_OF_RANGE, v, form.field(rule.field), shown=str(int(v.value)),
                    detail=str(age), expected=f"{low}–{high} tuổi", severity=severity)
            if severity is None:
                ctx.reject_value(v)


def _check_indicator_bounds(ctx: _Context) -> None:
    """Kết quả: an indicator declared "at most" another may not exceed it."""
    rows = {row.get("chi_tieu"): row for row in ctx.ret.tables.get("ket_qua", [])}
    by_code = {i.code: i for i in ctx.campaign.indicators}
    field = RESULTS.field("gia_tri")
    for ind in ctx.campaign.indicators:
        if not ind.at_most or ind.at_most not in by_code:
            continue
        row, limit_row = rows.get(ind.title), rows.get(by_code[ind.at_most].title)
        if row is None or limit_row is None:
            continue
        v, limit = row.values.get("gia_tri"), limit_row.values.get("gia_tri")
        if v is None or limit is None or not (v.ok and limit.ok) or v.empty or limit.empty:
            continue
        if v.value > limit.value:
            ctx.add(Msg.ABOVE_INDICATOR, v, field, field_title=ind.title, expected=limit.value,
                    detail=by_code[ind.at_most].title)
            ctx.reject_value(v)


# --- small helpers ----------------------------------------------------------------------

def _shown(v: Value | None):
    if v is None:
        return ""
    return v.raw if v.raw not in (None, "") else v.value


def _short_list(choices: list[str]) -> str:
    if len(choices) <= 6:
        return "; ".join(choices)
    return "; ".join(choices[:5]) + f"; … ({len(choices)} mục)"


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _d(d: date) -> str:
    return d.strftime("%d/%m/%Y")
