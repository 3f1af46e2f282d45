"""Consolidate's register and control workbook change together or not at all, on the command
line (the file) and on the ribbon (the book open in Excel, an xlwings JSON Book), on SQLite
and on a real PostgreSQL server: each step — write, save or replace, commit — is made to
fail, by an exception or by a real failure of the database, or the process is killed, and the
register and the workbook are found as before."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

import addin.consolidate as consolidate_module
import addin.live_writer as live_writer
import addin.workbook_writer as writer_module
from addin import macros
from addin.campaign_setup import init_campaign, write_templates
from addin.background import StepDied
from addin.consolidate import consolidate
from addin.error_log import ERROR_LOG
from addin.folder import CampaignFolder
from addin.register import Register, RegisterUnavailable
from addin.xlsx_package import Package
from pg_server import pg_admin_url, pg_database  # noqa: F401  (fixtures)
from workbook_templates.campaign import default_campaign
from workbook_templates.forms import ControlSheet
from workbook_templates.messages import Msg, SetupError

from test_consolidate import good_sheets, person, put
from test_macros import make_book, remote_engine  # noqa: F401  (fixture)
from test_register import snapshot
from writer_process import set_in_writer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def campaign(backend, request):
    c = default_campaign()
    if backend == "postgresql":
        c.register_url = request.getfixturevalue("pg_database")
    return c


@pytest.fixture
def quick_lock(monkeypatch):
    """Wait 0.2 s for a locked SQLite file, not 10 s."""
    real_open = Register.open.__func__
    monkeypatch.setattr(Register, "open", classmethod(
        lambda cls, target, timeout=0.2: real_open(cls, target, timeout=0.2)))


def _target(root: Path, campaign) -> str:
    return campaign.register_url or str(CampaignFolder.at(root, campaign).register)


def _state(root: Path, campaign) -> tuple:
    """What the office has: every register row, the control workbook's bytes, the backups,
    and every file of the campaign folder but the register's and the technical error log."""
    place = CampaignFolder.at(root, campaign)
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                   if p.is_file() and not p.name.startswith(place.register.name)
                   and p.name != ERROR_LOG)
    return snapshot(_target(root, campaign)), place.control.read_bytes(), files


@contextmanager
def _commit_fails(root: Path, campaign, pg_admin_url=None):
    """Make the next COMMIT fail for real: SQLite — another program holds a read lock on the
    file (a commit needs it alone); PostgreSQL — the run's server process is terminated."""
    if not campaign.register_url:
        other = sqlite3.connect(CampaignFolder.at(root, campaign).register,
                                isolation_level=None)
        other.execute("BEGIN")
        other.execute("SELECT count(*) FROM runs").fetchall()
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = :db AND state LIKE 'idle in transaction%'"),
            {"db": campaign.register_url.rsplit("/", 1)[1]}).scalars().all()
    admin.dispose()
    assert killed == [True]
    yield


# --- the command line ---------------------------------------------------------------------
@pytest.fixture
def cli_campaign(tmp_path, campaign):
    """A campaign folder consolidated once (LD01), with LD02's return arrived since."""
    root = tmp_path / "camp"
    init_campaign(root)
    put(root, "LD01_Dot1_2020.xlsx", good_sheets([person("Bế Thị Ngân", 1984)]), unit="LD01")
    consolidate(root, 1, campaign=campaign)
    put(root, "LD02_Dot1_2020.xlsx", good_sheets([person("Lục Văn Hùng", 1970)]), unit="LD02")
    return root


def _half_written(self, path):
    Path(path).write_bytes(b"PK\x03\x04 half a workbook")
    raise OSError(28, "No space left on device")


def test_cli_write_that_fails_half_way_changes_nothing(cli_campaign, campaign, monkeypatch):
    before = _state(cli_campaign, campaign)
    set_in_writer(monkeypatch, Package, "save", _half_written)
    with pytest.raises(OSError):
        consolidate(cli_campaign, 1, campaign=campaign)
    assert _state(cli_campaign, campaign) == before


def test_cli_writer_process_that_dies_changes_nothing(cli_campaign, campaign, monkeypatch):
    """The workbook is written by a background process while the register records: that
    process killed (out of memory) fails the run, the register rolled back, no file left."""
    before = _state(cli_campaign, campaign)
    set_in_writer(monkeypatch, Package, "save", _killed_saving)
    with pytest.raises(StepDied):
        consolidate(cli_campaign, 1, campaign=campaign)
    assert _state(cli_campaign, campaign) == before


def _killed_saving(self, path):
    Path(path).write_bytes(b"PK\x03\x04 half a workbook")
    os._exit(9)


def _refused(self, path):
    raise PermissionError(13, "Permission denied")


