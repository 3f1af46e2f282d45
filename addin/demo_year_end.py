"""The demo's year end (issue 14): the emulation blocks' pledges, the year-end returns with
the units' self-scores (some with the usual mistakes), the federation's scores for a few
units entered on *Chấm điểm*, a second consolidation that keeps them, the ranking's
proposals approved, and the documents: the year report, the decisions and the
classification decision.

It runs in a campaign folder of its own under the demo's (the first phase's control
workbook stays as the demo leaves it), writing its documents into the demo's output folder.
"""
from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path
from typing import Callable

import openpyxl

from workbook_templates.campaign import default_campaign
from workbook_templates.forms import (
    ASSESSED_NOTE, ASSESSED_TOTAL, CONSOLIDATED_SHEET, CONTROL_HEADER_ROW, ALL_UNIT_FORMS,
    SOURCE_FIELDS)

from . import demo_data
from .demo import MISSING_UNIT, approve_nominations, fill_workbook, resolve_findings
from .documents import generate_documents, generate_pledges, generate_report
from .folder import CampaignFolder

YEAR_END_DIR = "cuoi-nam"  # the year-end campaign folder, inside the demo's
PHASE = 2
OVER_MAX_UNIT, WRONG_TOTAL_UNIT = "LD07", "CS03"  # the usual mistakes of self-scoring
# The federation's assessment of a few units: points taken off per section, and why.
ASSESSED = {"LD02": (0.5, 1.0, 0.5, 0.0, "Minh chứng mục II chưa đầy đủ"),
            "LD05": (0.0, 0.0, 0.0, 0.0, "Thống nhất điểm tự chấm"),
            "CDN03": (1.0, 2.0, 0.0, 0.0, "Trừ điểm báo cáo chậm"),
            "CS01": (0.0, 0.5, 0.0, 0.0, "")}


def run_year_end(demo_root: Path, say: Callable[[str], None], pdf: bool) -> list[Path]:
    """The year end of the demo campaign; returns the documents written."""
    from .campaign_setup import init_campaign, write_templates
    from .consolidate import consolidate

    campaign = default_campaign()
    campaign.current_phase = PHASE
    campaign.document_date = date(2020, 12, 28)
    campaign.pledge_date = date(2020, 1, 15)
    campaign.output = str((demo_root / "output").resolve())
    root = demo_root / YEAR_END_DIR
    init_campaign(root, campaign)
    place = CampaignFolder.at(root, campaign)
    # The same register: the year report adds the first phase, the numbers follow on.
    shutil.copyfile(CampaignFolder.at(demo_root, campaign).register, place.register)
    pledges = generate_pledges(root, pdf=pdf)
    say(f"Cuối năm 1/3 — Giao ước thi đua đầu năm: {len(pledges.written)} khối")
    templates = write_templates(root, PHASE)
    _returns(campaign, place, templates)
    first = consolidate(root, PHASE)
    say(f"Cuối năm 2/3 — Tổng hợp: {first.summary}")
    _assess(place.control, campaign)
    consolidate(root, PHASE)  # the federation's scores are kept and rank the units
    approve_nominations(place.control, random.Random(46), share=1.0)
    resolve_findings(place, campaign, PHASE)
    report = generate_report(root, PHASE, pdf=pdf)
    docs = generate_documents(root, PHASE, pdf=pdf)
    paths = pledges.paths + report.paths + docs.paths
    say(f"Cuối năm 3/3 — Văn bản: {', '.join(p.name for p in paths if p.suffix == '.docx')}")
    return paths


def _returns(campaign, place: CampaignFolder, templates: list[Path]) -> None:
    rng = random.Random(2021)
    form = next(f for f in ALL_UNIT_FORMS if f.scoring is not None)
    for template in templates:
        unit = campaign.unit(template.name.split("_")[0])
        if unit.code == MISSING_UNIT:
            continue
        values = demo_data.unit_return(rng, campaign, unit, PHASE)
        scores = demo_data.self_scores(rng, campaign, unit)
        rows = scores["rows"]
        if unit.code == OVER_MAX_UNIT:  # a score over its criterion's maximum
            code = next(iter(rows))
            rows[code][form.scoring.points] = \
                campaign.row_items(form.row_source, unit)[0].max_points + 5
        total = scores["total"] + (10 if unit.code == WRONG_TOTAL_UNIT else 0)
        values[form.key] = rows
        values[form.scoring.total.key] = total
        fill_workbook(template, place.inbox / template.name, values)


def _assess(control: Path, campaign) -> None:
    """Play the assessment team: per-section scores and a note for a few units."""
    form = next(f for f in ALL_UNIT_FORMS if f.scoring is not None)
    wb = openpyxl.load_workbook(control)
    ws = wb[CONSOLIDATED_SHEET[form.key]]
    header = {c.value: c.column for c in ws[CONTROL_HEADER_ROW]}
    sections = [t for t in header if str(t).startswith("Thẩm định ")]
    own = {c.code: c for c in campaign.criteria}
    for r in range(CONTROL_HEADER_ROW + 1, ws.max_row + 1):
        code = ws.cell(r, header[SOURCE_FIELDS[0].title]).value
        if code not in ASSESSED:
            continue
        *off, note = ASSESSED[code]
        by_section: dict[str, float] = {}
        for title, col in header.items():
            points = ws.cell(r, col).value
            if title in own and isinstance(points, (int, float)):
                section = own[title].section
                by_section[section] = by_section.get(section, 0) + own[title].signed(points)
        for title, minus in zip(sections, off):
            section = title.removeprefix("Thẩm định ")
            ws.cell(r, header[title]).value = by_section.get(section, 0) - minus
        if code == "CDN03":  # the team also writes its total (equal to the sections)
            ws.cell(r, header[ASSESSED_TOTAL.title]).value = sum(
                ws.cell(r, header[t]).value or 0 for t in sections)
        ws.cell(r, header[ASSESSED_NOTE.title]).value = note or None
    wb.save(control)
