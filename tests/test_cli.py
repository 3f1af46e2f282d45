"""The command line: every command documented, and the commands run on real folders."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from addin.cli import main
from addin.error_log import ERROR_LOG
from workbook_templates.forms import ControlSheet

from test_consolidate import good_sheets, person, put

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands(group, prefix="thidua"):
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", cmd


@pytest.mark.parametrize("name,cmd", list(_commands(main)))
def test_every_command_has_help_and_is_in_the_readme(name, cmd):
    assert cmd.help and len(cmd.help) > 20, name
    assert name in README.read_text(encoding="utf-8"), f"{name} is not documented in README"
    result = CliRunner().invoke(main, name.split()[1:] + ["--help"])
    assert result.exit_code == 0, result.output


def test_init_templates_consolidate_history(tmp_path: Path):
    runner = CliRunner()
    root = tmp_path / "camp"
    r = runner.invoke(main, ["init", str(root)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["templates", str(root), "--phase", "1"])
    assert r.exit_code == 0, r.output
    assert len(list((root / "outbox").glob("*_Dot1_2020.xlsx"))) == 21
    put(root, "LD01_Dot1_2020.xlsx", good_sheets([person("Hà Văn Tiến", 1981)]), unit="LD01")
    r = runner.invoke(main, ["consolidate", str(root), "--phase", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    assert "1/21 đơn vị" in r.output and "20 đơn vị chưa nộp" in r.output
    r = runner.invoke(main, ["history", str(root), "--person", "hà văn  tiến"])
    assert r.exit_code == 0, r.output
    assert "Hà Văn Tiến" in r.output and "LD01" in r.output
    book = CalamineWorkbook.from_path(str(root / "TongHopThiDua.xlsx"))
    rows = book.get_sheet_by_name(ControlSheet.HISTORY).to_python()
    assert any("Hà Văn Tiến" in map(str, row) for row in rows)


def test_setup_errors_exit_non_zero_with_a_vietnamese_message(tmp_path: Path):
    r = CliRunner().invoke(main, ["consolidate", str(tmp_path)])
    assert r.exit_code == 2
    assert "C01" in r.output and "Không tìm thấy sổ tổng hợp" in r.output


def test_consolidate_exits_zero_whatever_the_units_sent(tmp_path: Path):
    root = tmp_path / "camp"
    CliRunner().invoke(main, ["init", str(root)])
    (root / "inbox" / "LD01_Dot1_2020.xlsx").write_bytes(b"rubbish")
    r = CliRunner().invoke(main, ["consolidate", str(root), "-q"])
    assert r.exit_code == 0, r.output
    assert "1 tệp bị loại" in r.output


def test_documents_refuse_a_phase_the_control_workbook_does_not_hold(tmp_path: Path):
    root = tmp_path / "camp"
    CliRunner().invoke(main, ["init", str(root)])
    put(root, "LD01_Dot1_2020.xlsx", good_sheets([person("Hà Văn Tiến", 1981)]), unit="LD01")
    assert CliRunner().invoke(main, ["consolidate", str(root), "-q"]).exit_code == 0
    r = CliRunner().invoke(main, ["documents", str(root), "--phase", "2", "--no-pdf"])
    assert r.exit_code == 2
    assert "C08" in r.output and "đợt 1, không phải đợt 2" in r.output
    assert not list((root / "output").glob("*.docx"))


# --- no traceback, whatever the command line --------------------------------------------
@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, str]:
    """A campaign folder consolidated once (so backup/ holds a copy), one whose control
    workbook was overwritten by random bytes after that, one never consolidated whose control
    workbook is random bytes, a plain file, a folder that does not exist."""
    root = tmp_path_factory.mktemp("places")
    runner = CliRunner()
    for name in ("camp", "broken", "broken_new"):
        assert runner.invoke(main, ["init", str(root / name)]).exit_code == 0
    assert runner.invoke(main, ["consolidate", str(root / "broken"), "-q"]).exit_code == 0
    for name in ("broken", "broken_new"):
        (root / name / "TongHopThiDua.xlsx").write_bytes(os.urandom(4096))
    (root / "file.txt").write_text("not a folder", encoding="utf-8")
    return {"camp": str(root / "camp"), "broken": str(root / "broken"),
            "broken_new": str(root / "broken_new"), "file": str(root / "file.txt"),
            "missing": str(root / "no" / "such" / "folder")}


BAD_COMMAND_LINES = [
    # (arguments, the code the clerk reads)
    ("init", "C15"), ("init {file}", "C15"), ("init {camp}", "C06"),
    ("templates {camp}", "C15"), ("templates {camp} --phase 7", "C07"),
    ("templates {camp} --phase -1", "C07"), ("templates {camp} --phase 0", "C07"),
    ("templates {camp} --phase một", "C15"), ("templates {missing} --phase 1", "C15"),
    ("templates {broken} -p 1", "C16"),
    ("consolidate {camp} --phase 7 -q", "C07"), ("consolidate {camp} --phase -1 -q", "C07"),
    ("consolidate {camp} --phase 0 -q", "C07"), ("consolidate {camp} --phase -q", "C15"),
    ("consolidate {camp} --phase", "C15"), ("consolidate {missing}", "C15"),
    ("consolidate {file}", "C15"), ("consolidate {broken} -q", "C16"),
    ("consolidate {broken_new} -q", "C17"), ("consolidate {camp} --bogus", "C15"),
    ("consolidate {camp} {camp}", "C15"), ("consolidate", "C15"),
    ("documents {camp} --phase 7 --no-pdf", "C07"),
    ("documents {camp} --phase 0 --no-pdf", "C07"), ("documents {missing}", "C15"),
    ("documents {broken} --no-pdf", "C16"), ("documents {file}", "C15"),
    ("history {missing}", "C15"), ("history {broken}", "C16"), ("history {camp} --unit", "C15"),
    ("history {file} --person x", "C15"),
    ("demo {file}", "C15"), ("demo {camp}", "thư mục mới hoặc trống"),
    ("addin build --out {file}/thidua.xlam", "C15"), ("addin build --bogus", "C15"),
    ("addin install {camp}", "C15"), ("addin", "build"), ("frob", "C15"),
]


@pytest.mark.parametrize("line,code", BAD_COMMAND_LINES, ids=[c[0] for c in BAD_COMMAND_LINES])
def test_a_bad_command_line_is_told_in_vietnamese_without_a_traceback(places, line, code):
    args = [word.format(**places) for word in line.split()]
    r = CliRunner().invoke(main, args)
    assert isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert code in r.output
    if line != "addin":  # a group alone shows its help (click's, like --help)
        for english in ("Usage:", "Error:", "Invalid value", "does not exist", "No such"):
            assert english not in r.output


def test_an_unreadable_control_workbook_points_at_its_newest_backup(places):
    backups = sorted(Path(places["broken"], "backup").glob("TongHopThiDua_*.xlsx"),
                     key=lambda p: p.stat().st_mtime)
    r = CliRunner().invoke(main, ["consolidate", places["broken"], "-q"])
    assert r.exit_code == 2
    assert "[C16]" in r.output and str(backups[-1]) in r.output.replace("\n", "")


def test_phase_0_consolidates_nothing(places):
    control = Path(places["camp"], "TongHopThiDua.xlsx")
    before = control.read_bytes()
    r = CliRunner().invoke(main, ["consolidate", places["camp"], "--phase", "0", "-q"])
    assert r.exit_code == 2 and "Không có đợt 0" in r.output
    assert control.read_bytes() == before
    assert not Path(places["camp"], "backup").exists()


def test_the_real_program_prints_no_traceback(places):
    """The console script itself (not click's test runner), on stderr."""
    for line in ("consolidate {camp} --phase 7 -q", "consolidate {missing}",
                 "documents {broken} --no-pdf"):
        args = [word.format(**places) for word in line.split()]
        done = subprocess.run([sys.executable, "-m", "addin.cli", *args], capture_output=True,
                              text=True, encoding="utf-8", timeout=120)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        assert "Lỗi [C" in done.stderr


class NativePanic(BaseException):
    """Like pyo3's PanicException: not an Exception."""


@pytest.mark.parametrize("error", [ZeroDivisionError("division by zero"),
                                   NativePanic("called `Option::unwrap()` on a `None` value")])
def test_an_unexpected_error_is_logged_in_the_campaign_folder(places, monkeypatch, error):
    import addin.history

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(addin.history, "show_history", broken)
    r = CliRunner().invoke(main, ["history", places["camp"], "--person", "x"])
    assert isinstance(r.exception, SystemExit) and r.exit_code == 1
    assert "[C18]" in r.output and "Traceback" not in r.output
    assert str(error) not in r.output
    log = Path(places["camp"], ERROR_LOG).resolve()
    assert str(log) in r.output.replace("\n", "")
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and type(error).__name__ in text and str(error) in text


def test_what_the_clerk_reads_for_the_usual_mistakes(places):
    def said(*args):
        r = CliRunner().invoke(main, list(args))
        return " ".join(r.output.split())

    missing = places["missing"]
    assert said("consolidate", missing) == (
        f"Lỗi [C15]: Lệnh “thidua consolidate” chưa đúng: không có thư mục “{missing}”. "
        "Gõ “thidua consolidate --help” để xem cách dùng.")
    assert said("documents", places["camp"], "--phase", "7") == (
        "Lỗi [C07]: Không có đợt 7 trên trang Cấu hình (các đợt: 1, 2).")
    assert said("templates", places["camp"], "-p", "hai") == (
        "Lỗi [C15]: Lệnh “thidua templates” chưa đúng: “hai” không phải số đợt (một số "
        "nguyên, ví dụ --phase 1). Gõ “thidua templates --help” để xem cách dùng.")
    assert said("addin", "biuld") == (
        "Lỗi [C15]: Lệnh “thidua addin” chưa đúng: tên lệnh hoặc tham số không đúng, hoặc "
        "thừa tham số. Gõ “thidua addin --help” để xem cách dùng.")


def test_a_broken_register_is_told_without_the_databases_words_which_go_to_the_log(
        tmp_path: Path):
    root = tmp_path / "camp"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    control_before = (root / "TongHopThiDua.xlsx").read_bytes()
    (root / "so_theo_doi.sqlite").write_bytes(b"this is no database " * 200)
    r = CliRunner().invoke(main, ["consolidate", str(root), "--quiet"])
    assert r.exit_code == 2
    assert "[C04]" in r.output and "so_theo_doi.sqlite" in r.output
    assert "not a database" not in r.output and "Error" not in r.output.replace(ERROR_LOG, "")
    assert ERROR_LOG in r.output
    assert "file is not a database" in (root / ERROR_LOG).read_text(encoding="utf-8")
    assert (root / "TongHopThiDua.xlsx").read_bytes() == control_before
