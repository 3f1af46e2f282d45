"""Collecting the returns (``thidua mail fetch``): every spreadsheet attached to a new message
of the office's IMAP folder, also inside a .zip, saved into inbox/.

A saved file keeps the unit's file name and adds the sender and the date
(``LD01_Dot1_2020__ld01_20200705-0930.xlsx``), is never written over another and never saved
twice (same bytes), and carries the message's date as its time, which Consolidate reads as the
time received. Messages are read without being marked read and never deleted; they are marked
read or moved only when the office sets it. Only what is new since the last run is read
(UIDVALIDITY and UID in the record). One message that cannot be read never stops the others.
"""
from __future__ import annotations

import base64
import email
from email import errors
import email.policy
import hashlib
import imaplib
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from workbook_templates.campaign import Campaign
from workbook_templates.messages import Msg, Problem, Severity, SetupError

from ..folder import CampaignFolder
from . import log as mail_log
from .attachments import MAX_ATTACHMENTS, is_kept, open_attachment
from .outgoing import Progress
from .reasons import reason
from .settings import AskPassword, imap_connect, password, require

MARK_READ = "Đánh dấu đã đọc"  # Cấu hình "Sau khi nhận bài"; any other text: a folder
_UNDECODABLE = (errors.InvalidBase64CharactersDefect, errors.InvalidBase64PaddingDefect,
                errors.InvalidBase64LengthDefect)
BROKEN_ENCODING = "nội dung mã hóa base64 bị hỏng"
EMPTY_PART = "phần đính kèm rỗng"
BATCH = 10  # messages fetched per IMAP command (each up to the provider's size limit)


@dataclass
class FetchRun:
    messages: int = 0
    saved: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def summary(self) -> str:
        errors = sum(1 for p in self.problems if p.severity is Severity.ERROR)
        warnings = sum(1 for p in self.problems if p.severity is Severity.WARNING)
        tail = f", {errors} lỗi, {warnings} cảnh báo" if self.problems else ""
        return Problem(Msg.MAIL_FETCH_SUMMARY, value=self.messages, expected=len(self.saved),
                       detail=tail).text


class _Inbox:
    """inbox/ as fetch writes to it: names never reused, bytes never saved twice."""

    def __init__(self, folder: Path, log: mail_log.MailLog):
        self.folder = folder.resolve()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.seen: dict[str, str] = {}
        for path in self.folder.iterdir():
            if path.is_file():
                self.seen.setdefault(_sha(path.read_bytes()), path.name)
        for e in log.entries():
            if e.kind == mail_log.RETURN and e.sha256:
                self.seen.setdefault(e.sha256, e.file)

    def save(self, name: str, data: bytes, sender: str, when: datetime) -> Path | str:
        """The new file, or the name of the file with the same bytes already received."""
        digest = _sha(data)
        if digest in self.seen:
            return self.seen[digest]
        stem, dot, ext = name.rpartition(".")
        who = re.sub(r"[^\w.-]+", "_", sender.partition("@")[0] or "khong_ro")[:40]
        base = f"{stem}__{who}_{when:%Y%m%d-%H%M}"
        for n in range(1, 10_000):
            path = self.folder / f"{base}{'' if n == 1 else f'_{n}'}.{ext}"
            if path.parent != self.folder:  # never outside inbox/, whatever the name
                raise ValueError(name)
            try:
                with open(path, "xb") as fh:
                    fh.write(data)
            except FileExistsError:
                continue
            stamp = when.timestamp()
            os.utime(path, (stamp, stamp))
            self.seen[digest] = path.name
            return path
        raise FileExistsError(base)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_returns(root: Path, *, ask: AskPassword | None = None,
                  progress: Progress | None = None,
                  show_log: mail_log.ShowLog | None = None) -> FetchRun:
    """Save the spreadsheets of every new message into inbox/ (``thidua mail fetch``)."""
    from ..campaign_setup import load_campaign

    place, campaign = load_campaign(root)
    require(campaign.mail, "imap_host")
    log = mail_log.MailLog(place.root)
    run = FetchRun()
    conn = imap_connect(campaign.mail, password(campaign.mail, ask))
    try:
        _fetch_folder(conn, campaign, place, log, run, progress)
    finally:
        try:
            conn.logout()
        except Exception:  # the server already closed it
            pass
    mail_log.write_log_sheet(place.control, log, show_log)
    return run


