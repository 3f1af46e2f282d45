"""Turn checked returns into the sheets of the control workbook (:class:`SheetPlan`)."""
from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any

from workbook_templates.campaign import Campaign, Phase
from workbook_templates.continued_sheets import PART_ROWS, row_address
from workbook_templates.forms import (
    CONSOLIDATED_SHEET, CONTROL_HEADER_ROW, FLAGS_FIELD, PROBLEM_FIELDS,
    RANKING_SOURCE, RESULTS, STATUS_ERRORS, STATUS_FIELDS, STATUS_LATE,
    STATUS_MISSING, STATUS_SUBMITTED, TOTAL_LABEL, ControlSheet, Form, Layout, ALL_UNIT_FORMS,
    consolidated_fields, forms_of_phase, results_fields, review_fields)
from workbook_templates.identity import name_key, nomination_id
from workbook_templates.messages import Msg, Problem, Severity, show_value
from workbook_templates.records import UnitReturn

from .delegates import live_totals
from .flags import ERROR_FILL, MISSING_FILL, OK_FILL, WARNING_FILL, flags_by_row
from .reviews import ReviewKeeper
from .scoring_plan import Proposal, Scored, proposal_values, scoring_plan
from .sheet_plan import ChartPlan, SheetPlan
from .spill import CHOSEN_NOMINEES, NOMINEES_OF_CHOSEN, Spill

# Row colour of each submission status on Tình hình nộp.
STATUS_FILL = {STATUS_SUBMITTED: OK_FILL, STATUS_LATE: WARNING_FILL, STATUS_ERRORS: ERROR_FILL,
               STATUS_MISSING: MISSING_FILL}
# Lỗi lists at most this many cells of a summarised kind of note.
LISTED_CELLS = 40
SHEETS_SEPARATOR = "; "  # sheet names hold commas ("Công trình, sản phẩm")

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(slots=True)
class FileOutcome:
    """One file of the inbox after reading and checking: the file ``name`` in ``folder``
    (the parent shares one ``folder`` among a folder's files, see :class:`InboxFiles`)."""

    folder: Path
    name: str
    unit_code: str
    ret: UnitReturn | None  # None when the file could not be read at all
    accepted: bool
    received: datetime | None
    problems: list[Problem] = field(default_factory=list)
    # SHA-256 and size of the file as read (collect), from its worker; kept in the run's
    # spill once received (read_all)
    fingerprint: bytes | None = None

    @classmethod
    def at(cls, path: Path, *args, **kwargs) -> "FileOutcome":
        """The outcome of the file at ``path`` (the other fields as the constructor's)."""
        return cls(path.parent, path.name, *args, **kwargs)

    @property
    def path(self) -> Path:
        return self.folder / self.name

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity is severity)


