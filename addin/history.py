"""``thidua history``: a person's or a unit's record, from the register."""
from __future__ import annotations

from pathlib import Path

from .campaign_setup import load_campaign
from .folder import CampaignFolder
from .register import Register
from .register.history import format_history, history_plan
from .workbook_writer import write_control_workbook


def show_history(folder: Path, *, person: str | None = None, unit: str | None = None,
                 write_sheet: bool = True) -> str:
    """The record as text; with ``write_sheet`` also on the *Lịch sử* sheet."""
    place, campaign = load_campaign(folder)
    place = CampaignFolder.at(place.root, campaign)
    with Register.for_campaign(place, campaign) as reg:
        rows = reg.history(person=person, unit=unit)
    if write_sheet:
        write_control_workbook(place.control, [history_plan(rows)])
    return format_history(rows, person=person, unit=unit)
