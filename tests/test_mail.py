"""Issue 17: the whole mail loop against a real IMAP server (Dovecot) and a real SMTP server
(aiosmtpd) on 127.0.0.1 — the demo's templates sent, its returns delivered as mails from the
units (zipped, a Vietnamese name, a wrong sender, a hostile one), fetched, consolidated, and
the replies read back over IMAP and checked against the Lỗi sheet."""
from __future__ import annotations

import email
import email.policy
import io
import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from addin.demo import OFFICE_ADDRESS, run_demo
from addin.mail import incoming, outgoing, replies
from addin.mail.attachments import MAX_ATTACHMENTS, open_attachment, safe_name
from addin.mail.demo_loop import office_settings, unit_message
from addin.mail.log import MailLog
from addin.mail.settings import PASSWORD_ENV
from mail_server import mail_servers  # noqa: F401
from workbook_templates.forms import PROBLEM_FIELDS, ControlSheet
from workbook_templates.messages import Msg, Severity
from workbook_templates.settings_sheet import read_campaign


def _messages(servers, account: str) -> list[email.message.EmailMessage]:
    conn = servers.imap(account)
    try:
        conn.select("INBOX", readonly=True)
        _, data = conn.uid("SEARCH", None, "ALL")
        out = []
        for uid in (data[0] or b"").split():
            _, parts = conn.uid("FETCH", uid, "(BODY.PEEK[])")
            out.append(email.message_from_bytes(parts[0][1], policy=email.policy.default))
        return out
    finally:
        conn.logout()


def office_folder(tmp_path, servers, office: str, monkeypatch, **mail) -> Path:
    """A new campaign folder whose office mailbox ``office`` is on the local servers."""
    from addin.campaign_setup import init_campaign
    from workbook_templates.campaign import default_campaign

    monkeypatch.setenv(PASSWORD_ENV, servers.password)
    campaign = default_campaign()
    office_settings(campaign, servers, office)
    for key, value in mail.items():
        setattr(campaign.mail, key, value)
    init_campaign(tmp_path / "camp", campaign)
    return tmp_path / "camp"


@pytest.fixture(scope="module")
def mail_demo(tmp_path_factory, mail_servers):  # noqa: F811
    root = tmp_path_factory.mktemp("maildemo") / "demo"
    os.environ[PASSWORD_ENV] = mail_servers.password
    lines: list[str] = []
    result = run_demo(root, say=lines.append, pdf=False, mail=mail_servers)
    yield root, result, lines, mail_servers
    os.environ.pop(PASSWORD_ENV, None)


def _lost_rows(control):
    wb = openpyxl.load_workbook(control, read_only=True)
    rows = list(wb[ControlSheet.PROBLEMS].iter_rows(values_only=True))
    wb.close()
    keys = {f.title: f.key for f in PROBLEM_FIELDS}
    head = [keys.get(h) for h in rows[0]]
    return [dict(zip(head, r)) for r in rows[1:] if any(r)]


def test_templates_reach_every_unit_once(mail_demo):
    root, _, lines, servers = mail_demo
    campaign = read_campaign(root / "TongHopThiDua.xlsx")
    got = _messages(servers, "ld01@congdoancaobang.vn")
    templates = [m for m in got if "biểu mẫu" in str(m["Subject"])]
    assert len(templates) == 1
    names = [a.get_filename() for a in templates[0].iter_attachments()]
    assert names == ["LD01_Dot1_2020.xlsx"]
    assert "10/07/2020" in templates[0].get_body(("plain",)).get_content()  # the deadline
    again = outgoing.send_templates(root, 1)
    assert again.sent == [] and again.before == len(campaign.units)
    sheet = openpyxl.load_workbook(root / "TongHopThiDua.xlsx")[ControlSheet.MAIL_LOG]
    kinds = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert kinds.count("Gửi biểu mẫu") == len(campaign.units)
    assert any("Gửi biểu mẫu: Đã gửi 21 thư" in line for line in lines)


def test_fetch_saves_every_return_safely(mail_demo):
    root, result, _, _ = mail_demo
    inbox = sorted(p.name for p in (root / "inbox").iterdir())
    assert any(n.startswith("LD02_Dot1_2020__ld02_") for n in inbox)  # from the zip
    assert any(n.startswith("Báo cáo thi đua đợt 1 – LĐLĐ huyện Bảo Lạc__ld03_") for n in inbox)
    assert any(n.startswith("LD10_Dot1_2020__ld10_") for n in inbox)  # "../../" stripped
    assert not any(n.startswith(("bom", "hong", "BanSao_05")) for n in inbox)
    assert not (root.parent / "LD10_Dot1_2020.xlsx").exists()
    assert not list(root.parent.glob("*.xlsx"))
    log = MailLog(root)
    saved = [e for e in log.entries() if e.kind == "Nhận bài"]
    assert len({e.sha256 for e in saved}) == len(saved)  # never the same bytes twice
    cons = result.consolidation
    assert cons.counts["units_in"] >= 18


