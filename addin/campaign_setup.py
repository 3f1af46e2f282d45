"""Setting up a campaign: its folder and control workbook, and the unit templates of a phase.

The library calls behind ``thidua init`` and ``thidua templates`` (and the ribbon's
*Tạo biểu mẫu* button)."""
from __future__ import annotations

from pathlib import Path

from workbook_templates import forms
from workbook_templates.campaign import Campaign, default_campaign
from workbook_templates.control_workbook import create_control_workbook
from workbook_templates.messages import Msg, Problem, SetupError
from workbook_templates.settings_sheet import read_campaign
from workbook_templates.template_writer import write_unit_workbook

from .folder import CampaignFolder
from .workbook_writer import BACKUP_DIR


def init_campaign(folder: Path, campaign: Campaign | None = None) -> Path:
    """Create ``folder`` with a control workbook (the 2020 Cao Bằng campaign unless given),
    inbox/, outbox/ and output/; returns the control workbook's path. Never overwrites."""
    campaign = campaign or default_campaign()
    paths = CampaignFolder.at(folder, campaign)
    if paths.control.exists():
        raise SetupError(Problem(Msg.CONTROL_EXISTS, value=str(paths.control)))
    paths.root.mkdir(parents=True, exist_ok=True)
    for sub in (paths.inbox, paths.outbox, paths.output):
        sub.mkdir(parents=True, exist_ok=True)
    return create_control_workbook(paths.control, campaign)


def load_campaign(folder: Path) -> tuple[CampaignFolder, Campaign]:
    """The campaign folder's paths and the settings read from its control workbook."""
    control = CampaignFolder.at(folder).control
    if not control.exists():
        raise SetupError(Problem(Msg.NO_CONTROL_WORKBOOK, value=str(control)))
    try:
        campaign = read_campaign(control)
    except SetupError as err:
        # read_campaign gives the reader's exception (``technical``) only when the file could
        # not be opened at all (damaged, or no longer a workbook): point at the backups.
        if err.problem.msg is Msg.NOT_CONTROL_WORKBOOK and err.problem.technical:
            raise _unreadable(control, err.problem.technical) from err
        raise
    return CampaignFolder.at(folder, campaign), campaign


def newest_backup(control: Path) -> Path | None:
    """The most recent copy of ``control`` that a run kept in backup/, if any."""
    copies = (control.parent / BACKUP_DIR).glob(f"{control.stem}_*{control.suffix}")
    return max(copies, key=lambda p: (p.stat().st_mtime, p.name), default=None)


def _unreadable(control: Path, technical: str) -> SetupError:
    backup = newest_backup(control)
    if backup is None:
        return SetupError(Problem(Msg.CONTROL_UNREADABLE_NO_BACKUP, value=control.name,
                                  technical=technical))
    return SetupError(Problem(Msg.CONTROL_UNREADABLE, value=control.name,
                              expected=str(backup), technical=technical))


def write_templates(folder: Path, phase: int) -> list[Path]:
    """Write one pre-filled workbook per unit (in unit order) for ``phase`` into outbox/."""
    paths, campaign = load_campaign(folder)
    campaign.phase(phase)  # SetupError (UNKNOWN_PHASE) when Cấu hình has no such phase
    paths.outbox.mkdir(parents=True, exist_ok=True)
    return [write_unit_workbook(
                paths.outbox / forms.template_file_name(unit.code, phase, campaign.year),
                campaign, unit, phase, campaign.unit_forms(phase))
            for unit in campaign.ordered_units()]
