"""Emulation scores computed once (issue 14): a unit's points per criterion of its block, its
total, and the ranking within each block.

The checker (a total that does not add up), the *Chấm điểm* sheet and the documents all take
their figures from here.

Ranking rule (shown on *Cấu hình*, block XẾP HẠNG THI ĐUA): within a block, by the score
(the federation's total where entered, the self-score total otherwise), highest first; at an
equal score the unit with fewer points deducted is placed higher; units equal on both share
the rank (1, 1, 3 …) and are marked as tied.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Iterable

from .campaign import CRIT_PENALTY, Campaign, Criterion, Unit
from .forms import Form, row_value
from .records import Row


def scored_items(campaign: Campaign, form: Form, unit: Unit, rows: Iterable[Row]
                 ) -> list[tuple[Criterion, float]]:
    """(criterion, points) of every row of ``form`` holding an accepted score."""
    key_field = form.field(form.row_key)
    by_key = {row_value(i, key_field): i for i in campaign.row_items(form.row_source, unit)}
    out = []
    for row in rows:
        item = by_key.get(row.get(form.row_key))
        points = row.get(form.scoring.points)
        if item is not None and isinstance(points, (int, float)):
            out.append((item, float(points)))
    return out


def total(pairs: Iterable[tuple[Criterion, float]]) -> float:
    """Standard and bonus points added, deducted points subtracted."""
    return round(sum(c.signed(p) for c, p in pairs), 2)


def deducted(pairs: Iterable[tuple[Criterion, float]]) -> float:
    return sum(p for c, p in pairs if c.kind == CRIT_PENALTY)


def sections(criteria: Iterable[Criterion]) -> list[str]:
    """The sections of ``criteria`` in order of first appearance."""
    return list(dict.fromkeys(c.section for c in criteria))


@dataclass
class Entry:
    """One unit to rank: its block, its score and the points it had deducted."""

    unit_code: str
    block: str
    score: float
    deducted: float = 0.0
    rank: int = 0
    tied: bool = False


def rank(entries: list[Entry]) -> list[Entry]:
    """Set ``rank`` and ``tied`` of every entry within its block (see the module's rule);
    returns the entries by block, then rank."""
    out: list[Entry] = []
    for _, members in groupby(sorted(entries, key=lambda e: e.block), key=lambda e: e.block):
        ordered = sorted(members, key=lambda e: (-e.score, e.deducted))
        for position, entry in enumerate(ordered, start=1):
            before = out[-1] if out and out[-1].block == entry.block else None
            same = before is not None and (before.score, before.deducted) == (
                entry.score, entry.deducted)
            entry.rank = before.rank if same else position
            if same:
                entry.tied = before.tied = True
            out.append(entry)
    return out
