"""Issue 17: the mail settings on Cấu hình and the password, which is never in the workbook."""
from __future__ import annotations

import openpyxl
import pytest
from keyring.backend import KeyringBackend

import keyring
from addin.mail import settings as mail_settings
from workbook_templates.campaign import SECURITY_PLAIN, MailSettings, default_campaign
from workbook_templates.control_workbook import create_control_workbook
from workbook_templates.forms import ControlSheet
from workbook_templates.messages import Msg, SetupError
from workbook_templates.settings_sheet import MAIL, read_campaign


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        self.kept = {}

    def get_password(self, service, username):
        return self.kept.get((service, username))

    def set_password(self, service, username, password):
        self.kept[(service, username)] = password

    def delete_password(self, service, username):
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch):
    before = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    monkeypatch.delenv(mail_settings.PASSWORD_ENV, raising=False)
    yield store
    keyring.set_keyring(before)


def test_mail_settings_round_trip_and_no_password_cell(tmp_path):
    campaign = default_campaign()
    campaign.mail = MailSettings("smtp.lan", 25, SECURITY_PLAIN, "imap.lan", 143,
                                 SECURITY_PLAIN, "vp@congdoan.vn", "Văn phòng", "Bài nộp",
                                 "Đã xử lý", 2.5, 7)
    path = create_control_workbook(tmp_path / "c.xlsx", campaign)
    assert read_campaign(path).mail == campaign.mail
    labels = [str(c.value) for c in openpyxl.load_workbook(path)[ControlSheet.SETTINGS]["A"]]
    assert not any("mật khẩu" in label.lower() for label in labels)
    assert [p.label for p in MAIL.params if "Bảo mật" in p.label]


def test_defaults_are_encrypted_and_an_older_workbook_without_the_block_reads(tmp_path):
    assert MailSettings().smtp_security == "STARTTLS" and MailSettings().imap_security == "SSL"
    path = create_control_workbook(tmp_path / "c.xlsx", default_campaign())
    wb = openpyxl.load_workbook(path)
    ws = wb[ControlSheet.SETTINGS]
    start = next(c.row for c in ws["A"] if c.value == MAIL.title)
    ws.delete_rows(start, len(MAIL.params) + 3)
    wb.save(path)
    assert read_campaign(path).mail == MailSettings()


def test_password_from_environment_then_keyring_then_asked(memory_keyring, monkeypatch):
    mail = MailSettings(account="vp@congdoan.vn")
    with pytest.raises(SetupError) as err:
        mail_settings.password(mail, ask=lambda account: None)
    assert err.value.problem.msg is Msg.MAIL_NO_PASSWORD
    asked = []
    assert mail_settings.password(mail, ask=lambda a: asked.append(a) or "bí mật") == "bí mật"
    assert asked == ["vp@congdoan.vn"]
    assert mail_settings.password(mail, ask=None) == "bí mật"  # kept in the keyring
    assert memory_keyring.kept == {("thidua-mail", "vp@congdoan.vn"): "bí mật"}
    monkeypatch.setenv(mail_settings.PASSWORD_ENV, "từ môi trường")
    assert mail_settings.password(mail) == "từ môi trường"


def test_unset_server_and_unreachable_server_are_told():
    with pytest.raises(SetupError) as err:
        mail_settings.smtp_connect(MailSettings(account="vp@x.vn"), "pw")
    assert err.value.problem.msg is Msg.MAIL_NOT_SET
    from addin.mail.local_servers import free_port

    closed = MailSettings(account="vp@x.vn", imap_host="127.0.0.1", imap_port=free_port(),
                          imap_security=SECURITY_PLAIN)
    with pytest.raises(SetupError) as err:
        mail_settings.imap_connect(closed, "pw")
    assert err.value.problem.msg is Msg.MAIL_CONNECT_FAILED
    assert "127.0.0.1" in err.value.problem.text


@pytest.fixture
def loopback_certificate(tmp_path, monkeypatch):
    """A self-signed certificate for 127.0.0.1, trusted through SSL_CERT_FILE."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True,
                   capture_output=True, timeout=60)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    return cert, key


@pytest.mark.parametrize("security", ["STARTTLS", "SSL"])
def test_smtp_security_is_negotiated_as_set(loopback_certificate, security):
    import smtplib
    import ssl

    from aiosmtpd.controller import Controller

    from addin.mail.local_servers import free_port

    cert, key = loopback_certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    received = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope.rcpt_tos)
            return "250 OK"

    from aiosmtpd.smtp import AuthResult

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"pw")

    options = ({"tls_context": context, "require_starttls": True} if security == "STARTTLS"
               else {"server_hostname": "127.0.0.1", "ssl_context": context,
                     "auth_require_tls": False})  # aiosmtpd counts only STARTTLS as TLS
    options["authenticator"] = authenticator
    server = Controller(Keep(), hostname="127.0.0.1", port=free_port(), **options)
    server.start()
    try:
        mail = MailSettings(smtp_host="127.0.0.1", smtp_port=server.port, smtp_security=security,
                            account="vp@congdoan.vn")
        conn = mail_settings.smtp_connect(mail, "pw")
        assert isinstance(conn.sock, ssl.SSLSocket)  # encrypted, the certificate verified
        conn.sendmail("vp@congdoan.vn", ["ld01@congdoan.vn"], b"Subject: t\r\n\r\nx\r\n")
        conn.quit()
        if security == "STARTTLS":  # the same server, told to send in clear, refuses
            plain = MailSettings(smtp_host="127.0.0.1", smtp_port=server.port,
                                 smtp_security=SECURITY_PLAIN, account="vp@congdoan.vn")
            conn = mail_settings.smtp_connect(plain, "pw")
            with pytest.raises(smtplib.SMTPException):  # refused: authentication required
                conn.sendmail("vp@congdoan.vn", ["ld01@congdoan.vn"], b"x")
            conn.close()
    finally:
        server.stop()
    assert received == [["ld01@congdoan.vn"]]
    assert logins == [(b"vp@congdoan.vn", b"pw")]  # logged in only once encrypted
