"""The office's mailbox: settings from *Cấu hình*, the password, and the connections.

The password is never written in the workbook: it comes from ``THIDUA_MAIL_PASSWORD`` (tests,
the demo, a scheduled run), else the operating system's credential store (keyring), else it is
asked for and then kept in that store. A server that cannot be reached or refuses the account
is a :class:`SetupError` (M03, M04) with the library's text kept as the technical detail.
"""
from __future__ import annotations

import imaplib
import os
import smtplib
import ssl
from typing import Callable

from workbook_templates.campaign import SECURITY_PLAIN, SECURITY_SSL, MailSettings
from workbook_templates.messages import Msg, Problem, SetupError
from workbook_templates.settings_sheet import MAIL

from .reasons import reason

PASSWORD_ENV = "THIDUA_MAIL_PASSWORD"
KEYRING_SERVICE = "thidua-mail"
TIMEOUT = 60.0  # seconds for one server exchange
AskPassword = Callable[[str], str | None]  # account -> password typed (None: cannot ask)


def _label(attr: str) -> str:
    return next(p.label for p in MAIL.params if p.attr == f"mail.{attr}")


def require(settings: MailSettings, *attrs: str) -> None:
    """SetupError M01 naming the first of ``attrs`` left empty on Cấu hình."""
    for attr in ("account", *attrs):
        if not str(getattr(settings, attr) or "").strip():
            raise SetupError(Problem(Msg.MAIL_NOT_SET, field=_label(attr)))


def password(settings: MailSettings, ask: AskPassword | None = None) -> str:
    """The account's password: environment, credential store, or asked (then stored)."""
    found = os.environ.get(PASSWORD_ENV)
    if found:
        return found
    keyring = _keyring()
    if keyring is not None:
        try:
            found = keyring.get_password(KEYRING_SERVICE, settings.account)
        except Exception:  # no usable backend on this machine
            keyring = None
    if found:
        return found
    typed = ask(settings.account) if ask is not None else None
    if not typed:
        raise SetupError(Problem(Msg.MAIL_NO_PASSWORD, value=settings.account,
                                 expected=PASSWORD_ENV))
    if keyring is not None:
        try:
            keyring.set_password(KEYRING_SERVICE, settings.account, typed)
        except Exception:  # kept for this run only
            pass
    return typed


def _keyring():
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def _context() -> ssl.SSLContext:
    return ssl.create_default_context()


def smtp_connect(settings: MailSettings, secret: str) -> smtplib.SMTP:
    """A logged-in SMTP connection, with the security set on Cấu hình."""
    require(settings, "smtp_host")
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        if settings.smtp_security == SECURITY_SSL:
            conn = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT,
                                    context=_context())
        else:
            conn = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT)
            if settings.smtp_security != SECURITY_PLAIN:
                conn.starttls(context=_context())
    except (OSError, smtplib.SMTPException) as exc:
        raise SetupError(Problem(Msg.MAIL_CONNECT_FAILED, value=where,
                                 detail=reason(exc))) from exc
    try:
        conn.login(settings.account, secret)
    except smtplib.SMTPNotSupportedError:
        pass  # a server that takes mail without a login (the office's own relay)
    except (OSError, smtplib.SMTPException) as exc:
        conn.close()
        raise SetupError(Problem(Msg.MAIL_LOGIN_FAILED, value=where,
                                 expected=settings.account)) from exc
    return conn


def imap_connect(settings: MailSettings, secret: str) -> imaplib.IMAP4:
    """A logged-in IMAP connection, with the security set on Cấu hình."""
    require(settings, "imap_host")
    where = f"{settings.imap_host}:{settings.imap_port}"
    try:
        if settings.imap_security == SECURITY_SSL:
            conn = imaplib.IMAP4_SSL(settings.imap_host, settings.imap_port,
                                     ssl_context=_context(), timeout=TIMEOUT)
        else:
            conn = imaplib.IMAP4(settings.imap_host, settings.imap_port, timeout=TIMEOUT)
            if settings.imap_security != SECURITY_PLAIN:
                conn.starttls(ssl_context=_context())
    except (OSError, imaplib.IMAP4.error) as exc:
        raise SetupError(Problem(Msg.MAIL_CONNECT_FAILED, value=where,
                                 detail=reason(exc))) from exc
    try:
        conn.login(settings.account, secret)
    except (OSError, imaplib.IMAP4.error) as exc:
        conn.shutdown()
        raise SetupError(Problem(Msg.MAIL_LOGIN_FAILED, value=where,
                                 expected=settings.account)) from exc
    return conn