def test_cli_save_refused_in_the_writer_process_is_c09(cli_campaign, campaign, monkeypatch):
    before = _state(cli_campaign, campaign)
    set_in_writer(monkeypatch, Package, "save", _refused)
    with pytest.raises(SetupError) as caught:
        consolidate(cli_campaign, 1, campaign=campaign)
    assert caught.value.problem.msg is Msg.CONTROL_LOCKED
    assert caught.value.problem.value == "TongHopThiDua.xlsx"
    assert _state(cli_campaign, campaign) == before


def test_cli_replace_refused_changes_nothing(cli_campaign, campaign, monkeypatch):
    before = _state(cli_campaign, campaign)
    real_replace = os.replace

    def excel_holds_it(src, dst):
        if Path(dst).name == "TongHopThiDua.xlsx":
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(writer_module.os, "replace", excel_holds_it)
    with pytest.raises(SetupError) as caught:
        consolidate(cli_campaign, 1, campaign=campaign)
    assert caught.value.problem.msg is Msg.CONTROL_LOCKED
    assert _state(cli_campaign, campaign) == before


def test_cli_commit_that_fails_puts_the_previous_workbook_back(
        cli_campaign, campaign, monkeypatch, quick_lock, request):  # noqa: F811
    before = _state(cli_campaign, campaign)
    real_install = consolidate_module.install_control_workbook
    admin = request.getfixturevalue("pg_admin_url") if campaign.register_url else None
    failing = []

    def installed_then_commit_fails(path, tmp):
        backup = real_install(path, tmp)
        assert path.read_bytes() != before[1]  # the new workbook is in place
        failing.append(_commit_fails(cli_campaign, campaign, admin))
        failing[-1].__enter__()
        return backup

    monkeypatch.setattr(consolidate_module, "install_control_workbook",
                        installed_then_commit_fails)
    try:
        with pytest.raises(RegisterUnavailable) as caught:
            consolidate(cli_campaign, 1, campaign=campaign)
    finally:
        for f in failing:
            f.__exit__(None, None, None)
    assert caught.value.problem.msg is Msg.REGISTER_UNAVAILABLE
    assert _state(cli_campaign, campaign) == before
    monkeypatch.undo()
    consolidate(cli_campaign, 1, campaign=campaign)  # and the next run goes through
    assert _state(cli_campaign, campaign)[1] != before[1]


# The run to kill, a module (its writer process, a fresh interpreter, imports it to find
# the step it is given by name), run as killed_run.main() with the folder and the step.
KILLED_RUN = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    import addin.consolidate as c
    import addin.workbook_writer as w
    from addin.xlsx_package import Package
    from workbook_templates.campaign import default_campaign

    real_save = Package.save

    def save(self, path):  # the run killed while its background process writes
        real_save(self, path)
        with open(path, "r+b") as fh:
            fh.truncate(100)
        os.kill(os.getppid(), 9)
        os._exit(9)

    def staged(*args):  # in the writer process
        Package.save = save
        w.stage_control_workbook(*args)

    def main():
        step = sys.argv[2]
        if step == "write":
            c.stage_control_workbook = staged
        elif step == "record":
            real_record = c.record_consolidation
            def record(*args):
                real_record(*args)
                os.kill(os.getpid(), 9)
            c.record_consolidation = record
        else:  # "published": the new workbook in place, the register not committed
            real_install = c.install_control_workbook
            def install(*args):
                real_install(*args)
                os.kill(os.getpid(), 9)
            c.install_control_workbook = install
        campaign = default_campaign()
        campaign.register_url = os.environ.get("REGISTER_URL", "")
        c.consolidate(sys.argv[1], 1, campaign=campaign, workers=1)
