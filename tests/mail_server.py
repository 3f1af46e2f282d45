"""Dovecot (IMAP) and aiosmtpd (SMTP) on 127.0.0.1 for the mail tests, for the session.
Without Dovecot the tests are skipped — except under ``CI=true``, where they fail."""
from __future__ import annotations

import pytest

from addin.mail.local_servers import LocalMailServers, find_dovecot
from external import unavailable


@pytest.fixture(scope="session")
def mail_servers():
    if find_dovecot() is None:
        unavailable("Mail", "dovecot is not installed (apt-get install dovecot-imapd)")
    servers = LocalMailServers().start()
    try:
        yield servers
    finally:
        servers.close()
