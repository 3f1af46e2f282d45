"""The register, on SQLite and on a real PostgreSQL server (see ``pg_server.py``)."""
from __future__ import annotations

import gc
import hashlib
import json
import socket
import sqlite3
import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import URL, create_engine, select, text

from addin.register import (DecisionRecord, FileRecord, NominationRecord, Register,
                            RegisterUnavailable)
from addin.register.history import format_history, history_plan
from addin.register.schema import metadata
from addin.collect import file_fingerprint
from addin.register.store import SHEET_PART_ROWS
from pg_server import pg_admin_url, pg_database  # noqa: F401  (fixtures)
from workbook_templates.campaign import TARGET_COLLECTIVE, TARGET_INDIVIDUAL
from workbook_templates.forms import HISTORY_FIELDS, STATUS_ERRORS, STATUS_SUBMITTED, ControlSheet
from workbook_templates.identity import name_key, nomination_id, person_key
from workbook_templates.messages import Msg

BK = "Bằng khen của BCH LĐLĐ tỉnh"
CO = "Cờ thi đua của LĐLĐ tỉnh"
SETTINGS = {"nam": 2020, "han_bao_cao": date(2020, 7, 10), "don_vi": ["LD01", "LD02"]}


# --- fixtures and helpers ---------------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "so_theo_doi.sqlite")
    return request.getfixturevalue("pg_database")


@pytest.fixture
def reg(target):
    register = Register.open(target, timeout=5)
    yield register
    register.close()


def _engine(target: str):
    if "://" in target:
        return create_engine(target)
    return create_engine(URL.create("sqlite", database=target))


def snapshot(target: str) -> dict[str, list[tuple]]:
    """Every row of every register table, in a stable order."""
    engine = _engine(target)
    with engine.connect() as conn:
        out = {tbl.name: [tuple(r) for r in conn.execute(
            select(tbl).order_by(*tbl.columns))] for tbl in metadata.sorted_tables}
    engine.dispose()
    return out


def person(name: str, birth: int, unit: str, form: str, *, year=2020, phase=1,
           approved=None, awarded="") -> NominationRecord:
    key = person_key(name, birth)
    return NominationRecord(
        nomination_id=nomination_id(year, phase, unit, "khen_ca_nhan", key, form),
        unit_code=unit, target=TARGET_INDIVIDUAL, name=name, person_key=key,
        proposed_form=form, approved=approved, awarded_form=awarded, birth_year=birth)


def collective(name: str, unit: str, form: str, *, approved=None) -> NominationRecord:
    key = name_key(name)
    return NominationRecord(
        nomination_id=nomination_id(2020, 1, unit, "khen_tap_the", key, form),
        unit_code=unit, target=TARGET_COLLECTIVE, name=name, person_key=key,
        proposed_form=form, approved=approved)


def decision(number: int, ids=(), *, kind="QĐ", day=date(2020, 7, 15)) -> DecisionRecord:
    return DecisionRecord(kind=kind, number=number, issued_on=day, award_form=BK,
                          path=f"output/{kind}_{number:02d}.docx", individuals=len(ids),
                          total_money=1_490_000 * len(ids), nomination_ids=tuple(ids),
                          reference=f"{number:02d}/{kind}-LĐLĐ")


def returned_file(folder: Path, unit: str) -> Path:
    """The unit's file, written once: the same bytes (and SHA-256) at every run of a test,
    as a file left in the inbox is (openpyxl stamps each save with its time)."""
    path = folder / "inbox" / f"{unit}_Dot1_2020.xlsx"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.active.title = "Thông tin"
    wb.active["A1"] = unit
    wb.save(path)
    return path


AN = person("Nguyễn Văn An", 1980, "LD01", BK, approved=True)
BINH = person("Hoàng Thị Bình", 1975, "LD01", BK, approved=False)
TEAM = collective("Tổ Điện lực Hòa An", "LD02", CO, approved=True)


