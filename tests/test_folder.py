"""What runs killed half-way leave behind is removed by the next run, and nothing else."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from addin.consolidate import consolidate
from addin.folder import CampaignFolder, sweep_leftovers
from addin.documents import generate_documents
from workbook_templates.campaign import default_campaign

from test_consolidate import folder, good_sheets, person, put  # noqa: F401

HOURS_AGO = time.time() - 2 * 3600


def _aged(path: Path) -> Path:
    os.utime(path, (HOURS_AGO, HOURS_AGO))
    return path


def _staging(where: Path, name: str, old: bool) -> Path:
    d = where / name
    d.mkdir(parents=True)
    (d / "QuyetDinh.docx").write_bytes(b"half written")
    return _aged(d) if old else d


@pytest.mark.parametrize("name, old, removed", [
    (".thidua_abc", True, True),     # a killed run's staging folder
    (".thidua_new", False, False),   # a run going on now
    ("thidua_abc", True, False),     # not ours: no leading dot
])
def test_sweep_removes_only_old_matches(tmp_path, name, old, removed):
    target = _staging(tmp_path, name, old)
    assert (sweep_leftovers(tmp_path, ".thidua_*") == [target]) is removed
    assert target.exists() is not removed


def test_consolidate_removes_an_old_half_written_control_workbook(folder):  # noqa: F811
    c = default_campaign()
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person()]), unit="LD01")
    stale = folder / ".~TongHopThiDua.4242.tmp.xlsx"
    fresh = folder / ".~TongHopThiDua.4343.tmp.xlsx"
    for p in (stale, fresh):
        p.write_bytes(b"PK half")
    _aged(stale)
    consolidate(folder, 1, campaign=c)
    assert not stale.exists() and fresh.exists()


def test_documents_remove_an_old_staging_folder_and_keep_the_clerks_files(folder):  # noqa: F811
    c = default_campaign()
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person()]), unit="LD01")
    consolidate(folder, 1, campaign=c)
    output = CampaignFolder.at(folder, c).output
    stale = _staging(output, ".thidua_killed", old=True)
    clerk_file = output / "GhiChu.docx"
    clerk_file.write_bytes(b"the clerk's own note")
    _aged(clerk_file)
    generate_documents(folder, 1, pdf=False, campaign=c)
    assert not stale.exists()
    assert clerk_file.read_bytes() == b"the clerk's own note"
    assert not list(output.glob(".thidua_*"))
