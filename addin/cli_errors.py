"""How the command line fails: whatever happens, the clerk reads a C-coded Vietnamese message,
never a traceback. A wrong command line is C15 (exit 2), a set-up problem its own code (exit
2), anything unexpected C18 with the technical detail in the campaign folder's error log
(exit 1). :class:`ClerkGroup` is the ``thidua`` group; :class:`Folder` and
:class:`PhaseNumber` check its arguments in Vietnamese."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from workbook_templates.messages import Msg, Problem, SetupError

from .error_log import TECHNICAL_LOGGED, write_error_log

PROGRAM = "thidua"
# What is wrong with a command line, said for C15 (the catalogue's {detail}).
NO_FOLDER = "không có thư mục “{}”"
NOT_A_FOLDER = "“{}” là một tệp, không phải thư mục"
NOT_A_PHASE = "“{}” không phải số đợt (một số nguyên, ví dụ --phase 1)"
MISSING = "thiếu {}"
NO_OPTION = "không có tùy chọn {}"
OPTION_NEEDS_VALUE = "tùy chọn {} cần một giá trị"
NOT_WRITABLE = "không ghi được vào “{}”"
WRONG_WORDS = "tên lệnh hoặc tham số không đúng, hoặc thừa tham số"
# How a parameter is named in those messages.
PARAM_NAMES = {"folder": "thư mục phong trào (FOLDER)", "phase": "số đợt (--phase)"}


class Folder(click.ParamType):
    """A folder argument: one that must exist (``exists``), or may be created."""

    name = "folder"

    def __init__(self, exists: bool = True):
        self.exists = exists

    def convert(self, value, param, ctx) -> Path:
        path = Path(value).expanduser()
        if path.exists() and not path.is_dir():
            self.fail(NOT_A_FOLDER.format(value), param, ctx)
        if self.exists and not path.is_dir():
            self.fail(NO_FOLDER.format(value), param, ctx)
        return path


class PhaseNumber(click.ParamType):
    """A phase number; whether Cấu hình has that phase is the library's check (C07)."""

    name = "N"

    def convert(self, value, param, ctx) -> int:
        try:
            return int(str(value).strip())
        except ValueError:
            self.fail(NOT_A_PHASE.format(value), param, ctx)


class ClerkCommand(click.Command):
    """A command whose failures reach the clerk as coded Vietnamese messages."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SetupError as err:
            fail_setup(err, _command_name(ctx), ctx.params.get("folder"))
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit,
                KeyboardInterrupt, GeneratorExit):
            raise
        except BaseException as exc:  # a bug, or a library's panic: log it, tell the clerk
            _fail_unexpected(_command_name(ctx), ctx.params.get("folder"), exc)


class ClerkGroup(click.Group):
    """The ``thidua`` group: its commands are :class:`ClerkCommand`; a wrong command line
    is told in Vietnamese (C15, exit 2) instead of click's English usage error."""

    command_class = ClerkCommand
    group_class = type  # subgroups (``thidua addin``) are ClerkGroups too

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        args = sys.argv[1:] if args is None else list(args)
        try:
            code = super().main(args, PROGRAM, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as err:  # ``thidua`` alone: its help
            click.echo(err.ctx.get_help() if err.ctx else "", err=True)
            sys.exit(2)
        except click.UsageError as err:
            _fail_usage(err, self._named(args))
        except click.ClickException as err:
            click.echo(_bad_command(self._named(args), WRONG_WORDS), err=True)
            sys.exit(err.exit_code)
        except click.Abort:
            sys.exit(130)
        except SetupError as err:
            fail_setup(err)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            _fail_unexpected(PROGRAM, None, exc)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    def _named(self, args: list[str]) -> str:
        """The command the words of ``args`` name: ``thidua addin build``."""
        names, group = [PROGRAM], self
        for word in args:
            command = group.commands.get(word) if isinstance(group, click.Group) else None
            if command is None:
                break
            names.append(word)
            group = command
        return " ".join(names)


def fail_setup(err: SetupError, command: str = PROGRAM, folder: Path | None = None
               ) -> NoReturn:
    """Tell the clerk the set-up problem, exit 2; a library's own words about it (the
    problem's technical detail) go to the error log, which the message names."""
    click.echo(f"Lỗi [{err.problem.code}]: {err.problem.text}", err=True)
    if err.problem.technical:
        log = write_error_log(folder, command, err)
        click.echo(TECHNICAL_LOGGED.format(log), err=True)
    sys.exit(2)


def _fail_usage(err: click.UsageError, command: str) -> NoReturn:
    if isinstance(err, click.MissingParameter):
        what = MISSING.format(_param_name(err.param))
    elif isinstance(err, click.NoSuchOption):
        what = NO_OPTION.format(err.option_name)
    elif isinstance(err, click.BadOptionUsage):
        what = OPTION_NEEDS_VALUE.format(err.option_name)
    elif isinstance(err, click.BadParameter):
        what = err.message  # our own parameter types say it in Vietnamese
    else:
        what = WRONG_WORDS
    click.echo(_bad_command(command, what), err=True)
    sys.exit(2)


def _bad_command(command: str, what: str) -> str:
    problem = Problem(Msg.BAD_COMMAND_LINE, value=command, detail=what)
    return f"Lỗi [{problem.code}]: {problem.text}"


def _param_name(param: click.Parameter | None) -> str:
    if param is None:
        return "tham số"
    names = getattr(param, "opts", None) or [param.human_readable_name]
    return PARAM_NAMES.get(param.name or "", "/".join(names))


def _command_name(ctx: click.Context) -> str:
    """``thidua consolidate`` (the root is always called ``thidua``)."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join([PROGRAM, *reversed(names)])


def _fail_unexpected(command: str, folder: Path | None, exc: BaseException) -> NoReturn:
    """Write the traceback to the error log, tell the clerk where it is (C18), exit 1."""
    log = write_error_log(folder, command, exc)
    problem = Problem(Msg.UNEXPECTED_ERROR, value=command, expected=str(log))
    click.echo(f"Lỗi [{problem.code}]: {problem.text}", err=True)
    sys.exit(1)
