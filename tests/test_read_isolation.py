"""One file never stops a run (issue 10): a parser's panic, a far cell, a truncated .xls, a
default-password encryption, a text named .xls, an exception of any kind, a worker killed
or overrunning its time — each is that file's own problem, in Vietnamese, and every other
file is consolidated; ``thidua consolidate`` exits 0."""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from python_calamine import CalamineWorkbook

from addin import read_pool
from addin.collect import InboxFiles
from addin.consolidate import consolidate
from addin.spill import Spill
from workbook_templates import reader
from workbook_templates.forms import ControlSheet
from workbook_templates.messages import Msg

from test_consolidate import folder, good_sheets, person, put, sheet_rows  # noqa: F401
from test_file_kinds import _with_far_cell

needs_lo = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
THIDUA = Path(sys.executable).with_name("thidua")
# What a library says, never shown to the clerk: exception names, English words, hex bytes.
LIBRARY_TEXT = re.compile(r"Error|Exception|panick|Traceback|\\x[0-9a-f]{2}|\b0x[0-9a-f]+"
                          r"|\b(?:the|of|invalid|file|not|found|sheet|index|out)\b", re.I)


def _encrypt(src: Path, target: Path, password: str) -> Path:
    with src.open("rb") as plain, target.open("wb") as out:
        OOXMLFile(plain).encrypt(password, out)
    return target


def _panicking_cut(data: bytes) -> int | None:
    """A length at which ``data`` (an .xls) truncated makes python-calamine panic."""
    for cut in range(len(data) // 2, len(data), 257):
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data[:cut]))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()
        except Exception:  # noqa: BLE001 — an ordinary error, not a panic
            continue
        except BaseException:  # noqa: BLE001 — pyo3's PanicException
            return cut
    return None


def _problems(root: Path) -> list[dict]:
    return sheet_rows(root / "TongHopThiDua.xlsx", ControlSheet.PROBLEMS)


