"""The control workbook read into plain data for documents.

Reads the sheets Consolidate writes (header on ``CONTROL_HEADER_ROW``, data below) by column
title, so the clerk may add columns at the end, leave blank rows, or type "có" for "Có". The
same rows come from the file (:func:`read_control_sheets`) or from the register's snapshot of
a phase (:func:`document_data_from_sheets` takes either).
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from workbook_templates.campaign import (
    TARGET_COLLECTIVE, TARGET_INDIVIDUAL, AwardForm, Campaign, Phase)
from workbook_templates.continued_sheets import joined_rows
from workbook_templates.forms import (
    COLLECTIVE_NOMINATIONS, CONSOLIDATED_SHEET, CONTROL_HEADER_ROW, INDIVIDUAL_NOMINATIONS,
    INITIATIVES, REGISTRATION, REVIEW_FIELDS, STATUS_FIELDS, STATUS_LATE, STATUS_MISSING,
    ALL_UNIT_FORMS, BASIS_ASSESSED, TOTAL_LABEL, WORKS, ControlSheet, Field, consolidated_fields,
    results_fields,
    standing_fields)
from workbook_templates.messages import Msg, Problem, SetupError
from workbook_templates.values import yes_no



@dataclass
class UnitStatus:
    code: str
    name: str
    type: str
    status: str
    note: str = ""


@dataclass
class Registration:
    unit_code: str
    unit_name: str
    movement: str
    registered: bool
    grassroots: int  # Số CĐCS tham gia
    people: int  # Số đoàn viên, CNVCLĐ tham gia


@dataclass
class Work:
    unit_code: str
    unit_name: str
    name: str
    kind: str
    executor: str
    event: str
    value: float
    finished: date | None
    plaque: bool


@dataclass
class Initiative:
    unit_code: str
    unit_name: str
    name: str
    authors: str
    unit: str
    level: str
    value: float


@dataclass
class UnitResult:
    unit_code: str
    unit_name: str
    values: dict[str, float]  # indicator code -> figure
    assessment: str = ""


@dataclass
class Nomination:
    """An approved nomination: who, from which unit, and the form actually awarded."""

    id: str
    unit_code: str
    unit_name: str
    target: str  # TARGET_COLLECTIVE or TARGET_INDIVIDUAL
    name: str
    award: AwardForm
    achievement: str
    position: str = ""  # individuals: Chức vụ, nghề nghiệp
    workplace: str = ""  # individuals: Đơn vị công tác; collectives: Thuộc đơn vị
    gender: str = ""
    birth_year: int | None = None


@dataclass
class Standing:
    """A unit's row of *Chấm điểm* (issue 14): its block, scores, rank and class."""

    unit_code: str
    unit_name: str
    block: str
    self_score: float | None
    assessed: float | None  # the federation's score, where the ranking used it
    score: float
    rank: int
    tied: bool
    klass: str


@dataclass
class DocumentData:
    """Everything the documents of one phase say, read from the control workbook."""

    campaign: Campaign
    phase: Phase
    statuses: list[UnitStatus] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    works: list[Work] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    results: list[UnitResult] = field(default_factory=list)
    nominations: list[Nomination] = field(default_factory=list)  # approved only
    problems: list[Problem] = field(default_factory=list)
    standings: list[Standing] = field(default_factory=list)  # issue 14: ranked units

    @property
    def totals(self) -> dict[str, float]:
        """Each indicator summed over the units (the TỔNG CỘNG row, recomputed)."""
        sums = {i.code: 0.0 for i in self.campaign.indicators}
        for r in self.results:
            for code, v in r.values.items():
                sums[code] = sums.get(code, 0.0) + v
        return sums

    def awarded(self, award_name: str, target: str | None = None) -> list[Nomination]:
        """Approved nominations awarded the form called ``award_name`` (one target or both)."""
        return [n for n in self.nominations if n.award.name == award_name
                and (target is None or n.target == target)]

    def units_with(self, status: str) -> list[UnitStatus]:
        return [s for s in self.statuses if s.status == status]

    @property
    def late(self) -> list[UnitStatus]:
        return self.units_with(STATUS_LATE)

    @property
    def missing(self) -> list[UnitStatus]:
        return self.units_with(STATUS_MISSING)


# The sheets the documents read, as Consolidate names them.
SCORING_FORMS = tuple(f for f in ALL_UNIT_FORMS if f.scoring is not None)  # issue 14
DOCUMENT_SHEETS = (ControlSheet.STATUS, ControlSheet.REGISTRATION, ControlSheet.WORKS,
                   ControlSheet.INITIATIVES, ControlSheet.RESULTS, ControlSheet.COLLECTIVE,
                   ControlSheet.INDIVIDUAL, ControlSheet.OUTSTANDING,
                   *(CONSOLIDATED_SHEET[f.key] for f in SCORING_FORMS))


