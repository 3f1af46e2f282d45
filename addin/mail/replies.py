"""Replying to each unit after Consolidate (``thidua mail replies``): a receipt, or the unit's
problems (sheet, cell, value, what is required) as a table in the body and as an .xlsx
attachment, asking for a corrected file by a date. Only units that sent a file; never twice
about the same file (same bytes). The rows come from the control workbook's *Tình hình nộp*
and *Lỗi* sheets, found by their column titles (``forms.STATUS_FIELDS``,
``forms.PROBLEM_FIELDS``), so they say exactly what the clerk sees."""
from __future__ import annotations

import hashlib
import html
import io
import time
from dataclasses import dataclass
from datetime import date, timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from pathlib import Path
from typing import Any, Callable

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from workbook_templates.campaign import Campaign
from workbook_templates.forms import PROBLEM_FIELDS, STATUS_FIELDS, ControlSheet, Field
from workbook_templates.messages import Msg, Problem, Severity, SetupError

from ..folder import CampaignFolder
from . import log as mail_log
from .outgoing import (Outgoing, Progress, SendRun, attach, editable_text, fill_text,
                       new_message, send_all)
from .settings import AskPassword, require

SHOWN = ("sheet", "o", "gia_tri", "yeu_cau", "noi_dung")  # the columns a unit reads
TOLD = (Severity.ERROR.value, Severity.WARNING.value)
RECEIPT_FILE = "thu_bao_da_nhan.txt"
ERRORS_FILE = "thu_bao_loi.txt"
RECEIPT_TEXT = """Tiêu đề: Đã nhận báo cáo thi đua đợt {dot} năm {nam} của {ten_don_vi}
Kính gửi: {ten_don_vi}

{co_quan} đã nhận tệp {tep} của đơn vị, đã tổng hợp, không có lỗi.
{canh_bao}
Trân trọng.
{nguoi_gui}
"""
ERRORS_TEXT = """Tiêu đề: Đề nghị sửa báo cáo thi đua đợt {dot} năm {nam} của {ten_don_vi}
Kính gửi: {ten_don_vi}

{co_quan} đã nhận tệp {tep} của đơn vị. Khi tổng hợp, tệp có {so_loi} lỗi (danh sách dưới \
đây và trong tệp đính kèm {tep_loi}); các giá trị lỗi chưa được tổng hợp.

{bang}

Đề nghị đơn vị sửa các ô trên ngay trong tệp đã gửi và gửi lại bằng thư trả lời thư này trước \
ngày {han}.

Trân trọng.
{nguoi_gui}
"""


@dataclass
class UnitReply:
    unit: str
    file: str
    rows: list[dict[str, Any]]  # the unit's Lỗi rows (errors and warnings) for that file

    @property
    def errors(self) -> int:
        return sum(1 for r in self.rows if r["muc_do"] == Severity.ERROR.value)


def sheet_records(control: Path, sheet: str, fields: tuple[Field, ...]) -> list[dict[str, Any]]:
    """The rows of ``sheet`` as dicts by field key, columns found by their titles."""
    wb = load_workbook(control, read_only=True, data_only=True)
    try:
        if sheet not in wb.sheetnames:
            raise SetupError(Problem(Msg.MAIL_NO_CONSOLIDATION, sheet=sheet))
        rows = wb[sheet].iter_rows(values_only=True)
        header = [str(v or "").strip() for v in next(rows, ())]
        where = {f.key: header.index(f.title) for f in fields if f.title in header}
        return [{k: (row[i] if i < len(row) else None) for k, i in where.items()}
                for row in rows if any(v not in (None, "") for v in row)]
    finally:
        wb.close()


def unit_replies(control: Path) -> tuple[int | None, list[UnitReply]]:
    """The phase consolidated last and, per unit that sent a file, its rows to tell."""
    statuses = sheet_records(control, ControlSheet.STATUS, STATUS_FIELDS)
    problems = sheet_records(control, ControlSheet.PROBLEMS, PROBLEM_FIELDS)
    phase = next((int(s["dot"]) for s in statuses if s.get("dot")), None)
    out = []
    for s in statuses:
        unit, file = str(s.get("ma_don_vi") or ""), str(s.get("tep") or "")
        if not unit or not file:
            continue  # sent nothing: no reply
        rows = [p for p in problems if str(p.get("ma_don_vi") or "") == unit
                and str(p.get("tep") or "") in ("", file) and p.get("muc_do") in TOLD]
        out.append(UnitReply(unit, file, rows))
    return phase, out


