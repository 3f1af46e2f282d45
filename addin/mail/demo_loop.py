"""The demo's mail loop (``thidua demo DIR --mail``): the units' returns delivered as mails
from the units to the office on the local servers — some zipped, one under a Vietnamese
name, one from another unit's address, one hostile — for ``fetch`` to collect."""
from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from datetime import datetime, time
from pathlib import Path

from workbook_templates.campaign import Campaign

from .attachments import MAX_ATTACHMENTS
from .local_servers import LocalMailServers
from .outgoing import attach

ZIPPED = ("LD02", "CDN02")
VIETNAMESE_NAME = {"LD03": "Báo cáo thi đua đợt 1 – LĐLĐ huyện Bảo Lạc.xlsx"}
WRONG_SENDER = ("LD08", "CS01")  # LD08's file sent from CS01's address
HOSTILE = "LD10"
BOMB_MB = 260  # unpacks past the inbox's 200 MB limit


def office_settings(campaign: Campaign, servers: LocalMailServers, account: str) -> None:
    """Point the campaign's mail settings at the local servers (no encryption: loopback)."""
    from workbook_templates.campaign import SECURITY_PLAIN

    m = campaign.mail
    m.smtp_host = m.imap_host = servers.host
    m.smtp_port, m.imap_port = servers.smtp_port, servers.imap_port
    m.smtp_security = m.imap_security = SECURITY_PLAIN
    m.account, m.seconds_between = account, 0.0
    m.sender_name = m.sender_name or f"Ban TCTGNC - {campaign.issuing_body_full}"


def unit_message(sender: str, to: str, subject: str, when: datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = format_datetime(when.astimezone())
    msg["Message-ID"] = make_msgid("donvi")
    msg.set_content("Đơn vị gửi báo cáo thi đua. Trân trọng.")
    return msg


def deliver_returns(servers: LocalMailServers, campaign: Campaign, returns: list[Path],
                    office: str) -> list[str]:
    """Mail each file of ``returns`` (named ``<code>_…``) to ``office``; the notes say how."""
    notes = []
    for path in returns:
        code = path.name.split("_")[0]
        unit = campaign.unit(code)
        if unit is None:
            continue
        from_code = WRONG_SENDER[1] if code == WRONG_SENDER[0] else code
        sender = campaign.unit(from_code)
        when = datetime.fromtimestamp(path.stat().st_mtime)
        when = datetime.combine(when.date(), time(9, 30))
        msg = unit_message(formataddr((sender.name, sender.email)), office,
                       f"Báo cáo thi đua {unit.name}", when)
        data = path.read_bytes()
        if code in ZIPPED:
            attach(msg, f"{path.stem}.zip", _zipped(path.name, data))
        elif code == HOSTILE:
            _hostile(msg, path, data)
            notes.append(f"{code} gửi thư có tên tệp “../../”, tệp nén bom, phần thư hỏng và "
                         f"một thư {4 * MAX_ATTACHMENTS} tệp đính kèm")
        else:
            attach(msg, VIETNAMESE_NAME.get(code, path.name), data)
        servers.append(office, msg.as_bytes())
        if code == HOSTILE:  # then the same file again, 200 times in one message
            servers.append(office, _many(sender.email, office, data, when).as_bytes())
    notes += [f"{', '.join(ZIPPED)} gửi tệp nén .zip",
              f"{', '.join(VIETNAMESE_NAME)} đặt tên tệp tiếng Việt",
              f"Tệp của {WRONG_SENDER[0]} gửi từ địa chỉ của {WRONG_SENDER[1]}"]
    return notes


def _zipped(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return buf.getvalue()


def _hostile(msg: EmailMessage, path: Path, data: bytes) -> None:
    attach(msg, f"../../{path.name}", data)  # a path in the name: kept as the bare name
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("bom.xlsx", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(BOMB_MB):
                member.write(block)
    attach(msg, "bom.zip", bomb.getvalue())
    attach(msg, "hong.xlsx", b"placeholder")
    broken = list(msg.iter_attachments())[-1]
    broken.set_payload("!!!! not base64 !!!!")  # Content-Transfer-Encoding stays base64


def _many(sender: str, office: str, data: bytes, when: datetime) -> EmailMessage:
    msg = unit_message(sender, office, "Gửi lại nhiều lần", when)
    for i in range(4 * MAX_ATTACHMENTS):
        attach(msg, f"BanSao_{i:03d}.xlsx", data)
    return msg
