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
from .error_log import TECHNICAL_LOGGED, write_error_log
from .folder import CampaignFolder
from .live_writer import LivePublish, write_plan
from .next_numbers import write_next_numbers_live
from .preflight import PreflightBlocked, sheet_plan
from .reviews import Reviews, reviews_of_sheets

ALERT_TITLE = "Thi đua"
# Button labels, as on the ribbon (customUI.xml), for messages that name the button.
TEMPLATES = "Tạo biểu mẫu"
CONSOLIDATE = "Tổng hợp"
DOCUMENTS = "Tạo văn bản"
OPEN_FOLDER = "Mở thư mục"
FROM_UPPER = "Từ biểu mẫu cấp trên"  # issue 16
REPORT_UP = "Báo cáo lên cấp trên"  # issue 16
LOWER_FOLDER = "ThiDua_{code}_{year}"  # a lower level's campaign folder, by the template
PLEDGES = "Giao ước thi đua"  # issue 14
ALERT_FINDINGS = 15  # findings listed in the message box; all are on the check's sheet
SEND_TEMPLATES = "Gửi biểu mẫu"  # issue 17: the mail buttons
FETCH_RETURNS = "Nhận bài"
SEND_REPLIES = "Gửi phản hồi"


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
        return _done(f"{result.summary}\n{report.told}", result.output_folder)

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
        return _done(result.told, CampaignFolder.at(folder, campaign).output)

    _run(book, DOCUMENTS, work)


def pledges_button(book: xw.Book | None = None) -> None:
    """**Giao ước thi đua**: one pledge per emulation block, from the book's settings."""
    def work(book: xw.Book, folder: Path, campaign: Campaign) -> str:
        from .documents import generate_pledges

        _status(book, PLEDGES.lower())
        result = generate_pledges(folder, campaign=campaign)
        return _done(result.told, CampaignFolder.at(folder, campaign).output)

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


def send_templates_button(book: xw.Book | None = None) -> None:
    """**Gửi biểu mẫu**: mail each unit its template of the current phase."""
    def work(book: xw.Book, folder: Path, campaign: Campaign) -> str:
        from .mail.outgoing import send_templates

        result = _mail(book, SEND_TEMPLATES, send_templates, folder, campaign.current_phase)
        return _done(_mail_summary(result), CampaignFolder.at(folder, campaign).outbox)

    _run(book, SEND_TEMPLATES, work)


def fetch_returns_button(book: xw.Book | None = None) -> None:
    """**Nhận bài**: save the spreadsheets of the new mails into the inbox."""
    def work(book: xw.Book, folder: Path, campaign: Campaign) -> str:
        from .mail.incoming import fetch_returns

        result = _mail(book, FETCH_RETURNS, fetch_returns, folder)
        return _done(_mail_summary(result), CampaignFolder.at(folder, campaign).inbox)

    _run(book, FETCH_RETURNS, work)


def send_replies_button(book: xw.Book | None = None) -> None:
    """**Gửi phản hồi**: after Tổng hợp, mail each unit that sent a file its receipt or its
    problems."""
    def work(book: xw.Book, folder: Path, campaign: Campaign) -> str:
        from .mail.replies import send_replies

        result = _mail(book, SEND_REPLIES, send_replies, folder)
        return _done(_mail_summary(result), CampaignFolder.at(folder, campaign).root)

    _run(book, SEND_REPLIES, work)


def _mail(book: xw.Book, button: str, call: Callable, *args):
    """Run a mail command on the saved book; its *Thư đi, thư đến* sheet is written into the
    open book (never into the file behind Excel's back), which is then saved."""
    from .live_writer import write_plan

    def show_log(plan) -> None:
        write_plan(book, plan)
        book.save()

    def progress(done: int, total: int, what: str) -> None:
        _status(book, f"{button.lower()} {done}/{total} {what}")

    _status(book, button.lower())
    book.save()  # the library reads the settings (and the Lỗi sheet) from the file
    return call(*args, progress=progress, show_log=show_log)


def _mail_summary(result) -> str:
    lines = [result.summary]
    lines += [f"{p.severity.value} [{p.code}]: {p.text}" for p in result.problems[:20]]
    return "\n".join(lines)


# --- issue 16: every level of the union -----------------------------------------------------
def from_upper_button(book: xw.Book | None = None) -> None:
    """**Từ biểu mẫu cấp trên**, on the template the level above sent (open in Excel): make
    this level's campaign folder next to it and list what to check on Cấu hình."""
    def work(book: xw.Book, folder: Path, campaign: None) -> str:
        from workbook_templates.upper_template import read_upper_template

        from .lower_level import init_from_upper

        template = Path(book.fullname).resolve()
        t = read_upper_template(template)
        target = folder / LOWER_FOLDER.format(code=t.unit_code, year=t.year)
        control, to_check = init_from_upper(target, template)
        lines = [f"- {p.text}" for p in to_check]
        return _done("\n".join([control.name, *lines]), target)

    _run(book, FROM_UPPER, work, settings=False)


def report_up_button(book: xw.Book | None = None) -> None:
    """**Báo cáo lên cấp trên**: fill the level above's template from this consolidation."""
    def work(book: xw.Book, folder: Path, campaign: Campaign) -> str:
        from .report_up import report_up

        _status(book, REPORT_UP.lower())
        book.save()  # the library reads the consolidation and settings from the file
        result = report_up(folder, campaign.current_phase)
        lines = [result.summary] + [f"{p.severity.value} [{p.code}]: {p.text}"
                                    for p in result.problems]
        return _done("\n".join(lines), result.path.parent)

    _run(book, REPORT_UP, work)


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
    return reviews_of_sheets(_sheet_names(book), lambda name: sheet_rows(book.sheets[name]))


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
         work: Callable[[xw.Book, Path, Campaign], str | None], settings: bool = True) -> None:
    """Run one button: check the book, read the settings (unless ``settings`` is False: the
    book is not a control workbook), do the work, report in an alert. A problem of set-up
    or of the run is shown to the clerk, never raised into Excel."""
    book = book if book is not None else xw.Book.caller()
    try:
        campaign = campaign_live(book) if settings else None
        message = work(book, Path(book.fullname).resolve().parent, campaign)
    except SetupError as err:
        _status(book, None)
        text = f"Lỗi [{err.problem.code}]: {err.problem.text}"
        if err.problem.technical:  # a library's own words: in the log, not in the box
            text += "\n" + TECHNICAL_LOGGED.format(write_error_log(_folder_of(book), button, err))
        _alert(book, text, "critical")
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
