"""*Báo cáo lên cấp trên* (``thidua report-up``, issue 16): the district fills the province's
template for itself from its own consolidation, so nothing is typed twice.

Thông tin comes from the district's settings (block BÁO CÁO LÊN CẤP TRÊN); Đăng ký and Kết
quả are sums over the units that sent a return, each row's note naming the units summed and
the added sheet *Nguồn số liệu* giving every unit's figure; Công trình and Sáng kiến list the
consolidated rows; Khen tập thể / cá nhân hold the nominations the district approved (Duyệt
= Có) with a form of the level above as *Hình thức được khen*; Kết quả's free text is the
district's own assessment of the phase. The province's meta sheet, version and locked cells
are those of its template, so its Consolidate reads the file as any return.
"""
from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from docgen.data import read_control_sheets, read_document_data
from workbook_templates import forms
from workbook_templates.campaign import (LEVEL_NATIONAL, TARGET_COLLECTIVE, TARGET_INDIVIDUAL,
                                         UT_GRASSROOTS, Campaign)
from workbook_templates.forms import CONSOLIDATED_SHEET, NO, YES
from workbook_templates.messages import Msg, Problem, SetupError
from workbook_templates.upper_template import UpperTemplate, read_upper_template
from workbook_templates.values import yes_no

from .campaign_setup import load_campaign
from .demo import fill_workbook
from .folder import CampaignFolder
from .lower_level import UPPER_DIR
from .preflight import ensure_clear
from .workbook_writer import BACKUP_DIR

OUT_DIR = "bao_cao_cap_tren"
SOURCES_SHEET = "Nguồn số liệu"
SOURCES_HEADER = ("Trang", "Dòng", "Mã đơn vị", "Tên đơn vị", "Giá trị")
NOTE_SUM = "Cộng {n}/{total} đơn vị: {codes}"
NOTE_SUM_SHORT = "Cộng {n}/{total} đơn vị (xem trang “{sheet}”)"
NOTE_REGISTERED = "{k}/{n} CĐCS đăng ký: {codes}"
PARTS = (("shortcomings", "Tồn tại, hạn chế: "), ("directions", "Phương hướng: "))


@dataclass
class ReportUpResult:
    path: Path
    units: list[str]  # codes of the units summed
    problems: list[Problem] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return Problem(Msg.UPPER_REPORT_DONE, value=self.path.name,
                       expected=len(self.units)).text


def find_template(paths: CampaignFolder, campaign: Campaign, phase: int) -> UpperTemplate:
    """The level above's template of ``phase`` for this unit, in ``cap_tren/``."""
    where = paths.root / UPPER_DIR
    for path in sorted(where.glob("*.xls*")) if where.is_dir() else ():
        try:
            t = read_upper_template(path)
        except SetupError:
            continue
        if t.unit_code == campaign.upper.unit_code and t.phase == phase \
                and t.year == campaign.year:
            return t
    raise SetupError(Problem(Msg.UPPER_NO_TEMPLATE, value=str(where), expected=phase,
                             field=campaign.upper.unit_code))


def _check_locked(t: UpperTemplate, campaign: Campaign) -> None:
    """What must match the level above: its version, movements and indicators (L03)."""
    pairs = (("PHONG TRÀO THI ĐUA", t.movements, campaign.movements),
             ("CHỈ TIÊU KẾT QUẢ", [title for title, _ in t.indicators],
              [i.title for i in campaign.indicators]))
    for block, theirs, ours in pairs:
        if theirs != ours:
            missing = [x for x in theirs if x not in ours]
            extra = [x for x in ours if x not in theirs]
            detail = "; ".join(filter(None, (
                missing and "thiếu " + ", ".join(f"“{x}”" for x in missing),
                extra and "thừa " + ", ".join(f"“{x}”" for x in extra)))) or "khác thứ tự"
            raise SetupError(Problem(Msg.UPPER_MISMATCH, field=block, detail=detail))
    if t.version != forms.FORM_VERSION:
        raise SetupError(Problem(Msg.UPPER_MISMATCH, field="Phiên bản biểu mẫu",
                                 detail=f"{t.version} ≠ {forms.FORM_VERSION}"))