def consolidate_phase_1(reg: Register, tmp_path: Path, *, status=STATUS_SUBMITTED, errors=0,
                        an=AN, results=None) -> None:
    with reg.run(kind="consolidate", year=2020, phase=1, settings=SETTINGS) as w:
        for unit in ("LD01", "LD02"):
            sent = returned_file(tmp_path, unit)
            w.file(FileRecord.of(sent, fingerprint=file_fingerprint(sent), unit_code=unit,
                                 status=status, errors=errors,
                                 received_at=datetime(2020, 7, 1, 9, 30), root=tmp_path))
        for rec in (an, BINH, TEAM):
            w.nomination(rec)
        w.results("LD01", results or {"sang_kien": 3, "gia_tri_sang_kien": 25_000_000})
        w.results("LD02", {"sang_kien": 1})


# --- round trip --------------------------------------------------------------------------
def test_round_trip_of_runs_files_nominations_results_and_documents(reg, target, tmp_path):
    consolidate_phase_1(reg, tmp_path)
    with reg.run(kind="documents", year=2020, phase=1, settings={"so_qd": 5}) as w:
        w.decision(decision(5, [AN.nomination_id]))
    reg.close()

    again = Register.open(target)  # a second open finds the schema at head
    assert again.phase_results(2020, 1) == {
        "LD01": {"gia_tri_sang_kien": 25_000_000.0, "sang_kien": 3.0},
        "LD02": {"sang_kien": 1.0}}
    assert again.phase_results(2020, 2) == {}
    [award] = again.awards_of(AN.person_key, BK, range(2019, 2021))
    assert (award.year, award.phase, award.unit_code, award.name) == (2020, 1, "LD01",
                                                                     "Nguyễn Văn An")
    assert (award.decision_reference, award.issued_on) == ("05/QĐ-LĐLĐ", date(2020, 7, 15))
    assert "05/QĐ-LĐLĐ ngày 15/07/2020" in award.detail
    assert again.awards_of(BINH.person_key, BK, range(2019, 2021)) == []  # not approved
    [team] = again.history(unit="LD02")
    assert (team.target, team.name, team.approved, team.awarded_form) == (
        TARGET_COLLECTIVE, "Tổ Điện lực Hòa An", True, CO)  # approved: the proposed form
    again.close()

    tables = snapshot(target)
    runs = tables["runs"]
    assert [r[1] for r in runs] == ["consolidate", "documents"]
    assert all(r[5] is not None and r[5] >= r[4] for r in runs)  # finished after started
    assert runs[0][6] == socket.gethostname()
    assert json.loads(runs[0][8]) == {"nam": 2020, "han_bao_cao": "2020-07-10",
                                      "don_vi": ["LD01", "LD02"]}
    files = {r[3]: r for r in tables["received_files"]}
    ld01 = tmp_path / "inbox" / "LD01_Dot1_2020.xlsx"
    row = files["inbox/LD01_Dot1_2020.xlsx"]
    assert row[4] == hashlib.sha256(ld01.read_bytes()).hexdigest()
    assert row[5] == ld01.stat().st_size
    assert (row[6], row[7], row[8]) == ("LD01", datetime(2020, 7, 1, 9, 30), STATUS_SUBMITTED)
    [doc] = tables["decisions"]
    assert doc[1:4] == (2020, "QĐ", 5)
    assert doc[7:11] == (0, 1, 1_490_000, "output/QĐ_05.docx")
    assert [r[1] for r in tables["decision_nominations"]] == [AN.nomination_id]


def test_rerunning_a_phase_updates_and_never_duplicates(reg, target, tmp_path):
    consolidate_phase_1(reg, tmp_path)
    with reg.run(kind="documents", year=2020, phase=1, settings={}) as w:
        w.decision(decision(1, [AN.nomination_id, BINH.nomination_id]))
    before = snapshot(target)

    an_refused = person("Nguyễn Văn An", 1980, "LD01", BK, approved=False)
    consolidate_phase_1(reg, tmp_path, status=STATUS_ERRORS, errors=2, an=an_refused,
                        results={"sang_kien": 4})
    with reg.run(kind="documents", year=2020, phase=1, settings={}) as w:
        w.decision(decision(1, [BINH.nomination_id], day=date(2020, 7, 20)))
    after = snapshot(target)

    assert len(after["runs"]) == len(before["runs"]) + 2
    for table in ("received_files", "nominations", "decisions"):
        assert len(after[table]) == len(before[table]), table
    assert {r[8] for r in after["received_files"]} == {STATUS_ERRORS}
    assert {r[9] for r in after["received_files"]} == {2}
    assert reg.phase_results(2020, 1)["LD01"] == {"sang_kien": 4.0}  # dropped indicator gone
    [an] = [h for h in reg.history(person="Nguyễn Văn An")]
    assert (an.approved, an.awarded_form, an.documents) == (False, "", ())
    [binh] = reg.history(person="Hoàng Thị Bình")
    assert binh.documents == ("01/QĐ-LĐLĐ ngày 20/07/2020",)


