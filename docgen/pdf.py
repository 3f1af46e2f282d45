"""PDF copies of the documents: LibreOffice headless, or Word through COM on Windows.

Each converter runs as a child process that is abandoned (killed with its process group) at
a time limit, so a converter that hangs — Word waiting behind a first-run dialog, a stuck
LibreOffice — costs the run one reported problem, never the run itself. LibreOffice always
gets a private profile, removed afterwards (two conversions sharing one block each other).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIMEOUT_S = 300
# Word must start within WORD_START_S and convert within WORD_TIMEOUT_S: a first-run or
# licence dialog, which nobody sees, would hold it for ever.
WORD_START_S = 30
WORD_TIMEOUT_S = 120
_WINDOWS_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
# Why a conversion failed, as the clerk reads it (in D07's {detail}).
LIBREOFFICE_TIMEOUT = "LibreOffice chưa xong sau {} giây"
LIBREOFFICE_FAILED = "LibreOffice không tạo được bản PDF"
WORD_NOT_STARTED = ("Word không khởi động được trong {} giây, có thể đang chờ một hộp thoại; "
                    "mở Word một lần, đóng các hộp thoại rồi chạy lại")
WORD_TIMEOUT = "Word chưa chuyển xong sau {} giây"
WORD_SKIPPED = "đã bỏ qua Word vì lần chuyển trước Word không phản hồi"
WORD_FAILED = "Word báo lỗi khi mở hoặc lưu văn bản"
# Run by a child Python: Word through COM, converting one document (argv: docx, pdf, and a
# file it creates once Word has started).
_WORD_SCRIPT = """
import sys
from pathlib import Path
import win32com.client
docx, pdf, started = sys.argv[1:4]
word = win32com.client.DispatchEx("Word.Application")
Path(started).touch()
try:
    word.Visible = False
    word.DisplayAlerts = 0  # wdAlertsNone
    doc = word.Documents.Open(docx, ReadOnly=True, AddToRecentFiles=False,
                              ConfirmConversions=False)
    try:
        doc.SaveAs2(pdf, FileFormat=17)  # wdFormatPDF
    finally:
        doc.Close(False)
finally:
    word.Quit()
"""


class ConversionFailed(RuntimeError):
    """A conversion did not give a PDF: ``str()`` says why for the clerk (Vietnamese),
    ``detail`` holds the converter's own output for a log."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.detail = detail


class _Word:
    """Whether Word stopped answering in this process: then it is not tried again."""

    gave_up = False


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
    """pywin32 is installed (xlwings brings it on Windows) and Word is registered for COM."""
    try:
        import win32com.client  # noqa: F401
    except ImportError:
        return False
    return _word_registered()


def _word_registered() -> bool:
    import winreg

    try:
        winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, r"Word.Application\CLSID").Close()
    except OSError:
        return False
    return True


def converter_available() -> bool:
    return find_soffice() is not None or _word_available()


def to_pdf(docx: Path, out_dir: Path | None = None) -> Path | None:
    """Convert ``docx`` to PDF beside it (or in ``out_dir``); None when neither LibreOffice
    nor Word is present. Raises :class:`ConversionFailed` when the conversion fails."""
    docx = Path(docx).resolve()
    out_dir = Path(out_dir or docx.parent).resolve()
    soffice = find_soffice()
    if soffice:
        return _libreoffice(soffice, docx, out_dir)
    if _word_available():
        return _word(docx, out_dir)
    return None


def run_soffice(args: list[str], timeout: float = TIMEOUT_S, soffice: str | None = None
                ) -> subprocess.CompletedProcess:
    """Run LibreOffice headless with ``args``, with a private profile and temporary folder
    removed afterwards, killed with everything it started at ``timeout``
    (``subprocess.TimeoutExpired``)."""
    soffice = soffice or find_soffice() or "soffice"
    with tempfile.TemporaryDirectory(prefix="thidua_lo_") as place:
        profile, scratch = Path(place) / "profile", Path(place) / "tmp"
        scratch.mkdir()
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", *args]
        env = {**os.environ, "TMPDIR": str(scratch), "TMP": str(scratch), "TEMP": str(scratch)}
        return _run_abandonable(cmd, timeout, env)


def _run_abandonable(cmd: list[str], timeout: float, env: dict[str, str] | None = None
                    ) -> subprocess.CompletedProcess:
    """``subprocess.run`` whose child and its own children are killed at ``timeout``."""
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          encoding="utf-8", errors="replace", env=env,
                          **_own_group()) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(proc)
            proc.communicate()
            raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _own_group() -> dict:
    """Popen options that start the child in a process group of its own, without a console
    window on Windows, so that it can be killed with everything it started."""
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP
                | subprocess.CREATE_NO_WINDOW}
    return {"start_new_session": True}


def _kill_tree(proc: subprocess.Popen) -> None:
    if os.name == "nt":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True,
                       creationflags=subprocess.CREATE_NO_WINDOW)
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _libreoffice(soffice: str, docx: Path, out_dir: Path) -> Path:
    try:
        done = run_soffice(["--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
                           TIMEOUT_S, soffice)
    except subprocess.TimeoutExpired as err:
        raise ConversionFailed(LIBREOFFICE_TIMEOUT.format(TIMEOUT_S)) from err
    pdf = out_dir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.is_file():
        raise ConversionFailed(LIBREOFFICE_FAILED, (done.stderr or done.stdout).strip())
    return pdf


def _word(docx: Path, out_dir: Path) -> Path:
    """Word through COM, in a child Python abandoned when Word has not started after
    ``WORD_START_S`` or not finished after ``WORD_TIMEOUT_S`` (then Word is not tried again
    in this process); a COM error (``pywintypes.com_error``) or a hang is this document's
    problem, never the run's."""
    if _Word.gave_up:
        raise ConversionFailed(WORD_SKIPPED)
    pdf = out_dir / (docx.stem + ".pdf")
    with tempfile.TemporaryDirectory(prefix="thidua_word_") as place:
        started, errors = Path(place) / "started", Path(place) / "errors.txt"
        with open(errors, "w+", encoding="utf-8", errors="replace") as err_file:
            proc = subprocess.Popen(
                [sys.executable, "-c", _WORD_SCRIPT, str(docx), str(pdf), str(started)],
                stdout=subprocess.DEVNULL, stderr=err_file, **_own_group())
            reason = _wait_for_word(proc, started)
            err_file.seek(0)
            detail = err_file.read().strip()
    if reason:
        _Word.gave_up = True
        raise ConversionFailed(reason)
    if proc.returncode != 0 or not pdf.is_file():
        raise ConversionFailed(WORD_FAILED, detail)
    return pdf


def _wait_for_word(proc: subprocess.Popen, started: Path) -> str | None:
    """Wait for the Word child; kill it and say why when Word has not started in time or not
    finished in time; None when it ended by itself."""
    begun = time.monotonic()
    while proc.poll() is None:
        limit, reason = ((WORD_TIMEOUT_S, WORD_TIMEOUT) if started.exists()
                         else (WORD_START_S, WORD_NOT_STARTED))
        if time.monotonic() - begun > limit:
            _kill_tree(proc)
            proc.wait()
            return reason.format(limit)
        time.sleep(0.1)
    return None