def test_fetch_problems_and_incremental(mail_servers, mail_demo):  # noqa: F811
    root, _, _, servers = mail_demo
    run = incoming.fetch_returns(root)
    assert run.messages == 0 and run.saved == []  # nothing new since the demo's fetch
    # A new message is read, the old ones are not read again; the mailbox keeps them all.
    before = len(_messages(servers, OFFICE_ADDRESS))
    msg = unit_message("cs01@congdoancaobang.vn", OFFICE_ADDRESS, "Gửi lại",
                       datetime(2020, 7, 9))
    outgoing.attach(msg, "LD08_Dot1_2020.xlsx", b"PK\x03\x04 not really")
    servers.append(OFFICE_ADDRESS, msg.as_bytes())
    run = incoming.fetch_returns(root)
    assert run.messages == 1 and len(run.saved) == 1
    assert [p.msg for p in run.problems] == [Msg.MAIL_WRONG_SENDER]
    assert len(_messages(servers, OFFICE_ADDRESS)) == before + 1


OUTLOOK_STYLE = (
    "From: =?utf-8?B?TMSQTMSQIEjDsmEgQW4=?= <ld06@congdoancaobang.vn>\r\n"
    "Subject: =?utf-8?B?QsOhbyBjw6Fv?=\r\nDate: Thu, 09 Jul 2020 08:00:00 +0700\r\n"
    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
    "--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nG\u1eedi b\u00e1o c\u00e1o\r\n"
    "--XX\r\nContent-Type: application/vnd.ms-excel\r\n"
    'Content-Disposition: attachment; filename="=?utf-8?B?QsOhbyBjw6FvIMSR4bujdCAxLnhsc3g=?="\r\n'
    "Content-Transfer-Encoding: base64\r\n\r\nUEsDBG91dGxvb2s=\r\n--XX--\r\n")


def test_encoded_names_and_zip_members_are_decoded(mail_demo):
    root, _, _, servers = mail_demo
    servers.append(OFFICE_ADDRESS, OUTLOOK_STYLE.encode("utf-8"))
    buf = io.BytesIO()
    import zipfile
    utf8 = "Báo cáo LD09.xlsx".encode("utf-8")
    stand_in = b"N" * (len(utf8) - 5) + b".xlsx"
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(stand_in.decode(), b"PK\x03\x04 zipped")
    zipped = buf.getvalue().replace(stand_in, utf8)  # UTF-8 bytes, no UTF-8 flag: as Windows
    msg = unit_message("ld09@congdoancaobang.vn", OFFICE_ADDRESS, "Zip", datetime(2020, 7, 8))
    outgoing.attach(msg, "bao cao.zip", zipped)
    servers.append(OFFICE_ADDRESS, msg.as_bytes())
    run = incoming.fetch_returns(root)
    names = sorted(p.name for p in run.saved)
    assert names[0].startswith("Báo cáo LD09__ld09_20200708-") and names[0].endswith(".xlsx")
    assert names[1].startswith("Báo cáo đợt 1__ld06_2020070")  # the date in local time
    assert (root / "inbox" / names[1]).read_bytes() == b"PK\x03\x04outlook"
    assert (root / "inbox" / names[0]).read_bytes() == b"PK\x03\x04 zipped"


def test_hostile_mail_is_reported():
    found = open_attachment("../../x.xlsx", b"data", 200, "a@b")
    assert found.files == [("x.xlsx", b"data")]
    assert [p.msg for p in found.problems] == [Msg.MAIL_UNSAFE_NAME]
    assert safe_name("..\\..\\CON.xlsx") == "_CON.xlsx"
    buf = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xlsx", bytes(3 * 1024 * 1024))
    found = open_attachment("a.zip", buf.getvalue(), 2, "a@b")
    assert found.files == [] and [p.msg for p in found.problems] == [Msg.MAIL_ZIP_BOMB]
    found = open_attachment("b.zip", b"PK\x03\x04garbage", 2, "a@b")
    assert [p.msg for p in found.problems] == [Msg.MAIL_BAD_ZIP]


