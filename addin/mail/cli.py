"""``thidua mail send-templates | fetch | replies``: thin shells over the mail library."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from workbook_templates.messages import Msg, Problem, SetupError

from ..cli_errors import ClerkGroup, Folder, PhaseNumber, fail_setup
from ..progress_bar import progress_bar


def ask_password(account: str) -> str | None:
    """Asked at the terminal (hidden); None when there is no terminal to ask at."""
    if not sys.stdin.isatty():
        return None
    return click.prompt(f"Mật khẩu thư của {account}", hide_input=True, err=True)


def _tell(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(f"{p.severity.value} [{p.code}]: {p.text}")


def _show_run(run) -> None:
    if run.dry_run:
        for out in run.planned:
            files = ", ".join(a.get_filename() for a in out.message.iter_attachments())
            click.echo(f"  {out.unit}\\t{out.address}\\t{out.message['Subject']}\\t{files}")
    _tell(run.problems)
    click.echo(run.summary)


@click.group(cls=ClerkGroup, help="Mail: send the templates, fetch the returns, reply to "
                                  "each unit.")
def mail() -> None:
    pass


@mail.command("send-templates", help="Send each unit its template of phase N from outbox/.")
@click.argument("folder", type=Folder())
@click.option("--phase", "-p", type=PhaseNumber(), required=True, help="Phase (đợt) number.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def send_templates(folder: Path, phase: int, dry_run: bool, quiet: bool) -> None:
    from .outgoing import send_templates as run

    with progress_bar(quiet or dry_run, "Gửi thư") as progress:
        result = run(folder, phase, dry_run=dry_run, ask=ask_password, progress=progress)
    _show_run(result)


@mail.command(help="Save every spreadsheet of the new messages of the office's mailbox "
                   "into inbox/.")
@click.argument("folder", type=Folder())
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def fetch(folder: Path, quiet: bool) -> None:
    from .incoming import fetch_returns

    with progress_bar(quiet, "Đọc thư") as progress:
        result = fetch_returns(folder, ask=ask_password, progress=progress)
    _tell(result.problems)
    click.echo(result.summary)


@mail.command(help="After Consolidate: send each unit that sent a file a receipt or its "
                   "problems.")
@click.argument("folder", type=Folder())
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def replies(folder: Path, dry_run: bool, quiet: bool) -> None:
    from .replies import send_replies

    with progress_bar(quiet or dry_run, "Gửi phản hồi") as progress:
        result = send_replies(folder, dry_run=dry_run, ask=ask_password, progress=progress)
    _show_run(result)


@contextmanager
def local_servers() -> Iterator:
    """The demo's servers on 127.0.0.1; without Dovecot the clerk is told how to get it."""
    from .local_servers import LocalMailServers, find_dovecot

    if find_dovecot() is None:
        fail_setup(SetupError(Problem(Msg.MAIL_NO_LOCAL_SERVER)))
    with LocalMailServers() as servers:
        yield servers