def _table_text(rows: list[dict[str, Any]]) -> str:
    titles = {f.key: f.title for f in PROBLEM_FIELDS}
    lines = [" | ".join(titles[k] for k in SHOWN)]
    lines += [" | ".join(_show(r.get(k)) for k in SHOWN) for r in rows]
    return "\n".join(lines)


def _table_html(rows: list[dict[str, Any]]) -> str:
    titles = {f.key: f.title for f in PROBLEM_FIELDS}
    head = "".join(f"<th>{html.escape(titles[k])}</th>" for k in SHOWN)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_show(r.get(k)))}</td>" for k in SHOWN)
                   + "</tr>" for r in rows)
    return f'<table border="1" cellpadding="4" cellspacing="0"><tr>{head}</tr>{body}</table>'


def _show(value: Any) -> str:
    return "" if value is None else str(value)


def _workbook(rows: list[dict[str, Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = ControlSheet.PROBLEMS
    titles = {f.key: f.title for f in PROBLEM_FIELDS}
    ws.append([titles[k] for k in SHOWN])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([_show(r.get(k)) for k in SHOWN])
    for col, width in zip("ABCDE", (18, 8, 22, 30, 70)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def reply_message(campaign: Campaign, place: CampaignFolder, phase: int, reply: UnitReply,
                  deadline: date, answering: str = "") -> Outgoing | None:
    """The reply about ``reply.file``; ``answering``: the Message-ID that brought the file."""
    unit = campaign.unit(reply.unit)
    if unit is None or not unit.email.strip():
        return None
    source = place.inbox / reply.file
    digest = hashlib.sha256(source.read_bytes() if source.is_file()
                            else reply.file.encode()).hexdigest()
    errors_name = f"Loi_{unit.code}_Dot{phase}_{campaign.year}.xlsx"
    values = {"dot": phase, "nam": campaign.year, "ten_don_vi": unit.name,
              "co_quan": campaign.issuing_body_full, "tep": reply.file, "han":
              f"{deadline:%d/%m/%Y}", "so_loi": reply.errors, "tep_loi": errors_name,
              "nguoi_gui": campaign.mail.sender_name or campaign.issuing_body_full}
    try:
        to = str(Address(unit.name, addr_spec=unit.email.strip()))
    except (ValueError, IndexError, HeaderParseError):  # told when the templates were sent (M24)
        return None
    if reply.errors:
        text = editable_text(place, ERRORS_FILE, ERRORS_TEXT)
        subject, body = fill_text(text, dict(values, bang=_table_text(reply.rows)))
        _, html_body = fill_text(text, dict(values, bang="\x00"))
        page = "<br>\n".join(html.escape(line) for line in html_body.split("\n"))
        msg = new_message(campaign, to, subject, body,
                          f"<html><body>{page.replace(chr(0), _table_html(reply.rows))}"
                          "</body></html>")
        attach(msg, errors_name, _workbook(reply.rows))
    else:
        warned = (f"Lưu ý:\n{_table_text(reply.rows)}\n" if reply.rows else "")
        subject, body = fill_text(editable_text(place, RECEIPT_FILE, RECEIPT_TEXT),
                                  dict(values, canh_bao=warned))
        msg = new_message(campaign, to, subject, body)
    if answering:  # the unit's own message: the reply sits in its thread
        msg["In-Reply-To"] = msg["References"] = answering
    return Outgoing(unit.code, unit.email.strip(), msg, reply.file, digest)


def send_replies(root: Path, *, dry_run: bool = False, ask: AskPassword | None = None,
                 progress: Progress | None = None, sleep: Callable[[float], None] = time.sleep,
                 today: date | None = None, show_log: mail_log.ShowLog | None = None
                 ) -> SendRun:
    """Reply to every unit that sent a file in the last Consolidate (``thidua mail replies``)."""
    from ..campaign_setup import load_campaign

    place, campaign = load_campaign(root)
    require(campaign.mail, "smtp_host")
    phase, replies = unit_replies(place.control)
    deadline = (today or date.today()) + timedelta(days=max(1, campaign.mail.reply_days))
    run = SendRun(dry_run=dry_run)
    brought = {e.file: e.message_id for e in mail_log.MailLog(place.root).entries()
               if e.kind == mail_log.RETURN}
    messages = [m for r in replies if (m := reply_message(
        campaign, place, phase, r, deadline, brought.get(r.file, ""))) is not None]
    run = send_all(campaign, place, mail_log.REPLY, phase, messages, run, ask=ask,
                   progress=progress, sleep=sleep, show_log=show_log)
    for m in messages:
        if m not in run.planned:
            run.problems.append(Problem(Msg.MAIL_REPLIED_BEFORE, value=m.unit,
                                        expected=m.file, unit=m.unit))
    return run