def test_demo_fetch_told_each_hostile_part(mail_demo):
    root, result, _, _ = mail_demo
    told = {}
    for p in result.fetched.problems:
        told.setdefault(p.msg, []).append(p)
    assert [p.value for p in told[Msg.MAIL_UNSAFE_NAME]] == ["../../LD10_Dot1_2020.xlsx"]
    assert [p.value for p in told[Msg.MAIL_ZIP_BOMB]] == ["bom.zip"]
    assert [p.field for p in told[Msg.MAIL_BAD_PART]] == ["ld10@congdoancaobang.vn"]
    assert told[Msg.MAIL_BAD_PART][0].detail == incoming.BROKEN_ENCODING
    (many,) = told[Msg.MAIL_TOO_MANY]
    assert (many.value, many.expected) == (4 * MAX_ATTACHMENTS, MAX_ATTACHMENTS)
    assert len(told[Msg.MAIL_DUPLICATE]) == MAX_ATTACHMENTS  # the same bytes, never twice
    (wrong,) = told[Msg.MAIL_WRONG_SENDER]
    assert (wrong.expected, wrong.detail) == ("CS01", "LD08")
    assert Msg.MAIL_UNKNOWN_SENDER not in told
    assert "Nhận bài: Đã đọc 22 thư mới" in " ".join(result.notes)
    log = [e for e in MailLog(root).entries() if e.kind == "Thư đến"][:22]  # the demo's
    assert [e.uid for e in log] == list(range(1, 23))
    assert all(e.result == "Đã đọc" for e in log)
    # The saved files carry the message's date, which Consolidate reads as the time received.
    late = [s for s in result.consolidation.statuses if s.unit_code in ("CDN03", "CS02")]
    assert {s.status for s in late} == {"Nộp muộn"}


def test_replies_match_the_lost_sheet(mail_demo):
    root, _, _, servers = mail_demo
    control = root / "TongHopThiDua.xlsx"
    rows = _lost_rows(control)
    ld07 = [r for r in rows if r["ma_don_vi"] == "LD07"
            and r["muc_do"] in (Severity.ERROR.value, Severity.WARNING.value)]
    assert any(r["muc_do"] == Severity.ERROR.value for r in ld07)
    got = [m for m in _messages(servers, "ld07@congdoancaobang.vn")
           if "sửa báo cáo" in str(m["Subject"])]
    assert len(got) == 1
    text = got[0].get_body(("plain",)).get_content()
    html = got[0].get_body(("html",)).get_content()
    for r in ld07:
        assert str(r["o"] or "") in text and str(r["noi_dung"]) in text
        assert "<td>" in html
    (brought,) = [e for e in MailLog(root).entries()
                  if e.kind == "Nhận bài" and e.unit == "LD07"]
    assert got[0]["In-Reply-To"] == brought.message_id  # in the unit's own thread
    (attachment,) = list(got[0].iter_attachments())
    assert attachment.get_filename() == "Loi_LD07_Dot1_2020.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(attachment.get_content())).active
    sent = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    def cells(values):
        return ["" if v is None else str(v) for v in values]

    assert [cells([r["sheet"], r["o"], r["gia_tri"], r["yeu_cau"], r["noi_dung"]])
            for r in ld07] == [cells(row) for row in sent]
    # A unit without errors gets a receipt; the unit that sent nothing gets nothing.
    receipts = [m for m in _messages(servers, "ld01@congdoancaobang.vn")
                if "Đã nhận" in str(m["Subject"])]
    assert len(receipts) == 1 and "không có lỗi" in receipts[0].get_body(("plain",)).get_content()
    assert not [m for m in _messages(servers, "cs06@congdoancaobang.vn")
                if "phản hồi" in str(m["Subject"]).lower() or "Đã nhận" in str(m["Subject"])]
    # Never twice for the same file; the dry run says so too.
    from click.testing import CliRunner

    from addin.cli import main
    dry = CliRunner().invoke(main, ["mail", "replies", str(root), "--dry-run"])
    assert dry.exit_code == 0 and "Chạy thử: sẽ gửi 0 thư" in dry.output, dry.output
    assert "[M21]" in dry.output  # told, per unit, that it was replied to before
    again = replies.send_replies(root)
    assert again.sent == [] and again.before == 20  # every unit that sent a file, once


