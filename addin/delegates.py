"""Issue 15: the delegates to the provincial conference of outstanding examples.

The clerk chooses them on *Điển hình* ("Chọn làm đại biểu" = Có). The same rules are shown
live on the sheet (the totals row's formulas count the chosen and the direct-production
workers among them, and say when the allotment or the share is broken) and enforced by the
Documents pre-flight (:func:`findings`): a person chosen twice (E07), more chosen than the
province may send (E04) or than a unit's own allotment (E05), and too few direct-production
workers among them (E06), or no date or place of the conference for the invitations (E08).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from workbook_templates.campaign import Campaign
from workbook_templates.forms import CONTROL_HEADER_ROW, FLAGS_FIELD, TOTAL_LABEL, YES
from workbook_templates.messages import Msg, Problem
from workbook_templates.outstanding import (
    SHEET, Proposal, chosen_delegates, least_direct, share_text)

from .sheet_plan import Formula, SheetPlan
from .xlsx_package import col_letter


def _finding(p: Proposal, msg: Msg, **kw) -> Problem:
    return Problem(msg, unit=p.get("ma_don_vi"), sheet=SHEET, cell=f"A{p.row}",
                   value=p.get("ho_ten"), **kw)


def findings(rows: list[list], campaign: Campaign) -> list[Problem]:
    """The broken rules of the delegates chosen on *Điển hình* (``rows``, header first)."""
    chosen = chosen_delegates(rows)
    found: list[Problem] = []
    by_subject: dict[str, list[Proposal]] = defaultdict(list)
    for p in chosen:
        by_subject[p.subject].append(p)
    for group in by_subject.values():
        for p in group[1:]:
            found.append(_finding(p, Msg.DELEGATE_TWICE, expected="; ".join(
                f"{o.get('ma_don_vi')}, dòng {o.row}" for o in group if o is not p)))
    allotted = campaign.delegates_allotted
    for p in chosen[allotted:]:
        found.append(_finding(p, Msg.DELEGATES_OVER, detail=str(len(chosen)), expected=allotted))
    by_unit: dict[str, list[Proposal]] = defaultdict(list)
    for p in chosen:
        by_unit[p.get("ma_don_vi")].append(p)
    for unit, group in by_unit.items():
        most = campaign.delegates_per_unit.get(unit)
        for p in group[most:] if most is not None else ():
            found.append(_finding(p, Msg.DELEGATES_UNIT_OVER, detail=str(len(group)),
                                   expected=most))
    missing = [label for label, value in (("ngày hội nghị", campaign.conference_date),
                                          ("địa điểm hội nghị", campaign.conference_place))
               if not str(value or "").strip()]
    if chosen and missing:
        found.append(_finding(chosen[0], Msg.CONFERENCE_UNSET, field=" và ".join(missing)))
    direct = sum(1 for p in chosen if p.direct)
    if chosen and direct < least_direct(campaign.direct_min_percent, len(chosen)):
        found.append(_finding(
            chosen[0], Msg.DELEGATES_SHARE_LOW, detail=str(len(chosen)),
            field=f"{direct} ({share_text(direct, len(chosen))})",
            expected=f"{campaign.direct_min_percent:g}%"))
    return found


def live_totals(plan: SheetPlan, campaign: Campaign) -> list[Any]:
    """The totals row of *Điển hình*: formulas that count the chosen delegates and the
    direct-production workers among them and say, as the clerk chooses, whether the
    allotment and the share hold (the pre-flight checks the same rules)."""
    last = CONTROL_HEADER_ROW + max(len(plan.rows), 1)
    first = CONTROL_HEADER_ROW + 1

    def rng(key: str) -> str:
        letter = col_letter(plan.column(key) + 1)
        return f"{letter}{first}:{letter}{last}"

    chosen = f'COUNTIF({rng("chon_dai_bieu")},"{YES}")'
    direct = f'COUNTIFS({rng("chon_dai_bieu")},"{YES}",{rng("truc_tiep_sx")},"{YES}")'
    allotted, pct = campaign.delegates_allotted, campaign.direct_min_percent
    status = (f'=IF({chosen}>{allotted},"Vượt số đại biểu được cử ({allotted})",'
              f'IF(AND({chosen}>0,{direct}*100<{chosen}*{pct:g}),'
              f'"Dưới tỷ lệ trực tiếp sản xuất tối thiểu {pct:g}%",'
              f'"Đã chọn "&{chosen}&"/{allotted} đại biểu; trực tiếp sản xuất "&{direct}))')
    row: list[Any] = [None] * len(plan.fields)
    row[plan.column("ten_don_vi")] = TOTAL_LABEL
    row[plan.column("ho_ten")] = len(plan.rows)
    row[plan.column("truc_tiep_sx")] = Formula(f"={direct}")
    row[plan.column(FLAGS_FIELD.key)] = Formula(status)
    row[plan.column("chon_dai_bieu")] = Formula(f"={chosen}")
    return row
