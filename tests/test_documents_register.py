"""Documents with the register, on SQLite and on a real PostgreSQL server: numbers proposed
from it, decisions recorded in it, the year report built from its phase snapshots."""
from __future__ import annotations

import sqlite3
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import create_engine, func, select

import addin.documents as documents_module
from addin.consolidate import consolidate
from addin.folder import CampaignFolder
from addin.register import Register, RegisterUnavailable
from addin.register import schema as t
from docgen.data import DocumentData, document_data_from_sheets, read_document_data
from addin.documents import generate_documents, generate_report
from pg_server import pg_admin_url, pg_database  # noqa: F401  (fixtures)
from workbook_templates.campaign import TARGET_INDIVIDUAL, default_campaign
from workbook_templates.forms import RESULTS, ControlSheet
from workbook_templates.identity import person_key
from workbook_templates.messages import Msg
from workbook_templates.settings_sheet import read_campaign

from builders import fixed_rows
from test_consolidate import (  # noqa: F401
    CAMPAIGN, folder, good_sheets, person, put, sheet_rows)
from test_consolidate_register import _approve

BK = "Bằng khen của BCH LĐLĐ tỉnh"
PARTICIPATION = CAMPAIGN.indicators[1]  # "Số lượt đoàn viên, CNVCLĐ tham gia phong trào"
PHASE2 = datetime(2020, 12, 6, 9, 0)


@pytest.fixture(params=["sqlite", "postgresql"])
def campaign(request, folder):  # noqa: F811
    c = default_campaign()
    c.document_date = date(2020, 7, 15)
    c.next_numbers["QĐ"] = 5
    if request.param == "postgresql":
        c.register_url = request.getfixturevalue("pg_database")
    return c


def _register(folder: Path, campaign) -> Register:
    return Register.for_campaign(CampaignFolder.at(folder, campaign), campaign)


def _phase_1(folder: Path, campaign) -> None:
    """Two units report phase 1 (4.200 lượt each); the clerk approves Bế Thị Ngân."""
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person("Bế Thị Ngân", 1984, BK)]),
        unit="LD01")
    put(folder, "LD02_Dot1_2020.xlsx", good_sheets([person("Lục Văn Hùng", 1970, BK)]),
        unit="LD02")
    consolidate(folder, 1, campaign=campaign)
    _approve(folder / "TongHopThiDua.xlsx", "Bế Thị Ngân", BK)


def _phase_2(folder: Path, campaign) -> None:
    """LD01 reports phase 2 (1.000 lượt); the clerk approves Vi Văn Long."""
    results = fixed_rows(RESULTS, [i.title for i in CAMPAIGN.indicators],
                         {PARTICIPATION.title: {"Kết quả": 1000}})
    info = {**good_sheets()["Thông tin"], "Ngày báo cáo": datetime(2020, 12, 5)}
    put(folder, "LD01_Dot2_2020.xlsx",
        good_sheets([person("Vi Văn Long", 1977, BK)],
                    **{"Thông tin": info, RESULTS.sheet: results}),
        unit="LD01", phase=2, when=PHASE2)
    campaign.current_phase = 2
    consolidate(folder, 2, campaign=campaign)
    _approve(folder / "TongHopThiDua.xlsx", "Vi Văn Long", BK)


def _docx_text(path: Path) -> str:
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    parts += [" | ".join(c.text for c in row.cells) for tbl in doc.tables for row in tbl.rows]
    return "\n".join(parts)


def _decisions(folder: Path, campaign) -> list[tuple]:
    url = campaign.register_url or f"sqlite:///{CampaignFolder.at(folder).register}"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            d = t.decisions
            return [tuple(r) for r in conn.execute(
                select(d.c.kind, d.c.number, d.c.phase, d.c.reference, d.c.award_form,
                       d.c.individuals, d.c.total_money, d.c.path)
                .order_by(d.c.kind, d.c.number))]
    finally:
        engine.dispose()