# --- across phases and years ---------------------------------------------------------------
def test_approval_of_phase_1_is_found_in_phase_2(reg, tmp_path):
    consolidate_phase_1(reg, tmp_path)  # An approved for BK, no document yet
    an_again = person("Nguyễn Văn An", 1980, "LD02", BK, phase=2, approved=True)
    with reg.run(kind="consolidate", year=2020, phase=2, settings=SETTINGS) as w:
        w.nomination(an_again)

    [past] = reg.approved_before(AN.person_key, BK, range(2020, 2021), except_phase=(2020, 2))
    assert (past.year, past.phase, past.unit_code, past.nomination_id) == (
        2020, 1, "LD01", AN.nomination_id)
    assert (past.decision_reference, past.issued_on) == ("", None)
    assert past.detail == "đã duyệt ở đợt 1 năm 2020, LD01"
    assert len(reg.approved_before(AN.person_key, BK, [2020])) == 2  # both phases
    assert reg.approved_before(AN.person_key, CO, [2020]) == []  # other form
    assert reg.approved_before(BINH.person_key, BK, [2020]) == []  # Duyệt = Không
    assert reg.approved_before(AN.person_key, BK, [2019]) == []  # other year
    assert reg.awards_of(AN.person_key, BK, [2020]) == []  # approved, but no document


def _left_in_cycles(work) -> tuple[object, list]:
    """What ``work()`` returns, and the objects it leaves in reference cycles (the collector
    paused, as in a run)."""
    gc.collect()
    gc.disable()
    try:
        done = work()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        return done, list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_past_awards_over_many_chunks_finds_each_and_leaves_no_keys_in_cycles(reg, tmp_path):
    """Asked about more persons than one IN list holds, every chunk is searched; and what
    the queries leave for the cyclic collector (paused during a run) holds none of the keys
    asked about: a statement made per chunk kept its keys in reference cycles, 47 MB at
    130,000 files."""
    consolidate_phase_1(reg, tmp_path)  # An approved for BK
    strangers = [(person_key(f"Người Lạ {i}", 1970), BK) for i in range(1200)]
    found, garbage = _left_in_cycles(
        lambda: reg.past_awards([*strangers, (AN.person_key, BK)], range(2020, 2021)))
    asked = {k for k, _ in strangers}
    assert list(found) == [(AN.person_key, BK)]
    assert [o for o in garbage if isinstance(o, (list, tuple))
            and any(isinstance(x, str) and x in asked for x in o)] == []


def test_writing_batches_leaves_no_more_in_cycles_than_writing_one(reg):
    """A run writes its records a batch at a time; what it leaves for the paused collector
    does not grow with the batches (an insert statement made per batch left its table's
    alias and columns in cycles: 27 MB at 130,000 files)."""
    def batches(run, n):
        for b in range(n):
            run.files(FileRecord(f"inbox/{b}_{i}.xlsx", "0" * 64, 1, "LD01", STATUS_SUBMITTED)
                      for i in range(200))

    with reg.run(kind="consolidate", year=2020, phase=1, settings=SETTINGS) as w:
        batches(w, 1)  # the statements a run makes once
        _, one = _left_in_cycles(lambda: batches(w, 1))
        _, many = _left_in_cycles(lambda: batches(w, 8))
    assert len(many) <= len(one) + 10


def test_next_number_follows_the_documents_issued(reg):
    with reg.run(kind="documents", year=2020, phase=1, settings={}) as w:
        for n in (1, 2, 3):
            w.decision(decision(n))
    with reg.run(kind="documents", year=2020, phase=2, settings={}) as w:
        w.decision(decision(4))
        w.decision(decision(1, kind="TTr"))
    assert reg.next_number("QĐ", 2020) == 5
    assert reg.next_number("QĐ", 2020, floor=3) == 5
    assert reg.next_number("QĐ", 2020, floor=12) == 12
    assert reg.next_number("TTr", 2020) == 2
    assert reg.next_number("BC", 2020) == 1
    assert reg.next_number("QĐ", 2021) == 1


