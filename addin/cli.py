"""``thidua`` — the command line: thin shells over the library the ribbon also calls."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from workbook_templates.messages import SetupError


def _fail_setup(err: SetupError) -> None:
    click.echo(f"Lỗi [{err.problem.code}]: {err.problem.text}", err=True)
    sys.exit(2)


@click.group(help="thidua — tổng hợp phong trào thi đua, khen thưởng (LĐLĐ tỉnh).")
@click.version_option(package_name="thidua")
def main() -> None:
    pass


@main.command(help="Create a campaign folder: control workbook, inbox/, outbox/, output/.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    from .campaign_setup import init_campaign

    control = init_campaign(folder)
    click.echo(f"Đã tạo thư mục phong trào: {folder} (sổ tổng hợp: {control.name})")


@main.command(help="Write one pre-filled workbook per unit into outbox/ for phase N.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--phase", "-p", type=int, required=True, help="Phase (đợt) number.")
def templates(folder: Path, phase: int) -> None:
    from .campaign_setup import write_templates

    try:
        paths = write_templates(folder, phase)
    except SetupError as err:
        _fail_setup(err)
    click.echo(f"Đã tạo {len(paths)} biểu mẫu trong {paths[0].parent if paths else folder}")


if __name__ == "__main__":  # pragma: no cover
    main()
