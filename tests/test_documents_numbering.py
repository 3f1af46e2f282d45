"""Documents inside the register's transaction, on SQLite and on a real PostgreSQL server: a
province-sized campaign issues its decisions (every read goes through the run's own
connection), concurrent runs take distinct numbers, and a number of the year is never
written over another phase's decision."""
from __future__ import annotations

import copy
import shutil
import sys
import threading
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import create_engine, select

from addin.consolidate import consolidate
from addin.folder import CampaignFolder
from addin.register import DecisionRecord, NumberTaken, Register
from addin.register import schema as t
from addin.workbook_writer import write_control_workbook
from addin.documents import PLAQUES_FORM, generate_documents
from pg_server import pg_admin_url, pg_database  # noqa: F401  (fixtures)
from workbook_templates.campaign import LEVEL_PROVINCE, default_campaign
from workbook_templates.forms import ControlSheet
from workbook_templates.messages import Msg

from test_consolidate import folder, good_sheets, person, put  # noqa: F401
from test_consolidate_register import _approve
from test_documents_register import _docx_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.generate import generate  # noqa: E402

BK = "Bằng khen của BCH LĐLĐ tỉnh"
RUNS = 8
UNITS = 1000


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


def _url(backend: str, request, sqlite_file: Path) -> str:
    if backend == "postgresql":
        return request.getfixturevalue("pg_database")
    return f"sqlite:///{sqlite_file}"


def _rows(url: str, query) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(query)]
    finally:
        engine.dispose()


def _listed(url: str) -> dict[tuple[int, int], set[str]]:
    """(phase, number) of every QĐ -> the nominations it lists."""
    d, dn = t.decisions, t.decision_nominations
    found: dict[tuple[int, int], set[str]] = {}
    for phase, number, nomination in _rows(url, select(d.c.phase, d.c.number, dn.c.nomination_id)
                                           .join(dn, dn.c.decision_id == d.c.id)
                                           .where(d.c.kind == "QĐ")):
        found.setdefault((phase, number), set()).add(nomination)
    return found


# --- a province-sized campaign ------------------------------------------------------------
@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """1,000 generated units consolidated, every province-level nomination approved in the
    control workbook (the plans edited and written, as the clerk's review would be)."""
    work = tmp_path_factory.mktemp("province")
    gen = generate(UNITS, work / "cache", say=lambda _: None)
    place = gen.fresh_folder(work / "consolidated")
    result = consolidate(place.root, 1, campaign=gen.campaign)
    province_forms = {a.name for a in gen.campaign.award_forms if a.level == LEVEL_PROVINCE}
    approved: dict[str, set[str]] = {}
    for plan in result.plans:
        if plan.name not in (ControlSheet.INDIVIDUAL, ControlSheet.COLLECTIVE):
            continue
        form, duyet, given = (plan.column(k) for k in ("hinh_thuc", "duyet",
                                                       "hinh_thuc_duoc_khen"))
        for i, row in enumerate(plan.rows):  # rows are read from disk: each one set back
            if row[form] in province_forms:
                row[duyet], row[given] = "Có", row[form]
                plan.rows[i] = row
                approved.setdefault(row[form], set()).add(row[plan.column("ma_de_nghi")])
    write_control_workbook(place.control, result.plans, result.chart)
    return gen.campaign, place, approved


@pytest.mark.slow
def test_documents_of_a_1000_unit_campaign_with_every_approval(province, backend, request,
                                                               tmp_path):
    campaign, consolidated, approved = province
    assert sum(map(len, approved.values())) > 3000  # individuals and collectives
    campaign = copy.deepcopy(campaign)
    root = tmp_path / "campaign"
    root.mkdir()
    place = CampaignFolder.at(root, campaign)
    shutil.copy2(consolidated.control, place.control)
    if backend == "sqlite":  # the register Consolidate wrote: the run upserts over it
        shutil.copy2(consolidated.register, place.register)
    else:
        campaign.register_url = request.getfixturevalue("pg_database")
    url = campaign.register_url or f"sqlite:///{place.register}"

    result = generate_documents(root, 1, pdf=False, campaign=campaign,
                                kinds=("decisions", "plaques"))

    assert not [p for p in result.problems if p.msg is Msg.DOC_SKIPPED_NOBODY]
    assert result.numbers == {"QĐ": [1, 2, 3]}  # Cờ thi đua, Bằng khen, plaques
    forms = _rows(url, select(t.decisions.c.number, t.decisions.c.award_form)
                  .order_by(t.decisions.c.number))
    listed = _listed(url)
    for number, form in forms:
        if form != PLAQUES_FORM:
            assert listed[(1, number)] == approved[form], form
    assert {f for _, f in forms} == set(approved) | {PLAQUES_FORM}


