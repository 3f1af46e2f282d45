"""Turn checked returns into the sheets of the control workbook (:class:`SheetPlan`)."""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from workbook_templates.campaign import Campaign, Phase
from workbook_templates.forms import (
    CONSOLIDATED_SHEET, CONTROL_HEADER_ROW, FLAGS_FIELD, PROBLEM_FIELDS,
    RANKING_SOURCE, RESULTS, STATUS_ERRORS, STATUS_FIELDS, STATUS_LATE,
    STATUS_MISSING, STATUS_SUBMITTED, TOTAL_LABEL, ControlSheet, Form, Layout, ALL_UNIT_FORMS,
    consolidated_fields, forms_of_phase, results_fields, review_fields)
from workbook_templates.identity import name_key, nomination_id, person_key
from workbook_templates.messages import Msg, Problem, Severity, show_value
from workbook_templates.records import Row, UnitReturn

from .delegates import live_totals
from .flags import ERROR_FILL, MISSING_FILL, OK_FILL, WARNING_FILL, flags_by_row
from .reviews import ReviewKeeper
from .scoring_plan import Proposal, proposal_values, scoring_plan
from .sheet_plan import ChartPlan, SheetPlan

# Row colour of each submission status on Tình hình nộp.
STATUS_FILL = {STATUS_SUBMITTED: OK_FILL, STATUS_LATE: WARNING_FILL, STATUS_ERRORS: ERROR_FILL,
               STATUS_MISSING: MISSING_FILL}
# Lỗi lists at most this many cells of a summarised kind of note.
LISTED_CELLS = 40
SHEETS_SEPARATOR = "; "  # sheet names hold commas ("Công trình, sản phẩm")

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass
class FileOutcome:
    """One file of the inbox after reading and checking."""

    path: Path
    unit_code: str
    ret: UnitReturn | None  # None when the file could not be read at all
    accepted: bool
    received: datetime | None
    problems: list[Problem] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity is severity)


@dataclass
class UnitStatus:
    unit_code: str
    status: str
    outcome: FileOutcome | None
    note: str = ""


def unit_statuses(campaign: Campaign, phase: Phase, outcomes: list[FileOutcome],
                  chosen: dict[str, FileOutcome]) -> list[UnitStatus]:
    """Đã nộp / Nộp muộn / Chưa nộp / Có lỗi for every unit of the campaign, in unit order."""
    statuses = []
    sent = Counter(o.unit_code for o in outcomes)
    last_rejected = {o.unit_code: o for o in outcomes if not o.accepted}
    for unit in campaign.ordered_units():
        outcome = chosen.get(unit.code)
        notes = []
        if outcome is None:
            if unit.code in last_rejected:
                outcome = last_rejected[unit.code]
                status = STATUS_ERRORS
                notes.append("Tệp gửi về không tổng hợp được; xem trang Lỗi.")
            else:
                status = STATUS_MISSING
        else:
            late = bool(outcome.received and outcome.received.date() > phase.deadline)
            errors = outcome.count(Severity.ERROR)
            status = STATUS_ERRORS if errors else (STATUS_LATE if late else STATUS_SUBMITTED)
            if late:
                notes.append(f"Nhận sau hạn {phase.deadline:%d/%m/%Y}.")
            if errors:
                notes.append(f"{errors} lỗi: giá trị lỗi không được tổng hợp.")
            if sent[unit.code] > 1:
                notes.append(f"Gửi {sent[unit.code]} tệp; dùng tệp mới nhất.")
        statuses.append(UnitStatus(unit.code, status, outcome, " ".join(notes)))
    return statuses


