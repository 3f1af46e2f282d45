"""Checks across files: one file per unit, the same person or collective nominated twice,
quotas per unit type and award form."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import TYPE_CHECKING

from workbook_templates.campaign import TARGET_COLLECTIVE, TARGET_INDIVIDUAL, Campaign
from workbook_templates.forms import (
    COLLECTIVE_NOMINATIONS, INDIVIDUAL_NOMINATIONS, OUTSTANDING, STORY_MIN)
from workbook_templates.identity import bare_key, has_diacritics, name_key, person_key
from workbook_templates.messages import Msg, Problem
from workbook_templates.records import Row, UnitReturn

from .spill import CHOSEN_NOMINEES, NOMINEES_OF_CHOSEN, Spill

if TYPE_CHECKING:  # plans imports this module
    from .plans import FileOutcome


@dataclass
class Accepted:
    """A file that passed the identity checks, with the unit it belongs to."""

    ret: UnitReturn
    unit_code: str
    file_name: str
    place: int  # the file's place in the run's list

    @classmethod
    def of(cls, outcome: "FileOutcome", place: int) -> "Accepted":
        """The accepted file of ``outcome``, the ``place``-th of the run's list."""
        return cls(outcome.ret, outcome.unit_code, outcome.name, place)


def choose_per_unit(accepted: list[Accepted]) -> dict[str, Accepted]:
    """The file that counts for each unit: the newest by Ngày báo cáo, then file time. Both
    the chosen and the superseded files get a problem row saying so."""
    by_unit: dict[str, list[Accepted]] = defaultdict(list)
    for a in accepted:
        by_unit[a.unit_code].append(a)
    chosen: dict[str, Accepted] = {}
    for code, files in by_unit.items():
        files.sort(key=_newness, reverse=True)
        best = files[0]
        chosen[code] = best
        if len(files) > 1:
            others = ", ".join(f.file_name for f in files[1:])
            best.ret.problems.append(Problem(Msg.FILE_SEVERAL, file=best.file_name,
                                             unit=code, value=len(files), expected=others))
            for f in files[1:]:
                f.ret.problems.append(Problem(Msg.FILE_SUPERSEDED, file=f.file_name,
                                              unit=code, expected=best.file_name))
    return chosen


def _newness(a: Accepted) -> tuple:
    report = a.ret.report_date or date.min
    received = a.ret.received or datetime.min
    return (report, received, a.file_name)


def check_across(chosen: dict[str, Accepted], campaign: Campaign) -> list[Problem]:
    """Duplicates across the files that count, and quotas per unit (the returns whole: their
    keys are put in a spill of their own)."""
    with Spill() as spill:
        for idx, a in enumerate(chosen.values()):
            spill.put(idx, b"", nominee_keys(a.ret))
        spill.choose((idx, idx, code, a.file_name)
                     for idx, (code, a) in enumerate(chosen.items()))
        return check_keys(spill, campaign)


def check_keys(spill: Spill, campaign: Campaign) -> list[Problem]:
    """Duplicates across the files chosen in ``spill``, and quotas per unit, on the keys
    of their nominees."""
    problems: list[Problem] = []
    problems += _duplicates(spill, INDIVIDUAL_NOMINATIONS.key, Msg.DUPLICATE_PERSON)
    problems += _duplicates(spill, COLLECTIVE_NOMINATIONS.key, Msg.DUPLICATE_COLLECTIVE)
    problems += _quotas(spill, campaign)
    problems += _without_diacritics(spill)
    problems += _duplicates(spill, OUTSTANDING.key, Msg.OUTSTANDING_TWICE)  # issue 15
    problems += _stories(spill)
    return problems


_CHECKED = {INDIVIDUAL_NOMINATIONS.key: "ho_ten", COLLECTIVE_NOMINATIONS.key: "ten_tap_the",
            OUTSTANDING.key: "ho_ten"}  # form -> the field a finding is shown on


def nominee_subject(form_key: str, row: Row) -> str:
    """Who a nomination row is about: the person (name and year of birth) or the
    collective's name (part of its nomination id)."""
    if form_key == COLLECTIVE_NOMINATIONS.key:
        return name_key(row.get("ten_tap_the"))
    return person_key(row.get("ho_ten"), row.get("nam_sinh"))


def nominee_keys(ret: UnitReturn) -> list[tuple]:
    """What the checks across files, the register's flags and the nomination ids need of
    each row of the reviewed forms, in the order of spill.NOMINEE_COLUMNS."""
    out = []
    for form_key, shown in _CHECKED.items():
        for seq, row in enumerate(ret.tables.get(form_key, [])):
            name, v, award = row.get(shown), row.values.get(shown), row.values.get("hinh_thuc")
            if form_key == COLLECTIVE_NOMINATIONS.key:
                dup, label = f"{name_key(name)}\x1f{name_key(row.get('thuoc_don_vi'))}", str(name)
            else:
                dup, label = person_key(name, row.get("nam_sinh")), _person_label(row)
            bare = written = story = None
            if form_key == INDIVIDUAL_NOMINATIONS.key and name:
                if has_diacritics(name):
                    written = bare_key(name)
                else:
                    bare = bare_key(name)
            if form_key == OUTSTANDING.key:
                story = len(" ".join(str(row.get("thanh_tich") or "").split()))
            out.append((form_key, seq, row.number, dup, nominee_subject(form_key, row),
                        _plain(name), _plain(row.get("nam_sinh")), label,
                        v.sheet if v else None, v.cell if v else None,
                        _plain(row.get("hinh_thuc")), award.sheet if award else None,
                        award.cell if award else None, bare, written, story))
    return out


