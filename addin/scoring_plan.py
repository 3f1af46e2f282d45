"""The *Chấm điểm* sheet of a scoring form (issue 14): one row per unit of an emulation
block, its self-scores, the federation's columns kept across runs, the rank within the block
(:mod:`workbook_templates.scoring`), the classification; and the proposals the ranking makes
on the form's ``proposes_on`` sheet."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from workbook_templates import scoring
from workbook_templates.campaign import TARGET_COLLECTIVE, Campaign, Unit
from workbook_templates.forms import (
    ASSESSED_NOTE, ASSESSED_TOTAL, BASIS_ASSESSED, BASIS_SELF, CONSOLIDATED_SHEET, CONTROL_HEADER_ROW, FLAGS_FIELD,
    RANKING_SOURCE, ControlSheet, Form, scoring_fields)
from workbook_templates.messages import Msg, Problem, Severity
from workbook_templates.values import parse_number

from .flags import RowFlags, flag_text
from .reviews import ReviewKeeper
from .sheet_plan import SheetPlan


@dataclass
class Proposal:
    """A nomination the ranking makes: the unit, the award form, why, and its row on
    *Chấm điểm* (for the link)."""

    unit: Unit
    award: str
    achievement: str
    row: int


@dataclass
class Scored:
    plan: SheetPlan
    proposals: list[Proposal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def scoring_plan(campaign: Campaign, form: Form, returns: list,
                 reviews: ReviewKeeper, outcome_problems: dict[str, list[Problem]]) -> Scored:
    """The sheet, its proposals and its own findings (B04–B08)."""
    name = CONSOLIDATED_SHEET[form.key]
    sections = scoring.sections(campaign.criteria)
    fields, kept = scoring_fields(form, [c.code for c in campaign.criteria], sections)
    plan = SheetPlan(name, fields, id_field="ma_don_vi", review_fields=kept)
    out = Scored(plan)
    by_unit = {o.unit_code: o for o in returns}
    members = [u for u in campaign.ordered_units() if campaign.block_of(u) is not None]
    reviews.reserve(name, [u.code for u in members])
    entries = []
    for i, unit in enumerate(members):
        row_number = i + CONTROL_HEADER_ROW + 1
        o = by_unit.get(unit.code)
        pairs = (scoring.scored_items(campaign, form, unit, o.ret.tables.get(form.key, []))
                 if o else [])
        values, found = _row_values(campaign, unit, form, o, pairs, sections, row_number,
                                    reviews.claim(name, unit.code, unit.code, ""), plan)
        found += outcome_problems.get(unit.code, [])
        if values["diem_xep_hang"] is not None:
            entries.append(scoring.Entry(unit.code, values["khoi_thi_dua"],
                                         values["diem_xep_hang"], scoring.deducted(pairs)))
        plan.rows.append(values)
        out.problems += [p for p in found if p.sheet == name]
        _flag(plan, i, found)
    _rank(campaign, plan, members, entries, out)
    plan.rows = [[row.get(f.key) for f in fields] for row in plan.rows]
    out.problems += [Problem(Msg.UNIT_WITHOUT_BLOCK, unit=o.unit_code, file=o.name,
                             sheet=form.sheet) for o in returns
                     if o.ret.tables.get(form.key) and campaign.unit(o.unit_code) not in members]
    return out


def _row_values(campaign: Campaign, unit: Unit, form: Form, o, pairs, sections: list[str],
                row_number: int, kept: dict[str, Any], plan: SheetPlan
                ) -> tuple[dict[str, Any], list[Problem]]:
    block = campaign.block_of(unit).name
    values: dict[str, Any] = {"ma_don_vi": unit.code, "ten_don_vi": unit.name,
                              "khoi_thi_dua": block, "tep": o.name if o else None}
    values.update({f"diem_{c.code}": p for c, p in pairs})
    own = scoring.total(pairs) if pairs else None
    values[form.scoring.total.key] = own
    found: list[Problem] = []
    if own is None:
        found.append(Problem(Msg.SCORE_MISSING, unit=unit.code, sheet=plan.name,
                             cell=f"A{row_number}", value=block))
    assessed = _assessed(plan, kept, sections, row_number, unit.code, values, found)
    values["diem_xep_hang"] = assessed if assessed is not None else own
    if values["diem_xep_hang"] is not None:
        values["can_cu_xep_hang"] = BASIS_SELF if assessed is None else BASIS_ASSESSED
    values["xep_loai"] = campaign.classify(values["diem_xep_hang"])
    return values, found


def _assessed(plan: SheetPlan, kept: dict[str, Any], sections: list[str], row_number: int,
              unit_code: str, values: dict[str, Any], found: list[Problem]) -> float | None:
    """The federation's total: as entered, else the sum of the sections entered."""
    def number(key: str) -> float | None:
        f = plan.fields[plan.column(key)]
        raw = kept.get(f.title)
        values[key] = raw
        if raw in (None, ""):
            return None
        parsed = parse_number(raw).value
        if not isinstance(parsed, (int, float)):
            found.append(Problem(Msg.ASSESSED_NOT_A_NUMBER, unit=unit_code, sheet=plan.name,
                                 cell=_cell(plan, key, row_number), value=raw))
            return None
        return float(parsed)

    parts = [p for p in (number(f"tham_dinh_{i}") for i in range(1, len(sections) + 1))
             if p is not None]
    values[ASSESSED_NOTE.key] = kept.get(ASSESSED_NOTE.title)
    entered = number(ASSESSED_TOTAL.key)
    if entered is not None and parts and abs(sum(parts) - entered) > 0.005:
        found.append(Problem(Msg.ASSESSED_TOTAL_MISMATCH, unit=unit_code, sheet=plan.name,
                             cell=_cell(plan, ASSESSED_TOTAL.key, row_number),
                             value=_shown(entered), expected=_shown(sum(parts))))
    return entered if entered is not None else (round(sum(parts), 2) if parts else None)