# --- concurrent runs ----------------------------------------------------------------------
def _phase_copy(source: Path, target: Path, phase: int) -> None:
    """The campaign folder ``source`` (consolidated for phase 1) as if phase ``phase`` had
    been consolidated there: its status rows and nomination ids say ``phase``."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.sqlite"))
    control = CampaignFolder.at(target).control
    wb = openpyxl.load_workbook(control)
    status = wb[ControlSheet.STATUS]
    column = [c.value for c in status[1]].index("Đợt") + 1
    for r in range(2, status.max_row + 1):
        if isinstance(status.cell(r, column).value, int):
            status.cell(r, column).value = phase
    for name in (ControlSheet.INDIVIDUAL, ControlSheet.COLLECTIVE):
        ws = wb[name]
        for r in range(2, ws.max_row + 1):
            cell = ws.cell(r, 1)
            if isinstance(cell.value, str) and cell.value[2:3] == "1":
                cell.value = f"{cell.value[:2]}{phase}{cell.value[3:]}"
    wb.save(control)


def test_eight_concurrent_documents_runs_take_eight_numbers(folder, backend, request,  # noqa: F811
                                                            tmp_path, monkeypatch):
    campaign = default_campaign()
    campaign.next_numbers["QĐ"] = 5
    campaign.phases = [replace(campaign.phases[0], number=k) for k in range(1, RUNS + 1)]
    campaign.register_url = _url(backend, request, tmp_path / "shared.sqlite")
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person("Bế Thị Ngân", 1984, BK)]),
        unit="LD01")
    consolidate(folder, 1, campaign=campaign)
    _approve(CampaignFolder.at(folder).control, "Bế Thị Ngân", BK)
    folders = {k: tmp_path / f"phase{k}" for k in range(1, RUNS + 1)}
    for k, target in folders.items():
        _phase_copy(folder, target, k)

    real_open = Register.open.__func__  # the eighth run waits for seven: give it time
    monkeypatch.setattr(Register, "open", classmethod(
        lambda cls, target, timeout=120: real_open(cls, target, timeout=120)))
    start = threading.Barrier(RUNS)
    results, errors = {}, []

    def run(k: int) -> None:
        try:
            start.wait()
            results[k] = generate_documents(folders[k], k, pdf=False, kinds=("decisions",),
                                            campaign=replace(campaign, current_phase=k))
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in folders]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    assert not errors, [__import__("traceback").format_exception(e) for e in errors][:1]
    numbers = {k: r.numbers["QĐ"] for k, r in results.items()}
    assert sorted(n for [n] in numbers.values()) == list(range(5, 5 + RUNS))

    listed = _listed(campaign.register_url)
    assert set(listed) == {(k, n) for k, [n] in numbers.items()}
    for (k, _), ids in listed.items():
        [nomination] = ids
        assert nomination.startswith(f"CN{k}-LD01-")
    for k, [n] in numbers.items():  # what the document says, the register says
        [written] = results[k].written
        assert f"Số: {n:02d}/QĐ-LĐLĐ" in _docx_text(written)


def test_a_number_given_to_another_phase_is_never_written_over(backend, request, tmp_path):
    url = _url(backend, request, tmp_path / "so_theo_doi.sqlite")
    with Register.open(url) as reg:
        with reg.run(kind="documents", year=2020, phase=1, settings={}) as run:
            number = run.number("QĐ", BK, floor=5)
            run.decision(DecisionRecord("QĐ", number, None, BK, "output/a.docx",
                                        nomination_ids=("CN1-LD01-AAAA",),
                                        reference="05/QĐ-LĐLĐ"))
        with pytest.raises(NumberTaken) as caught:
            with reg.run(kind="documents", year=2020, phase=2, settings={}) as run:
                assert run.number("QĐ", BK, floor=5) == 6  # phase 2 numbers after
                run.decision(DecisionRecord("QĐ", 5, None, BK, "output/b.docx",
                                            nomination_ids=("CN2-LD01-BBBB",)))
        assert caught.value.problem.code == "C10"
        assert "05/QĐ-LĐLĐ" in caught.value.problem.text
        with reg.run(kind="documents", year=2020, phase=1, settings={}) as run:
            assert run.number("QĐ", BK, floor=5) == 5  # a re-run keeps its number
            assert run.number("QĐ", "Cờ thi đua của LĐLĐ tỉnh", floor=5) == 6
            assert run.number("QĐ", BK, floor=5) == 5
    assert _listed(url) == {(1, 5): {"CN1-LD01-AAAA"}}