def _codes_note(codes: list[str], total: int) -> str:
    """Which units a figure sums, of how many the campaign has (the row's Ghi chú)."""
    note = NOTE_SUM.format(n=len(codes), total=total, codes=", ".join(codes))
    return note if len(note) <= forms.TEXT_MAX else \
        NOTE_SUM_SHORT.format(n=len(codes), total=total, sheet=SOURCES_SHEET)


def _whole(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _figures(data, campaign: Campaign, sources: list[tuple]) -> dict:
    """Đăng ký and Kết quả of the template, by row item, summed over the units."""
    results = {}
    codes = [r.unit_code for r in data.results]
    for ind in campaign.indicators:
        results[ind.title] = {"gia_tri": _whole(sum(r.values.get(ind.code, 0)
                                                     for r in data.results)),
                              "ghi_chu": _codes_note(codes, len(campaign.units))}
        sources += [(forms.RESULTS.sheet, ind.title, r.unit_code, r.unit_name,
                     _whole(r.values.get(ind.code, 0))) for r in data.results]
    registration = {}
    grassroots = {u.code for u in campaign.units if u.type == UT_GRASSROOTS}
    for movement in campaign.movements:
        rows = [r for r in data.registrations if r.movement == movement]
        yes = [r for r in rows if r.registered]
        units = len({r.unit_code for r in rows})
        registration[movement] = {
            "dang_ky": YES if yes else NO,
            "so_cdcs_tham_gia": sum(1 if r.unit_code in grassroots else r.grassroots
                                    for r in yes) if yes else None,
            "so_nguoi_tham_gia": sum(r.people for r in yes) if yes else None,
            "noi_dung": NOTE_REGISTERED.format(k=len(yes), n=units,
                                               codes=", ".join(r.unit_code for r in yes))[
                :forms.REGISTRATION.field("noi_dung").max_length] if yes else None}
        sources += [(forms.REGISTRATION.sheet, movement, r.unit_code, r.unit_name,
                     f"{YES if r.registered else NO}; {r.people}") for r in rows]
    return {"dang_ky": registration, "ket_qua": results}


def _table_rows(sheets: dict, form: forms.Form, keep, problems: list[Problem],
                awarded: bool = False) -> list[dict]:
    """The consolidated rows of ``form`` that ``keep`` accepts, by the form's field keys
    (``awarded``: the form is the one the district approved); a row missing a required
    value is left out and said (L05)."""
    sheet = CONSOLIDATED_SHEET[form.key]
    grid = sheets.get(sheet) or []
    if not grid:
        return []
    header = [str(h or "").strip() for h in grid[0]]
    col = {f.key: header.index(f.title) for f in forms.consolidated_fields(form)
           if f.title in header}
    out = []
    for n, raw in enumerate(grid[1:], start=forms.CONTROL_HEADER_ROW + 1):
        row = {k: (None if c >= len(raw) or raw[c] == "" else raw[c]) for k, c in col.items()}
        if all(v is None for v in row.values()) or not keep(row):
            continue
        if awarded:
            row["hinh_thuc"] = row.get("hinh_thuc_duoc_khen")
        missing = next((f for f in form.fields if f.required and row.get(f.key) is None), None)
        if missing is not None:
            problems.append(Problem(Msg.UPPER_ROW_LEFT_OUT, sheet=sheet, cell=f"A{n}",
                                    value=row.get("ma_don_vi"), field=missing.title))
            continue
        out.append({f.key: row.get(f.key) for f in form.fields if f.key != "stt"})
    return out


def _every(row: dict) -> bool:
    return True


def _nominations(sheets: dict, campaign: Campaign, t: UpperTemplate,
                 problems: list[Problem]) -> dict[str, list[dict]]:
    """Approved nominations with a form of the level above, within its quotas (else L04)."""
    out = {}
    for form in forms.NOMINATION_FORMS:
        target = TARGET_COLLECTIVE if form is forms.COLLECTIVE_NOMINATIONS else \
            TARGET_INDIVIDUAL
        upward = {a.name for a in campaign.forms_for(target) if a.level == LEVEL_NATIONAL}

        def keep(row: dict, upward: set[str] = upward) -> bool:
            return yes_no(row.get("duyet")) is True and row.get("hinh_thuc_duoc_khen") in upward

        out[form.key] = _table_rows(sheets, form, keep, problems, awarded=True)
        _check_quotas(out[form.key], target, t, CONSOLIDATED_SHEET[form.key])
    return out


def _check_quotas(rows: list[dict], target: str, t: UpperTemplate, sheet: str) -> None:
    for name, n in Counter(r["hinh_thuc"] for r in rows).items():
        quota = t.quota(name, target) or 0
        if n > quota:
            raise SetupError(Problem(Msg.UPPER_OVER_QUOTA, value=n, field=target.lower(),
                                     detail=name, expected=quota, sheet=sheet))


def _info(campaign: Campaign, t: UpperTemplate) -> dict[str, Any]:
    up = campaign.upper
    today = campaign.document_date or date.today()
    if today.year != campaign.year:
        today = t.deadline
    return {"so_cdcs": sum(1 for u in campaign.units if u.type == UT_GRASSROOTS),
            "tong_cnvcld": up.workers, "tong_doan_vien": up.members,
            "nguoi_lap": up.reporter or None, "dien_thoai": up.phone or None,
            "email": up.email or None, "ngay_bao_cao": today, "thu_truong": up.head or None}


def _assessment(campaign: Campaign, phase: int) -> str | None:
    p = campaign.phase(phase)
    parts = [p.assessment] + [label + getattr(p, key) for key, label in PARTS
                              if getattr(p, key)]
    text = "\n".join(x for x in parts if x)
    return text[:forms.RESULTS.free_text.max_length] or None


def report_up(folder: Path, phase: int | None = None) -> ReportUpResult:
    """Fill the level above's template for this unit from the consolidation of ``phase``
    (default: the current one) into ``bao_cao_cap_tren/`` (an earlier copy kept in
    backup/)."""
    paths, campaign = load_campaign(folder)
    if not campaign.upper.unit_code:
        raise SetupError(Problem(Msg.UPPER_NOT_LINKED))
    phase = phase or campaign.current_phase
    campaign.phase(phase)
    t = find_template(paths, campaign, phase)
    _check_locked(t, campaign)
    ensure_clear(paths, campaign, phase)  # nothing approved with an open finding goes up
    data = read_document_data(paths.control, campaign, phase)
    sheets = read_control_sheets(paths.control)
    problems: list[Problem] = []
    sources: list[tuple] = []
    values = _figures(data, campaign, sources)
    values.update(_nominations(sheets, campaign, t, problems))
    values["cong_trinh"] = _table_rows(sheets, forms.WORKS, _every, problems)
    values["sang_kien"] = _table_rows(sheets, forms.INITIATIVES, _every, problems)
    values["thong_tin"] = _info(campaign, t)
    values["danh_gia"] = _assessment(campaign, phase)
    target = paths.root / OUT_DIR / t.path.name
    _keep_previous(paths, target)
    fill_workbook(t.path, target, values)
    _write_sources(target, sources)
    return ReportUpResult(target, [r.unit_code for r in data.results], problems)


def _keep_previous(paths: CampaignFolder, target: Path) -> None:
    if target.exists():
        backup = paths.root / BACKUP_DIR
        backup.mkdir(exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
        shutil.move(str(target), backup / f"{target.stem}_{stamp}{target.suffix}")


def _write_sources(target: Path, sources: list[tuple]) -> None:
    """The sheet saying which units each figure sums, and each unit's figure."""
    wb = openpyxl.load_workbook(target)
    ws = wb.create_sheet(SOURCES_SHEET)
    ws.append(SOURCES_HEADER)
    for row in sources:
        ws.append(list(row))
    for letter, width in zip("ABCDE", (18, 60, 12, 36, 18)):
        ws.column_dimensions[letter].width = width
    wb.save(target)