def test_history_by_person_and_by_unit_over_phases_and_years(reg):
    rows = [
        (2020, 2, person("Nguyễn Văn An", 1980, "LD03", BK, year=2020, phase=2)),
        (2019, 2, person("Nguyễn Văn An", 1980, "LD01", BK, year=2019, phase=2,
                         approved=True)),
        (2020, 1, person("Nguyễn  văn AN", 1980, "LD01", BK, approved=True, awarded=CO)),
        (2020, 1, person("Lục Văn Chung", 1990, "LD01", BK)),
    ]
    for year, phase, rec in rows:
        with reg.run(kind="consolidate", year=year, phase=phase, settings={}) as w:
            w.nomination(rec)

    typed = unicodedata.normalize("NFD", "  NGUYỄN   văn an ")
    found = reg.history(person=typed)
    assert [(h.year, h.phase, h.unit_code) for h in found] == [
        (2019, 2, "LD01"), (2020, 1, "LD01"), (2020, 2, "LD03")]
    assert found[1].awarded_form == CO and found[2].approved is None
    by_unit = reg.history(unit=" ld01 ")
    assert [(h.year, h.name) for h in by_unit] == [
        (2019, "Nguyễn Văn An"), (2020, "Lục Văn Chung"), (2020, "Nguyễn  văn AN")]
    assert reg.history(person="Nguyễn Văn Anh") == []

    plan = history_plan(found)
    assert plan.name == ControlSheet.HISTORY == "Lịch sử"
    assert plan.header == [f.title for f in HISTORY_FIELDS]
    assert plan.rows[0][plan.column("duyet")] == "Có"
    assert plan.rows[2][plan.column("duyet")] == ""
    assert plan.rows[1][plan.column("hinh_thuc_duoc_khen")] == CO
    text = format_history(found)
    lines = text.splitlines()
    assert lines[0].startswith("Năm") and "Hình thức được khen" in lines[0]
    assert len(lines) == 2 + 3 and "LD03" in lines[4]
    assert lines[2].index("Nguyễn Văn An") == lines[0].index("Tên tập thể, cá nhân")
    empty = format_history([], person="Nguyễn Văn Anh")
    assert empty == ("Sổ theo dõi chưa có đề nghị khen thưởng nào khớp với tên tập thể, "
                     "cá nhân “Nguyễn Văn Anh”.")


# --- failures leave the register as it was ----------------------------------------------------
def _half_run(w, tmp_path):
    sent = returned_file(tmp_path, "LD09")
    w.file(FileRecord.of(sent, fingerprint=file_fingerprint(sent), unit_code="LD09",
                         status=STATUS_SUBMITTED, root=tmp_path))
    w.nomination(person("Nguyễn Văn An", 1980, "LD01", BK, approved=False))
    w.results("LD01", {"sang_kien": 99})
    w.decision(decision(7, [AN.nomination_id]))


def test_an_error_inside_a_run_rolls_everything_back(reg, target, tmp_path):
    consolidate_phase_1(reg, tmp_path)
    before = snapshot(target)
    with pytest.raises(ZeroDivisionError):
        with reg.run(kind="consolidate", year=2020, phase=1, settings=SETTINGS) as w:
            _half_run(w, tmp_path)
            1 / 0
    assert snapshot(target) == before


def test_postgres_connection_killed_mid_run_rolls_back(pg_database, pg_admin_url, tmp_path):
    reg = Register.open(pg_database, timeout=5)
    consolidate_phase_1(reg, tmp_path)
    before = snapshot(pg_database)
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with pytest.raises(RegisterUnavailable) as caught:
        with reg.run(kind="consolidate", year=2020, phase=1, settings=SETTINGS) as w:
            _half_run(w, tmp_path)
            with admin.connect() as conn:
                killed = conn.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :db AND state LIKE 'idle in transaction%'"),
                    {"db": pg_database.rsplit("/", 1)[1]}).scalars().all()
            assert killed == [True]
            w.results("LD02", {"sang_kien": 5})
    admin.dispose()
    assert caught.value.problem.msg is Msg.REGISTER_UNAVAILABLE
    assert "máy chủ" in caught.value.problem.text
    assert snapshot(pg_database) == before
    with reg.run(kind="consolidate", year=2020, phase=2, settings={}) as w:  # usable again
        w.results("LD02", {"sang_kien": 5})
    assert reg.phase_results(2020, 2) == {"LD02": {"sang_kien": 5.0}}
    reg.close()


