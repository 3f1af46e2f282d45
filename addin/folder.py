"""A campaign folder: the control workbook and the inbox, outbox and output folders."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONTROL_WORKBOOK = "TongHopThiDua.xlsx"
REGISTER_FILE = "so_theo_doi.sqlite"


@dataclass(frozen=True)
class CampaignFolder:
    """Paths of one campaign. Folder names come from *Cấu hình* (relative to ``root``,
    or absolute)."""

    root: Path
    inbox_name: str = "inbox"
    outbox_name: str = "outbox"
    output_name: str = "output"

    @classmethod
    def at(cls, root: str | Path, campaign=None) -> "CampaignFolder":
        root = Path(root).expanduser().resolve()
        if campaign is None:
            return cls(root)
        return cls(root, campaign.inbox, campaign.outbox, campaign.output)

    @property
    def control(self) -> Path:
        return self.root / CONTROL_WORKBOOK

    @property
    def inbox(self) -> Path:
        return self.root / self.inbox_name

    @property
    def outbox(self) -> Path:
        return self.root / self.outbox_name

    @property
    def output(self) -> Path:
        return self.root / self.output_name

    @property
    def register(self) -> Path:
        return self.root / REGISTER_FILE
