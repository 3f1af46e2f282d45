"""What a returned file really is, by its content, whatever its name or length.

A unit's file is told apart before any spreadsheet library parses it: a zip package (xlsx,
xlsm, xlsb, ods), an OLE compound file (which stream it holds says what it is: an Excel
97–2003 or 5.0/95 workbook, an encrypted package, a Quattro Pro or Word file), an Excel
2.x–4.0 sheet, a Lotus 1-2-3 or Quattro Pro for DOS sheet, or text of some kind (a web
page, an Excel 2003 XML file, CSV, RTF, PDF, plain text) saved under a spreadsheet's name.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = 4096  # enough to tell the format of a file that is neither OLE nor zip


class Kind(enum.Enum):
    ZIP = "zip"  # an OOXML or OpenDocument package, or some other zip
    BIFF8 = "biff8"  # Excel 97–2003 (.xls)
    BIFF5 = "biff5"  # Excel 5.0/95
    OLE_ENCRYPTED = "ole-encrypted"  # an encrypted OOXML package
    OLE_OTHER = "ole"  # an OLE file whose streams say nothing known: the readers will try
    TOO_OLD = "too-old"  # a spreadsheet of a format that cannot hold the forms
    DISGUISED = "disguised"  # not a spreadsheet (text, web page, PDF, Word…)
    UNKNOWN = "unknown"  # bytes of no known format


@dataclass(frozen=True)
class FileKind:
    kind: Kind
    what: str = ""  # Vietnamese: what the file is, for TOO_OLD and DISGUISED


# Excel 2.x–4.0 worksheets: the first record is a BOF of these types and lengths.
_OLD_EXCEL = {b"\x09\x00\x04\x00": "Excel 2.x", b"\x09\x02\x06\x00": "Excel 3.0",
              b"\x09\x04\x06\x00": "Excel 4.0"}
_QUATTRO = "bảng tính Quattro Pro"
_LOTUS = "bảng tính Lotus 1-2-3"
_XML_SPREADSHEET = "bảng tính XML của Excel 2003 (XML Spreadsheet)"
_WEB_PAGE = "trang web (HTML) đổi đuôi"
_STARTS = (("{\\rtf", "văn bản RTF"), ("%pdf", "tệp PDF"))  # lower case, after white space
_CONTROL_SHARE = 0.02  # more control characters than this: not text


def sniff(head: bytes) -> FileKind:
    """The kind of a file from its first :data:`HEAD_BYTES` (OLE files are only named
    OLE_OTHER here: :func:`ole_kind` opens them)."""
    if head.startswith(ZIP_MAGIC):
        return FileKind(Kind.ZIP)
    if head.startswith(OLE_MAGIC):
        return FileKind(Kind.OLE_OTHER)
    old = _OLD_EXCEL.get(head[:4])
    if old:
        return FileKind(Kind.TOO_OLD, f"sổ {old} (mỗi tệp chỉ một trang tính)")
    if head[:4] in (b"\x00\x00\x02\x00", b"\x00\x00\x1a\x00"):  # Lotus-style BOF record
        version = head[4:6]
        return FileKind(Kind.TOO_OLD, _QUATTRO if version in (b"\x20\x51", b"\x21\x51",
                                                              b"\x01\x10", b"\x02\x10")
                        else _LOTUS)
    what = _text_kind(head)
    return FileKind(Kind.DISGUISED, what) if what else FileKind(Kind.UNKNOWN)


def ole_kind(path: Path) -> FileKind:
    """The kind of an OLE compound file, by the streams it holds."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s).lower() for s in ole.listdir()}
            book = ole.openstream("Workbook").read(8) if "workbook" in streams else b""
    except Exception:  # damaged: the spreadsheet readers will say whether they can read it
        return FileKind(Kind.OLE_OTHER)
    if "encryptedpackage" in streams:
        return FileKind(Kind.OLE_ENCRYPTED)
    if "workbook" in streams:  # BIFF8, or BIFF5 under the newer stream name
        return FileKind(Kind.BIFF5 if book[4:6] == b"\x00\x05" else Kind.BIFF8)
    if "book" in streams:
        return FileKind(Kind.BIFF5)
    if any(s.startswith("nativecontent_main") for s in streams):
        return FileKind(Kind.TOO_OLD, _QUATTRO)
    if "worddocument" in streams:
        return FileKind(Kind.DISGUISED, "văn bản Word (.doc) đổi đuôi")
    if "powerpoint document" in streams:
        return FileKind(Kind.DISGUISED, "bản trình chiếu PowerPoint đổi đuôi")
    return FileKind(Kind.OLE_OTHER)


def zip_kind(names: set[str]) -> FileKind:
    """The kind of a zip package from its member names: a spreadsheet package (ZIP), a Word
    or PowerPoint file renamed, or an archive that is no spreadsheet (UNKNOWN)."""
    if names & {"xl/workbook.xml", "xl/workbook.bin", "content.xml"}:
        return FileKind(Kind.ZIP)
    if "word/document.xml" in names:
        return FileKind(Kind.DISGUISED, "văn bản Word (.docx) đổi đuôi")
    if "ppt/presentation.xml" in names:
        return FileKind(Kind.DISGUISED, "bản trình chiếu PowerPoint đổi đuôi")
    return FileKind(Kind.DISGUISED, "tệp nén (zip) không chứa bảng tính")


def _text_kind(start: bytes) -> str:
    """What a file that is neither OLE nor zip is when it is text of a known kind (a web
    page or an Excel 2003 XML file saved as .xls, a CSV named .xlsx, any plain text); ""
    when it is not text."""
    utf16 = start[:2] in (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode Text" is UTF-16
    text = start.decode("utf-16" if utf16 else "utf-8", "replace")
    text = text.lstrip("\ufeff \t\r\n").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in text and "<workbook" in text:
        return _XML_SPREADSHEET
    if text.startswith("<") and ("<html" in text or "<table" in text):
        return _WEB_PAGE
    for mark, what in _STARTS:
        if text.startswith(mark):
            return what
    if "%pdf-" in text[:1024]:
        return "tệp PDF"
    if not text or not _is_text(start if not utf16 else text.encode("utf-8")):
        return ""
    if text.startswith("<?xml"):
        return "tệp XML"
    lines = text.splitlines()
    if len(lines) > 1 and any(sep in lines[0] for sep in ",;\t"):
        return "tệp văn bản (CSV)"
    return "tệp văn bản"


def _is_text(data: bytes) -> bool:
    """Bytes of text in any 8-bit code page or UTF-8: hardly any control characters."""
    if b"\0" in data:
        return False
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return controls <= _CONTROL_SHARE * len(data)