@dataclass(slots=True)
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
                statuses: list[UnitStatus],
                problems: list[Problem], reviews: ReviewKeeper, control_dir: Path,
                spill: Spill, forms: tuple[Form, ...] = ALL_UNIT_FORMS
                ) -> tuple[list[SheetPlan], ChartPlan]:
    """Every sheet Consolidate writes, in order, and the chart of results by unit. The
    chosen files' rows are read back from ``spill`` once each, in unit order, and every
    sheet's rows go into it. The reviews no row claimed are added to ``problems`` (X06)
    before Lỗi is planned."""
    links = _Linker(control_dir, {o.name: o.folder for o in outcomes})
    order = {u.code: i for i, u in enumerate(campaign.ordered_units())}
    forms = forms_of_phase(forms, campaign.is_year_end(phase.number))
    scored = {f.key: _scored(campaign, f, spill, outcomes, reviews)
              for f in forms if f.scoring is not None}
    proposed = {f.scoring.proposes_on: scored[f.key].proposals for f in forms if f.key in scored}
    for s in scored.values():
        problems.extend(s.problems)
    wanted = _flagged_origins(problems)
    sheets: list[_Sheet] = []
    tables: list[SheetPlan] = []
    for form in forms:
        if form.layout is Layout.RECORD:
            continue
        if form.key in scored:
            tables.append(scored[form.key].plan)
            continue
        sheet = (_ResultsSheet(campaign, links) if form.key == RESULTS.key else
                 _TableSheet(campaign, phase, form, reviews, links, spill, wanted,
                             proposed.get(form.key, [])))
        sheet.plan.on_disk(spill.rows())
        sheets.append(sheet)
        tables.append(sheet.plan)
    for i, o in _chosen(spill, outcomes):
        full = _loaded(spill, i, o)
        for sheet in sheets:
            sheet.add(full)
    for sheet in sheets:
        sheet.finish()
    for plan in tables:
        if plan.name == ControlSheet.OUTSTANDING:  # issue 15
            plan.total_row = live_totals(plan, campaign)
    problems.extend(reviews.problems())
    problem_plan, problem_rows = _problem_plan(problems, order, links)
    _flag_rows(sheets, problems, problem_rows)
    plans = [_status_plan(campaign, phase, statuses, links, spill), problem_plan, *tables]
    results = next(p for p in plans if p.name == ControlSheet.RESULTS)
    return plans, _chart(campaign, results)


def _scored(campaign: Campaign, form: Form, spill: Spill, outcomes: list[FileOutcome],
            reviews: ReviewKeeper) -> Scored:
    """The scoring sheet of ``form`` over the chosen files (their rows of it only)."""
    returns = [_loaded(spill, i, o, form.key) for i, o in _chosen(spill, outcomes)]
    problems = {o.unit_code: [p for p in o.problems if p.sheet == form.sheet] for o in returns}
    return scoring_plan(campaign, form, returns, reviews, problems)


def _chosen(spill: Spill, outcomes: list[FileOutcome]) -> Iterator[tuple[int, FileOutcome]]:
    """The chosen files, in unit order, each with its place in ``outcomes`` (as ``spill``
    was told them: no index of 130,000 outcomes is built to find them)."""
    for (i,) in spill.query("SELECT idx FROM chosen ORDER BY unit_rank, rank"):
        yield i, outcomes[i]


def _loaded(spill: Spill, i: int, o: FileOutcome, form_key: str | None = None) -> FileOutcome:
    """``o``, file ``i`` of the run, with what its return held read back from ``spill``
    (only ``form_key``'s rows when given) and its path; the problems are ``o``'s own list."""
    tables, free_text = spill.load(i)
    if form_key is not None:
        tables, free_text = {form_key: tables.get(form_key, [])}, {}
    return dataclasses.replace(o, ret=dataclasses.replace(o.ret, tables=tables,
                                                          free_text=free_text, path=o.path))


def _flagged_origins(problems: list[Problem]) -> set[tuple[str, str, int]]:
    """The rows of the units' files (file, sheet, row) that a finding flags or names."""
    wanted = set(flags_by_row(problems))
    for p in problems:
        wanted.update((file, p.sheet, n) for _, file, n in p.extra.get("others", ()))
    return wanted


def _flag_rows(sheets: list["_Sheet"], problems: list[Problem],
               problem_rows: dict[int, int]) -> None:
    """Fill the Cảnh báo column of every flagged row (linked to its first finding on Lỗi)
    and highlight the row."""
    flags = flags_by_row(problems)
    for sheet in sheets:
        plan = sheet.plan
        if not any(f.key == FLAGS_FIELD.key for f in plan.fields):
            continue
        col = plan.column(FLAGS_FIELD.key)
        rows = {origin: _row_label(plan.name, i) for origin, i in sheet.where.items()}
        for origin, i in sheet.where.items():
            found = flags.get(origin)
            if found is None:
                continue
            values = plan.rows[i]
            values[col] = found.text(rows)
            plan.rows[i] = values
            plan.row_fills[i] = found.fill
            first = problem_rows.get(id(found.problems[0]))
            if first is not None:
                part, row = row_address(ControlSheet.PROBLEMS, first)
                plan.links[(i, col)] = f"#'{part}'!A{row}"