def _rank(campaign: Campaign, plan: SheetPlan, members: list[Unit],
          entries: list[scoring.Entry], out: Scored) -> None:
    """Rank within each block; the leaders proposed (flags, then Bằng khen)."""
    rows = {u.code: i for i, u in enumerate(members)}
    for entry in scoring.rank(entries):
        values = plan.rows[rows[entry.unit_code]]
        values["xep_hang"] = entry.rank
        values["dong_hang"] = "Đồng hạng" if entry.tied else None
    for block in campaign.emulation_blocks:
        ranked = sorted((e for e in entries if e.block == block.name), key=lambda e: e.rank)
        chosen = []
        for e in ranked:
            award = (campaign.ranking_flag_form if e.rank <= block.flags else
                     campaign.ranking_merit_form if e.rank <= block.flags + block.merits
                     else None)
            if award is None or campaign.award_form(award, TARGET_COLLECTIVE) is None:
                continue
            unit = campaign.unit(e.unit_code)
            values = plan.rows[rows[e.unit_code]]
            why = (f"Xếp thứ {e.rank} {block.name} năm {campaign.year} với "
                   f"{_shown(e.score)} điểm, xếp loại {values['xep_loai']}")
            out.proposals.append(Proposal(unit, award, why,
                                          rows[e.unit_code] + CONTROL_HEADER_ROW + 1))
            chosen.append(e)
        tied = [e for e in chosen if e.tied]
        if tied:
            out.problems.append(Problem(
                Msg.SCORE_TIE_AT_PROPOSAL, sheet=plan.name, value=block.name,
                expected=tied[0].rank, detail=", ".join(e.unit_code for e in tied),
                cell=f"A{rows[tied[0].unit_code] + CONTROL_HEADER_ROW + 1}"))


def proposal_values(campaign: Campaign, p: Proposal) -> dict[str, Any]:
    """The columns of the proposals sheet a ranking proposal fills, marked as coming from the
    ranking (Tệp, Ô)."""
    return {"ma_don_vi": p.unit.code, "ten_don_vi": p.unit.name, "ten_tap_the": p.unit.name,
            "thuoc_don_vi": campaign.issuing_body_full, "hinh_thuc": p.award,
            "thanh_tich": p.achievement, "tep": RANKING_SOURCE,
            "o": f"{ControlSheet.SCORING}!A{p.row}"}


def _flag(plan: SheetPlan, i: int, found: list[Problem]) -> None:
    flags = RowFlags([p for p in found if p.severity is not Severity.INFO])
    if flags.problems:
        plan.rows[i][FLAGS_FIELD.key] = "; ".join(flag_text(p) for p in flags.problems)
        plan.row_fills[i] = flags.fill


def _cell(plan: SheetPlan, key: str, row_number: int) -> str:
    return f"{get_column_letter(plan.column(key) + 1)}{row_number}"


def _shown(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}".replace(".", ",")
