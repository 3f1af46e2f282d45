"""Sending: each unit its own template (``thidua mail send-templates``), and the sending loop
the replies share — dry run, progress, throttling, and a record line per message as soon as
the server has taken it, so a re-run sends only what failed or was not sent."""
from __future__ import annotations

import mimetypes
import smtplib
import time
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Callable

from workbook_templates import forms
from workbook_templates.campaign import Campaign
from workbook_templates.messages import Msg, Problem, SetupError

from ..folder import CampaignFolder
from . import log as mail_log
from .reasons import reason
from .settings import AskPassword, password, require, smtp_connect

Progress = Callable[[int, int, str], None]
TEMPLATE_TEXT_FILE = "thu_gui_bieu_mau.txt"  # in the campaign's templates/ folder: editable
TEMPLATE_TEXT = """Tiêu đề: {co_quan} gửi biểu mẫu báo cáo thi đua đợt {dot} năm {nam}
Kính gửi: {ten_don_vi}

{co_quan} gửi kèm theo thư này biểu mẫu báo cáo kết quả phong trào thi đua đợt {dot} năm {nam} \
("{chu_de}") của đơn vị (tệp {tep}).

Đề nghị đơn vị điền đầy đủ các trang của biểu mẫu, giữ nguyên tên tệp và các ô có sẵn, rồi gửi \
lại bằng thư trả lời thư này trước ngày {han}.

Trân trọng.
{nguoi_gui}
"""


@dataclass
class Outgoing:
    """One message to send: to whom, why, and what it carries."""

    unit: str
    address: str
    message: EmailMessage
    file: str = ""
    sha256: str = ""  # of the unit's file a reply is about ("" for a template: once a phase)


@dataclass
class SendRun:
    """What a sending run did (or, dry, would do)."""

    planned: list[Outgoing] = field(default_factory=list)
    sent: list[Outgoing] = field(default_factory=list)
    failed: list[Outgoing] = field(default_factory=list)
    before: int = 0  # already sent by an earlier run
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def summary(self) -> str:
        if self.dry_run:
            return Problem(Msg.MAIL_DRY_RUN, value=len(self.planned)).text
        return Problem(Msg.MAIL_SENT_SUMMARY, value=len(self.sent), expected=len(self.failed),
                       detail=str(self.before)).text


def sender(campaign: Campaign) -> str:
    mail = campaign.mail
    return formataddr((mail.sender_name or campaign.issuing_body_full, mail.account))


def new_message(campaign: Campaign, to: str, subject: str, text: str,
                html: str | None = None) -> EmailMessage:
    """A message from the office with its own Message-ID."""
    msg = EmailMessage()
    msg["From"] = sender(campaign)
    msg["To"] = to
    msg["Subject"] = subject
    domain = campaign.mail.account.rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid("thidua", domain=domain)
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def attach(msg: EmailMessage, name: str, data: bytes) -> None:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    maintype, _, subtype = kind.partition("/")
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)


def fill_text(template: str, values: dict[str, object]) -> tuple[str, str]:
    """(subject, body) of an editable text: first line ``Tiêu đề: …``, then the body;
    ``{name}`` placeholders filled, unknown ones left as written."""
    class Keep(dict):
        def __missing__(self, key):
            return "{" + key + "}"

    text = template.format_map(Keep(values))
    first, _, body = text.partition("\n")
    subject = first.split(":", 1)[1].strip() if ":" in first else first.strip()
    return subject, body.lstrip("\n")


def editable_text(place: CampaignFolder, name: str, default: str) -> str:
    """The text in the campaign's templates/ folder, put there from the built-in one the
    first time, so the office finds it to edit."""
    own = place.root / "templates" / name
    if own.is_file():
        return own.read_text(encoding="utf-8-sig")
    try:
        own.parent.mkdir(exist_ok=True)
        with open(own, "x", encoding="utf-8") as fh:
            fh.write(default)
    except OSError:  # a read-only folder: the built-in text serves
        pass
    return default