def test_locked_sqlite_file_gives_c04_and_changes_nothing(tmp_path):
    path = tmp_path / "so_theo_doi.sqlite"
    reg = Register.open(path, timeout=0.2)
    consolidate_phase_1(reg, tmp_path)
    before = snapshot(str(path))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(RegisterUnavailable) as caught:
            with reg.run(kind="consolidate", year=2020, phase=1, settings=SETTINGS) as w:
                _half_run(w, tmp_path)
        with pytest.raises(RegisterUnavailable) as on_open:
            Register.open(path, timeout=0.2)
    finally:
        other.execute("ROLLBACK")
        other.close()
    for err in (caught.value, on_open.value):
        assert err.problem.msg is Msg.REGISTER_UNAVAILABLE and err.problem.code == "C04"
        assert err.problem.text == Msg.REGISTER_UNAVAILABLE.template.format(
            detail=f"tệp “{path}” đang bị chương trình hoặc máy khác khóa")
    assert snapshot(str(path)) == before
    reg.close()


def test_unreachable_server_gives_c04_without_the_password():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(RegisterUnavailable) as caught:
        Register.open(f"postgresql://thidua:bi-mat@127.0.0.1:{port}/sotheodoi", timeout=2)
    text_ = caught.value.problem.text
    assert caught.value.problem.msg is Msg.REGISTER_UNAVAILABLE
    assert f"127.0.0.1:{port}/sotheodoi" in text_ and "bi-mat" not in text_


def test_missing_folder_gives_c04(tmp_path):
    with pytest.raises(RegisterUnavailable, match="không mở được tệp"):
        Register.open(tmp_path / "khong_co" / "so_theo_doi.sqlite")


# --- the schema ----------------------------------------------------------------------------
def test_migrations_create_exactly_the_declared_schema(reg, target):
    engine = _engine(target)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0004"
    engine.dispose()


def test_campaign_uses_its_folder_file_unless_a_url_is_set(tmp_path):
    from addin.folder import CampaignFolder
    from workbook_templates.campaign import default_campaign

    campaign = default_campaign()
    folder = CampaignFolder.at(tmp_path)
    with Register.for_campaign(folder, campaign) as reg:
        with reg.run(kind="documents", year=2020, phase=1, settings={}) as w:
            w.decision(decision(1))
    assert folder.register.is_file()
    campaign.register_url = f"sqlite:///{tmp_path / 'chung.sqlite'}"
    with Register.for_campaign(folder, campaign) as reg:
        assert reg.next_number("QĐ", 2020) == 1  # another register: nothing issued there
    assert (tmp_path / "chung.sqlite").is_file()


@pytest.mark.parametrize("url", ["khong-phai://u:bi-mat@may-chu/so",
                                 "postgresql://u:bi-mat@host:cổng/x"])
def test_bad_register_url_gives_c04_without_the_password(url):
    with pytest.raises(RegisterUnavailable) as caught:
        Register.open(url)
    assert caught.value.problem.msg is Msg.REGISTER_UNAVAILABLE
    assert "không hợp lệ" in caught.value.problem.text
    assert "bi-mat" not in caught.value.problem.text


def test_a_sheet_longer_than_a_part_comes_back_whole_and_a_shorter_rerun_replaces_it(reg):
    header = ["Mã đơn vị", "Ngày"]
    rows = [header] + [[f"U{i:06d}", date(2020, 1, 1 + i % 28)]
                       for i in range(2 * SHEET_PART_ROWS + 7)]
    with reg.run(kind="consolidate", year=2020, phase=1, settings=SETTINGS) as w:
        w.sheet("Khen cá nhân", iter(rows))  # written a part at a time, from an iterator
    assert reg.phase_sheets(2020, 1) == {"Khen cá nhân": rows}
    with reg.run(kind="consolidate", year=2020, phase=1, settings=SETTINGS) as w:
        w.sheet("Khen cá nhân", rows[:3])
    assert reg.phase_sheets(2020, 1) == {"Khen cá nhân": rows[:3]}
