"""The check before Documents: nothing is numbered or written while an approved row still
has an open finding.

It reads the control workbook as the clerk left it (the nomination sheets and Lỗi) and asks
the register, then checks the approved rows (Duyệt = Có) again:

- the same person or collective approved twice, across units or within one (C21 on each
  row when for the same form: never goes through; else C22 on the later rows, and on a
  name written without diacritics that matches an approved one written with them);
- a unit's approved count over its quota for a form (C23 on the rows beyond it);
- a person already awarded the same form within the window of years, in another phase or
  year — never the document of this phase being re-issued (C24);
- a form the province neither awards nor proposes (C25), or none chosen (C27);
- a row that still carries an error on Lỗi (C26).

A warning the clerk has acknowledged ("Đã xem xét" = Có, with the reason in Ghi chú) goes
through (without a reason it stays open, C28); errors never do.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from workbook_templates.campaign import TARGET_COLLECTIVE, TARGET_INDIVIDUAL, Campaign
from workbook_templates.continued_sheets import joined_rows, sheet_parts
from workbook_templates.forms import (
    COLLECTIVE_NOMINATIONS, CONSOLIDATED_SHEET, CONTROL_HEADER_ROW, INDIVIDUAL_NOMINATIONS,
    PREFLIGHT_FIELDS, PROBLEM_FIELDS, RANKING_SOURCE, YES, ControlSheet, Field, Form,
    consolidated_fields)
from workbook_templates.identity import bare_key, has_diacritics, name_key, person_key
from workbook_templates.messages import Msg, Problem, SetupError, Severity
from workbook_templates.values import is_blank, parse_yesno

from . import delegates
from .flags import ERROR_FILL, WARNING_FILL, row_number
from .folder import CampaignFolder
from .register import Register
from .sheet_plan import SheetPlan

_TARGETS = ((COLLECTIVE_NOMINATIONS, TARGET_COLLECTIVE),
            (INDIVIDUAL_NOMINATIONS, TARGET_INDIVIDUAL))


class PreflightBlocked(SetupError):
    """Documents stopped (C20): ``findings`` lists each open finding."""

    def __init__(self, findings: list[Problem], shown: int | None = None):
        lines = [line(p) for p in findings[:shown]]
        if shown is not None and len(findings) > shown:
            lines.append(f"… và {len(findings) - shown} vấn đề khác: xem trang "
                         f"“{ControlSheet.PREFLIGHT}”.")
        super().__init__(Problem(Msg.PREFLIGHT_BLOCKED, value=len(findings),
                                 detail="\n".join(lines)))
        self.findings = findings


@dataclass
class _Approved:
    """An approved row of a nomination sheet."""

    sheet: str
    row: int  # the control workbook's row number
    target: str
    values: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.values.get("ho_ten") or self.values.get("ten_tap_the") or "")

    @property
    def unit(self) -> str:
        return str(self.values.get("ma_don_vi") or "")

    @property
    def awarded(self) -> str:
        return str(self.values.get("hinh_thuc_duoc_khen") or "").strip()

    @property
    def acknowledged(self) -> bool:
        return parse_yesno(self.values.get("da_xem_xet")).value == YES

    @property
    def subject(self) -> str:
        v = self.values
        if self.target == TARGET_INDIVIDUAL:
            return person_key(v.get("ho_ten"), v.get("nam_sinh"))
        return f"{name_key(v.get('ten_tap_the'))}|{name_key(v.get('thuoc_don_vi'))}"

    def finding(self, msg: Msg, **kw) -> Problem:
        return Problem(msg, unit=self.unit, sheet=self.sheet, cell=f"A{self.row}",
                       value=self.name, **kw)


def ensure_clear(paths: CampaignFolder, campaign: Campaign, phase: int) -> None:
    """Raise :class:`PreflightBlocked` when an approved row has an open finding."""
    found = check(paths, campaign, phase)
    if found:
        raise PreflightBlocked(found)


def check(paths: CampaignFolder, campaign: Campaign, phase: int) -> list[Problem]:
    """The open findings of the approved rows of the control workbook, in sheet order."""
    sheets = _read(paths.control)
    with Register.for_campaign(paths, campaign) as reg:
        return findings(sheets, campaign, phase, reg)


def findings(sheets: dict[str, list[list]], campaign: Campaign, phase: int,
             register: Register) -> list[Problem]:
    """The open findings (after the clerk's acknowledgements) of ``sheets`` (name -> rows,
    header first)."""
    approved = [a for form, target in _TARGETS for a in _approved(sheets, form, target)]
    raw: list[tuple[_Approved, Problem]] = []
    raw += _forms(approved, campaign)
    raw += _twice(approved)
    raw += _written_without_diacritics(approved)
    raw += _quotas(approved, campaign)
    raw += _repeats(approved, campaign, phase, register)
    raw += _row_errors(approved, sheets.get(ControlSheet.PROBLEMS, []))
    open_ = delegates.findings(sheets.get(ControlSheet.OUTSTANDING, []), campaign)  # issue 15
    for a, p in raw:
        if p.severity is Severity.WARNING and a.acknowledged:
            if not is_blank(a.values.get("ghi_chu_duyet")):
                continue
            p = a.finding(Msg.PREFLIGHT_NO_REASON, detail=p.text)
        open_.append(p)
    order = {n: i for i, n in enumerate(CONSOLIDATED_SHEET[f.key] for f, _ in _TARGETS)}
    return sorted(open_, key=lambda p: (order.get(p.sheet, 9), p.sheet, int(p.cell[1:]),
                                        p.code))


def line(p: Problem) -> str:
    """One finding as the message lists it: unit, sheet row, name, code and reason."""
    return f"- {p.unit}, {p.sheet} dòng {p.cell[1:]}, {p.value}: [{p.code}] {p.text}"


def sheet_plan(found: list[Problem]) -> SheetPlan:
    """The *Kiểm tra trước khi in* sheet: one row per finding, linked to its row."""
    plan = SheetPlan(ControlSheet.PREFLIGHT, PREFLIGHT_FIELDS)
    for i, p in enumerate(found):
        plan.rows.append([p.severity.value, p.code, p.unit, p.sheet, int(p.cell[1:]), p.value,
                          p.text, "Mở dòng"])
        plan.links[(i, plan.column("lien_ket"))] = f"#'{p.sheet}'!{p.cell}"
        plan.row_fills[i] = ERROR_FILL if p.severity is Severity.ERROR else WARNING_FILL
    return plan


# --- reading ---------------------------------------------------------------------------

def _read(control: Path) -> dict[str, list[list]]:
    """The nomination sheets, each part by its own name (a finding names the part's row),
    and *Lỗi* and *Điển hình*, each joined to its continuation sheets."""
    if not control.is_file():
        raise SetupError(Problem(Msg.NO_CONTROL_WORKBOOK, value=str(control)))
    book = CalamineWorkbook.from_path(str(control))
    names = book.sheet_names

    def rows_of(name: str) -> list[list]:
        return [list(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]

    sheets = {part: rows_of(part) for f, _ in _TARGETS
              for part in sheet_parts(CONSOLIDATED_SHEET[f.key], names)}
    for name in (ControlSheet.PROBLEMS, ControlSheet.OUTSTANDING):
        rows = joined_rows(name, names, rows_of)
        if rows is not None:
            sheets[name] = rows
    return sheets


def _by_title(rows: list[list], fields: tuple[Field, ...]) -> list[tuple[int, dict[str, Any]]]:
    """(row number, values by field key) of each row below the header."""
    if not rows:
        return []
    header = [name_key(h) for h in rows[CONTROL_HEADER_ROW - 1]]
    cols = {f.key: header.index(name_key(f.title)) for f in fields
            if name_key(f.title) in header}
    return [(n, {k: raw[c] if c < len(raw) else None for k, c in cols.items()})
            for n, raw in enumerate(rows[CONTROL_HEADER_ROW:], start=CONTROL_HEADER_ROW + 1)]


def _approved(sheets: dict[str, list[list]], form: Form, target: str) -> list[_Approved]:
    fields = consolidated_fields(form)
    return [_Approved(part, n, target, values)
            for part in sheet_parts(CONSOLIDATED_SHEET[form.key], sheets)
            for n, values in _by_title(sheets[part], fields)
            if parse_yesno(values.get("duyet")).value == YES]


# --- the checks ------------------------------------------------------------------------

def _forms(approved: list[_Approved], campaign: Campaign):
    for a in approved:
        if not a.awarded:
            yield a, a.finding(Msg.PREFLIGHT_NO_FORM)
        elif _award(campaign, a) is None:
            yield a, a.finding(Msg.PREFLIGHT_UNKNOWN_FORM, field=a.awarded,
                               expected=a.target.lower())


def _award(campaign: Campaign, a: _Approved):
    return next((f for f in campaign.forms_for(a.target)
                 if name_key(f.name) == name_key(a.awarded)), None)


def _twice(approved: list[_Approved]):
    by_subject: dict[str, list[_Approved]] = defaultdict(list)
    for a in approved:
        by_subject[a.subject].append(a)
    for group in by_subject.values():
        for a in group:
            others = [o for o in group if o is not a]
            same = [o for o in others if name_key(o.awarded) == name_key(a.awarded)]
            if same:
                yield a, a.finding(Msg.PREFLIGHT_SAME_FORM_TWICE, field=a.awarded,
                                   expected=_places(same), extra=_rows(group))
            elif others and a is not group[0]:  # the later rows: the ones to look at
                yield a, a.finding(Msg.PREFLIGHT_TWICE, expected=_places(others),
                                   field="; ".join(o.awarded for o in others),
                                   extra=_rows(group))


def _written_without_diacritics(approved: list[_Approved]):
    """A person approved once written without diacritics and once with them, with the same
    year of birth or in the same unit: perhaps approved twice (C22 on the bare row)."""
    written: dict[str, list[_Approved]] = defaultdict(list)
    for a in approved:
        if a.target == TARGET_INDIVIDUAL and has_diacritics(a.name):
            written[bare_key(a.name)].append(a)
    for a in approved:
        if a.target != TARGET_INDIVIDUAL or has_diacritics(a.name):
            continue
        birth = a.values.get("nam_sinh")
        others = [o for o in written.get(bare_key(a.name), ())
                  if o.unit == a.unit or (birth and o.values.get("nam_sinh") == birth)]
        if others:
            yield a, a.finding(Msg.PREFLIGHT_TWICE, expected=_places(others),
                               field="; ".join(o.awarded for o in others),
                               extra=_rows([a, *others]))


def _rows(group: list[_Approved]) -> dict[str, list[tuple[str, int]]]:
    """The rows a finding is about (sheet, row), in sheet order: for the clerk's tools."""
    return {"rows": [(o.sheet, o.row) for o in group]}


def _places(rows: list[_Approved]) -> str:
    return "; ".join(f"{o.unit}, dòng {o.row}" for o in rows)


def _quotas(approved: list[_Approved], campaign: Campaign):
    groups: dict[tuple, list[_Approved]] = defaultdict(list)
    for a in approved:
        if a.values.get("tep") == RANKING_SOURCE:  # issue 14: the ranking's, not the unit's
            continue
        award = _award(campaign, a)
        if award is not None:
            groups[(a.unit, a.target, award.name)].append(a)
    for (unit_code, _, award_name), rows in groups.items():
        unit = next((u for u in campaign.units if u.code == unit_code), None)
        award = campaign.award_form(award_name, rows[0].target)
        quota = award.quotas.get(unit.type, 0) if unit is not None else len(rows)
        if len(rows) > quota:
            for a in rows[quota:]:  # the rows beyond the quota, in sheet order
                yield a, a.finding(Msg.PREFLIGHT_QUOTA, field=award_name, detail=str(len(rows)),
                                   expected=quota, extra=_rows(rows))


def _repeats(approved: list[_Approved], campaign: Campaign, phase: int, register):
    people = [a for a in approved if a.target == TARGET_INDIVIDUAL and _award(campaign, a)]
    years = range(campaign.year - max(campaign.repeat_window_years, 1) + 1, campaign.year + 1)
    pairs = [(a, (a.subject, _award(campaign, a).name)) for a in people]
    known = register.past_awards({pair for _, pair in pairs}, years,
                                 except_phase=(campaign.year, phase))
    for a, pair in pairs:
        past = known.get(pair)
        if past:
            yield a, a.finding(Msg.PREFLIGHT_ALREADY_AWARDED, field=pair[1],
                               detail=past[0].detail)


def _row_errors(approved: list[_Approved], problem_rows: list[list]):
    errors: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for _, p in _by_title(problem_rows, PROBLEM_FIELDS):
        if str(p.get("muc_do") or "") == Severity.ERROR.value and p.get("o"):
            where = (str(p.get("tep") or ""), str(p.get("sheet") or ""),
                     row_number(str(p.get("o"))))
            errors[where].append(f"{p.get('ma_loi')} {p.get('noi_dung')}")
    for a in approved:
        sheet, _, cell = str(a.values.get("o") or "").rpartition("!")
        found = errors.get((str(a.values.get("tep") or ""), sheet, row_number(cell)))
        if found:
            yield a, a.finding(Msg.PREFLIGHT_ROW_ERROR, detail="; ".join(found))

