"""Collect the returned files from the inbox: what to read, and what to pass over and why."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_TEMP_SUFFIXES = (".tmp", ".bak", ".part", ".crdownload", "~")
_SYSTEM_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass(frozen=True)
class IgnoredFile:
    path: Path
    reason: str  # Vietnamese, for the Lỗi sheet and the command line


def collect(inbox: Path) -> tuple[list[Path], list[IgnoredFile]]:
    """Every spreadsheet under ``inbox`` (sorted), and every other file with the reason it is
    passed over. Excel lock files (``~$…``), hidden and temporary files are skipped silently."""
    found: list[Path] = []
    ignored: list[IgnoredFile] = []
    if not inbox.is_dir():
        return found, ignored
    for path in sorted(inbox.rglob("*")):
        if not path.is_file():
            continue
        rel_parts = path.relative_to(inbox).parts
        name = path.name
        if (name.startswith("~$") or any(p.startswith(".") for p in rel_parts)
                or name.lower() in _SYSTEM_NAMES or name.lower().endswith(_TEMP_SUFFIXES)):
            continue
        suffix = path.suffix.lower()
        if suffix in SPREADSHEET_SUFFIXES:
            found.append(path)
        elif suffix in (".zip", ".rar", ".7z"):
            ignored.append(IgnoredFile(path, "Tệp nén: giải nén vào thư mục nhận rồi chạy lại."))
        elif suffix in (".doc", ".docx", ".pdf", ".odt"):
            ignored.append(IgnoredFile(path, "Văn bản, không phải biểu mẫu bảng tính."))
        elif suffix == ".csv":
            ignored.append(IgnoredFile(path, "Tệp CSV không mang thông tin biểu mẫu; đề nghị "
                                             "đơn vị gửi tệp Excel."))
        else:
            ignored.append(IgnoredFile(path, "Không phải tệp bảng tính (xlsx, xlsm, xls, xlsb, "
                                             "ods)."))
    return found, ignored


def file_fingerprint(path: Path) -> tuple[str, int] | None:
    """The SHA-256 (hex) and size of the file at ``path``; None when it cannot be read."""
    digest, size = hashlib.sha256(), 0
    try:
        with Path(path).open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return None
    return digest.hexdigest(), size