def read_document_data(control: Path, campaign: Campaign, phase: int) -> DocumentData:
    """Read the consolidated sheets of ``control`` for ``phase`` of ``campaign``."""
    control = Path(control)
    return document_data_from_sheets(read_control_sheets(control), campaign, phase,
                                     control.name)


def read_control_sheets(control: Path) -> dict[str, list[list]]:
    """The :data:`DOCUMENT_SHEETS` of the control workbook file, by their names: the header
    row, then every row below it as the cells hold them (trailing empty rows left out). A
    sheet the clerk deleted is not in the result."""
    control = Path(control)
    if not control.is_file():
        raise SetupError(Problem(Msg.NO_CONTROL_WORKBOOK, value=str(control)))
    book = CalamineWorkbook.from_path(str(control))
    real = {_key(n): n for n in book.sheet_names}

    def rows_of(key: str) -> list[list]:
        grid = book.get_sheet_by_name(real[key]).to_python(skip_empty_area=False)
        rows = [list(r) for r in grid[CONTROL_HEADER_ROW - 1:]]
        while rows and all(v in (None, "") for v in rows[-1]):
            rows.pop()
        return rows

    sheets = {}
    for name in DOCUMENT_SHEETS:
        rows = joined_rows(_key(name), real, rows_of)
        if rows is not None:
            sheets[name] = rows
    return sheets


def document_data_from_sheets(sheets: dict[str, list[list]], campaign: Campaign, phase: int,
                              file_label: str) -> DocumentData:
    """The documents' data of ``phase`` from consolidated sheets (sheet name -> header row,
    then rows); ``file_label`` names their source in the problems."""
    data = DocumentData(campaign=campaign, phase=campaign.phase(phase))
    reader = _Reader(sheets, file_label, data.problems)

    status_rows = [r for r in reader.rows(ControlSheet.STATUS, STATUS_FIELDS)
                   if r["ma_don_vi"]]  # unit rows; not the totals row
    held = {_int(r["dot"]) for r in status_rows if r["dot"] not in (None, "")}
    if held and phase not in held:
        raise SetupError(Problem(Msg.CONTROL_OTHER_PHASE, file=file_label,
                                 sheet=ControlSheet.STATUS, value=min(held), expected=phase))
    for r in status_rows:
        if r["ma_don_vi"]:
            data.statuses.append(UnitStatus(_text(r["ma_don_vi"]), _text(r["ten_don_vi"]),
                                            _text(r["loai_don_vi"]), _text(r["tinh_trang"]),
                                            _text(r["ghi_chu"])))
    for r in reader.rows(ControlSheet.REGISTRATION, consolidated_fields(REGISTRATION)):
        if r["phong_trao"]:
            data.registrations.append(Registration(
                _text(r["ma_don_vi"]), _text(r["ten_don_vi"]), _text(r["phong_trao"]),
                _yes(r["dang_ky"]), _int(r["so_cdcs_tham_gia"]), _int(r["so_nguoi_tham_gia"])))
    for r in reader.rows(ControlSheet.WORKS, consolidated_fields(WORKS)):
        if r["ten"]:
            data.works.append(Work(
                _text(r["ma_don_vi"]), _text(r["ten_don_vi"]), _text(r["ten"]), _text(r["loai"]),
                _text(r["don_vi_thuc_hien"]), _text(r["su_kien"]), _num(r["gia_tri"]),
                _date(r["ngay_hoan_thanh"]), _yes(r["de_nghi_gan_bien"])))
    for r in reader.rows(ControlSheet.INITIATIVES, consolidated_fields(INITIATIVES)):
        if r["ten"]:
            data.initiatives.append(Initiative(
                _text(r["ma_don_vi"]), _text(r["ten_don_vi"]), _text(r["ten"]),
                _text(r["tac_gia"]), _text(r["don_vi"]), _text(r["cap_cong_nhan"]),
                _num(r["gia_tri_lam_loi"])))
    for r in reader.rows(ControlSheet.RESULTS, results_fields(campaign.indicators)):
        name = _text(r["ten_don_vi"])
        if not (r["ma_don_vi"] or name) or _key(name) == _key(TOTAL_LABEL):
            continue
        data.results.append(UnitResult(
            _text(r["ma_don_vi"]), name, {i.code: _num(r[i.code]) for i in campaign.indicators},
            _text(r["danh_gia"])))
    _read_nominations(reader, data, COLLECTIVE_NOMINATIONS.key, TARGET_COLLECTIVE)
    _read_nominations(reader, data, INDIVIDUAL_NOMINATIONS.key, TARGET_INDIVIDUAL)
    if data.phase.number == max(p.number for p in campaign.phases):
        for form in SCORING_FORMS:
            _read_standings(reader, data, form, sheets)
    return data


