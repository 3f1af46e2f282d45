"""Consolidate with its register, on SQLite and on a real PostgreSQL server."""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import create_engine, inspect, text

import addin.consolidate as consolidate_module
from addin.consolidate import consolidate
from addin.folder import CampaignFolder
from pg_server import pg_admin_url, pg_database  # noqa: F401  (fixtures)
from workbook_templates.campaign import default_campaign
from workbook_templates.forms import ControlSheet
from workbook_templates.messages import Msg

from test_consolidate import codes_for, folder, good_sheets, person, put, sheet_rows  # noqa: F401


@pytest.fixture(params=["sqlite", "postgresql"])
def campaign(request, folder):  # noqa: F811
    c = default_campaign()
    if request.param == "postgresql":
        c.register_url = request.getfixturevalue("pg_database")
    return c


def _register_url(folder: Path, campaign) -> str:
    return campaign.register_url or f"sqlite:///{CampaignFolder.at(folder).register}"


def _dump(url: str) -> dict[str, list]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr)
                    for t in inspect(conn).get_table_names()}
    finally:
        engine.dispose()


def _approve(control: Path, name: str, form: str) -> None:
    wb = openpyxl.load_workbook(control)
    ws = wb[ControlSheet.INDIVIDUAL]
    header = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, header.index("Họ và tên") + 1).value == name:
            ws.cell(r, header.index("Duyệt") + 1).value = "Có"
            ws.cell(r, header.index("Hình thức được khen") + 1).value = form
    wb.save(control)


def test_person_approved_in_phase_1_is_flagged_when_proposed_again_in_phase_2(folder, campaign):  # noqa: F811
    award = "Bằng khen của BCH LĐLĐ tỉnh"
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person("Bế Thị Ngân", 1984, award)]),
        unit="LD01")
    consolidate(folder, 1, campaign=campaign)
    _approve(folder / "TongHopThiDua.xlsx", "Bế Thị Ngân", award)
    consolidate(folder, 1, campaign=campaign)  # the review is recorded in the register

    info = {"Ngày báo cáo": datetime(2020, 12, 5)}
    put(folder, "LD01_Dot2_2020.xlsx",
        good_sheets([person("Bế  thị Ngân", 1984, award), person("Vi Văn Long", 1977, award)],
                    **{"Thông tin": {**good_sheets()["Thông tin"], **info}}),
        unit="LD01", phase=2, when=datetime(2020, 12, 6))
    result = consolidate(folder, 2, campaign=campaign)

    control = folder / "TongHopThiDua.xlsx"
    flagged = [p for p in sheet_rows(control, ControlSheet.PROBLEMS)
               if p["Mã"] == Msg.ALREADY_AWARDED.code]
    assert [p["Giá trị tìm thấy"] for p in flagged] == ["Bế thị Ngân"]
    assert "đợt 1 năm 2020" in flagged[0]["Nội dung"]
    assert result.counts["units_in"] == 1


def _no_room(*_args, **_kw):
    """A writer that finds no room (given to the writer process by name, so not local)."""
    raise OSError("disk full")


def test_a_run_killed_half_way_leaves_register_and_workbook_as_they_were(
        folder, campaign, monkeypatch):  # noqa: F811
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person()]), unit="LD01")
    consolidate(folder, 1, campaign=campaign)
    control = folder / "TongHopThiDua.xlsx"
    url = _register_url(folder, campaign)
    before_db = _dump(url)
    before_wb = hashlib.sha256(control.read_bytes()).hexdigest()

    put(folder, "LD02_Dot1_2020.xlsx", good_sheets([person("Lục Văn Hùng", 1970)]),
        unit="LD02")

    monkeypatch.setattr(consolidate_module, "stage_control_workbook", _no_room)
    with pytest.raises(OSError):
        consolidate(folder, 1, campaign=campaign)

    assert _dump(url) == before_db
    assert hashlib.sha256(control.read_bytes()).hexdigest() == before_wb


def test_control_workbook_open_elsewhere_is_a_clear_setup_error(folder, campaign, monkeypatch):  # noqa: F811
    import os

    from workbook_templates.messages import SetupError

    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person()]), unit="LD01")
    consolidate(folder, 1, campaign=campaign)
    url = _register_url(folder, campaign)
    before_db = _dump(url)
    put(folder, "LD02_Dot1_2020.xlsx", good_sheets([person("Lục Văn Hùng", 1970)]),
        unit="LD02")

    def locked(src, dst):  # what Windows says when Excel holds the file
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(SetupError) as err:
        consolidate(folder, 1, campaign=campaign)
    assert err.value.problem.code == Msg.CONTROL_LOCKED.code
    assert "TongHopThiDua.xlsx" in err.value.problem.text
    assert _dump(url) == before_db


def test_each_file_is_recorded_with_the_fingerprint_its_worker_took(folder):  # noqa: F811
    """The register's SHA-256 and size of a file are those of the bytes the worker read (the
    parent, which would hash 8 GB alone at 130,000 files, never reads the files again: a
    record made without the worker's fingerprint has an empty hash)."""
    sent = put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person()]), unit="LD01")
    consolidate(folder, 1)
    files = _dump(_register_url(folder, default_campaign()))["received_files"]
    [row] = [r for r in files if r[3] == "inbox/LD01_Dot1_2020.xlsx"]
    assert (row[4], row[5]) == (hashlib.sha256(sent.read_bytes()).hexdigest(),
                                sent.stat().st_size)


def test_each_file_is_recorded_with_what_became_of_it(folder):  # noqa: F811
    """A file the unit's status stands on is recorded with that status (the chosen one, a
    rejected one of a unit with no other); the others with "Không dùng" (the unit's older
    file, a file of no unit of the campaign), each with its own fingerprint."""
    older = put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person()]), unit="LD01",
                when=datetime(2020, 6, 20))
    newer = put(folder, "LD01_Dot1_2020_sua.xlsx", good_sheets([person()]), unit="LD01",
                when=datetime(2020, 6, 24))
    broken = folder / "inbox" / "LD02_Dot1_2020.xlsx"
    broken.write_bytes(b"not a workbook")
    stranger = put(folder, "ZZ99_Dot1_2020.xlsx", good_sheets([person()]), unit="ZZ99")
    consolidate(folder, 1)
    files = _dump(_register_url(folder, default_campaign()))["received_files"]
    recorded = {Path(r[3]).name: (r[8], r[4]) for r in files}
    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
              for p in (older, newer, broken, stranger)}
    assert recorded == {newer.name: ("Đã nộp", digest[newer.name]),
                        older.name: ("Không dùng", digest[older.name]),
                        broken.name: ("Có lỗi", digest[broken.name]),
                        stranger.name: ("Không dùng", digest[stranger.name])}


def test_a_file_linked_into_the_inbox_from_elsewhere_is_recorded_by_its_place_in_the_inbox(
        folder, tmp_path):  # noqa: F811
    """A return that is a symbolic link to a file outside the campaign folder (put there by
    a script or a synchronised share) is consolidated and recorded under its inbox path:
    resolved, its path lay outside the campaign folder and the run stopped at recording."""
    elsewhere = put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person()]), unit="LD01")
    kept = tmp_path / "share" / elsewhere.name
    kept.parent.mkdir()
    elsewhere.rename(kept)
    elsewhere.symlink_to(kept)
    result = consolidate(folder, 1)
    assert result.counts["units_in"] == 1
    files = _dump(_register_url(folder, default_campaign()))["received_files"]
    assert [r[3] for r in files] == ["inbox/LD01_Dot1_2020.xlsx"]
    assert files[0][4] == hashlib.sha256(kept.read_bytes()).hexdigest()