def test_numbers_run_on_over_phases_are_reused_on_a_rerun_and_the_year_report_adds_up(
        folder, campaign):  # noqa: F811
    _phase_1(folder, campaign)
    first = generate_documents(folder, 1, pdf=False, campaign=campaign)
    assert first.numbers == {"QĐ": [5, 6]}  # Bằng khen, then the plaques decision
    with _register(folder, campaign) as reg:
        [award] = reg.awards_of(person_key("Bế Thị Ngân", 1984), BK, [2020])
        assert (award.decision_reference, award.issued_on) == ("05/QĐ-LĐLĐ", date(2020, 7, 15))
        assert reg.awards_of(person_key("Lục Văn Hùng", 1970), BK, [2020]) == []
    assert first.summary.startswith("Đã tạo 3 tệp Word và 0 bản PDF.")
    assert "Không tạo “Quyết định Cờ thi đua của LĐLĐ tỉnh”" in first.summary

    again = generate_documents(folder, 1, pdf=False, campaign=campaign)
    assert again.numbers == {"QĐ": [5, 6]}
    assert [p.name for p in again.written if p.name.startswith("QuyetDinh_")] == [
        "QuyetDinh_BangKhen_Dot1_2020_v2.docx", "QuyetDinh_GanBien_Dot1_2020_v2.docx"]
    money = campaign.amount(campaign.award_form(BK, TARGET_INDIVIDUAL))
    assert _decisions(folder, campaign) == [
        ("QĐ", 5, 1, "05/QĐ-LĐLĐ", BK, 1, money,
         "output/QuyetDinh_BangKhen_Dot1_2020_v2.docx"),
        ("QĐ", 6, 1, "06/QĐ-LĐLĐ", documents_module.PLAQUES_FORM, 0, 0,
         "output/QuyetDinh_GanBien_Dot1_2020_v2.docx")]
    assert "Số: 05/QĐ-LĐLĐ" in _docx_text(again.written[0])

    _phase_2(folder, campaign)
    second = generate_documents(folder, 2, pdf=False, campaign=campaign)
    assert second.numbers == {"QĐ": [7, 8]}
    report = generate_report(folder, 2, pdf=False, campaign=campaign)
    assert [p.name for p in report.written] == ["BaoCao_TongKet_2020.docx"]
    assert report.numbers == {"BC": [1]}
    assert not [p for p in report.problems if p.msg is Msg.DOC_PHASE_NOT_IN_REGISTER]
    text = _docx_text(report.written[0])
    # 4.200 + 4.200 in phase 1, 1.000 in phase 2
    assert f"{PARTICIPATION.title} | 9.400" in text
    assert "Báo cáo số 01/BC-LĐLĐ" in text
    with _register(folder, campaign) as reg:
        [award] = reg.awards_of(person_key("Vi Văn Long", 1977), BK, [2020])
        assert (award.phase, award.decision_reference) == (2, "07/QĐ-LĐLĐ")
        assert reg.issued_number("BC", 2020, 2) == 1


def test_year_report_without_phase_1_in_the_register_says_so(folder, campaign):  # noqa: F811
    _phase_2(folder, campaign)
    report = generate_report(folder, 2, pdf=False, campaign=campaign)
    [missing] = [p for p in report.problems if p.msg is Msg.DOC_PHASE_NOT_IN_REGISTER]
    assert missing.text == ("Sổ theo dõi chưa có số liệu đợt 1; báo cáo tổng kết chỉ tính "
                            "các đợt đã có.")
    assert missing.text in report.summary
    assert f"{PARTICIPATION.title} | 1.000" in _docx_text(report.written[0])


def test_snapshot_gives_back_what_the_control_workbook_said(folder, campaign):  # noqa: F811
    _phase_1(folder, campaign)
    with _register(folder, campaign) as reg:
        consolidated = reg.phase_sheets(2020, 1)
    assert set(consolidated) >= {ControlSheet.STATUS, ControlSheet.PROBLEMS,
                                 ControlSheet.WORKS, ControlSheet.INDIVIDUAL}
    works = consolidated[ControlSheet.WORKS]
    assert works[1][works[0].index("Ngày hoàn thành")] == date(2020, 5, 10)

    generate_report(folder, 1, pdf=False, campaign=campaign)  # stores the reviewed workbook
    with _register(folder, campaign) as reg:
        sheets = reg.phase_sheets(2020, 1)
    from_register = document_data_from_sheets(sheets, campaign, 1, "sổ theo dõi")
    from_file = read_document_data(folder / "TongHopThiDua.xlsx", campaign, 1)
    for f in fields(DocumentData):
        assert getattr(from_register, f.name) == getattr(from_file, f.name), f.name
    assert [n.name for n in from_register.nominations] == ["Bế Thị Ngân"]
    assert from_register.nominations[0].id.startswith("CN1-LD01-")


