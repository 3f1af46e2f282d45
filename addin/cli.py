"""``thidua`` — the command line: thin shells over the library the ribbon also calls.
How it fails (in Vietnamese, never with a traceback) is :mod:`addin.cli_errors`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_errors import NOT_WRITABLE, PROGRAM, WRONG_WORDS, ClerkGroup, Folder, PhaseNumber
from .progress_bar import progress_bar


@click.group(cls=ClerkGroup, name=PROGRAM,
             help="thidua — tổng hợp phong trào thi đua, khen thưởng (LĐLĐ tỉnh).")
@click.version_option(package_name="thidua")
def main() -> None:
    pass


@main.command(help="Create a campaign folder: control workbook, inbox/, outbox/, output/; "
                   "--from-upper: a lower level's, from the template the level above sent; "
                   "--from: next year's, from last year's folder.")
@click.argument("folder", type=Folder(exists=False))
@click.option("--from-upper", "upper", type=click.Path(exists=True, dir_okay=False,
                                                       path_type=Path),
              help="The template (xlsx) the level above sent for this unit.")
@click.option("--units", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="With --from-upper: a workbook listing the units (as on Đơn vị).")
@click.option("--from", "last", type=Folder(), help="Last year's campaign folder.")
def init(folder: Path, upper: Path | None, units: Path | None, last: Path | None) -> None:
    from .campaign_setup import init_campaign

    to_check = []
    if upper is not None and last is not None:
        raise click.UsageError(WRONG_WORDS)
    if upper is not None:
        from .lower_level import init_from_upper, units_from_workbook

        control, to_check = init_from_upper(
            folder, upper, units_from_workbook(units) if units else None)
    elif last is not None:
        from .new_year import init_from_last_year

        control, to_check = init_from_last_year(folder, last)
    else:
        control = init_campaign(folder)
    click.echo(f"Đã tạo thư mục phong trào: {folder} (sổ tổng hợp: {control.name})")
    for p in to_check:
        click.echo(f"  - {p.text}")


@main.command("report-up", help="Fill the level above's template for this unit from the "
                                "consolidation (Báo cáo lên cấp trên).")
@click.argument("folder", type=Folder())
@click.option("--phase", "-p", type=PhaseNumber(),
              help="Phase (đợt); default: the current phase on Cấu hình.")
def report_up(folder: Path, phase: int | None) -> None:
    from .report_up import report_up as run

    result = run(folder, phase)
    for p in result.problems:
        click.echo(f"  {p.code} {p.text}")
    click.echo(result.summary)
    click.echo(f"  {result.path}")


@main.command(help="Write one pre-filled workbook per unit into outbox/ for phase N.")
@click.argument("folder", type=Folder())
@click.option("--phase", "-p", type=PhaseNumber(), required=True, help="Phase (đợt) number.")
def templates(folder: Path, phase: int) -> None:
    from .campaign_setup import write_templates

    paths = write_templates(folder, phase)
    click.echo(f"Đã tạo {len(paths)} biểu mẫu trong {paths[0].parent if paths else folder}")


@main.command(help="Consolidate every returned file of inbox/ into the control workbook.")
@click.argument("folder", type=Folder())
@click.option("--phase", "-p", type=PhaseNumber(),
              help="Phase (đợt); default: the current phase on Cấu hình.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def consolidate(folder: Path, phase: int | None, quiet: bool) -> None:
    from .consolidate import consolidate as run

    with progress_bar(quiet, "Đọc tệp") as progress:
        result = run(folder, phase, progress=progress)
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
@click.option("--pledges", is_flag=True, help="Write only the emulation pledges (Giao ước thi "
                                              "đua), one per emulation block.")
def documents(folder: Path, phase: int | None, report: bool, replace: bool, pdf: bool,
              pledges: bool) -> None:
    from .documents import generate_documents, generate_pledges, generate_report

    if pledges:  # issue 14: at the start of the year, before any return
        results = [generate_pledges(folder, replace=replace, pdf=pdf)]
    else:
        # The documents first: their check (C20) stops the run before anything is numbered.
        results = [generate_documents(folder, phase, replace=replace, pdf=pdf)]
        if report:
            results.insert(0, generate_report(folder, phase, replace=replace, pdf=pdf))
    for r in results:
        for path in r.paths:
            click.echo(f"  {path}")
        click.echo(r.told)


@main.command(help="A person's or a unit's record over phases and years, from the register; "
                   "also written to the Lịch sử sheet of the control workbook.")
@click.argument("folder", type=Folder())
@click.option("--person", help="Name of the person or collective (any case and spacing).")
@click.option("--unit", help="Unit code (Mã đơn vị).")
@click.option("--sheet/--no-sheet", default=True, help="Also write the Lịch sử sheet.")
def history(folder: Path, person: str | None, unit: str | None, sheet: bool) -> None:
    from .history import show_history

    text = show_history(folder, person=person, unit=unit, write_sheet=sheet)
    click.echo(text)


@main.command(help="Run the whole job on the built-in 2020 Cao Bằng demo campaign.")
@click.argument("folder", type=Folder(exists=False))
@click.option("--pdf/--no-pdf", default=True, help="PDF copies when LibreOffice is present.")
@click.option("--mail", is_flag=True, help="Send, collect and reply by mail, on local IMAP "
                                           "(Dovecot) and SMTP servers on 127.0.0.1.")
def demo(folder: Path, pdf: bool, mail: bool) -> None:
    from .demo import run_demo

    if folder.exists() and any(folder.iterdir()):
        click.echo(f"Thư mục {folder} đã có dữ liệu; chọn một thư mục mới hoặc trống.",
                   err=True)
        sys.exit(2)
    if not mail:
        run_demo(folder, say=click.echo, pdf=pdf)
        return
    from .mail.cli import local_servers

    with local_servers() as servers:
        run_demo(folder, say=click.echo, pdf=pdf, mail=servers)


from .mail.cli import mail  # noqa: E402  (issue 17: ``thidua mail …``)

main.add_command(mail)


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

    path = install_addin()
    click.echo(f"Đã cài add-in: {path}. Mở lại Excel để thấy thẻ “Thi đua”.")
    click.echo(f"Add-in chạy Python {sys.executable} (ghi trong {user_config_path()}).")


if __name__ == "__main__":  # pragma: no cover
    main()