def _fetch_folder(conn: imaplib.IMAP4, campaign: Campaign, place: CampaignFolder,
                  log: mail_log.MailLog, run: FetchRun, progress: Progress | None) -> None:
    folder = campaign.mail.folder or "INBOX"
    readonly = not campaign.mail.after_fetch.strip()
    status, _ = conn.select(_quoted(folder), readonly=readonly)
    if status != "OK":
        raise SetupError(Problem(Msg.MAIL_MAILBOX_MISSING, value=folder))
    _, values = conn.response("UIDVALIDITY")
    validity = int(values[-1]) if values and values[-1] else 0
    last = log.last_uid(folder, validity)
    status, data = conn.uid("SEARCH", None, f"UID {last + 1}:*")
    uids = [int(u) for u in (data[0] or b"").split() if int(u) > last]
    inbox = _Inbox(place.inbox, log)
    for start in range(0, len(uids), BATCH):
        batch = uids[start:start + BATCH]
        for uid, raw in _fetch_batch(conn, batch):
            if progress is not None:
                progress(run.messages, len(uids), f"thư {uid}")
            run.messages += 1
            entry = mail_log.Entry(mail_log.INCOMING, mail_log.READ, folder=folder,
                                   uidvalidity=validity, uid=uid)
            try:
                _one_message(raw, campaign, inbox, log, run, entry)
            except Exception as exc:  # a message nothing can read: told, the rest go on
                run.problems.append(Problem(Msg.MAIL_MESSAGE_CRASH, value=uid,
                                            detail=reason(exc)))
                entry.result, entry.note = mail_log.SKIPPED, f"{type(exc).__name__}: {exc}"[:300]
            _after(conn, campaign, uid, entry)
            log.add(entry)


def _quoted(folder: str) -> str:
    """A folder name as IMAP takes it: modified UTF-7 (RFC 3501), quoted."""
    name = imap_utf7(folder)
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def imap_utf7(name: str) -> str:
    """``Bài đã nhận`` as IMAP names it (``B&AOA-i &ARE-...``): printable ASCII as is ("&" as
    "&-"), runs of other characters as UTF-16 in base64 with "," for "/"."""
    out, run = [], []

    def flush() -> None:
        if run:
            packed = base64.b64encode("".join(run).encode("utf-16-be")).rstrip(b"=")
            out.append("&" + packed.replace(b"/", b",").decode("ascii") + "-")
            run.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


def _fetch_batch(conn: imaplib.IMAP4, uids: list[int]):
    """(uid, raw bytes) of each message of ``uids``, without marking it read."""
    status, data = conn.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
    for item in data or ():
        if not isinstance(item, tuple):
            continue
        match = re.search(rb"UID (\d+)", item[0])
        if match:
            yield int(match.group(1)), item[1]


def _after(conn: imaplib.IMAP4, campaign: Campaign, uid: int, entry: mail_log.Entry) -> None:
    """Mark read or move, as the office set it; never delete. A server that refuses leaves
    the message where it is (the record says so; the UID keeps it from being read again)."""
    what = campaign.mail.after_fetch.strip()
    if not what:
        return
    try:
        if what.casefold() == MARK_READ.casefold():
            status, _ = conn.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
        else:
            status, _ = conn.uid("MOVE", str(uid), _quoted(what))
    except imaplib.IMAP4.error:
        status = "BAD"
    if status != "OK":
        entry.note = f"{entry.note}; máy chủ không thực hiện “{what}”".lstrip("; ")


