"""What an attachment may be: untrusted input with the same limits as the inbox.

A spreadsheet is kept; a .zip is opened (never extracted to disk) and its spreadsheets kept,
within limits on the number of members and the unpacked size; names lose any path, odd
characters and Windows' reserved names. Everything refused is told as a Problem."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from workbook_templates.messages import Msg, Problem

from .reasons import reason

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ARCHIVES = (".zip",)
MAX_ATTACHMENTS = 50  # per message
MAX_ZIP_MEMBERS = 200
NAME_LIMIT = 120  # characters of a saved file's stem
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


@dataclass
class Found:
    """The spreadsheets found in one attachment, and what was refused."""

    files: list[tuple[str, bytes]] = field(default_factory=list)  # (safe name, bytes)
    problems: list[Problem] = field(default_factory=list)


def safe_name(name: str) -> str:
    """A file name with no folder part, no character Windows refuses, not reserved, NFC."""
    text = unicodedata.normalize("NFC", name or "")
    base = PureWindowsPath(PurePosixPath(text.replace("\\", "/")).name).name
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, dot, ext = base.rpartition(".") if "." in base else (base, "", "")
    if stem.casefold() in _RESERVED:
        stem = f"_{stem}"
    stem = stem[:NAME_LIMIT] or "tep"
    return f"{stem}{dot}{ext}" if dot else stem


def is_kept(name: str) -> bool:
    return name.lower().endswith(SPREADSHEETS + ARCHIVES)


def open_attachment(name: str, data: bytes, limit_mb: int, sender: str) -> Found:
    """The spreadsheets of one attachment called ``name`` (a spreadsheet or a .zip)."""
    found = Found()
    clean = safe_name(name)
    if clean != name.strip():
        found.problems.append(Problem(Msg.MAIL_UNSAFE_NAME, value=name, expected=clean,
                                      field=sender))
    limit = limit_mb * 1024 * 1024
    if len(data) > limit:
        found.problems.append(_too_large(clean, len(data), limit_mb, sender))
        return found
    if clean.lower().endswith(ARCHIVES):
        _unzip(clean, data, limit, limit_mb, sender, found)
    else:
        found.files.append((clean, data))
    return found


def _too_large(name: str, size: int, limit_mb: int, sender: str) -> Problem:
    return Problem(Msg.MAIL_ATTACHMENT_TOO_LARGE, value=name, expected=limit_mb,
                   detail=f"{size / 1024 / 1024:.1f}", field=sender)


def _unzip(name: str, data: bytes, limit: int, limit_mb: int, sender: str, found: Found) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [i for i in archive.infolist() if not i.is_dir()]
        wanted = [i for i in members if i.filename.lower().endswith(SPREADSHEETS)]
        declared = sum(i.file_size for i in wanted)
        if len(members) > MAX_ZIP_MEMBERS or declared > limit:
            found.problems.append(Problem(Msg.MAIL_ZIP_BOMB, value=name, expected=limit_mb,
                                          field=sender))
            return
        total = 0
        for info in wanted:
            content = _read_member(archive, info, limit - total)
            if content is None:  # sizes in the archive were lies
                found.problems.append(Problem(Msg.MAIL_ZIP_BOMB, value=name,
                                              expected=limit_mb, field=sender))
                return
            total += len(content)
            member = _decoded_member_name(info)
            clean = safe_name(member)
            if clean != PurePosixPath(member).name:
                found.problems.append(Problem(Msg.MAIL_UNSAFE_NAME, value=member,
                                              expected=clean, field=sender))
            found.files.append((clean, content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, OSError, ValueError) as exc:
        found.problems.append(Problem(Msg.MAIL_BAD_ZIP, value=name, detail=reason(exc),
                                      field=sender))


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, room: int) -> bytes | None:
    """The member's bytes, read in chunks and abandoned past ``room`` bytes."""
    chunks, size = [], 0
    with archive.open(info) as fh:
        while chunk := fh.read(1 << 20):
            size += len(chunk)
            if size > room:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


def _decoded_member_name(info: zipfile.ZipInfo) -> str:
    """Zip names without the UTF-8 flag are CP437 in Python's reading; Windows' own zip
    writes the local code page, and Vietnamese Windows writes UTF-8 bytes without the flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename
