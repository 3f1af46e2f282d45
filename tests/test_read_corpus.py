"""A corpus of spreadsheets written by other programs, consolidated together with the demo's
returns (issue 10): exit 0, every file named on the Lỗi or Tình hình nộp sheet, no message
quoting a library, and the demo returns' consolidated rows exactly as when consolidated
alone."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from addin.campaign_setup import init_campaign, write_templates
from addin.demo import _fill_returns
from addin.folder import CampaignFolder
from workbook_templates.campaign import default_campaign
from workbook_templates.forms import (
    ALL_UNIT_FORMS, CONSOLIDATED_SHEET, ControlSheet, forms_of_phase)

from corpus import third_party
from test_consolidate import sheet_rows
from test_read_isolation import LIBRARY_TEXT, THIDUA

LIBREOFFICE = shutil.which("soffice") is not None


def _demo_inbox(root: Path) -> list[Path]:
    campaign = default_campaign()
    init_campaign(root, campaign)
    templates = write_templates(root, 1)
    return _fill_returns(campaign, CampaignFolder.at(root, campaign), templates, [])


def _consolidate(root: Path) -> None:
    run = subprocess.run([str(THIDUA), "consolidate", str(root), "--quiet"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def _tables(root: Path) -> dict[str, list[dict]]:
    control = root / "TongHopThiDua.xlsx"
    first_phase = forms_of_phase(ALL_UNIT_FORMS, False)  # no year-end sheet (issue 14)
    return {CONSOLIDATED_SHEET[f.key]: sheet_rows(control, CONSOLIDATED_SHEET[f.key])
            for f in first_phase if f.key in CONSOLIDATED_SHEET}


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("alone") / "camp"
    _demo_inbox(root)
    _consolidate(root)
    return root


def test_corpus_with_the_demo_returns(alone, tmp_path):
    root = tmp_path / "camp"
    demo = _demo_inbox(root)
    corpus = third_party(root / "inbox" / "khac", LIBREOFFICE)
    assert len(corpus) >= (100 if LIBREOFFICE else 90)

    _consolidate(root)

    control = root / "TongHopThiDua.xlsx"
    problems = sheet_rows(control, ControlSheet.PROBLEMS)
    named = {p["Tệp"] for p in problems} | {r["Tệp"] for r in sheet_rows(
        control, ControlSheet.STATUS)}
    assert {p.name for p in corpus} <= named
    assert {p.name for p in demo} <= named
    quoting = [p for p in problems if LIBRARY_TEXT.search(p["Nội dung"])]
    assert quoting == []
    assert _tables(root) == _tables(alone)