def _one_message(raw: bytes, campaign: Campaign, inbox: _Inbox, log: mail_log.MailLog,
                 run: FetchRun, entry: mail_log.Entry) -> None:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    address = parseaddr(str(msg.get("From", "")))[1].lower()
    when = _date_of(msg)
    unit = next((u.code for u in campaign.units if u.email.strip().lower() == address), "")
    entry.address, entry.unit, entry.message_id = address, unit, str(msg.get("Message-ID", ""))
    subject = str(msg.get("Subject", ""))
    attached = _attachments(msg, address, subject, run)
    notes = []
    for name, data in attached:
        found = open_attachment(name, data, campaign.max_unpacked_mb, address)
        run.problems += [_for_unit(p, unit) for p in found.problems]
        for file_name, content in found.files:
            notes.append(_save(file_name, content, campaign, inbox, log, run, entry, when))
    if len(attached) == 0:
        notes.append("không có tệp bảng tính")
    entry.note = "; ".join(notes)[:500]


def _attachments(msg: EmailMessage, sender: str, subject: str, run: FetchRun
                 ) -> list[tuple[str, bytes]]:
    """(name, bytes) of every spreadsheet or zip part, at most MAX_ATTACHMENTS."""
    out = []
    named = 0
    for part in msg.walk():
        if part.is_multipart():
            continue
        try:
            name = part.get_filename()
            if not name or not is_kept(name):
                continue
            named += 1
            if named > MAX_ATTACHMENTS:
                continue
            data = part.get_payload(decode=True)
            if any(isinstance(d, _UNDECODABLE) for d in part.defects):
                raise ValueError(BROKEN_ENCODING)
            if not data:
                raise ValueError(EMPTY_PART)
            out.append((str(name), data))
        except Exception as exc:  # a malformed part: told, the others kept
            said = str(exc) if str(exc) in (BROKEN_ENCODING, EMPTY_PART) else reason(exc)
            run.problems.append(Problem(Msg.MAIL_BAD_PART, value=subject, field=sender,
                                        detail=said))
    if named > MAX_ATTACHMENTS:
        run.problems.append(Problem(Msg.MAIL_TOO_MANY, value=named, expected=MAX_ATTACHMENTS,
                                    field=sender))
    return out


def _save(name: str, data: bytes, campaign: Campaign, inbox: _Inbox, log: mail_log.MailLog,
          run: FetchRun, entry: mail_log.Entry, when: datetime) -> str:
    saved = inbox.save(name, data, entry.address, when)
    if not isinstance(saved, Path):
        run.problems.append(Problem(Msg.MAIL_DUPLICATE, value=name, expected=saved,
                                    unit=entry.unit))
        return f"{name}: trùng tệp {saved}"
    run.saved.append(saved)
    said = _named_unit(name, campaign)
    if not entry.unit:
        run.problems.append(Problem(Msg.MAIL_UNKNOWN_SENDER, value=saved.name,
                                    field=entry.address, unit=said))
    elif said and said != entry.unit:
        run.problems.append(Problem(Msg.MAIL_WRONG_SENDER, value=saved.name,
                                    field=entry.address, expected=entry.unit, detail=said,
                                    unit=entry.unit))
    log.add(mail_log.Entry(mail_log.RETURN, mail_log.SAVED, entry.unit or said, entry.address,
                           saved.name, entry.message_id, sha256=_sha(data),
                           note=f"tệp gốc: {name}"))
    return f"{name} → {saved.name}"


def _named_unit(name: str, campaign: Campaign) -> str:
    """The unit code a file's name starts with (``LD01_Dot1_2020.xlsx``), if any."""
    head = re.split(r"[_\s.-]", name, maxsplit=1)[0].upper()
    return head if campaign.unit(head) is not None else ""


def _for_unit(problem: Problem, unit: str) -> Problem:
    problem.unit = problem.unit or unit
    return problem


def _date_of(msg: EmailMessage) -> datetime:
    """The message's Date as local time (now when it has none or a broken one)."""
    try:
        when = parsedate_to_datetime(str(msg.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return datetime.now()
    return when.astimezone().replace(tzinfo=None) if when.tzinfo else when
