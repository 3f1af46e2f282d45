"""A campaign folder: the control workbook and the inbox, outbox and output folders."""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

CONTROL_WORKBOOK = "TongHopThiDua.xlsx"
REGISTER_FILE = "so_theo_doi.sqlite"
# A staging folder or temporary file this old was left by a run that was killed (a running
# one finishes in minutes), so the next run may remove it.
LEFTOVER_SECONDS = 3600.0


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


def sweep_leftovers(folder: Path, pattern: str, older_than: float = LEFTOVER_SECONDS
                    ) -> list[Path]:
    """Remove what runs killed half-way left in ``folder`` under ``pattern`` (their own
    staging folders and temporary files, never a unit's or the clerk's file), once older
    than ``older_than`` seconds; return what was removed. What cannot be removed stays."""
    removed = []
    limit = time.time() - older_than
    for path in folder.glob(pattern):
        try:
            if path.lstat().st_mtime > limit:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed
