"""Open a returned file for reading: tell what it is by its content, refuse what cannot or
must not be parsed (empty, not a spreadsheet, a format too old for the forms, encrypted with a
real password, too large unpacked, a sheet reaching far beyond any form), decrypt Excel's
default-password encryption, and give the readers to try in order (python-calamine, then a
second reader where one serves). A refusal is a :class:`ReadFailure` whose problem speaks
Vietnamese; what a library said goes to ``Problem.technical``."""
from __future__ import annotations

import contextlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from python_calamine import CalamineWorkbook, PasswordError

from .campaign import Campaign
from .file_kinds import HEAD_BYTES, FileKind, Kind, ole_kind, sniff, zip_kind
from .messages import Msg, Problem
from .package import Package
from .second_readers import OpenpyxlBook, XlrdBook
from .sheet_extent import LIMITS, SheetTooFar, check_biff8, check_package

# Excel encrypts a "write-protected" workbook with this password and opens it without asking.
DEFAULT_PASSWORD = "VelvetSweatshop"


class ReadFailure(Exception):
    """The whole file cannot be read; ``problem`` says why, for the Lỗi sheet."""

    def __init__(self, problem: Problem):
        super().__init__(problem.text)
        self.problem = problem


@dataclass
class Reader:
    """One way to open the workbook; ``why`` (Vietnamese) says why it is not the first."""

    open: Callable[[], Any]
    why: str | Callable[[BaseException], str] = ""  # of the first reader's failure


@dataclass
class Source:
    package: zipfile.ZipFile | None  # the zip of an OOXML file, for the reader's own look
    readers: list[Reader]
    notes: list[Problem] = field(default_factory=list)  # what opening did (decryption…)


def technical(exc: BaseException) -> str:
    """An exception as the technical column shows it: type and first line of text."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def failure(msg: Msg, path: Path, exc: BaseException | None = None, **kw: Any) -> ReadFailure:
    return ReadFailure(Problem(msg, file=path.name, technical=technical(exc) if exc else "",
                               **kw))


@contextlib.contextmanager
def open_source(path: Path, campaign: Campaign) -> Iterator[Source]:
    """The file at ``path`` ready for reading, or a :class:`ReadFailure`."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError as exc:
        raise failure(Msg.FILE_CORRUPT, path, exc) from None
    if size == 0:
        raise failure(Msg.FILE_EMPTY, path)
    kind = sniff(head)
    if kind.kind is Kind.OLE_OTHER:
        kind = ole_kind(path)
    _refuse(kind, path, head)
    notes: list[Problem] = []
    content: bytes | None = None
    if kind.kind is Kind.OLE_ENCRYPTED or (kind.kind is Kind.BIFF8 and _xls_encrypted(path)):
        content = _decrypt(path)
        notes.append(Problem(Msg.FILE_DEFAULT_PASSWORD, file=path.name))
        if kind.kind is Kind.OLE_ENCRYPTED:
            kind = FileKind(Kind.ZIP)
    source: Path | bytes = path if content is None else content
    if kind.kind is Kind.BIFF8:
        _check_xls(path, source)
    if kind.kind is not Kind.ZIP:
        yield Source(None, _ole_readers(path, source, kind), notes)
        return
    with _package(path, source, campaign) as zf:
        second = [Reader(lambda: OpenpyxlBook(source), _why_second)] \
            if "xl/workbook.xml" in zf.NameToInfo else []
        yield Source(zf, [Reader(_calamine(path, source, zf))] + second, notes)


def _refuse(kind: FileKind, path: Path, head: bytes) -> None:
    if kind.kind is Kind.TOO_OLD:
        raise failure(Msg.FILE_TOO_OLD, path, detail=kind.what)
    if kind.kind is Kind.DISGUISED:
        raise failure(Msg.FILE_DISGUISED, path, value=path.suffix.lower() or "(không có)",
                      detail=kind.what)
    if kind.kind is Kind.UNKNOWN:
        problem = Problem(Msg.FILE_CORRUPT, file=path.name,
                          technical=f"unknown format, first bytes {head[:8].hex(' ')}")
        raise ReadFailure(problem)


def _ole_readers(path: Path, source: Path | bytes, kind: FileKind) -> list[Reader]:
    why = "sổ Excel 5.0/95" if kind.kind is Kind.BIFF5 else _why_second
    return [Reader(_calamine(path, source)), Reader(lambda: XlrdBook(source), why)]


def _check_xls(path: Path, source: Path | bytes) -> None:
    import olefile

    try:
        with olefile.OleFileIO(source if isinstance(source, bytes) else str(source)) as ole:
            stream = ole.openstream("Workbook").read()
        check_biff8(stream)
    except SheetTooFar as far:
        raise failure(Msg.SHEET_TOO_FAR, path, sheet=far.sheet, cell=far.cell,
                      expected=LIMITS) from None
    except Exception:  # noqa: BLE001 — damaged: the spreadsheet readers will say
        return


def _calamine(path: Path, source: Path | bytes,
              package: Package | None = None) -> Callable[[], Any]:
    """Opens the workbook with python-calamine: from ``package`` packed again stored when it
    can be (its members are inflated once, here), else, or when that copy is refused, from
    ``source`` (whose refusal names what is wrong: calamine tells a copy in memory by its
    content, and of an unknown kind says only that it cannot tell)."""
    def open_book() -> Any:
        stored = package.stored() if package is not None else None
        try:
            if stored is not None:
                with contextlib.suppress(Exception):
                    return CalamineWorkbook.from_filelike(io.BytesIO(stored))
            if isinstance(source, bytes):
                return CalamineWorkbook.from_filelike(io.BytesIO(source))
            return CalamineWorkbook.from_path(str(source))
        except PasswordError:
            raise failure(Msg.FILE_ENCRYPTED, path) from None
    return open_book


def _why_second(exc: BaseException) -> str:
    text = str(exc).lower()
    if "macrosheet" in text:
        return "tệp có trang macro Excel 4.0"
    if "unrecognized sheet" in text or "sheet" in text and "type" in text:
        return "tệp có loại trang tính lạ"
    return "cấu trúc tệp lạ"


# --- encryption ----------------------------------------------------------------------------

def _xls_encrypted(path: Path) -> bool:
    import msoffcrypto

    try:
        with path.open("rb") as f:
            return bool(msoffcrypto.OfficeFile(f).is_encrypted())
    except Exception:  # not a file msoffcrypto knows: the spreadsheet readers will say
        return False


def _decrypt(path: Path) -> bytes:
    """The content of a file encrypted with Excel's default password; F03 when another
    password protects it."""
    import msoffcrypto

    out = io.BytesIO()
    try:
        with path.open("rb") as f:
            office = msoffcrypto.OfficeFile(f)
            office.load_key(password=DEFAULT_PASSWORD)
            office.decrypt(out)
    except Exception as exc:  # a real password (or an encryption msoffcrypto cannot undo)
        raise failure(Msg.FILE_ENCRYPTED, path, exc) from None
    return out.getvalue()


# --- zip packages --------------------------------------------------------------------------

@contextlib.contextmanager
def _package(path: Path, source: Path | bytes, campaign: Campaign
             ) -> Iterator[zipfile.ZipFile]:
    try:
        zf = Package(io.BytesIO(source) if isinstance(source, bytes) else source)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise failure(Msg.FILE_CORRUPT, path, exc) from None
    with zf:
        unpacked = sum(i.file_size for i in infos)
        limit = campaign.max_unpacked_mb
        if unpacked > limit * 1024 * 1024:
            raise failure(Msg.FILE_TOO_LARGE, path, value=round(unpacked / 1024 / 1024),
                          expected=limit)
        _refuse(zip_kind(set(zf.NameToInfo)), path, b"")
        try:
            check_package(zf)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, zlib.error) as exc:
            raise failure(Msg.FILE_CORRUPT, path, exc) from None
        except NotImplementedError:  # a compression zipfile lacks: the worker's limits bound it
            pass
        except SheetTooFar as far:
            raise failure(Msg.SHEET_TOO_FAR, path, sheet=far.sheet, cell=far.cell,
                          expected=LIMITS) from None
        yield zf
