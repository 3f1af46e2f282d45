"""What Collect takes from the inbox, in what order, and what it passes over and why."""
from __future__ import annotations

import os
from pathlib import Path

import addin.collect as collect_module
from addin.collect import UNREADABLE_FOLDER, collect


def _touch(inbox: Path, *names: str) -> None:
    for name in names:
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def test_the_spreadsheets_come_in_the_order_of_their_sorted_paths(tmp_path):
    inbox = tmp_path / "inbox"
    _touch(inbox, "LD02.xlsx", "Huyen/LD10.xlsx", "Huyen/A/LD11.xls", "LD01.ods",
           "Z/LD03.xlsm", "Huyen.xlsx")
    found, ignored = collect(inbox)
    expected = sorted(p for p in inbox.rglob("*") if p.is_file())
    assert list(found) == expected and ignored == []
    assert [p.relative_to(inbox).as_posix() for p in found] == [
        "Huyen/A/LD11.xls", "Huyen/LD10.xlsx", "Huyen.xlsx", "LD01.ods", "LD02.xlsx",
        "Z/LD03.xlsm"]


def test_lock_hidden_and_temporary_files_are_skipped_silently(tmp_path):
    inbox = tmp_path / "inbox"
    _touch(inbox, "~$LD01.xlsx", ".LD02.xlsx", ".an/LD03.xlsx", "LD04.xlsx.tmp",
           "LD05.xlsx.crdownload", "Thumbs.db", "LD06.xlsx~", "LD07.xlsx")
    found, ignored = collect(inbox)
    assert [p.name for p in found] == ["LD07.xlsx"] and ignored == []


def test_other_files_are_passed_over_with_the_reason(tmp_path):
    inbox = tmp_path / "inbox"
    _touch(inbox, "LD01.ZIP", "BaoCao.docx", "LD02.csv", "anh.jpg", "LD03.xlsx")
    found, ignored = collect(inbox)
    assert [p.name for p in found] == ["LD03.xlsx"]
    reasons = {i.path.relative_to(inbox).as_posix(): i.reason for i in ignored}
    assert reasons == {
        "BaoCao.docx": "Văn bản, không phải biểu mẫu bảng tính.",
        "LD01.ZIP": "Tệp nén: giải nén vào thư mục nhận rồi chạy lại.",
        "LD02.csv": "Tệp CSV không mang thông tin biểu mẫu; đề nghị đơn vị gửi tệp Excel.",
        "anh.jpg": "Không phải tệp bảng tính (xlsx, xlsm, xls, xlsb, ods)."}


def test_a_linked_folder_is_not_followed_and_no_inbox_is_nothing(tmp_path):
    inbox, elsewhere = tmp_path / "inbox", tmp_path / "elsewhere"
    _touch(elsewhere, "LD09.xlsx")
    _touch(inbox, "LD01.xlsx")
    os.symlink(elsewhere, inbox / "lien_ket", target_is_directory=True)
    found, _ = collect(inbox)
    assert [p.name for p in found] == ["LD01.xlsx"]
    assert [len(x) for x in collect(tmp_path / "missing")] == [0, 0]


def test_a_folder_that_cannot_be_listed_is_said_and_the_others_are_read(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    _touch(inbox, "Khoa/LD05.xlsx", "LD01.xlsx", "Z/LD09.xlsx")
    real_listdir = os.listdir

    def refused(path):
        if Path(path).name == "Khoa":
            raise PermissionError(13, "Permission denied")
        return real_listdir(path)

    monkeypatch.setattr(collect_module.os, "listdir", refused)
    found, ignored = collect(inbox)
    assert [p.name for p in found] == ["LD01.xlsx", "LD09.xlsx"]
    assert [(i.path, i.reason) for i in ignored] == [(inbox / "Khoa", UNREADABLE_FOLDER)]