def template_messages(place: CampaignFolder, campaign: Campaign, phase: int,
                      run: SendRun) -> list[Outgoing]:
    """One message per unit with an address and a template in outbox/."""
    p = campaign.phase(phase)
    text = editable_text(place, TEMPLATE_TEXT_FILE, TEMPLATE_TEXT)
    out = []
    for unit in campaign.ordered_units():
        path = place.outbox / forms.template_file_name(unit.code, phase, campaign.year)
        if not unit.email.strip():
            run.problems.append(Problem(Msg.MAIL_UNIT_NO_ADDRESS, value=unit.code,
                                        unit=unit.code))
            continue
        if not path.is_file():
            run.problems.append(Problem(Msg.MAIL_NO_TEMPLATE, value=unit.code,
                                        expected=str(place.outbox), unit=unit.code))
            continue
        try:
            to = str(Address(unit.name, addr_spec=unit.email.strip()))
        except (ValueError, IndexError, HeaderParseError):  # "a@@b", "a b@c": the header cannot hold it
            run.problems.append(Problem(Msg.MAIL_UNIT_BAD_ADDRESS, value=unit.code,
                                        expected=unit.email, unit=unit.code))
            continue
        subject, body = fill_text(text, {
            "co_quan": campaign.issuing_body_full, "dot": phase, "nam": campaign.year,
            "chu_de": p.theme, "ten_don_vi": unit.name, "ma_don_vi": unit.code,
            "tep": path.name, "han": f"{p.deadline:%d/%m/%Y}",
            "nguoi_gui": campaign.mail.sender_name or campaign.issuing_body_full})
        data = path.read_bytes()
        msg = new_message(campaign, to, subject, body)
        attach(msg, path.name, data)
        out.append(Outgoing(unit.code, unit.email.strip(), msg, path.name))  # once a phase
    return out


def send_all(campaign: Campaign, place: CampaignFolder, kind: str, phase: int | None,
             messages: list[Outgoing], run: SendRun, *, ask: AskPassword | None = None,
             progress: Progress | None = None, sleep: Callable[[float], None] = time.sleep,
             show_log: mail_log.ShowLog | None = None) -> SendRun:
    """Send ``messages`` one by one (throttled), recording each at once; skip what an earlier
    run sent (same kind, unit, phase and file bytes). Dry: only plan."""
    log = mail_log.MailLog(place.root)
    done = log.done(kind)
    todo = [m for m in messages if (m.unit, phase, m.sha256) not in done]
    run.before = len(messages) - len(todo)
    run.planned = todo
    if run.dry_run or not todo:
        return run
    require(campaign.mail, "smtp_host")
    conn = smtp_connect(campaign.mail, password(campaign.mail, ask))
    try:
        for i, out in enumerate(todo):
            if progress is not None:
                progress(i, len(todo), out.unit)
            if i:
                sleep(max(0.0, campaign.mail.seconds_between))
            conn = _send_one(campaign, conn, out, kind, phase, run, log, ask)
        if progress is not None:
            progress(len(todo), len(todo), "")
    finally:
        _quit(conn)
    mail_log.write_log_sheet(place.control, log, show_log)
    return run


def _send_one(campaign, conn, out: Outgoing, kind, phase, run: SendRun, log, ask):
    entry = mail_log.Entry(kind, mail_log.SENT, out.unit, out.address, out.file,
                           out.message["Message-ID"], phase, sha256=out.sha256)
    try:
        conn.send_message(out.message)
    except (smtplib.SMTPServerDisconnected, OSError):
        _quit(conn)  # the server dropped us: one new connection, one more try
        try:
            conn = smtp_connect(campaign.mail, password(campaign.mail, ask))
            conn.send_message(out.message)
        except (SetupError, smtplib.SMTPException, OSError) as exc:
            return _failed(conn, out, entry, exc, run, log)
    except smtplib.SMTPException as exc:
        return _failed(conn, out, entry, exc, run, log)
    run.sent.append(out)
    log.add(entry)
    return conn


def _failed(conn, out: Outgoing, entry, exc: BaseException, run: SendRun, log):
    entry.result, entry.note = mail_log.FAILED, f"{type(exc).__name__}: {str(exc)[:200]}"
    run.failed.append(out)
    run.problems.append(Problem(Msg.MAIL_SEND_FAILED, value=out.unit, detail=reason(exc),
                                unit=out.unit))
    log.add(entry)
    return conn


def _quit(conn) -> None:
    try:
        conn.quit()
    except Exception:  # already closed
        pass


def send_templates(root: Path, phase: int, *, dry_run: bool = False,
                   ask: AskPassword | None = None, progress: Progress | None = None,
                   sleep: Callable[[float], None] = time.sleep,
                   show_log: mail_log.ShowLog | None = None) -> SendRun:
    """Send every unit its template of ``phase`` from outbox/ (``thidua mail send-templates``)."""
    from ..campaign_setup import load_campaign

    place, campaign = load_campaign(root)
    require(campaign.mail, "smtp_host")
    run = SendRun(dry_run=dry_run)
    messages = template_messages(place, campaign, phase, run)
    return send_all(campaign, place, mail_log.TEMPLATE, phase, messages, run, ask=ask,
                    progress=progress, sleep=sleep, show_log=show_log)

