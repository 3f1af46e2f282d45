"""PDF copies of the documents: LibreOffice headless, or Word through COM on Windows."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_S = 300
_WINDOWS_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def find_soffice() -> str | None:
    """The LibreOffice program: on PATH, or in the usual Windows place."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in _WINDOWS_PLACES:
        if os.path.isfile(place):
            return place
    return None


def _word_available() -> bool:
    try:
        import win32com.client  # noqa: F401
    except ImportError:
        return False
    return True


def converter_available() -> bool:
    return find_soffice() is not None or _word_available()


def to_pdf(docx: Path, out_dir: Path | None = None) -> Path | None:
    """Convert ``docx`` to PDF beside it (or in ``out_dir``); None when neither LibreOffice
    nor Word is present. Raises ``RuntimeError`` when the conversion itself fails."""
    docx = Path(docx).resolve()
    out_dir = Path(out_dir or docx.parent).resolve()
    soffice = find_soffice()
    if soffice:
        return _libreoffice(soffice, docx, out_dir)
    if _word_available():
        return _word(docx, out_dir)
    return None


def _libreoffice(soffice: str, docx: Path, out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="thidua_lo_") as profile:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as err:
            raise RuntimeError(f"LibreOffice quá {TIMEOUT_S} giây") from err
    pdf = out_dir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.is_file():
        raise RuntimeError((done.stderr or done.stdout or "LibreOffice").strip()[:200])
    return pdf


def _word(docx: Path, out_dir: Path) -> Path:
    import win32com.client

    pdf = out_dir / (docx.stem + ".pdf")
    word = win32com.client.DispatchEx("Word.Application")
    word.Visible = False
    try:
        doc = word.Documents.Open(str(docx), ReadOnly=True)
        try:
            doc.SaveAs2(str(pdf), FileFormat=17)  # wdFormatPDF
        finally:
            doc.Close(False)
    finally:
        word.Quit()
    return pdf