def _read_standings(reader: "_Reader", data: DocumentData, form, sheets) -> None:
    """The ranked units of a scoring sheet (a sheet not written yet gives none, silently:
    the phase may have no scoring)."""
    sheet = CONSOLIDATED_SHEET[form.key]
    if _key(sheet) not in {_key(n) for n in sheets}:
        return
    total = form.scoring.total.key
    for r in reader.rows(sheet, standing_fields(form)):
        if not r["ma_don_vi"] or r["xep_hang"] in (None, ""):
            continue
        data.standings.append(Standing(
            _text(r["ma_don_vi"]), _text(r["ten_don_vi"]), _text(r["khoi_thi_dua"]),
            _num(r[total]) if r[total] not in (None, "") else None,
            _num(r["diem_xep_hang"]) if _key(r["can_cu_xep_hang"]) == _key(BASIS_ASSESSED)
            else None, _num(r["diem_xep_hang"]), _int(r["xep_hang"]), bool(_text(r["dong_hang"])),
            _text(r["xep_loai"])))


def _read_nominations(reader: "_Reader", data: DocumentData, form_key: str, target: str) -> None:
    form = COLLECTIVE_NOMINATIONS if form_key == COLLECTIVE_NOMINATIONS.key else \
        INDIVIDUAL_NOMINATIONS
    sheet = CONSOLIDATED_SHEET[form_key]
    name_key = "ten_tap_the" if target == TARGET_COLLECTIVE else "ho_ten"
    award_title = REVIEW_FIELDS[1].title
    forms = {_key(a.name): a for a in data.campaign.forms_for(target)}
    for r in reader.rows(sheet, consolidated_fields(form)):
        name = _text(r[name_key])
        if not name or not _yes(r["duyet"]):
            continue
        cell = f"{sheet}!{r['_cell']}"
        awarded = _text(r["hinh_thuc_duoc_khen"])
        if not awarded:
            data.problems.append(Problem(Msg.DOC_APPROVED_NO_FORM, file=reader.file, sheet=sheet,
                                         cell=cell, field=award_title, value=name,
                                         unit=_text(r["ma_don_vi"])))
            continue
        award = forms.get(_key(awarded))
        if award is None:
            data.problems.append(Problem(Msg.DOC_UNKNOWN_AWARD, file=reader.file, sheet=sheet,
                                         cell=cell, value=awarded, expected=target.lower(),
                                         unit=_text(r["ma_don_vi"])))
            continue
        individual = target == TARGET_INDIVIDUAL
        data.nominations.append(Nomination(
            id=_text(r["ma_de_nghi"]), unit_code=_text(r["ma_don_vi"]),
            unit_name=_text(r["ten_don_vi"]), target=target, name=name, award=award,
            achievement=_text(r["thanh_tich"]),
            position=_text(r["chuc_vu"]) if individual else "",
            workplace=_text(r["don_vi_cong_tac"] if individual else r["thuoc_don_vi"]),
            gender=_text(r["gioi_tinh"]) if individual else "",
            birth_year=_int(r["nam_sinh"]) or None if individual else None))


class _Reader:
    """Rows of consolidated sheets as dicts keyed by field key (columns found by title)."""

    def __init__(self, sheets: dict[str, list[list]], file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        self.sheets = {_key(n): rows for n, rows in sheets.items()}

    def rows(self, sheet: str, fields: tuple[Field, ...]) -> list[dict[str, Any]]:
        grid = self.sheets.get(_key(sheet))
        if grid is None:
            self.problems.append(Problem(Msg.DOC_SHEET_MISSING, file=self.file, sheet=sheet))
            return []
        if not grid:
            return []
        header = [_key(c) for c in grid[0]]
        where = {f.key: header.index(_key(f.title)) for f in fields
                 if _key(f.title) in header}
        out = []
        for n, raw in enumerate(grid[1:], start=CONTROL_HEADER_ROW + 1):
            if all(v in (None, "") for v in raw):
                continue
            row = {f.key: (raw[where[f.key]] if f.key in where and where[f.key] < len(raw)
                           else None) for f in fields}
            row["_cell"] = f"A{n}"
            out.append(row)
        return out


def _key(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().split())


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return " ".join(unicodedata.normalize("NFC", str(v)).split())


def _yes(v: Any) -> bool:
    """Có, as the clerk or the unit wrote it ("có", "x", "✓", "ok", "đồng ý"…): the reader's
    and the register's own vocabulary."""
    return yes_no(v) is True


def _num(v: Any) -> float:
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    text = _text(v).replace(".", "").replace(",", ".").replace(" ", "")
    try:
        return float(text) if text else 0.0
    except ValueError:
        return 0.0


def _int(v: Any) -> int:
    return int(round(_num(v)))


def _date(v: Any) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    return None


def units_by_order(data: DocumentData) -> dict[str, int]:
    """Position of each unit code in the campaign's unit order (unknown codes last)."""
    order = {u.code: i for i, u in enumerate(data.campaign.ordered_units())}
    return defaultdict(lambda: len(order), order)
