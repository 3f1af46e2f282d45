"""PDF copies through Word (Windows' COM), with a fake ``win32com`` that converts, raises
``pywintypes.com_error`` or hangs: Word runs in a child process abandoned at a time limit,
and a failure is the document's problem (D07), never the run's."""
from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from docgen import pdf
from addin.documents import generate_documents
from tests.docgen_fixtures import write_control
from workbook_templates.campaign import default_campaign
from workbook_templates.messages import Msg

FAKE_CLIENT = '''
import os, time
from pathlib import Path
import pywintypes

class _Doc:
    def SaveAs2(self, path, FileFormat):
        assert FileFormat == 17
        Path(path).write_bytes(b"%PDF-1.4 fake")
    def Close(self, save):
        pass

class _Documents:
    def Open(self, path, **options):
        assert Path(path).is_file() and options["ReadOnly"]
        if os.environ["FAKE_WORD"] == "stuck":  # started, then a dialog nobody sees
            time.sleep(600)
        return _Doc()

class _Word:
    Documents = _Documents()
    def Quit(self):
        pass

def DispatchEx(name):
    assert name == "Word.Application"
    Path(os.environ["FAKE_WORD_PIDS"], str(os.getpid())).touch()
    how = os.environ["FAKE_WORD"]
    if how == "hang":  # a first-run dialog before Word has started
        time.sleep(600)
    if how == "raise":
        raise pywintypes.com_error(-2147221005, "Invalid class string", None, None)
    return _Word()
'''
FAKE_PYWINTYPES = '''
class com_error(Exception):
    pass
'''


@pytest.fixture
def word(tmp_path, monkeypatch):
    """A machine with Word and no LibreOffice: a fake win32com for this process and the child
    (``FAKE_WORD``: ok, raise or hang); yields the folder where each child leaves its pid."""
    fake = tmp_path / "fake_pywin32"
    (fake / "win32com").mkdir(parents=True)
    (fake / "win32com" / "__init__.py").write_text("", encoding="utf-8")
    (fake / "win32com" / "client.py").write_text(FAKE_CLIENT, encoding="utf-8")
    (fake / "pywintypes.py").write_text(FAKE_PYWINTYPES, encoding="utf-8")
    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.syspath_prepend(str(fake))
    monkeypatch.setenv("PYTHONPATH",
                       os.pathsep.join([str(fake), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("FAKE_WORD_PIDS", str(pids))
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    monkeypatch.setattr(pdf, "_word_registered", lambda: True)
    monkeypatch.setattr(pdf._Word, "gave_up", False)
    return pids


def _docx(tmp_path: Path) -> Path:
    from docx import Document

    path = tmp_path / "QuyetDinh.docx"
    Document().save(path)
    return path


def test_word_converts_in_a_child_process(word, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_WORD", "ok")
    assert pdf.converter_available()
    made = pdf.to_pdf(_docx(tmp_path))
    assert made == tmp_path / "QuyetDinh.pdf" and made.read_bytes() == b"%PDF-1.4 fake"
    [pid] = [int(p.name) for p in word.iterdir()]
    assert pid != os.getpid()


def test_a_com_error_is_a_conversion_failure_in_vietnamese(word, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_WORD", "raise")
    with pytest.raises(pdf.ConversionFailed) as err:
        pdf.to_pdf(_docx(tmp_path))
    assert str(err.value) == pdf.WORD_FAILED
    assert "com_error" in err.value.detail and "Invalid class string" in err.value.detail
    assert not pdf._Word.gave_up  # Word answered: the next document tries again


@pytest.mark.parametrize("how,start_s,timeout_s,reason", [
    ("hang", 3, 60, pdf.WORD_NOT_STARTED.format(3)),  # Word did not start in time
    ("stuck", 60, 3, pdf.WORD_TIMEOUT.format(3)),  # started, did not finish in time
])
def test_a_hanging_word_is_abandoned_at_the_time_limit(word, tmp_path, monkeypatch, how,
                                                       start_s, timeout_s, reason):
    monkeypatch.setenv("FAKE_WORD", how)
    monkeypatch.setattr(pdf, "WORD_START_S", start_s)
    monkeypatch.setattr(pdf, "WORD_TIMEOUT_S", timeout_s)
    start = time.monotonic()
    with pytest.raises(pdf.ConversionFailed) as err:
        pdf.to_pdf(_docx(tmp_path))
    assert 3 <= time.monotonic() - start < 20
    assert str(err.value) == reason
    [pid] = [int(p.name) for p in word.iterdir()]
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the child is gone, not left sleeping
    start = time.monotonic()  # the next document does not wait again
    with pytest.raises(pdf.ConversionFailed, match=pdf.WORD_SKIPPED):
        pdf.to_pdf(_docx(tmp_path))
    assert time.monotonic() - start < 1


@pytest.mark.parametrize("how", ["raise", "hang"])
def test_documents_are_written_and_the_pdf_step_is_reported(word, tmp_path, monkeypatch, how):
    monkeypatch.setenv("FAKE_WORD", how)
    monkeypatch.setattr(pdf, "WORD_START_S", 3)
    c = default_campaign()
    c.document_date = date(2020, 1, 5)
    write_control(tmp_path / "TongHopThiDua.xlsx", c)
    result = generate_documents(tmp_path, 1, campaign=c, kinds=("decisions",))
    assert len(result.written) == 2 and all(p.is_file() for p in result.written)
    assert result.pdfs == []
    failed = [p for p in result.problems if p.msg is Msg.DOC_PDF_FAILED]
    assert {p.value for p in failed} == {p.name for p in result.written}
    for p in failed:
        assert "com_error" not in p.text and "Traceback" not in p.text
        assert "Word" in p.text


class FakeClassesRoot:
    """``winreg`` with HKEY_CLASSES_ROOT holding ``keys``."""

    HKEY_CLASSES_ROOT = "HKCR"

    def __init__(self, keys):
        self.keys = keys

    def OpenKey(self, root, path):
        if (root, path) not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self

    def Close(self):
        pass


def test_word_counts_only_when_registered_for_com(monkeypatch):
    registered = FakeClassesRoot({("HKCR", r"Word.Application\CLSID")})
    monkeypatch.setitem(sys.modules, "winreg", registered)
    assert pdf._word_registered()
    monkeypatch.setitem(sys.modules, "winreg", FakeClassesRoot(set()))  # pywin32, no Word
    assert not pdf._word_registered()
