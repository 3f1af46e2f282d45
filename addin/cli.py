"""``thidua`` — the command line: thin shells over the library the ribbon also calls.

Whatever happens, the clerk reads a C-coded Vietnamese message, never a traceback: a wrong
command line is C15 (exit 2), a set-up problem its own code (exit 2), anything unexpected
C18 with the technical detail written to a log file in the campaign folder (exit 1)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from workbook_templates.messages import Msg, Problem, SetupError

from .error_log import write_error_log

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
            _fail_setup(err)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit,
                KeyboardInterrupt, GeneratorExit):
            raise
        except BaseException as exc:  # a bug, or a library's panic: log it, tell the clerk
            _fail_unexpected(_command_name(ctx), ctx.params.get("folder"), exc)


class ClerkGroup(click.Group):
    """The ``thidua`` group: its commands are :class:`ClerkCommand`; a wrong command line
    is told in Vietnamese (C15, exit 2) instead of click's English usage error."""

    command_class = ClerkCommand

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
            _fail_setup(err)
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


ClerkGroup.group_class = ClerkGroup


def _fail_setup(err: SetupError) -> NoReturn:
    click.echo(f"Lỗi [{err.problem.code}]: {err.problem.text}", err=True)
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
    return PARAM_NAMES.get(param.name or "", "/".join(getattr(param, "opts", [])) or
                           param.human_readable_name)


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


@click.group(cls=ClerkGroup, name=PROGRAM,
             help="thidua — tổng hợp phong trào thi đua, khen thưởng (LĐLĐ tỉnh).")
@click.version_option(package_name="thidua")
def main() -> None:
    pass


@main.command(help="Create a campaign folder: control workbook, inbox/, outbox/, output/.")
@click.argument("folder", type=Folder(exists=False))
def init(folder: Path) -> None:
    from .campaign_setup import init_campaign

    try:
        control = init_campaign(folder)
    except SetupError as err:
        _fail_setup(err)
    click.echo(f"Đã tạo thư mục phong trào: {folder} (sổ tổng hợp: {control.name})")


@main.command(help="Write one pre-filled workbook per unit into outbox/ for phase N.")
@click.argument("folder", type=Folder())
@click.option("--phase", "-p", type=PhaseNumber(), required=True, help="Phase (đợt) number.")
def templates(folder: Path, phase: int) -> None:
    from .campaign_setup import write_templates

    try:
        paths = write_templates(folder, phase)
    except SetupError as err:
        _fail_setup(err)
    click.echo(f"Đã tạo {len(paths)} biểu mẫu trong {paths[0].parent if paths else folder}")


@main.command(help="Consolidate every returned file of inbox/ into the control workbook.")
@click.argument("folder", type=Folder())
@click.option("--phase", "-p", type=PhaseNumber(),
              help="Phase (đợt); default: the current phase on Cấu hình.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def consolidate(folder: Path, phase: int | None, quiet: bool) -> None:
    from .consolidate import consolidate as run

    bar = None if quiet else click.progressbar(length=1, label="Đọc tệp", show_pos=True,
                                               file=sys.stderr)

    def progress(done: int, total: int, what: str) -> None:
        if bar is not None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

    try:
        result = run(folder, phase, progress=progress)
    except SetupError as err:
        _fail_setup(err)
    finally:
        if bar is not None:
            bar.render_finish()
    click.echo(result.summary)


@main.command(help="Write the Word documents (decisions, proposal, plaques, certificates; "
                   "--report for the phase report) into output/.")
@click.argument("folder", type=Folder())
@click.option("--phase", "-p", type=PhaseNumber(),
              help="Phase (đợt); default: the current phase.")
@click.option("--report/--no-report", default=True, help="Also write the phase report.")
@click.option("--replace", is_flag=True, help="Replace existing files instead of writing "
                                              "a new numbered version.")
@click.option("--pdf/--no-pdf", default=True, help="PDF copies when LibreOffice or Word is "
                                                   "present.")
def documents(folder: Path, phase: int | None, report: bool, replace: bool, pdf: bool) -> None:
    from docgen.documents import generate_documents, generate_report

    try:
        results = []
        if report:
            results.append(generate_report(folder, phase, replace=replace, pdf=pdf))
        results.append(generate_documents(folder, phase, replace=replace, pdf=pdf))
    except SetupError as err:
        _fail_setup(err)
    for r in results:
        for path in r.paths:
            click.echo(f"  {path}")
        click.echo(r.summary)


@main.command(help="A person's or a unit's record over phases and years, from the register; "
                   "also written to the Lịch sử sheet of the control workbook.")
@click.argument("folder", type=Folder())
@click.option("--person", help="Name of the person or collective (any case and spacing).")
@click.option("--unit", help="Unit code (Mã đơn vị).")
@click.option("--sheet/--no-sheet", default=True, help="Also write the Lịch sử sheet.")
def history(folder: Path, person: str | None, unit: str | None, sheet: bool) -> None:
    from .history import show_history

    try:
        text = show_history(folder, person=person, unit=unit, write_sheet=sheet)
    except SetupError as err:
        _fail_setup(err)
    click.echo(text)


@main.command(help="Run the whole job on the built-in 2020 Cao Bằng demo campaign.")
@click.argument("folder", type=Folder(exists=False))
@click.option("--pdf/--no-pdf", default=True, help="PDF copies when LibreOffice is present.")
def demo(folder: Path, pdf: bool) -> None:
    from .demo import run_demo

    if folder.exists() and any(folder.iterdir()):
        click.echo(f"Thư mục {folder} đã có dữ liệu; chọn một thư mục mới hoặc trống.",
                   err=True)
        sys.exit(2)
    run_demo(folder, say=click.echo, pdf=pdf)


# --- the Excel add-in (thidua.xlam) ------------------------------------------------------
@main.group(help="The Excel add-in thidua.xlam: build it, or install it for Excel (Windows).")
def addin() -> None:
    pass


@addin.command("build", help="Build thidua.xlam (the same bytes every build).")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("."),
              show_default=True, help="Output file, or folder to put thidua.xlam in.")
def addin_build(out: Path) -> None:
    from .excel.build import build_addin

    try:
        built = build_addin(out)
    except OSError as err:  # a file where a folder is needed, no right to write there
        raise click.BadParameter(NOT_WRITABLE.format(out)) from err
    click.echo(f"Đã tạo add-in: {built}")


@addin.command("install", help="Build thidua.xlam into Excel's AddIns folder and have Excel "
                               "open it at start (Windows).")
def addin_install() -> None:
    from .excel.build import install_addin, user_config_path

    try:
        path = install_addin()
    except SetupError as err:
        _fail_setup(err)
    click.echo(f"Đã cài add-in: {path}. Mở lại Excel để thấy thẻ “Thi đua”.")
    click.echo(f"Add-in chạy Python {sys.executable} (ghi trong {user_config_path()}).")


if __name__ == "__main__":  # pragma: no cover
    main()
