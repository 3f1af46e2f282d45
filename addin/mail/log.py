"""The record of every message sent and every attachment received: the *Thư đi, thư đến*
sheet.

The record lives in ``thu_di_thu_den.jsonl`` in the campaign folder, one line appended and
flushed to disk as soon as a message is accepted by the server (or fails): a run stopped
half-way (network down, Excel closed, the machine off) still knows what was sent, so the next
run sends only the rest. The control workbook is rewritten as a whole and may be open in Excel
or restored from a backup; the sheet is therefore a view of the record, written at the end of
each run, not the record itself.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

from workbook_templates.forms import MAIL_LOG_FIELDS, ControlSheet

from ..sheet_plan import SheetPlan

LOG_FILE = "thu_di_thu_den.jsonl"
# Kinds of entries (the sheet's "Loại thư").
TEMPLATE = "Gửi biểu mẫu"
INCOMING = "Thư đến"
RETURN = "Nhận bài"
REPLY = "Phản hồi"
# Results.
SENT = "Đã gửi"
FAILED = "Không gửi được"
SAVED = "Đã lưu"
SKIPPED = "Không lưu"
READ = "Đã đọc"


@dataclass
class Entry:
    kind: str
    result: str
    unit: str = ""
    address: str = ""
    file: str = ""
    message_id: str = ""
    phase: int | None = None
    note: str = ""
    sha256: str = ""  # of the file sent, saved or replied about
    folder: str = ""  # IMAP folder, UIDVALIDITY and UID of a message read
    uidvalidity: int = 0
    uid: int = 0
    time: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))


class MailLog:
    """The append-only record of one campaign folder."""

    def __init__(self, root: Path):
        self.path = Path(root) / LOG_FILE

    def entries(self) -> Iterator[Entry]:
        if not self.path.is_file():
            return
        names = set(Entry.__dataclass_fields__)
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    data = json.loads(line)
                except ValueError:  # a line cut by a crash: the rest still counts
                    continue
                if isinstance(data, dict):
                    yield Entry(**{k: v for k, v in data.items() if k in names})

    def add(self, entry: Entry) -> Entry:
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return entry

    def done(self, kind: str, result: str = SENT) -> set[tuple[str, int | None, str]]:
        """(unit, phase, sha256) of every entry of ``kind`` that ended with ``result``."""
        return {(e.unit, e.phase, e.sha256) for e in self.entries()
                if e.kind == kind and e.result == result}

    def last_uid(self, folder: str, uidvalidity: int) -> int:
        """The highest UID read from ``folder`` under this UIDVALIDITY (0: none)."""
        return max((e.uid for e in self.entries() if e.kind == INCOMING
                    and e.folder == folder and e.uidvalidity == uidvalidity), default=0)


def log_plan(entries: Iterable[Entry]) -> SheetPlan:
    """The *Thư đi, thư đến* sheet, newest last."""
    plan = SheetPlan(ControlSheet.MAIL_LOG, MAIL_LOG_FIELDS)
    for e in entries:
        try:
            when = datetime.fromisoformat(e.time)
        except ValueError:
            when = None
        plan.rows.append([when, e.kind, e.phase, e.unit, e.address, e.file, e.message_id,
                          e.result, e.note])
    return plan


ShowLog = Callable[[SheetPlan], None]  # writes the sheet where the clerk reads it


def write_log_sheet(control: Path, log: MailLog, show: ShowLog | None = None) -> None:
    """Rewrite the *Thư đi, thư đến* sheet from the record: into the control workbook file,
    or with ``show`` (the ribbon writes it into the workbook open in Excel)."""
    from ..workbook_writer import write_control_workbook

    plan = log_plan(log.entries())
    if show is not None:
        show(plan)
    else:
        write_control_workbook(control, [plan])