def build_plans(campaign: Campaign, phase: Phase, outcomes: list[FileOutcome],
                chosen: dict[str, FileOutcome], statuses: list[UnitStatus],
                problems: list[Problem], reviews: ReviewKeeper, control_dir: Path,
                forms: tuple[Form, ...] = ALL_UNIT_FORMS) -> tuple[list[SheetPlan], ChartPlan]:
    """Every sheet Consolidate writes, in order, and the chart of results by unit. The
    reviews no row claimed are added to ``problems`` (X06) before Lỗi is planned."""
    links = _Linker(control_dir, {o.path.name: o.path for o in outcomes})
    order = {u.code: i for i, u in enumerate(campaign.ordered_units())}
    returns = sorted(chosen.values(), key=lambda o: order.get(o.unit_code, len(order)))
    tables: list[SheetPlan] = []
    origins: dict[str, list[tuple[str, str, int]]] = {}
    forms = forms_of_phase(forms, campaign.is_year_end(phase.number))
    scored = {f.key: scoring_plan(campaign, f, returns, reviews, {
        o.unit_code: [p for p in o.problems if p.sheet == f.sheet] for o in returns})
        for f in forms if f.scoring is not None}
    proposed = {f.scoring.proposes_on: scored[f.key].proposals for f in forms if f.key in scored}
    for form in forms:
        if form.layout is Layout.RECORD:
            continue
        if form.key == RESULTS.key:
            tables.append(_results_plan(campaign, returns, links))
        elif form.key in scored:
            tables.append(scored[form.key].plan)
            problems.extend(scored[form.key].problems)
        else:
            plan, origins[plan.name] = _table_plan(campaign, phase, form, returns, reviews,
                                                   links, proposed.get(form.key, []))
            tables.append(plan)
    for plan in tables:
        if plan.name == ControlSheet.OUTSTANDING:  # issue 15
            plan.total_row = live_totals(plan, campaign)
    problems.extend(reviews.problems())
    problem_plan, problem_rows = _problem_plan(problems, order, links)
    _flag_rows(tables, origins, problems, problem_rows)
    plans = [_status_plan(campaign, phase, statuses, links), problem_plan, *tables]
    results = next(p for p in plans if p.name == ControlSheet.RESULTS)
    return plans, _chart(campaign, results)


def _flag_rows(tables: list[SheetPlan], origins: dict[str, list[tuple[str, str, int]]],
               problems: list[Problem], problem_rows: dict[int, int]) -> None:
    """Fill the Cảnh báo column of every flagged row (linked to its first finding on Lỗi)
    and highlight the row."""
    flags = flags_by_row(problems)
    for plan in tables:
        if plan.name not in origins or not any(f.key == FLAGS_FIELD.key for f in plan.fields):
            continue
        col = plan.column(FLAGS_FIELD.key)
        rows = {origin: i + CONTROL_HEADER_ROW + 1 for i, origin in enumerate(origins[plan.name])}
        for i, origin in enumerate(origins[plan.name]):
            found = flags.get(origin)
            if found is None:
                continue
            plan.rows[i][col] = found.text(rows)
            plan.row_fills[i] = found.fill
            first = problem_rows.get(id(found.problems[0]))
            if first is not None:
                row = first + CONTROL_HEADER_ROW + 1
                plan.links[(i, col)] = f"#'{ControlSheet.PROBLEMS}'!A{row}"


class _Linker:
    """Links from the control workbook to a cell of a unit's file (relative paths)."""

    def __init__(self, control_dir: Path, paths: dict[str, Path]):
        self.control_dir = control_dir
        self.paths = paths
        self._relative: dict[str, str] = {}

    def target(self, file_name: str, sheet: str = "", cell: str = "") -> str | None:
        path = self.paths.get(file_name)
        if path is None:
            return None
        rel = self._relative.get(file_name)
        if rel is None:
            try:
                rel = os.path.relpath(path, self.control_dir).replace(os.sep, "/")
            except ValueError:  # another drive on Windows
                rel = str(path)
            self._relative[file_name] = rel
        if sheet and cell:
            return f"{rel}#'{sheet}'!{cell}"
        return rel


def _status_plan(campaign: Campaign, phase: Phase, statuses: list[UnitStatus],
                 links: _Linker) -> SheetPlan:
    plan = SheetPlan(ControlSheet.STATUS, STATUS_FIELDS)
    file_col = plan.column("tep")
    counts = Counter()
    for i, st in enumerate(statuses):
        unit = campaign.unit(st.unit_code)
        o = st.outcome
        counts[st.status] += 1
        plan.rows.append([
            i + 1, phase.number, unit.code, unit.name, unit.type, st.status,
            o.path.name if o else "",
            o.received if o else None, o.count(Severity.ERROR) if o else 0,
            o.count(Severity.WARNING) if o else 0, st.note])
        plan.row_fills[i] = STATUS_FILL.get(st.status)
        if o is not None:
            target = links.target(o.path.name)
            if target:
                plan.links[(i, file_col)] = target
    errors, warnings = plan.column("so_loi"), plan.column("so_canh_bao")
    plan.total_row = [None, None, None, TOTAL_LABEL, None,
                      "; ".join(f"{k}: {v}" for k, v in sorted(counts.items())),
                      None, None, sum(r[errors] for r in plan.rows),
                      sum(r[warnings] for r in plan.rows), None]
    return plan


