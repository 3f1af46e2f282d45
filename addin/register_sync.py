"""What a Consolidate run asks of the register and writes into it."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from workbook_templates.campaign import TARGET_COLLECTIVE, TARGET_INDIVIDUAL, Campaign
from workbook_templates.forms import (
    CONSOLIDATED_SHEET, INDIVIDUAL_NOMINATIONS, NOMINATION_FORMS,
    TOTAL_LABEL, YES, ControlSheet)
from workbook_templates.identity import name_key, person_key
from workbook_templates.messages import Msg, Problem

from .plans import FileOutcome, UnitStatus
from .register import FileRecord, NominationRecord, Register, RunWriter
from .sheet_plan import SheetPlan


def settings_snapshot(campaign: Campaign) -> dict[str, Any]:
    """The settings a run used, as the register keeps them (the URL's password hidden)."""
    data = dataclasses.asdict(campaign)
    data["units"] = len(campaign.units)
    if data.get("register_url"):
        data["register_url"] = "***"
    return data


def flag_repeats(reg: Register, campaign: Campaign, phase: int,
                 chosen: dict[str, FileOutcome]) -> list[Problem]:
    """Persons proposed now for a form they were already approved or awarded for in the
    window of years set on Cấu hình (another phase, or an earlier year)."""
    years = range(campaign.year - max(campaign.repeat_window_years, 1) + 1, campaign.year + 1)
    found = []
    for code, outcome in chosen.items():
        for row in outcome.ret.tables.get(INDIVIDUAL_NOMINATIONS.key, []):
            award = row.get("hinh_thuc")
            if not award:
                continue
            key = person_key(row.get("ho_ten"), row.get("nam_sinh"))
            past = (reg.awards_of(key, award, years)
                    or reg.approved_before(key, award, years,
                                           except_phase=(campaign.year, phase)))
            if past:
                v = row.values["ho_ten"]
                found.append(Problem(Msg.ALREADY_AWARDED, file=outcome.path.name, unit=code,
                                     sheet=v.sheet, cell=v.cell, value=row.get("ho_ten"),
                                     field=award, detail=past[0].detail))
    return found


def record_consolidation(run: RunWriter, root: Path, outcomes: list[FileOutcome],
                         statuses: list[UnitStatus], plans: list[SheetPlan],
                         campaign: Campaign) -> None:
    """Files received, nominations with the clerk's review, and results per unit."""
    status_of = {s.outcome.path: s.status for s in statuses if s.outcome is not None}
    for o in outcomes:
        run.file(FileRecord.of(
            o.path, unit_code=o.unit_code, status=status_of.get(o.path, "Không dùng"),
            errors=sum(1 for p in o.problems if p.severity.name == "ERROR"),
            warnings=sum(1 for p in o.problems if p.severity.name == "WARNING"),
            received_at=o.received, root=root))
    by_name = {p.name: p for p in plans}
    for form in NOMINATION_FORMS:
        plan = by_name[CONSOLIDATED_SHEET[form.key]]
        for row in plan.rows:
            run.nomination(_nomination(form, plan, row))
    results = by_name[ControlSheet.RESULTS]
    codes = [i.code for i in campaign.indicators]
    for row in results.rows:
        if row[results.column("ten_don_vi")] == TOTAL_LABEL:
            continue
        values = {c: row[results.column(c)] for c in codes
                  if isinstance(row[results.column(c)], (int, float))}
        run.results(row[results.column("ma_don_vi")], values)


def _nomination(form, plan: SheetPlan, row: list) -> NominationRecord:
    get = lambda key: row[plan.column(key)]  # noqa: E731
    individual = form is INDIVIDUAL_NOMINATIONS
    name = get("ho_ten") if individual else get("ten_tap_the")
    birth = get("nam_sinh") if individual else None
    duyet = get("duyet")
    return NominationRecord(
        nomination_id=get("ma_de_nghi"), unit_code=get("ma_don_vi"),
        target=TARGET_INDIVIDUAL if individual else TARGET_COLLECTIVE,
        name=str(name), person_key=person_key(name, birth) if individual else name_key(name),
        proposed_form=str(get("hinh_thuc") or ""),
        approved=None if duyet in (None, "") else str(duyet).strip().casefold() == YES.casefold(),
        awarded_form=str(get("hinh_thuc_duoc_khen") or ""),
        birth_year=int(birth) if isinstance(birth, (int, float)) else None,
        note=str(get("ghi_chu_duyet") or ""))