def _row_label(sheet: str, index: int) -> int | str:
    """How a flag names data row ``index`` of ``sheet``: its row number, and the sheet when
    the row is on a continuation sheet."""
    part, row = row_address(sheet, index)
    return row if part == sheet else f"{row} trang “{part}”"


class _Linker:
    """Links from the control workbook to a cell of a unit's file (relative paths)."""

    def __init__(self, control_dir: Path, folders: dict[str, Path]):
        self.control_dir = control_dir
        self.folders = folders  # by file name: its folder
        self._prefixes: dict[Path, str] = {}  # by folder: the files share a few
        self._last: tuple[str, str | None] = ("", None)  # the rows come file by file

    def target(self, file_name: str, sheet: str = "", cell: str = "") -> str | None:
        if self._last[0] != file_name:
            self._last = (file_name, self._file(file_name))
        rel = self._last[1]
        if rel is None:
            return None
        if sheet and cell:
            return f"{rel}#'{sheet}'!{cell}"
        return rel

    def _file(self, file_name: str) -> str | None:
        """The link to file ``file_name`` (None when no file of the run has that name)."""
        folder = self.folders.get(file_name)
        if folder is None:
            return None
        prefix = self._prefixes.get(folder)
        if prefix is None:
            prefix = self._prefixes[folder] = self._prefix(folder)
        return prefix + file_name

    def _prefix(self, folder: Path) -> str:
        """What goes before a file name of ``folder`` in a link: the folder relative to the
        control workbook's, or whole on another drive (Windows)."""
        try:
            rel = os.path.relpath(folder, self.control_dir).replace(os.sep, "/")
        except ValueError:
            return os.path.join(str(folder), "")
        return "" if rel == "." else f"{rel}/"


def _status_plan(campaign: Campaign, phase: Phase, statuses: list[UnitStatus],
                 links: _Linker, spill: Spill) -> SheetPlan:
    plan = SheetPlan(ControlSheet.STATUS, STATUS_FIELDS).on_disk(spill.rows())
    file_col = plan.column("tep")
    counts = Counter()
    errors = warnings = 0
    for i, st in enumerate(statuses):
        unit = campaign.unit(st.unit_code)
        o = st.outcome
        counts[st.status] += 1
        row = [i + 1, phase.number, unit.code, unit.name, unit.type, st.status,
               o.name if o else "", o.received if o else None,
               o.count(Severity.ERROR) if o else 0, o.count(Severity.WARNING) if o else 0,
               st.note]
        errors, warnings = errors + row[8], warnings + row[9]
        plan.row_fills[i] = STATUS_FILL.get(st.status)
        target = links.target(o.name) if o is not None else None
        plan.add(row, {file_col: target} if target else None)
    plan.total_row = [None, None, None, TOTAL_LABEL, None,
                      "; ".join(f"{k}: {v}" for k, v in sorted(counts.items())),
                      None, None, errors, warnings, None]
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


class _Sheet:
    """A consolidated sheet built one chosen return at a time (:meth:`add`, in unit order),
    then :meth:`finish`-ed; ``where``: the row of each flagged origin (see _flag_rows)."""

    plan: SheetPlan
    where: dict[tuple[str, str, int], int]

    def add(self, o: FileOutcome) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """What follows the units' rows."""