def test_locked_register_gives_c04_and_writes_no_document(folder, monkeypatch):  # noqa: F811
    c = default_campaign()
    _phase_1(folder, c)
    real_open = Register.open.__func__
    monkeypatch.setattr(Register, "open", classmethod(  # wait 0.2 s for the lock, not 10 s
        lambda cls, target, timeout=0.2: real_open(cls, target, timeout=0.2)))
    output = CampaignFolder.at(folder, c).output
    before = sorted(output.rglob("*"))
    other = sqlite3.connect(CampaignFolder.at(folder, c).register, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        for run in (generate_documents, generate_report):
            with pytest.raises(RegisterUnavailable) as caught:
                run(folder, 1, pdf=False, campaign=c)
            assert caught.value.problem.code == "C04"
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert sorted(output.rglob("*")) == before


def test_a_failure_half_way_leaves_no_document_and_no_record(folder, monkeypatch):  # noqa: F811
    c = default_campaign()
    _phase_1(folder, c)
    real = documents_module.build_plaques

    def dies(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(documents_module, "build_plaques", dies)
    with pytest.raises(OSError):
        generate_documents(folder, 1, pdf=False, campaign=c)  # after the first decision
    output = CampaignFolder.at(folder, c).output
    assert list(output.rglob("*")) == []
    with _register(folder, c) as reg:
        assert reg.next_number("QĐ", 2020) == 1
    monkeypatch.setattr(documents_module, "build_plaques", real)
    assert generate_documents(folder, 1, pdf=False, campaign=c).numbers == {"QĐ": [1, 2]}


def test_register_counts_documents_runs(folder):  # noqa: F811
    c = default_campaign()
    _phase_1(folder, c)
    generate_documents(folder, 1, pdf=False, campaign=c, kinds=("decisions",))
    engine = create_engine(f"sqlite:///{CampaignFolder.at(folder).register}")
    try:
        with engine.connect() as conn:
            kinds = [r.kind for r in conn.execute(select(t.runs.c.kind).order_by(t.runs.c.id))]
            sheets = conn.execute(select(func.count()).select_from(t.phase_sheets)).scalar()
    finally:
        engine.dispose()
    assert kinds == ["consolidate", "documents"]
    assert sheets == 9  # every sheet Consolidate wrote (with Điển hình, issue 15); Documents
    # replaced its own eight


def test_settings_sheet_shows_the_next_free_numbers_after_each_run(folder):  # noqa: F811
    c = default_campaign()
    c.document_date = date(2020, 7, 15)
    _phase_1(folder, c)
    control = folder / "TongHopThiDua.xlsx"
    assert read_campaign(control).next_numbers == {"QĐ": 1, "BC": 1, "TTr": 1}
    docs = generate_documents(folder, 1, pdf=False)  # the settings read from the file
    assert docs.numbers == {"QĐ": [1, 2]}  # the Bằng khen decision and the plaques
    assert read_campaign(control).next_numbers == {"QĐ": 3, "BC": 1, "TTr": 1}
    report = generate_report(folder, 1, pdf=False)
    assert report.numbers == {"BC": [1]}
    assert read_campaign(control).next_numbers == {"QĐ": 3, "BC": 2, "TTr": 1}
    again = generate_documents(folder, 1, pdf=False, replace=True)  # a re-run keeps its number
    assert again.numbers == {"QĐ": [1, 2]}
    assert read_campaign(control).next_numbers == {"QĐ": 3, "BC": 2, "TTr": 1}
    sheets = [r["Mã đơn vị"] for r in sheet_rows(control, ControlSheet.STATUS)]
    assert "LD01" in sheets  # the rest of the workbook is as Consolidate left it