def test_demo_mail_without_dovecot_is_told(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import addin.mail.local_servers as local
    from addin.cli import main
    monkeypatch.setattr(local, "find_dovecot", lambda: None)
    result = CliRunner().invoke(main, ["demo", str(tmp_path / "d"), "--mail"])
    assert result.exit_code == 2
    assert f"[{Msg.MAIL_NO_LOCAL_SERVER.code}]" in result.output
    assert "dovecot-imapd" in result.output


class _Refuse:
    """An SMTP server that refuses one recipient and delivers the rest to Dovecot."""

    def __init__(self, servers, refused: str):
        self.servers, self.refused = servers, refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            self.servers.append(rcpt, envelope.original_content or envelope.content)
        return "250 OK"


def test_dry_run_then_failed_send_then_rerun_sends_only_the_rest(tmp_path, mail_servers,  # noqa: F811
                                                                   monkeypatch):
    from aiosmtpd.controller import Controller
    from click.testing import CliRunner

    from addin.campaign_setup import init_campaign, write_templates
    from addin.cli import main
    from addin.mail.local_servers import free_port
    from workbook_templates.campaign import default_campaign

    monkeypatch.setenv(PASSWORD_ENV, mail_servers.password)
    campaign = default_campaign()
    campaign.units = campaign.units[:3]
    for u in campaign.units:
        u.email = f"{u.code.lower()}@retry.test"
    campaign.units[2].email = "ld03 at retry.test"  # not an address
    office_settings(campaign, mail_servers, "office@retry.test")
    campaign.mail.seconds_between = 1.5
    refusing = Controller(_Refuse(mail_servers, "ld02@retry.test"), hostname="127.0.0.1",
                          port=free_port())
    campaign.mail.smtp_port = refusing.port
    root = tmp_path / "camp"
    init_campaign(root, campaign)
    write_templates(root, 2)
    dry = CliRunner().invoke(main, ["mail", "send-templates", str(root), "-p", "2", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "ld01@retry.test" in dry.output and "LD01_Dot2_2020.xlsx" in dry.output
    assert "[M24]" in dry.output and "Chạy thử: sẽ gửi 2 thư" in dry.output
    assert _messages(mail_servers, "ld01@retry.test") == []
    refusing.start()
    slept: list[float] = []
    try:
        first = outgoing.send_templates(root, 2, sleep=slept.append)
    finally:
        refusing.stop()
    assert slept == [1.5]  # throttled: "Giãn cách giữa hai thư" between the two messages
    assert [o.unit for o in first.sent] == ["LD01"] and [o.unit for o in first.failed] == ["LD02"]
    assert Msg.MAIL_SEND_FAILED in [p.msg for p in first.problems]
    wb = openpyxl.load_workbook(root / "TongHopThiDua.xlsx", read_only=True)
    logged = [r for r in wb[ControlSheet.MAIL_LOG].iter_rows(min_row=2, values_only=True)]
    wb.close()
    assert [(r[3], r[4], r[7]) for r in logged] == [("LD01", "ld01@retry.test", "Đã gửi"),
                                                     ("LD02", "ld02@retry.test",
                                                      "Không gửi được")]
    assert logged[0][6].startswith("<") and logged[0][0] is not None  # Message-ID, time
    # The office's server takes LD02 now: the re-run sends LD02 only.
    monkeypatch.setattr(campaign.mail, "smtp_port", mail_servers.smtp_port)
    from workbook_templates.control_workbook import create_control_workbook
    (root / "TongHopThiDua.xlsx").unlink()
    create_control_workbook(root / "TongHopThiDua.xlsx", campaign)
    campaign.mail.seconds_between = 0.0
    again = CliRunner().invoke(main, ["mail", "send-templates", str(root), "-p", "2", "-q"])
    assert again.exit_code == 0, again.output
    assert "Đã gửi 1 thư, 0 thư không gửi được, 1 thư đã gửi từ trước" in again.output
    assert len(_messages(mail_servers, "ld01@retry.test")) == 1
    assert len(_messages(mail_servers, "ld02@retry.test")) == 1


@pytest.mark.parametrize("after", ["", "Đánh dấu đã đọc", "Bài đã nhận"])
def test_messages_are_kept_and_marked_or_moved_only_as_set(tmp_path, mail_servers,  # noqa: F811
                                                           monkeypatch, after):
    from addin.mail.incoming import imap_utf7

    office = f"office{len(after)}@after.test"
    root = office_folder(tmp_path, mail_servers, office, monkeypatch, after_fetch=after)
    conn = mail_servers.imap(office)
    conn.create(f'"{imap_utf7("Bài đã nhận")}"')
    conn.logout()
    for i in range(2):
        msg = unit_message("ld01@congdoancaobang.vn", office, f"Bài {i}",
                           datetime(2020, 7, 1 + i))
        outgoing.attach(msg, "LD01_Dot1_2020.xlsx", f"PK\x03\x04 bản {i}".encode())
        mail_servers.append(office, msg.as_bytes())
    run = incoming.fetch_returns(root)
    assert run.messages == 2 and len(run.saved) == 2
    conn = mail_servers.imap(office)
    try:
        conn.select("INBOX", readonly=True)
        _, unseen = conn.uid("SEARCH", None, "UNSEEN")
        _, every = conn.uid("SEARCH", None, "ALL")
        conn.select(f'"{imap_utf7("Bài đã nhận")}"', readonly=True)
        _, moved = conn.uid("SEARCH", None, "ALL")
    finally:
        conn.logout()
    inbox_left, unread, moved_n = (len(x[0].split()) for x in (every, unseen, moved))
    expected = {"": (2, 2, 0), "Đánh dấu đã đọc": (2, 0, 0), "Bài đã nhận": (0, 0, 2)}[after]
    assert (inbox_left, unread, moved_n) == expected  # never deleted
    assert incoming.fetch_returns(root).messages == 0


def test_a_mailbox_of_a_thousand_messages_is_fetched_incrementally(tmp_path, mail_servers,  # noqa: F811
                                                                    monkeypatch):

    office = "office@thousand.test"
    root = office_folder(tmp_path, mail_servers, office, monkeypatch)
    conn = mail_servers.imap(office)
    try:
        for i in range(1000):
            msg = unit_message("ld01@congdoancaobang.vn", office, f"Thư {i}", datetime(2020, 7, 1))
            if i % 100 == 0:
                outgoing.attach(msg, "LD01_Dot1_2020.xlsx", f"PK\x03\x04 bản {i}".encode())
            conn.append("INBOX", None, None, msg.as_bytes())
    finally:
        conn.logout()
    first = incoming.fetch_returns(root)
    assert first.messages == 1000 and len(first.saved) == 10
    msg = unit_message("ld02@congdoancaobang.vn", office, "Thư mới", datetime(2020, 7, 2))
    outgoing.attach(msg, "LD02_Dot1_2020.xlsx", b"PK\x03\x04 moi")
    mail_servers.append(office, msg.as_bytes())
    second = incoming.fetch_returns(root)
    assert second.messages == 1 and [p.name[:4] for p in second.saved] == ["LD02"]


def test_one_message_that_breaks_never_stops_the_others(tmp_path, mail_servers,  # noqa: F811
                                                        monkeypatch):

    office = "office@crash.test"
    root = office_folder(tmp_path, mail_servers, office, monkeypatch)
    for i, name in enumerate(["LD01_Dot1_2020.xlsx", "panic.xlsx", "LD03_Dot1_2020.xlsx"]):
        msg = unit_message(f"ld0{i + 1}@congdoancaobang.vn", office, name, datetime(2020, 7, 1))
        outgoing.attach(msg, name, f"PK\x03\x04 {i}".encode())
        mail_servers.append(office, msg.as_bytes())
    real = incoming.open_attachment

    def panics(name, *args):
        if name == "panic.xlsx":
            raise RecursionError("a library gave up")
        return real(name, *args)

    monkeypatch.setattr(incoming, "open_attachment", panics)
    run = incoming.fetch_returns(root)
    assert run.messages == 3 and sorted(p.name[:4] for p in run.saved) == ["LD01", "LD03"]
    (crash,) = run.problems
    assert crash.msg is Msg.MAIL_MESSAGE_CRASH and crash.value == 2
    assert "RecursionError" not in crash.text and "a library gave up" not in crash.text
    entries = [e for e in MailLog(root).entries() if e.kind == "Thư đến"]
    assert [(e.uid, e.result) for e in entries] == [(1, "Đã đọc"), (2, "Không lưu"),
                                                    (3, "Đã đọc")]
    assert "RecursionError" in entries[1].note  # the technical detail, for the record only


def test_the_office_edits_the_texts_of_its_mails(tmp_path, mail_servers, monkeypatch):  # noqa: F811
    from addin.campaign_setup import write_templates

    root = office_folder(tmp_path, mail_servers, "office@texts.test", monkeypatch)
    write_templates(root, 1)
    outgoing.send_templates(root, 1, dry_run=True)
    text = root / "templates" / outgoing.TEMPLATE_TEXT_FILE
    assert text.read_text(encoding="utf-8") == outgoing.TEMPLATE_TEXT  # put there to edit
    text.write_text("Tiêu đề: Biểu mẫu {ma_don_vi} – hạn {han}\nKính gửi {ten_don_vi}.\n",
                    encoding="utf-8")
    run = outgoing.send_templates(root, 1, dry_run=True)
    first = run.planned[0].message
    assert str(first["Subject"]) == "Biểu mẫu LD01 – hạn 10/07/2020"
    assert first.get_body(("plain",)).get_content().strip() == \
        "Kính gửi LĐLĐ Thành phố Cao Bằng."