class _TableSheet(_Sheet):
    """One consolidated sheet of a table form; each row knows where it came from (file,
    sheet, row) for its link and its flags."""

    def __init__(self, campaign: Campaign, phase: Phase, form: Form, reviews: ReviewKeeper,
                 links: _Linker, spill: Spill, wanted: set[tuple[str, str, int]],
                 ranked: list[Proposal]):
        self.campaign, self.phase, self.form, self.reviews = campaign, phase, form, reviews
        self.links, self.spill, self.wanted = links, spill, wanted
        self.name = name = CONSOLIDATED_SHEET[form.key]
        self.fields = consolidated_fields(form)
        self.nomination = bool(review_fields(form))
        self.plan = SheetPlan(name, self.fields,
                              id_field="ma_de_nghi" if self.nomination else None,
                              review_fields=tuple(f.key for f in review_fields(form)))
        self.origin_col = self.plan.column("o")
        self.subject = "ten_tap_the" if form.key == "khen_tap_the" else "ho_ten"
        self.where = {}
        self.ranked, self.ranked_ids = ranked, self._ranked_ids(ranked)
        # the new rows' ids, before any row claims a review (computed only if one can)
        reviews.reserve(name, chain(self._row_ids() if self.nomination else (),
                                    self.ranked_ids))
        # the same ids again as the rows come, in the same order: from the nominees' keys
        # the workers took, not each name keyed again (a quarter of the sheets' building)
        self.coming_ids = self._row_ids() if self.nomination else iter(())

    def add(self, o: FileOutcome) -> None:
        unit = self.campaign.unit(o.unit_code)
        file = o.name
        for row in o.ret.tables.get(self.form.key, []):
            values: dict[str, Any] = {f.key: row.get(f.key) for f in self.form.fields}
            values["ma_don_vi"], values["ten_don_vi"] = unit.code, unit.name
            values["tep"] = file
            first = next((v for v in row.values.values() if v.cell), None)
            values["o"] = f"{first.sheet}!{first.cell}" if first else ""
            if self.nomination:
                nid = values["ma_de_nghi"] = next(self.coming_ids)
                values.update(self.reviews.claim(self.name, nid, unit.code,
                                                 row.get(self.subject), row.get("hinh_thuc")))
            origin = (file, first.sheet if first else self.form.sheet, row.number)
            if origin in self.wanted:
                self.where[origin] = len(self.plan.rows)
            target = first and self.links.target(file, first.sheet, first.cell)
            self.plan.add([values.get(f.key) for f in self.fields],
                          {self.origin_col: target} if target else None)

    def _row_ids(self) -> Iterator[str]:
        """The id of each row of the sheet, from the nominees' keys in ``spill``."""
        used: set[str] = set()
        last = None
        for code, subject, award in self.spill.query(
                f"SELECT c.code, n.subject, n.award {CHOSEN_NOMINEES} "
                "WHERE n.form = ? ORDER BY c.unit_rank, c.rank, n.seq",
                (self.form.key,)):
            if code != last:
                used, last = set(), code
            yield _unique(_nomination_id(self.campaign, self.phase, code, self.form.key,
                                         subject, award), used)

    def _ranked_ids(self, ranked: list[Proposal]) -> list[str]:
        """The ids of the ranking's proposals, unique among them and beside their unit's
        own rows."""
        used: dict[str, set[str]] = {}
        ids = []
        for p in ranked:
            if p.unit.code not in used:
                used[p.unit.code] = set(self._unit_ids(p.unit.code))
            ids.append(_unique(nomination_id(self.campaign.year, self.phase.number,
                                             p.unit.code, RANKING_KEY,
                                             name_key(p.unit.name), p.award),
                               used[p.unit.code]))
        return ids

    def _unit_ids(self, code: str) -> list[str]:
        used: set[str] = set()
        return [_unique(_nomination_id(self.campaign, self.phase, code, self.form.key,
                                       subject, award), used)
                for subject, award in self.spill.query(
                    f"SELECT n.subject, n.award {NOMINEES_OF_CHOSEN} "
                    "WHERE n.form = ? AND c.code = ? ORDER BY c.rank, n.seq",
                    (self.form.key, code))]

    def finish(self) -> None:
        """The proposals of the ranking after the units' own rows."""
        for p, nid in zip(self.ranked, self.ranked_ids):
            values = {**proposal_values(self.campaign, p), "ma_de_nghi": nid}
            values.update(self.reviews.claim(self.name, nid, p.unit.code, p.unit.name,
                                             p.award))
            origin = (RANKING_SOURCE, ControlSheet.SCORING, p.row)
            if origin in self.wanted:
                self.where[origin] = len(self.plan.rows)
            self.plan.add([values.get(f.key) for f in self.fields],
                          {self.origin_col: f"#'{ControlSheet.SCORING}'!A{p.row}"})