def _problem_plan(problems: list[Problem], order: dict[str, int], links: _Linker
                  ) -> tuple[SheetPlan, dict[int, int]]:
    """The worklist: errors, then warnings, one row each; then the notes, one row per file
    and kind with the cells listed. Also the row of each error and warning (by ``id``)."""
    plan = SheetPlan(ControlSheet.PROBLEMS, PROBLEM_FIELDS)
    link_col = plan.column("lien_ket")
    ordered = sorted(problems, key=lambda p: (_SEVERITY_ORDER[p.severity],
                                              order.get(p.unit, len(order)), p.file, p.sheet,
                                              _cell_key(p.cell)))
    rows: dict[int, int] = {}
    for p in ordered:
        if p.severity is not Severity.INFO:
            rows[id(p)] = len(plan.rows)
            _problem_row(plan, p, links, link_col)
    notes: dict[tuple, list[Problem]] = {}
    for p in ordered:
        if p.severity is Severity.INFO:
            notes.setdefault((p.unit, p.file, p.code), []).append(p)
    for group in notes.values():
        if len(group) == 1:
            _problem_row(plan, group[0], links, link_col)
        else:
            _summary_row(plan, group, links, link_col)
    return plan, rows


def _problem_row(plan: SheetPlan, p: Problem, links: _Linker, link_col: int, *,
                 sheet: str | None = None, cells: str | None = None,
                 text: str | None = None) -> None:
    shown = (p.severity.value, p.code, p.unit, p.file, p.sheet if sheet is None else sheet,
             p.cell if cells is None else cells)
    plan.rows.append([*shown, _text(p.value if text is None else None),
                      _text(p.expected if text is None else None), text or p.text, None,
                      p.technical])
    target = links.target(p.file, p.sheet, p.cell)
    if target:
        plan.rows[-1][link_col] = "Mở ô" if p.cell else "Mở tệp"
        plan.links[(len(plan.rows) - 1, link_col)] = target


def _summary_row(plan: SheetPlan, group: list[Problem], links: _Linker, link_col: int) -> None:
    """One row for many notes of one kind in one file: the cells listed, the first as the
    example and the link's target (N10's wording, under the kind's own code)."""
    first = group[0]
    by_sheet: dict[str, list[str]] = {}
    for p in group:
        if p.cell:
            by_sheet.setdefault(p.sheet, []).append(p.cell)
    text = Problem(Msg.NOTES_SUMMARY, value=len(group), cell=first.cell,
                   detail=first.text).text
    _problem_row(plan, first, links, link_col, sheet=SHEETS_SEPARATOR.join(by_sheet),
                 cells=listed_cells(by_sheet), text=text)


def listed_cells(by_sheet: dict[str, list[str]]) -> str:
    """The cells of a summarised kind of note: "B5, D5" on one sheet, "Thông tin: B14;
    Khen cá nhân: B5" on several (at most LISTED_CELLS in all)."""
    parts, left = [], LISTED_CELLS
    for sheet, cells in by_sheet.items():
        shown = ", ".join(cells[:left]) + (" …" if len(cells) > left else "")
        parts.append(shown if len(by_sheet) == 1 else f"{sheet}: {shown}")
        left = max(left - len(cells), 0)
        if not left:
            break
    return SHEETS_SEPARATOR.join(parts)


def _table_plan(campaign: Campaign, phase: Phase, form: Form, returns: list[FileOutcome],
                reviews: ReviewKeeper, links: _Linker, ranked: list[Proposal] = ()
                ) -> tuple[SheetPlan, list[tuple[str, str, int]]]:
    """One consolidated sheet, and where each of its rows came from (file, sheet, row); the
    proposals of a ranking (``ranked``) follow the units' own rows."""
    name = CONSOLIDATED_SHEET[form.key]
    fields = consolidated_fields(form)
    kept = review_fields(form)
    nomination = bool(kept)
    plan = SheetPlan(name, fields,
                     id_field="ma_de_nghi" if nomination else None,
                     review_fields=tuple(f.key for f in kept))
    origin_col = plan.column("o")
    origins = []
    subject = "ten_tap_the" if form.key == "khen_tap_the" else "ho_ten"
    ids = _nomination_ids(campaign, phase, form, returns) if nomination else {}
    ranked_ids = _unique_all([nomination_id(campaign.year, phase.number, p.unit.code,
                                            RANKING_KEY, name_key(p.unit.name), p.award)
                              for p in ranked], set(ids.values()))
    reviews.reserve(name, list(ids.values()) + ranked_ids)
    for o in returns:
        unit = campaign.unit(o.unit_code)
        for row in o.ret.tables.get(form.key, []):
            values: dict[str, Any] = {f.key: row.get(f.key) for f in form.fields}
            values["ma_don_vi"], values["ten_don_vi"] = unit.code, unit.name
            values["tep"] = o.path.name
            first = next((v for v in row.values.values() if v.cell), None)
            values["o"] = f"{first.sheet}!{first.cell}" if first else ""
            if nomination:
                nid = values["ma_de_nghi"] = ids[id(row)]
                values.update(reviews.claim(name, nid, unit.code, row.get(subject),
                                            row.get("hinh_thuc")))
            plan.rows.append([values.get(f.key) for f in fields])
            origins.append((o.path.name, first.sheet if first else form.sheet, row.number))
            if first:
                target = links.target(o.path.name, first.sheet, first.cell)
                if target:
                    plan.links[(len(plan.rows) - 1, origin_col)] = target
    for p, nid in zip(ranked, ranked_ids):
        values = {**proposal_values(campaign, p), "ma_de_nghi": nid}
        values.update(reviews.claim(name, nid, p.unit.code, p.unit.name, p.award))
        plan.rows.append([values.get(f.key) for f in fields])
        origins.append((RANKING_SOURCE, ControlSheet.SCORING, p.row))
        plan.links[(len(plan.rows) - 1, origin_col)] = f"#'{ControlSheet.SCORING}'!A{p.row}"
    return plan, origins


