"""The command line: every command documented, and the commands run on real folders."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from addin.cli import main
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