RANKING_KEY = "xep_hang"  # what a ranking proposal's id is made of, in place of a form key


def _nomination_id(campaign: Campaign, phase: Phase, unit_code: str, form_key: str,
                   subject: str, award: Any) -> str:
    return nomination_id(campaign.year, phase.number, unit_code, form_key, subject,
                         str(award or ""))


def _unique(nid: str, used: set[str]) -> str:
    candidate, n = nid, 1
    while candidate in used:
        n += 1
        candidate = f"{nid}-{n}"
    used.add(candidate)
    return candidate


class _ResultsSheet(_Sheet):
    """Kết quả: one row per unit, its indicators by column, and their totals."""

    def __init__(self, campaign: Campaign, links: _Linker):
        self.campaign, self.links = campaign, links
        self.fields = results_fields(campaign.indicators)
        self.plan = SheetPlan(ControlSheet.RESULTS, self.fields)
        self.by_title = {i.title: i.code for i in campaign.indicators}
        self.totals: dict[str, float] = {i.code: 0 for i in campaign.indicators}
        self.file_col = self.plan.column("tep")
        self.where = {}

    def add(self, o: FileOutcome) -> None:
        unit = self.campaign.unit(o.unit_code)
        values: dict[str, Any] = {"ma_don_vi": unit.code, "ten_don_vi": unit.name,
                                  "tep": o.name}
        notes = []
        for row in o.ret.tables.get(RESULTS.key, []):
            code = self.by_title.get(row.get("chi_tieu"))
            if code is None:
                continue
            value = row.get("gia_tri")
            values[code] = value
            if isinstance(value, (int, float)):
                self.totals[code] += value
            if row.get("ghi_chu"):
                notes.append(f"{row.get('chi_tieu')}: {row.get('ghi_chu')}")
        free = o.ret.free_text.get(RESULTS.key)
        values[RESULTS.free_text.key] = free.value if free is not None and free.ok else None
        values["ghi_chu"] = "; ".join(notes) or None
        target = self.links.target(o.name)
        self.plan.add([values.get(f.key) for f in self.fields],
                      {self.file_col: target} if target else None)

    def finish(self) -> None:
        self.plan.total_row = [None, TOTAL_LABEL, *(_whole(self.totals[i.code])
                                                    for i in self.campaign.indicators),
                               None, None, None]


def _chart(campaign: Campaign, results: SheetPlan) -> ChartPlan:
    """Bar chart of participation (or the first indicator) by unit."""
    shown = campaign.chart_indicator()
    code, title = shown.code, shown.title
    first = CONTROL_HEADER_ROW + 1
    return ChartPlan(ControlSheet.CHART, ControlSheet.RESULTS,
                     category_column=results.column("ten_don_vi"),
                     value_columns=[results.column(code)], first_row=first,
                     last_row=first + max(min(len(results.rows), PART_ROWS), 1) - 1,
                     title=f"{title} theo đơn vị", y_title=title)


def _whole(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _text(value: Any) -> Any:
    return show_value(value) if value not in (None, "") else None


def _cell_key(cell: str) -> tuple:
    letters = "".join(c for c in cell if c.isalpha())
    digits = "".join(c for c in cell if c.isdigit())
    return (int(digits) if digits else 0, len(letters), letters)