RANKING_KEY = "xep_hang"  # what a ranking proposal's id is made of, in place of a form key


def _unique_all(nids: list[str], used: set[str]) -> list[str]:
    used = set(used)
    return [_unique(nid, used) for nid in nids]


def _nomination_ids(campaign: Campaign, phase: Phase, form: Form,
                    returns: list[FileOutcome]) -> dict[int, str]:
    """The id of each nomination row (by ``id`` of the row), unique on the sheet."""
    used: set[str] = set()
    return {id(row): _unique(_nomination_id(campaign, phase, o.unit_code, form, row), used)
            for o in returns for row in o.ret.tables.get(form.key, [])}


def _nomination_id(campaign: Campaign, phase: Phase, unit_code: str, form: Form,
                   row: Row) -> str:
    if form.key != "khen_tap_the":
        subject = person_key(row.get("ho_ten"), row.get("nam_sinh"))
    else:
        subject = name_key(row.get("ten_tap_the"))
    return nomination_id(campaign.year, phase.number, unit_code, form.key, subject,
                         str(row.get("hinh_thuc") or ""))


def _unique(nid: str, used: set[str]) -> str:
    candidate, n = nid, 1
    while candidate in used:
        n += 1
        candidate = f"{nid}-{n}"
    used.add(candidate)
    return candidate


def _results_plan(campaign: Campaign, returns: list[FileOutcome], links: _Linker) -> SheetPlan:
    fields = results_fields(campaign.indicators)
    plan = SheetPlan(ControlSheet.RESULTS, fields)
    by_title = {i.title: i.code for i in campaign.indicators}
    totals: dict[str, float] = {i.code: 0 for i in campaign.indicators}
    file_col = plan.column("tep")
    for o in returns:
        unit = campaign.unit(o.unit_code)
        values: dict[str, Any] = {"ma_don_vi": unit.code, "ten_don_vi": unit.name,
                                  "tep": o.path.name}
        notes = []
        for row in o.ret.tables.get(RESULTS.key, []):
            code = by_title.get(row.get("chi_tieu"))
            if code is None:
                continue
            value = row.get("gia_tri")
            values[code] = value
            if isinstance(value, (int, float)):
                totals[code] += value
            if row.get("ghi_chu"):
                notes.append(f"{row.get('chi_tieu')}: {row.get('ghi_chu')}")
        free = o.ret.free_text.get(RESULTS.key)
        values[RESULTS.free_text.key] = free.value if free is not None and free.ok else None
        values["ghi_chu"] = "; ".join(notes) or None
        plan.rows.append([values.get(f.key) for f in fields])
        target = links.target(o.path.name)
        if target:
            plan.links[(len(plan.rows) - 1, file_col)] = target
    plan.total_row = [None, TOTAL_LABEL, *(_whole(totals[i.code]) for i in campaign.indicators),
                      None, None, None]
    return plan


def _chart(campaign: Campaign, results: SheetPlan) -> ChartPlan:
    """Bar chart of participation (or the first indicator) by unit."""
    shown = campaign.chart_indicator()
    code, title = shown.code, shown.title
    first = CONTROL_HEADER_ROW + 1
    return ChartPlan(ControlSheet.CHART, ControlSheet.RESULTS,
                     category_column=results.column("ten_don_vi"),
                     value_columns=[results.column(code)], first_row=first,
                     last_row=first + max(len(results.rows), 1) - 1,
                     title=f"{title} theo đơn vị", y_title=title)


def _whole(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _text(value: Any) -> Any:
    return show_value(value) if value not in (None, "") else None


def _cell_key(cell: str) -> tuple:
    letters = "".join(c for c in cell if c.isalpha())
    digits = "".join(c for c in cell if c.isdigit())
    return (int(digits) if digits else 0, len(letters), letters)
