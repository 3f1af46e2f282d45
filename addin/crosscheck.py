"""Checks across files: one file per unit, the same person or collective nominated twice,
quotas per unit type and award form."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from workbook_templates.campaign import TARGET_COLLECTIVE, TARGET_INDIVIDUAL, Campaign
from workbook_templates.forms import (
    COLLECTIVE_NOMINATIONS, INDIVIDUAL_NOMINATIONS, OUTSTANDING, STORY_MIN)
from workbook_templates.identity import bare_key, has_diacritics, name_key, person_key
from workbook_templates.messages import Msg, Problem
from workbook_templates.records import UnitReturn


@dataclass
class Accepted:
    """A file that passed the identity checks, with the unit it belongs to."""

    ret: UnitReturn
    unit_code: str


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
            others = ", ".join(f.ret.path.name for f in files[1:])
            best.ret.problems.append(Problem(Msg.FILE_SEVERAL, file=best.ret.path.name,
                                             unit=code, value=len(files), expected=others))
            for f in files[1:]:
                f.ret.problems.append(Problem(Msg.FILE_SUPERSEDED, file=f.ret.path.name,
                                              unit=code, expected=best.ret.path.name))
    return chosen


def _newness(a: Accepted) -> tuple:
    report = a.ret.report_date or date.min
    received = a.ret.received or datetime.min
    return (report, received, a.ret.path.name)


def check_across(chosen: dict[str, Accepted], campaign: Campaign) -> list[Problem]:
    """Duplicates across the files that count, and quotas per unit."""
    problems: list[Problem] = []
    problems += _duplicates(chosen, INDIVIDUAL_NOMINATIONS.key, Msg.DUPLICATE_PERSON,
                            lambda r: person_key(r.get("ho_ten"), r.get("nam_sinh")),
                            lambda r: _person_label(r), "ho_ten")
    problems += _duplicates(chosen, COLLECTIVE_NOMINATIONS.key, Msg.DUPLICATE_COLLECTIVE,
                            lambda r: (name_key(r.get("ten_tap_the")),
                                       name_key(r.get("thuoc_don_vi"))),
                            lambda r: str(r.get("ten_tap_the")), "ten_tap_the")
    problems += _quotas(chosen, campaign)
    problems += _without_diacritics(chosen)
    problems += _duplicates(chosen, OUTSTANDING.key, Msg.OUTSTANDING_TWICE,  # issue 15
                            lambda r: person_key(r.get("ho_ten"), r.get("nam_sinh")),
                            _person_label, "ho_ten")
    problems += _stories(chosen)
    return problems


def _stories(chosen: dict[str, Accepted]) -> list[Problem]:
    """An outstanding example without its story (E02) or with one too short to publish
    (E03), flagged on the name's cell."""
    problems = []
    for code, a in chosen.items():
        for row in a.ret.tables.get(OUTSTANDING.key, []):
            story = " ".join(str(row.get("thanh_tich") or "").split())
            if len(story) >= STORY_MIN:
                continue
            v = row.values.get("ho_ten")
            if v is None:
                continue
            problems.append(Problem(Msg.STORY_TOO_SHORT if story else Msg.STORY_MISSING,
                                    file=a.ret.path.name, unit=code, sheet=v.sheet,
                                    cell=v.cell, value=row.get("ho_ten"),
                                    detail=str(len(story)), expected=STORY_MIN))
    return problems


def _without_diacritics(chosen: dict[str, Accepted]) -> list[Problem]:
    """A name typed without diacritics that matches a name written with them, with the same
    year of birth or in the same unit (X05): perhaps one person."""
    written: dict[str, list] = defaultdict(list)
    bare_rows = []
    for code, a in chosen.items():
        for row in a.ret.tables.get(INDIVIDUAL_NOMINATIONS.key, []):
            name = row.get("ho_ten")
            if not name:
                continue
            if has_diacritics(name):
                written[bare_key(name)].append((code, a.ret.path.name, row))
            else:
                bare_rows.append((code, a, row))
    problems = []
    for code, a, row in bare_rows:
        matches = [(c, f, r) for c, f, r in written.get(bare_key(row.get("ho_ten")), [])
                   if c == code or (row.get("nam_sinh") and
                                    r.get("nam_sinh") == row.get("nam_sinh"))]
        if not matches:
            continue
        v = row.values["ho_ten"]
        problems.append(Problem(
            Msg.NAME_WITHOUT_DIACRITICS, file=a.ret.path.name, unit=code, sheet=v.sheet,
            cell=v.cell, value=row.get("ho_ten"), expected=matches[0][2].get("ho_ten"),
            detail="; ".join(f"{c} – {f} ô {r.cell('ho_ten')}" for c, f, r in matches),
            extra={"others": [(c, f, r.number) for c, f, r in matches]}))
    return problems


def _person_label(row) -> str:
    year = row.get("nam_sinh")
    return f"{row.get('ho_ten')} ({year})" if year else str(row.get("ho_ten"))


def _duplicates(chosen, form_key, msg, key_of, label_of, field_key) -> list[Problem]:
    seen: dict[str, list] = defaultdict(list)
    for code, a in chosen.items():
        for row in a.ret.tables.get(form_key, []):
            seen[key_of(row)].append((code, a, row))
    problems = []
    for places in seen.values():
        if len(places) < 2:
            continue
        for i, (code, a, row) in enumerate(places):
            others = "; ".join(f"{c} – {x.ret.path.name} ô {r.cell(field_key)}"
                               for j, (c, x, r) in enumerate(places) if j != i)
            v = row.values[field_key]
            problems.append(Problem(msg, file=a.ret.path.name, unit=code, sheet=v.sheet,
                                    cell=v.cell, value=label_of(row), expected=others,
                                    extra={"others": [(c, x.ret.path.name, r.number)
                                                      for j, (c, x, r) in enumerate(places)
                                                      if j != i]}))
    return problems


def _quotas(chosen: dict[str, Accepted], campaign: Campaign) -> list[Problem]:
    problems = []
    for code, a in chosen.items():
        unit = campaign.unit(code)
        for form, target in ((COLLECTIVE_NOMINATIONS, TARGET_COLLECTIVE),
                             (INDIVIDUAL_NOMINATIONS, TARGET_INDIVIDUAL)):
            rows_by_award = defaultdict(list)
            for row in a.ret.tables.get(form.key, []):
                rows_by_award[row.get("hinh_thuc")].append(row)
            for award_name, rows in rows_by_award.items():
                award = campaign.award_form(award_name, target)
                if award is None:
                    continue
                quota = award.quotas.get(unit.type, 0)
                if len(rows) > quota:
                    first_over = rows[quota].values["hinh_thuc"]
                    problems.append(Problem(
                        Msg.QUOTA_EXCEEDED, file=a.ret.path.name, unit=code,
                        sheet=first_over.sheet, cell=first_over.cell, field=award_name,
                        value=len(rows), expected=quota,
                        extra={"rows": [r.number for r in rows], "unit_type": unit.type}))
    return problems