""")


def _killed(root: Path, campaign, step: str) -> None:
    script = root.parent / "killed_run.py"
    script.write_text(KILLED_RUN.format(root=str(ROOT)))
    boot = f"import sys; sys.path.insert(0, {str(script.parent)!r}); import killed_run; " \
           "killed_run.main()"
    done = subprocess.run([sys.executable, "-c", boot, str(root), step], timeout=300,
                          env={**os.environ, "REGISTER_URL": campaign.register_url},
                          capture_output=True, text=True)
    assert done.returncode in (9, -9), done.stderr


@pytest.mark.parametrize("step", ["write", "record"])
def test_cli_process_killed_before_the_commit_changes_nothing(cli_campaign, campaign, step):
    before = _state(cli_campaign, campaign)
    _killed(cli_campaign, campaign, step)
    register, control, files = _state(cli_campaign, campaign)
    assert (register, control) == before[:2]
    # what the killed run left: its temp file, and after "record" nothing; swept later
    assert all(f in before[2] or f.startswith(".~") for f in files)


def test_cli_process_killed_between_replace_and_commit_is_mended_by_a_rerun(
        cli_campaign, campaign):
    register, control, _ = _state(cli_campaign, campaign)
    _killed(cli_campaign, campaign, "published")
    after = _state(cli_campaign, campaign)
    assert after[0] == register  # the register as it was ...
    assert after[1] != control  # ... the new workbook in place,
    backups = sorted((cli_campaign / "backup").iterdir())
    assert backups[-1].read_bytes() == control  # the previous one the newest backup
    consolidate(cli_campaign, 1, campaign=campaign)
    with Register.for_campaign(CampaignFolder.at(cli_campaign, campaign), campaign) as reg:
        units = {u for u in reg.phase_results(2020, 1)}
    assert units >= {"LD01", "LD02"}


# --- the ribbon ---------------------------------------------------------------------------
@pytest.fixture
def ribbon(tmp_path, campaign, remote_engine):  # noqa: F811
    """A control workbook open in Excel (JSON Book) consolidated once by Tổng hợp, then one
    more return in the inbox; the register as the book's Cấu hình names it."""
    control = init_campaign(tmp_path / "ThiDua2020")
    wb = load_workbook(control, data_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    for row in sheets[ControlSheet.SETTINGS]:
        if row[0] == "Địa chỉ sổ theo dõi":
            row[1] = campaign.register_url or None
    inbox = control.parent / campaign.inbox
    returns = write_templates(control.parent, campaign.current_phase)
    (inbox / returns[0].name).write_bytes(returns[0].read_bytes())
    book = make_book(control, sheets)
    macros.consolidate_button(book)
    assert book.json()["actions"][-1]["args"][3] == "info"
    (inbox / returns[1].name).write_bytes(returns[1].read_bytes())
    book.impl._json = {"actions": []}  # a fresh click
    return book


def _sheets(book) -> list[str]:
    return [s.name for s in book.sheets]


def _funcs(book) -> list[str]:
    return [a["func"] for a in book.json()["actions"]]


def _failed_alert(book) -> str:
    alert = book.json()["actions"][-1]
    assert alert["func"] == "alert" and alert["args"][3] == "critical"
    return alert["args"][0]


@pytest.mark.parametrize("step", ["write", "save"])
def test_ribbon_write_or_save_that_fails_changes_nothing(ribbon, campaign, monkeypatch, step):
    root = Path(ribbon.fullname).parent
    before, names = _state(root, campaign), _sheets(ribbon)

    def fails_half_way(book, plans, chart=None):
        live_writer.write_plan(book, plans[0])
        raise OSError("Excel stopped answering")

    def refused():
        raise OSError("The document is read-only")

    if step == "write":
        monkeypatch.setattr(live_writer, "write_plans", fails_half_way)
    else:
        monkeypatch.setattr(ribbon, "save", refused)
    macros.consolidate_button(ribbon)
    assert _failed_alert(ribbon).startswith(f"Lỗi [{Msg.UNEXPECTED_ERROR.code}]")
    assert _state(root, campaign) == before
    assert _sheets(ribbon) == names  # the sheets it had, no copy left
    funcs = _funcs(ribbon)
    assert "setValues" in funcs and "save" not in funcs


def test_ribbon_commit_that_fails_puts_the_sheets_back_and_saves(
        ribbon, campaign, monkeypatch, quick_lock, request):
    root = Path(ribbon.fullname).parent
    before, names = _state(root, campaign), _sheets(ribbon)
    admin = request.getfixturevalue("pg_admin_url") if campaign.register_url else None
    real_save = ribbon.save
    failing = []

    def saved_then_commit_fails():
        real_save()
        if not failing:
            failing.append(_commit_fails(root, campaign, admin))
            failing[-1].__enter__()

    monkeypatch.setattr(ribbon, "save", saved_then_commit_fails)
    try:
        macros.consolidate_button(ribbon)
    finally:
        for f in failing:
            f.__exit__(None, None, None)
    assert _failed_alert(ribbon).startswith(f"Lỗi [{Msg.REGISTER_UNAVAILABLE.code}]")
    assert _state(root, campaign) == before
    assert _sheets(ribbon) == names
    funcs = _funcs(ribbon)
    first_save = funcs.index("save")
    restored = funcs[first_save:]
    assert "sheetDelete" in restored and "setSheetName" in restored
    assert restored[-2:] == ["save", "alert"]  # the book as it was, saved again


def test_ribbon_success_commits_and_leaves_no_copies(ribbon, campaign):
    root = Path(ribbon.fullname).parent
    register_before = _state(root, campaign)[0]
    names = _sheets(ribbon)
    macros.consolidate_button(ribbon)
    alert = ribbon.json()["actions"][-1]["args"]
    assert alert[3] == "info" and alert[0].startswith("Đợt 1: 2 tệp")
    assert _sheets(ribbon) == names  # no hidden copy left behind
    funcs = _funcs(ribbon)
    # saved: once written, once committed (the copies gone), once with the report's number
    assert funcs.count("copySheet") >= 4 and funcs.count("save") == 3
    register = _state(root, campaign)[0]
    new_runs = register["runs"][len(register_before["runs"]):]
    assert [r[1] for r in new_runs] == ["consolidate", "documents"]  # and the phase report
    assert len(register["received_files"]) == 2
