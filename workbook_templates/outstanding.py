"""Issue 15: the rows of the control workbook's *Điển hình* sheet as data, and the figures
of the chosen delegates that the sheet, the pre-flight and the documents all use."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .forms import CONTROL_HEADER_ROW, TOTAL_LABEL, YES, ControlSheet, outstanding_fields
from .identity import name_key, person_key
from .values import parse_yesno

SHEET = ControlSheet.OUTSTANDING


@dataclass
class Proposal:
    """One row of *Điển hình*: the control workbook's row number and its values by key."""

    row: int
    values: dict[str, Any]

    def get(self, key: str) -> str:
        """The value of ``key`` as one line of text ("" when empty)."""
        value = self.values.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(str(value if value is not None else "").split())

    @property
    def chosen(self) -> bool:
        return parse_yesno(self.values.get("chon_dai_bieu")).value == YES

    @property
    def direct(self) -> bool:
        return parse_yesno(self.values.get("truc_tiep_sx")).value == YES

    @property
    def subject(self) -> str:
        return person_key(self.values.get("ho_ten"), self.values.get("nam_sinh"))

    @property
    def story(self) -> str:
        return str(self.values.get("thanh_tich") or "").strip()


def proposals_from_rows(rows: list[list]) -> list[Proposal]:
    """Every proposal of the *Điển hình* rows (header first; columns found by title; the
    totals row left out)."""
    if not rows:
        return []
    header = [name_key(h) for h in rows[CONTROL_HEADER_ROW - 1]]
    cols = {f.key: header.index(name_key(f.title)) for f in outstanding_fields()
            if name_key(f.title) in header}
    found = []
    for n, raw in enumerate(rows[CONTROL_HEADER_ROW:], start=CONTROL_HEADER_ROW + 1):
        values = {k: raw[c] if c < len(raw) else None for k, c in cols.items()}
        if values.get("ho_ten") in (None, "") or values.get("ten_don_vi") == TOTAL_LABEL:
            continue
        found.append(Proposal(n, values))
    return found


def chosen_delegates(rows: list[list]) -> list[Proposal]:
    """The proposals chosen as delegates ("Chọn làm đại biểu" = Có), in sheet order."""
    return [p for p in proposals_from_rows(rows) if p.chosen]


def least_direct(percent: float, chosen: int) -> int:
    """The fewest direct-production workers ``chosen`` delegates must count."""
    return math.ceil(chosen * percent / 100 - 1e-9)


def share_text(direct: int, chosen: int) -> str:
    """"35,0%": the share of direct-production workers, as documents and messages show it."""
    share = 100 * direct / chosen if chosen else 0.0
    return f"{share:.1f}%".replace(".", ",")
