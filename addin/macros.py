"""What the ribbon buttons run (``RunPython`` from ``thidua.xlam``), on the control workbook
open in Excel.

Each button is a thin shell over the library the CLI also calls: it refuses a workbook that
is not a control workbook, reads the settings from the live *Cấu hình* and *Đơn vị* sheets,
runs the library, writes into the open book through xlwings (Excel saves it; the file is
never rewritten behind Excel's back), shows progress in the status bar where the engine has
one, and ends with an alert: the one-line summary and the output folder. ``book`` defaults to
``xw.Book.caller()``; tests pass a book built with ``xw.Book(json=...)``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable

import xlwings as xw

from workbook_templates.campaign import Campaign
from workbook_templates.forms import ControlSheet
from workbook_templates.messages import Msg, Problem, SetupError

from .documents import generate_documents, generate_report
from .error_log import write_error_log
from .folder import CampaignFolder
from .live_writer import LivePublish, write_plan
from .next_numbers import write_next_numbers_live
from .preflight import PreflightBlocked, sheet_plan
from .reviews import REVIEWED_SHEETS, Reviews

ALERT_TITLE = "Thi đua"
# Button labels, as on the ribbon (customUI.xml), for messages that name the button.
TEMPLATES = "Tạo biểu mẫu"
CONSOLIDATE = "Tổng hợp"
DOCUMENTS = "Tạo văn bản"
OPEN_FOLDER = "Mở thư mục"
PLEDGES = "Giao ước thi đua"  # issue 14
ALERT_FINDINGS = 15  # findings listed in the message box; all are on the check's sheet


def templates_button(book: xw.Book | None = None) -> None:
    """**Tạo biểu mẫu**: one pre-filled workbook per unit for the current phase."""
    def work(book: xw.Book, folder: Path, campaign: Campaign) -> str:
        from .campaign_setup import write_templates

        _status(book, TEMPLATES.lower())
        book.save()  # the library reads the settings from the file
        paths = write_templates(folder, campaign.current_phase)
        where = paths[0].parent if paths else CampaignFolder.at(folder, campaign).outbox
        return _done(Problem(Msg.ADDIN_TEMPLATES_DONE, value=len(paths),
                             expected=campaign.current_phase).text, where)

    _run(book, TEMPLATES, work)


def consolidate_button(book: xw.Book | None = None) -> None:
    """**Tổng hợp**: consolidate the inbox into this book, save it, write the phase report."""
    def work(book: xw.Book, folder: Path, campaign: Campaign) -> str:
        from .consolidate import consolidate

        def progress(done: int, total: int, what: str) -> None:
            _status(book, f"{CONSOLIDATE.lower()} {done}/{total} – {what}")

        live = LivePublish(book)  # written and saved before the register commits
        result = consolidate(folder, campaign.current_phase, campaign=campaign,
                             reviews=read_reviews_live(book), progress=progress,
                             publish=live)
        _clear_preflight(book)  # its findings were about the rows just replaced
        live.committed()  # saves the book again
        _status(book, f"{CONSOLIDATE.lower()} – báo cáo")
        report = generate_report(folder, result.phase, campaign=campaign,
                                 numbers_to=_numbers_live(book))
        return _done(f"{result.summary}\n{documents_summary(report)}", result.output_folder)

    _run(book, CONSOLIDATE, work)


def documents_button(book: xw.Book | None = None) -> None:
    """**Tạo văn bản**: save the book (the clerk's review columns), then the documents."""
    def work(book: xw.Book, folder: Path, campaign: Campaign) -> str:
        _status(book, DOCUMENTS.lower())
        book.save()  # the clerk's review columns, as the library reads them from the file
        try:
            result = generate_documents(folder, campaign.current_phase, campaign=campaign,
                                        numbers_to=_numbers_live(book))
        except PreflightBlocked as blocked:
            write_plan(book, sheet_plan(blocked.findings))
            book.save()
            raise PreflightBlocked(blocked.findings, shown=ALERT_FINDINGS) from None
        _clear_preflight(book)
        return _done(documents_summary(result), CampaignFolder.at(folder, campaign).output)

    _run(book, DOCUMENTS, work)


def pledges_button(book: xw.Book | None = None) -> None:
    """**Giao ước thi đua**: one pledge per emulation block, from the book's settings."""
    def work(book: xw.Book, folder: Path, campaign: Campaign) -> str:
        from .documents import generate_pledges

        _status(book, PLEDGES.lower())
        result = generate_pledges(folder, campaign=campaign)
        return _done(documents_summary(result), CampaignFolder.at(folder, campaign).output)

    _run(book, PLEDGES, work)


def _clear_preflight(book: xw.Book) -> None:
    """The check's sheet (if any) emptied: documents went through, or the rows it was about
    were consolidated again."""
    if ControlSheet.PREFLIGHT in _sheet_names(book):
        write_plan(book, sheet_plan([]))


def open_folder_button(book: xw.Book | None = None) -> None:
    """**Mở thư mục**: open the output folder (Explorer on Windows; its path elsewhere)."""
    def work(book: xw.Book, folder: Path, campaign: Campaign) -> str | None:
        output = CampaignFolder.at(folder, campaign).output
        output.mkdir(parents=True, exist_ok=True)
        if sys.platform == "win32":
            os.startfile(output)  # type: ignore[attr-defined]  # Windows only
            return None
        return Problem(Msg.ADDIN_FOLDER, value=str(output)).text

    _run(book, OPEN_FOLDER, work)


def documents_summary(result) -> str:
    """A docgen run's summary line, then each problem it does not already tell."""
    lines = [result.summary]
    lines += [f"{p.severity.value} [{p.code}]: {p.text}" for p in result.other_problems]
    return "\n".join(lines)


def _numbers_live(book: xw.Book):
    """Where a run's next free numbers go: the open book's *Cấu hình*, then saved."""
    def write(numbers: dict[str, int]) -> None:
        rows = sheet_rows(book.sheets[ControlSheet.SETTINGS])
        write_next_numbers_live(book, numbers, rows)
        book.save()

    return write


def read_reviews_live(book: xw.Book) -> Reviews:
    """The clerk's review columns of every nomination sheet of the open book, by sheet and
    nomination id (the shape :func:`addin.consolidate.consolidate` takes as ``reviews``)."""
    names = _sheet_names(book)
    return {name: parse(sheet_rows(book.sheets[name]))
            for name, parse in REVIEWED_SHEETS.items() if name in names}


def campaign_live(book: xw.Book) -> Campaign:
    """The Campaign on the open book's *Cấu hình* and *Đơn vị* sheets; SetupError
    (NOT_CONTROL_WORKBOOK) when the book lacks one of them."""
    from workbook_templates.settings_sheet import campaign_from_rows

    names = _sheet_names(book)
    for name in (ControlSheet.SETTINGS, ControlSheet.UNITS):
        if name not in names:
            raise SetupError(Problem(Msg.NOT_CONTROL_WORKBOOK, value=Path(book.fullname).name,
                                     expected=name))
    return campaign_from_rows(sheet_rows(book.sheets[ControlSheet.SETTINGS]),
                              sheet_rows(book.sheets[ControlSheet.UNITS]))


def sheet_rows(sheet) -> list[list[Any]]:
    """A sheet's values from A1 to the end of its used range (row 0 is Excel row 1)."""
    last = sheet.used_range.last_cell
    values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
    return [list(r) for r in values or []]


def _run(book: xw.Book | None, button: str,
         work: Callable[[xw.Book, Path, Campaign], str | None]) -> None:
    """Run one button: check the book, read the settings, do the work, report in an alert.
    A problem of set-up or of the run is shown to the clerk, never raised into Excel."""
    book = book if book is not None else xw.Book.caller()
    try:
        campaign = campaign_live(book)
        message = work(book, Path(book.fullname).resolve().parent, campaign)
    except SetupError as err:
        _status(book, None)
        _alert(book, f"Lỗi [{err.problem.code}]: {err.problem.text}", "critical")
        return
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a bug, or a library's panic: log it, keep Excel up
        _status(book, None)
        log = write_error_log(_folder_of(book), button, exc)
        problem = Problem(Msg.UNEXPECTED_ERROR, value=button, expected=str(log))
        _alert(book, f"Lỗi [{problem.code}]: {problem.text}", "critical")
        return
    _status(book, None)
    if message:
        _alert(book, message, "info")


def _folder_of(book: xw.Book) -> Path | None:
    """The folder of the open book, where the error log goes (None when it has none)."""
    try:
        return Path(book.fullname).resolve().parent
    except Exception:  # a book never saved, or an engine that cannot say
        return None


def _done(summary: str, folder: Path) -> str:
    return Problem(Msg.ADDIN_DONE, detail=summary, value=str(folder)).text


def _alert(book: xw.Book, text: str, mode: str) -> None:
    book.app.alert(text, title=ALERT_TITLE, mode=mode)


def _status(book: xw.Book, what: str | None) -> None:
    """Show ``what`` in Excel's status bar (``None`` gives it back to Excel). The remote
    engine has no status bar: nothing is shown there."""
    text = False if what is None else Problem(Msg.ADDIN_RUNNING, detail=what).text
    try:
        book.app.status_bar = text
    except NotImplementedError:
        pass


def _sheet_names(book: xw.Book) -> list[str]:
    return [s.name for s in book.sheets]