def _errors_by_file(root: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in _problems(root):
        if p["Mức độ"] == "Lỗi":
            out.setdefault(p["Tệp"], set()).add(p["Mã"])
    return out


def _consolidated_files(root: Path) -> set[str]:
    return {r["Tệp"] for r in sheet_rows(root / "TongHopThiDua.xlsx", "Khen cá nhân")}


def _assert_clerk_text(root: Path) -> None:
    for p in _problems(root):
        assert not LIBRARY_TEXT.search(p["Nội dung"]), p


@needs_lo
def test_bad_files_each_their_own_problem_via_the_command_line(folder):  # noqa: F811
    inbox = folder / "inbox"
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person("Lý Văn Tú")]), unit="LD01")
    put(folder, "LD02_Dot1_2020.xls", good_sheets([person("Nông Thị Yến")]), unit="LD02",
        fmt="xls")
    put(folder, "LD03_Dot1_2020.xlsx", good_sheets([person("Hà Văn Bảy")]), unit="LD03",
        cells={"Thông tin": {"XFD1048576": "x"}})
    xls = put(folder, "build.xls", good_sheets([person("Đàm Thị Mai")]), unit="LD04", fmt="xls")
    data = xls.read_bytes()
    xls.unlink()
    cut = _panicking_cut(data)  # None once calamine no longer panics on a cut .xls
    (inbox / "LD04_Dot1_2020.xls").write_bytes(data[:cut or len(data) * 2 // 3])
    (inbox / "LD07_Dot1_2020.xls").write_bytes(data[: len(data) // 3])
    plain = put(folder, "plain.xlsx", good_sheets([person("Vi Văn Hùng")]), unit="LD05")
    _encrypt(plain, inbox / "LD05_Dot1_2020.xlsx", "VelvetSweatshop")
    _encrypt(plain, inbox / "LD08_Dot1_2020.xlsx", "matkhau123")
    plain.unlink()
    text = b"Kinh gui LDLD tinh: don vi LD06 xin gui bao cao thi dua dot 1/2020.\n"
    assert len(text) == 68
    (inbox / "LD06_Dot1_2020.xls").write_bytes(text)
    # A far cell under a dimension that lies: the parser allocates, the worker dies.
    liar = _with_far_cell(folder, "XFD1048576", "A1:K20")
    liar.rename(inbox / "LD09_Dot1_2020.xlsx")

    run = subprocess.run([str(THIDUA), "consolidate", str(folder), "--quiet"],
                         capture_output=True, text=True, timeout=300)

    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert "panicked" not in run.stderr + run.stdout  # the panic's words went to the log
    log = (folder / "nhat_ky_doc_tep.log").read_text(encoding="utf-8")
    assert "--- LD04_Dot1_2020.xls" in log
    assert "panicked" in log.split("LD04_Dot1_2020.xls")[1] or cut is None
    errors = _errors_by_file(folder)
    assert errors == {"LD03_Dot1_2020.xlsx": {Msg.SHEET_TOO_FAR.code},
                      "LD04_Dot1_2020.xls": {Msg.FILE_CORRUPT.code},
                      "LD07_Dot1_2020.xls": {Msg.FILE_CORRUPT.code},
                      "LD08_Dot1_2020.xlsx": {Msg.FILE_ENCRYPTED.code},
                      "LD06_Dot1_2020.xls": {Msg.FILE_DISGUISED.code},
                      "LD09_Dot1_2020.xlsx": {Msg.FILE_READER_DIED.code}}
    assert _consolidated_files(folder) == {"LD01_Dot1_2020.xlsx", "LD02_Dot1_2020.xls",
                                           "LD05_Dot1_2020.xlsx"}
    problems = _problems(folder)
    far = next(p for p in problems if p["Mã"] == Msg.SHEET_TOO_FAR.code)
    assert far["Trang tính"] == "Thông tin" and far["Ô"] == "XFD1048576"
    panic = next(p for p in problems if p["Tệp"] == "LD04_Dot1_2020.xls")
    assert "PanicException" in panic["Chi tiết kỹ thuật"] or cut is None
    assert {p["Mã"] for p in problems if p["Tệp"] == "LD05_Dot1_2020.xlsx"} >= {
        Msg.FILE_DEFAULT_PASSWORD.code}
    assert "văn bản" in next(p["Nội dung"] for p in problems if p["Tệp"] == "LD06_Dot1_2020.xls")
    _assert_clerk_text(folder)


class Crash(BaseException):
    """Like pyo3's PanicException: not an Exception."""


def _misbehave(how):
    """A read_return that misbehaves ``how`` on LD02's file and reads the others."""
    real = reader.read_return

    def read(path, campaign, *args, **kw):
        if Path(path).name.startswith("LD02"):
            how()
        return real(path, campaign, *args, **kw)
    return read


def _raise_crash():
    raise Crash("thread panicked at src/cfb.rs:305:41: slice index starts at 65536")


def _sleep():
    time.sleep(60)


@pytest.mark.parametrize("how, code, technical", [
    (_raise_crash, Msg.FILE_READ_CRASH, "Crash: thread panicked"),
    (lambda: os._exit(3), Msg.FILE_READER_DIED, "status 3"),
    (lambda: os.kill(os.getpid(), signal.SIGKILL), Msg.FILE_READER_DIED, "SIGKILL"),
    (_sleep, Msg.FILE_TIMED_OUT, "killed after 2 s"),
])
def test_a_worker_that_raises_dies_or_hangs_costs_only_its_file(folder, monkeypatch, how,  # noqa: F811
                                                                code, technical):
    monkeypatch.setattr(read_pool, "read_return", _misbehave(how))
    monkeypatch.setattr(read_pool, "FILE_SECONDS", 2)
    for i, unit in enumerate(("LD01", "LD02", "LD03", "LD04", "LD05")):
        put(folder, f"{unit}_Dot1_2020.xlsx", good_sheets([person(f"Người Số {i}")]), unit=unit)

    started = time.monotonic()
    result = consolidate(folder, 1, workers=2)

    assert time.monotonic() - started < 45  # the hanging file was not waited for
    bad = [o for o in result.outcomes if not o.accepted]
    assert [o.path.name for o in bad] == ["LD02_Dot1_2020.xlsx"]
    assert [(p.msg, p.unit) for p in bad[0].problems] == [(code, "LD02")]
    assert technical in bad[0].problems[0].technical
    assert technical not in bad[0].problems[0].text
    assert _consolidated_files(folder) == {f"{u}_Dot1_2020.xlsx"
                                           for u in ("LD01", "LD03", "LD04", "LD05")}
    _assert_clerk_text(folder)


def test_a_file_needing_too_much_memory_fails_alone(folder, monkeypatch):  # noqa: F811
    real = reader._Reader.read

    def greedy(self):
        if self.path.name.startswith("LD02"):
            bytearray(1024 * 1024 * 1024)  # beyond the worker's limit
        return real(self)
    monkeypatch.setattr(reader._Reader, "read", greedy)
    monkeypatch.setattr(read_pool, "WORKER_MEMORY_MB", 400)
    for unit in ("LD01", "LD02", "LD03"):
        put(folder, f"{unit}_Dot1_2020.xlsx", good_sheets([person(f"Người {unit}")]), unit=unit)

    result = consolidate(folder, 1, workers=1)

    assert [(o.path.name, [p.msg for p in o.problems]) for o in result.outcomes
            if not o.accepted] == [("LD02_Dot1_2020.xlsx", [Msg.FILE_OUT_OF_MEMORY])]
    assert _consolidated_files(folder) == {"LD01_Dot1_2020.xlsx", "LD03_Dot1_2020.xlsx"}


def test_a_worker_dying_once_costs_nothing(folder, monkeypatch):  # noqa: F811
    """A worker may die of what earlier files left behind: the file it was on is read again
    in a fresh worker, and taken."""
    marker = folder / "died_once"

    def die_first_time():
        if not marker.exists():
            marker.write_text("")
            os._exit(9)
    monkeypatch.setattr(read_pool, "read_return", _misbehave(die_first_time))
    for unit in ("LD01", "LD02", "LD03"):
        put(folder, f"{unit}_Dot1_2020.xlsx", good_sheets([person(f"Người {unit}")]), unit=unit)

    result = consolidate(folder, 1, workers=1)

    assert marker.exists() and all(o.accepted for o in result.outcomes)
    assert _consolidated_files(folder) == {f"{u}_Dot1_2020.xlsx"
                                           for u in ("LD01", "LD02", "LD03")}


def test_a_worker_reads_its_share_and_a_fresh_one_goes_on(folder, monkeypatch):  # noqa: F811
    """After WORKER_FILES files a worker makes way for a fresh fork (what a worker held,
    or leaked, goes with it); every file is read once and taken."""
    seen = folder / "readers.txt"
    real = read_pool.read_return

    def noting(path, *args):
        with seen.open("a") as f:
            f.write(f"{path.name} {os.getpid()}\n")
        return real(path, *args)
    monkeypatch.setattr(read_pool, "read_return", noting)
    monkeypatch.setattr(read_pool, "WORKER_FILES", 2)
    units = ("LD01", "LD02", "LD03", "LD04", "LD05")
    for unit in units:
        put(folder, f"{unit}_Dot1_2020.xlsx", good_sheets([person(f"Người {unit}")]), unit=unit)

    result = consolidate(folder, 1, workers=1)

    readers = dict(line.split() for line in seen.read_text().splitlines())
    assert sorted(readers) == sorted(f"{u}_Dot1_2020.xlsx" for u in units)  # each read once
    assert sorted(Counter(readers.values()).values()) == [1, 2, 2]
    assert all(o.accepted for o in result.outcomes)
    assert _consolidated_files(folder) == {f"{u}_Dot1_2020.xlsx" for u in units}


def test_the_disk_is_asked_for_the_next_files_before_a_worker_needs_them(folder,  # noqa: F811
                                                                         monkeypatch):
    """Each file is asked of the operating system once, at most READ_AHEAD files ahead of
    the one given to a worker; a file that vanished meanwhile costs nothing but its own
    problem."""
    from test_consolidate import CAMPAIGN

    asked, given = [], []
    real_advise, real_give = os.posix_fadvise, read_pool._Worker.give

    def advise(fd, offset, length, advice):
        asked.append(Path(os.readlink(f"/proc/self/fd/{fd}")).name)
        real_advise(fd, offset, length, advice)

    def give(worker, index, path):
        given.append((path.name, len(asked)))
        real_give(worker, index, path)
    monkeypatch.setattr(os, "posix_fadvise", advise)
    monkeypatch.setattr(read_pool._Worker, "give", give)
    monkeypatch.setattr(read_pool, "READ_AHEAD", 2)
    units = [f"LD{i:02d}" for i in range(1, 7)]
    for unit in units:
        put(folder, f"{unit}_Dot1_2020.xlsx", good_sheets([person(f"Người {unit}")]), unit=unit)
    (folder / "inbox" / "LD06_Dot1_2020.xlsx").unlink()  # gone between listing and reading
    paths = sorted((folder / "inbox").glob("*.xlsx")) + [folder / "inbox" / "LD06_Dot1_2020.xlsx"]

    with Spill() as spill:
        outcomes = read_pool.read_all(InboxFiles(paths), CAMPAIGN, 1, spill, workers=1)

    names = [p.name for p in paths]
    assert asked == names[:5]  # in order, each once; the vanished file not opened
    # when a file is given, the ones up to READ_AHEAD after it have been asked for
    assert [n for n, _ in given] == names
    assert [count for _, count in given] == [0, 3, 4, 5, 5, 5]
    assert [o.accepted for o in outcomes] == [True] * 5 + [False]


@needs_lo
def test_mutated_returns_each_get_a_verdict(tmp_path, monkeypatch):
    """Returns with flipped bytes, cut short or overwritten in places (.xlsx and .xls): each
    is read or refused with a reason, none by an unforeseen error (F17)."""
    import random

    from test_reader import CAMPAIGN, full_return

    monkeypatch.setattr(read_pool, "WORKER_MEMORY_MB", 1024)
    sources = [full_return(tmp_path, "LD01.xlsx"), full_return(tmp_path, "LD01.xls", fmt="xls")]
    rng = random.Random(10)
    paths = []
    for i in range(60):
        data = bytearray(sources[i % 2].read_bytes())
        how = i % 3
        if how == 0:
            for _ in range(rng.randint(1, 30)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif how == 1:
            del data[rng.randrange(len(data)):]
        else:
            at = rng.randrange(len(data))
            data[at:at + 64] = rng.randbytes(64)
        paths.append(tmp_path / f"m{i:02}{sources[i % 2].suffix}")
        paths[-1].write_bytes(bytes(data))

    with Spill() as spill:
        outcomes = read_pool.read_all(InboxFiles(paths), CAMPAIGN, 1, spill, workers=2)

    assert [o.path for o in outcomes] == paths
    assert all(o.accepted or o.problems for o in outcomes)
    assert [o.path.name for o in outcomes
            if any(p.msg is Msg.FILE_READ_CRASH for p in o.problems)] == []
