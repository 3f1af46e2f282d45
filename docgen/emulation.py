"""The documents of the emulation blocks (issue 14), as pure functions of their data: the
pledge each block's members sign at the start of the year (Giao ước thi đua) and the decision
recognising every unit's score and class at its end (Quyết định công nhận kết quả xếp loại
thi đua); and the ranking annex of the year report."""
from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from workbook_templates.campaign import (
    CRIT_BONUS, CRIT_PENALTY, CRIT_STANDARD, Campaign, EmulationBlock)

from .data import DocumentData, Standing
from .documents import _common as office_context
from .render import AnnexTable, grouped_rows, render
from .vietnamese import date_line, grouped

PLEDGE_TEMPLATE = "giao_uoc_thi_dua.docx"
CLASSIFICATION_TEMPLATE = "quyet_dinh_xep_loai.docx"
_CRITERIA_FIELDS = frozenset({"nhom", "stt", "ma", "ten", "loai", "diem", "minh_chung"})
_STANDING_FIELDS = frozenset({"nhom", "stt", "ten", "tu_cham", "tham_dinh", "xep_hang",
                              "xep_loai"})


def pledge_blocks(c: Campaign) -> list[EmulationBlock]:
    """The blocks that have members and criteria: one pledge each."""
    return [b for b in c.emulation_blocks if c.block_members(b) and c.criteria_of(b.name)]


def build_pledge(c: Campaign, block: EmulationBlock, out: Path, *, template: Path,
                 when: date) -> Path:
    """The pledge of ``block``: its members, its criteria and their points, the signatures
    (not numbered: the members sign it, the office witnesses it)."""
    common = office_context(c, DocumentData(campaign=c, phase=c.phases[0]), 0, when, [])
    context, tables = pledge_content(c, block, when, common)
    return render(template, context, out, tables=tables)


def pledge_content(c: Campaign, block: EmulationBlock, when: date, common: dict
                   ) -> tuple[dict, dict[str, AnnexTable]]:
    criteria = c.criteria_of(block.name)
    members = c.block_members(block)
    scale = sum(x.max_points for x in criteria if x.kind == CRIT_STANDARD)
    extra = []
    if any(x.kind == CRIT_BONUS for x in criteria):
        extra.append(f"điểm thưởng tối đa {_points(_sum(criteria, CRIT_BONUS))} điểm")
    if any(x.kind == CRIT_PENALTY for x in criteria):
        extra.append(f"điểm trừ tối đa {_points(_sum(criteria, CRIT_PENALTY))} điểm")
    proposals = []
    if block.flags:
        proposals.append(f"{block.flags} đơn vị dẫn đầu khối được đề nghị tặng "
                         f"{c.ranking_flag_form}")
    if block.merits:
        proposals.append(f"{block.merits} đơn vị tiếp theo được đề nghị tặng "
                         f"{c.ranking_merit_form}")
    context = {**common, "khoi": block.name, "dia_danh_ngay": date_line(c.province, when),
               "so_tieu_chi": len(criteria), "thang_diem": _points(scale),
               "diem_them": f" ({'; '.join(extra)})" if extra else "",
               "de_nghi": "; ".join(proposals) or "kết quả xếp hạng là căn cứ xét khen thưởng",
               "so_ban": len(members) + 1,
               "thanh_vien": [f"{i}. {u.name}" for i, u in enumerate(members, start=1)]}
    rows: list[dict] = []
    section = None
    for x in criteria:
        if x.section != section:
            rows.append({"nhom": x.section})
            section = x.section
        rows.append({"stt": str(sum(1 for r in rows if "stt" in r) + 1), "ma": x.code,
                     "ten": x.title, "loai": x.kind, "diem": _points(x.max_points),
                     "minh_chung": x.evidence})
    return context, {"tieu_chi": AnnexTable(rows, _CRITERIA_FIELDS)}


def build_classification(data: DocumentData, out: Path, *, template: Path, number: int,
                         when: date) -> Path:
    """The decision recognising the score and class of every ranked unit, listed by block."""
    common = office_context(data.campaign, data, number, when, data.campaign.recipients)
    context, tables = classification_content(data, common)
    return render(template, context, out, tables=tables)


def classification_content(data: DocumentData, common: dict
                           ) -> tuple[dict, dict[str, AnnexTable]]:
    c = data.campaign
    standings = ordered_standings(data)
    classes = Counter(s.klass for s in standings)
    shares = [f"{classes[k.name]} đơn vị xếp loại {k.name}"
              for k in sorted(c.score_classes, key=lambda k: -k.min_score) if classes[k.name]]
    context = {**common, "so_don_vi": len(standings),
               "so_khoi": len({s.block for s in standings}),
               "co_cau": f", trong đó: {', '.join(shares)}" if shares else ""}
    return context, {"xep_loai": ranking_annex(standings)}


def report_ranking(data: DocumentData) -> tuple[dict, dict[str, AnnexTable]]:
    """What the year report's ranking annex needs (nothing shows when no unit is ranked)."""
    standings = ordered_standings(data)
    return ({"co_xep_hang": bool(standings), "so_don_vi_xep_hang": len(standings)},
            {"xep_hang": ranking_annex(standings)})


def ordered_standings(data: DocumentData) -> list[Standing]:
    """The ranked units by block (in the order of Cấu hình), then rank, then unit order."""
    blocks = {b.name: i for i, b in enumerate(data.campaign.emulation_blocks)}
    order = {u.code: i for i, u in enumerate(data.campaign.ordered_units())}
    return sorted(data.standings, key=lambda s: (blocks.get(s.block, len(blocks)), s.rank,
                                                 order.get(s.unit_code, len(order))))


def ranking_annex(standings: list[Standing]) -> AnnexTable:
    """One row per unit under its block's heading: scores, rank (tied ones marked), class."""
    rows = grouped_rows(standings, lambda s: (s.block, s.block), lambda s: {
        "ten": s.unit_name,
        "tu_cham": _points(s.self_score) if s.self_score is not None else "",
        "tham_dinh": _points(s.assessed) if s.assessed is not None else "",
        "xep_hang": f"{s.rank} (đồng hạng)" if s.tied else str(s.rank),
        "xep_loai": s.klass})
    return AnnexTable(rows, _STANDING_FIELDS)


def _sum(criteria, kind: str) -> float:
    return sum(x.max_points for x in criteria if x.kind == kind)


def _points(x: float) -> str:
    """Points as the office writes them: 92,5; whole numbers without decimals."""
    return grouped(float(x))
