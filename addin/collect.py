"""Collect the returned files from the inbox: what to read, and what to pass over and why."""
from __future__ import annotations

import hashlib
import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_TEMP_SUFFIXES = (".tmp", ".bak", ".part", ".crdownload", "~")
_SYSTEM_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass(frozen=True)
class IgnoredFile:
    path: Path
    reason: str  # Vietnamese, for the Lỗi sheet and the command line


class InboxFiles(Sequence[Path]):
    """The spreadsheets of the inbox, in order, each kept as its folder's number and its
    name, its :class:`Path` made when asked for: a ``Path`` kept per file took 443 bytes
    (58 MB at 130,000 files), a name and a number about 100."""

    def __init__(self, paths: Iterable[Path] = ()) -> None:
        self._folders: list[Path] = []
        self._numbers: dict[Path, int] = {}
        self._places = array("I")
        self.names: list[str] = []
        for path in paths:
            self.add(path.parent, path.name)

    def add(self, folder: Path, name: str) -> None:
        """The file ``name`` of ``folder`` (the folders come one after another)."""
        number = self._numbers.get(folder)
        if number is None:
            number = self._numbers[folder] = len(self._folders)
            self._folders.append(folder)
        self._places.append(number)
        self.names.append(name)

    def folder(self, i: int) -> Path:
        """The folder of the ``i``-th file."""
        return self._folders[self._places[i]]

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, i: int) -> Path:  # type: ignore[override]  # no slices
        return self.folder(i) / self.names[i]


def collect(inbox: Path) -> tuple[InboxFiles, list[IgnoredFile]]:
    """Every spreadsheet under ``inbox`` (sorted), and every other file with the reason it is
    passed over. Excel lock files (``~$…``), hidden and temporary files are skipped silently."""
    found = InboxFiles()
    ignored: list[IgnoredFile] = []
    if not inbox.is_dir():
        return found, ignored
    unreadable: list[Path] = []
    for folder, name in _files_under(inbox, unreadable):
        lower = name.lower()
        if name.startswith("~$") or lower in _SYSTEM_NAMES or lower.endswith(_TEMP_SUFFIXES):
            continue
        suffix = os.path.splitext(lower)[1]
        if suffix in SPREADSHEET_SUFFIXES:
            found.add(folder, name)
        else:
            ignored.append(IgnoredFile(folder / name, _passed_over(suffix)))
    ignored += [IgnoredFile(f, UNREADABLE_FOLDER) for f in unreadable]
    return found, ignored


UNREADABLE_FOLDER = ("Không mở được thư mục này (không có quyền đọc): chép các tệp trong đó "
                     "vào thư mục nhận rồi chạy lại.")


def _files_under(folder: Path, unreadable: list[Path]) -> Iterator[tuple[Path, str]]:
    """The folder and name of every file under ``folder``, in the order of their sorted
    paths, hidden files and folders (".…") left out, linked folders not followed, and the
    folders that cannot be listed added to ``unreadable``. Only names are listed and sorted:
    a ``Path`` made for each of 130,000 files to sort them took 58 MB, which the process
    kept."""
    try:
        names = os.listdir(folder)
    except OSError:
        unreadable.append(folder)
        return
    for name in sorted(names, key=os.path.normcase):
        if name.startswith("."):
            continue
        full = os.path.join(folder, name)
        if os.path.isdir(full):
            if not os.path.islink(full):
                yield from _files_under(folder / name, unreadable)
        elif os.path.isfile(full):
            yield folder, name


def _passed_over(suffix: str) -> str:
    """Why a file that is not a spreadsheet is passed over (by its suffix, lower case)."""
    if suffix in (".zip", ".rar", ".7z"):
        return "Tệp nén: giải nén vào thư mục nhận rồi chạy lại."
    if suffix in (".doc", ".docx", ".pdf", ".odt"):
        return "Văn bản, không phải biểu mẫu bảng tính."
    if suffix == ".csv":
        return "Tệp CSV không mang thông tin biểu mẫu; đề nghị đơn vị gửi tệp Excel."
    return "Không phải tệp bảng tính (xlsx, xlsm, xls, xlsb, ods)."


def file_fingerprint(path: Path) -> bytes | None:
    """The SHA-256 digest of the file at ``path`` followed by its size (8 bytes, big-endian):
    one value of 40 bytes kept per file until the register records it (a hex string and an
    int in a tuple took 200 bytes); None when it cannot be read."""
    digest, size = hashlib.sha256(), 0
    try:
        with Path(path).open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return None
    return digest.digest() + size.to_bytes(8, "big")


def fingerprint_fields(fingerprint: bytes | None) -> tuple[str, int]:
    """The SHA-256 (hex) and size a :func:`file_fingerprint` holds; an empty hash and size 0
    for a file that could not be read (None)."""
    if fingerprint is None:
        return "", 0
    return fingerprint[:32].hex(), int.from_bytes(fingerprint[32:], "big")
