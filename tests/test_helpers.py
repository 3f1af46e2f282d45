"""The test helpers that could make tests lie: a missing LibreOffice skips its tests (fails
them under CI=true), and the LibreOffice conversion cache never holds a partial file."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

import builders
import external
from builders import build_return


def test_a_missing_libreoffice_skips_and_fails_under_ci(tmp_path, monkeypatch):
    monkeypatch.setattr(external, "find_soffice", lambda: None)
    monkeypatch.setattr(builders, "_CACHE", tmp_path / "cache")  # nothing converted yet
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="LibreOffice tests cannot run in CI"):
        external.soffice()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="LibreOffice tests skipped"):
        external.soffice()
    with pytest.raises(pytest.skip.Exception):  # and so does a test building an .xls
        build_return(tmp_path / "a.xls", {"Sheet1": [["x"]]}, fmt="xls")


def test_the_conversion_cache_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    monkeypatch.setattr(builders, "_CACHE", tmp_path / "cache")
    real_copy = shutil.copy

    def killed_mid_copy(src, dst):
        if str(dst).endswith(".part"):
            Path(dst).write_bytes(Path(src).read_bytes()[:100])
            raise KeyboardInterrupt  # the session killed while the cache was written
        return real_copy(src, dst)

    monkeypatch.setattr(builders.shutil, "copy", killed_mid_copy)
    sheets = {"Danh sách": [["Họ và tên"], ["Nông Thị Hoa"]]}
    with pytest.raises(KeyboardInterrupt):
        build_return(tmp_path / "a.xls", sheets, fmt="xls", meta=None)
    assert list((tmp_path / "cache").iterdir()) == []
    monkeypatch.setattr(builders.shutil, "copy", real_copy)
    path = build_return(tmp_path / "b.xls", sheets, fmt="xls", meta=None)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Danh sách").to_python()
    assert rows[1] == ["Nông Thị Hoa"]
    assert [p.suffix for p in (tmp_path / "cache").iterdir()] == [".xls"]
