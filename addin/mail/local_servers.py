"""A mail server on 127.0.0.1 for the demo (``thidua demo --mail``) and the tests: Dovecot
(Debian's ``dovecot-imapd``) for IMAP, in a temporary folder with its own configuration, and
aiosmtpd for SMTP, which delivers each message by IMAP APPEND into every recipient's INBOX.
Every address is an account, all with the one password given; nothing listens beyond the
loopback address, and everything is removed on close."""
from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller

LOOPBACK = "127.0.0.1"
START_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def find_dovecot() -> str | None:
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.path.isfile(p)), None)


_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = {host}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 1
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


class _Deliver:
    """aiosmtpd handler: APPEND the message to each recipient's INBOX."""

    def __init__(self, servers: "LocalMailServers"):
        self.servers = servers

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            self.servers.append(rcpt, envelope.original_content or envelope.content)
        return "250 OK"


class LocalMailServers:
    """Dovecot (IMAP) and aiosmtpd (SMTP) on 127.0.0.1; a context manager."""

    def __init__(self, password: str = "thidua-local"):
        self.password = password
        self.host = LOOPBACK
        self.imap_port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="thidua_mail_"))
        self._dovecot: subprocess.Popen | None = None
        self._smtp: Controller | None = None

    @property
    def smtp_port(self) -> int:
        return self._smtp.port if self._smtp else 0

    def start(self) -> "LocalMailServers":
        program = find_dovecot()
        if program is None:
            raise FileNotFoundError("dovecot is not installed (apt-get install dovecot-imapd)")
        user = "dovenull" if os.geteuid() == 0 else pwd.getpwuid(os.getuid()).pw_name
        group = "dovenull" if os.geteuid() == 0 else user
        (self.root / "home").mkdir()
        os.chmod(self.root, 0o755)
        if os.geteuid() == 0:
            shutil.chown(self.root / "home", user, group)
        conf = self.root / "dovecot.conf"
        conf.write_text(_CONFIG.format(root=self.root, host=self.host, port=self.imap_port,
                                       user=user, group=group, password=self.password))
        self._dovecot = subprocess.Popen([program, "-F", "-c", str(conf)],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_imap()
        self._smtp = Controller(_Deliver(self), hostname=self.host, port=free_port())
        self._smtp.start()
        return self

    def _wait_imap(self) -> None:
        limit = time.monotonic() + START_SECONDS
        while time.monotonic() < limit:
            if self._dovecot.poll() is not None:
                raise RuntimeError(f"dovecot stopped: {self._dovecot.stderr.read()[-2000:]!r}")
            try:
                with socket.create_connection((self.host, self.imap_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError("dovecot did not start")

    def imap(self, account: str) -> imaplib.IMAP4:
        conn = imaplib.IMAP4(self.host, self.imap_port, timeout=30)
        conn.login(account, self.password)
        return conn

    def append(self, account: str, raw: bytes, folder: str = "INBOX") -> None:
        conn = self.imap(account.lower())
        try:
            conn.append(folder, None, None, raw)
        finally:
            conn.logout()

    def close(self) -> None:
        if self._smtp is not None:
            self._smtp.stop()
        if self._dovecot is not None:
            self._dovecot.terminate()
            try:
                self._dovecot.wait(10)
            except subprocess.TimeoutExpired:
                self._dovecot.kill()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "LocalMailServers":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