def _plain(value):
    """A value as SQLite keeps it (what is not a number or a text, as its text)."""
    return value if value is None or isinstance(value, (int, float, str)) else str(value)


def _stories(spill: Spill) -> list[Problem]:
    """An outstanding example without its story (E02) or with one too short to publish
    (E03), flagged on the name's cell."""
    return [Problem(Msg.STORY_TOO_SHORT if story else Msg.STORY_MISSING, file=file,
                    unit=code, sheet=sheet, cell=cell, value=name, detail=str(story),
                    expected=STORY_MIN)
            for code, file, sheet, cell, name, story in spill.query(
                f"SELECT c.code, c.file, n.sheet, n.cell, n.name, n.story {NOMINEES_OF_CHOSEN} "
                "WHERE n.form = ? AND n.story < ? AND n.sheet IS NOT NULL "
                "ORDER BY c.rank, n.seq", (OUTSTANDING.key, STORY_MIN))]


def _without_diacritics(spill: Spill) -> list[Problem]:
    """A name typed without diacritics that matches a name written with them, with the same
    year of birth or in the same unit (X05): perhaps one person."""
    form = INDIVIDUAL_NOMINATIONS.key
    bare_rows = list(spill.query(
        f"SELECT c.code, c.file, n.bare, n.name, n.birth, n.sheet, n.cell {NOMINEES_OF_CHOSEN} "
        "WHERE n.form = ? AND n.bare IS NOT NULL ORDER BY c.rank, n.seq", (form,)))
    problems = []
    for code, file, bare, name, birth, sheet, cell in bare_rows:
        matches = [m for m in spill.query(
            f"SELECT c.code, c.file, n.name, n.birth, n.cell, n.number {NOMINEES_OF_CHOSEN} "
            "WHERE n.form = ? AND n.written = ? ORDER BY c.rank, n.seq", (form, bare))
            if m[0] == code or (birth and m[3] == birth)]
        if not matches:
            continue
        problems.append(Problem(
            Msg.NAME_WITHOUT_DIACRITICS, file=file, unit=code, sheet=sheet, cell=cell,
            value=name, expected=matches[0][2],
            detail="; ".join(f"{c} – {f} ô {r_cell}" for c, f, _, _, r_cell, _ in matches),
            extra={"others": [(c, f, number) for c, f, _, _, _, number in matches]}))
    return problems


def _person_label(row) -> str:
    year = row.get("nam_sinh")
    return f"{row.get('ho_ten')} ({year})" if year else str(row.get("ho_ten"))


def _duplicates(spill: Spill, form_key: str, msg: Msg) -> list[Problem]:
    groups = list(spill.query(
        f"SELECT n.dup_key {NOMINEES_OF_CHOSEN} WHERE n.form = ? GROUP BY n.dup_key "
        "HAVING COUNT(*) > 1 ORDER BY MIN(c.rank * 1000000 + n.seq)", (form_key,)))
    problems = []
    for (key,) in groups:
        places = list(spill.query(
            f"SELECT c.code, c.file, n.number, n.cell, n.label, n.sheet {NOMINEES_OF_CHOSEN} "
            "WHERE n.form = ? AND n.dup_key IS ? ORDER BY c.rank, n.seq", (form_key, key)))
        for i, (code, file, _, cell, label, sheet) in enumerate(places):
            others = [p for j, p in enumerate(places) if j != i]
            problems.append(Problem(
                msg, file=file, unit=code, sheet=sheet, cell=cell, value=label,
                expected="; ".join(f"{c} – {f} ô {r_cell}" for c, f, _, r_cell, *_ in others),
                extra={"others": [(c, f, number) for c, f, number, *_ in others]}))
    return problems


def _award_counts(spill: Spill, forms: tuple[str, str]) -> Iterator[tuple]:
    """(file index, unit, file, form, award, how many rows propose it) for each award each
    chosen file proposes on ``forms`` (collectives, then individuals), in the order of the
    files and of each award's first row: counted file by file, as the rows come."""
    rows = spill.query(
        f"SELECT n.idx, c.code, c.file, n.form, n.award {CHOSEN_NOMINEES} "
        "WHERE n.form IN (?, ?) ORDER BY c.rank, n.form = ?, n.seq",
        (*forms, INDIVIDUAL_NOMINATIONS.key))
    for (idx, code, file), of_file in groupby(rows, key=lambda row: row[:3]):
        counts = Counter((form, award) for *_, form, award in of_file)  # first row's order
        for (form, award), count in counts.items():
            yield idx, code, file, form, award, count


def _quotas(spill: Spill, campaign: Campaign) -> list[Problem]:
    targets = {COLLECTIVE_NOMINATIONS.key: TARGET_COLLECTIVE,
               INDIVIDUAL_NOMINATIONS.key: TARGET_INDIVIDUAL}
    over = []
    for idx, code, file, form, award_name, count in _award_counts(spill, tuple(targets)):
        award = campaign.award_form(award_name, targets[form])
        if award is None:
            continue
        unit_type = campaign.unit(code).type
        quota = award.quotas.get(unit_type, 0)
        if count > quota:
            over.append((idx, code, file, form, award_name, count, quota, unit_type))
    problems = []
    for idx, code, file, form, award_name, count, quota, unit_type in over:
        rows = list(spill.query("SELECT number, award_sheet, award_cell FROM nominees "
                                "WHERE idx = ? AND form = ? AND award IS ? ORDER BY seq",
                                (idx, form, award_name)))
        _, sheet, cell = rows[quota]
        problems.append(Problem(
            Msg.QUOTA_EXCEEDED, file=file, unit=code, sheet=sheet, cell=cell,
            field=award_name, value=count, expected=quota,
            extra={"rows": [number for number, *_ in rows], "unit_type": unit_type}))
    return problems
