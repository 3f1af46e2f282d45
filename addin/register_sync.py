"""What a Consolidate run asks of the register and writes into it; the phase's sheets and
the clerk's review, which Documents records too."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from workbook_templates.campaign import TARGET_COLLECTIVE, TARGET_INDIVIDUAL, Campaign
from workbook_templates.forms import (
    CONSOLIDATED_SHEET, DELEGATE_FORM, INDIVIDUAL_NOMINATIONS, NOMINATION_FORMS, OUTSTANDING,
    OUTSTANDING_PROPOSED, TOTAL_LABEL, ControlSheet, consolidated_fields)
from workbook_templates.identity import name_key, person_key
from workbook_templates.messages import Msg, Problem, Severity
from workbook_templates.outstanding import Proposal, proposals_from_rows
from workbook_templates.values import is_blank, yes_no

from .plans import FileOutcome, UnitStatus
from .register import FileRecord, NominationRecord, Register, RunWriter
from .register.store import batched
from .reviews import ReviewKeeper
from .sheet_plan import SheetPlan
from .spill import CHOSEN_NOMINEES, Spill


# How far back a delegate to the conference of outstanding examples is remembered (issue 15):
# the conference is held once in five years.
DELEGATE_MEMORY_YEARS = 5
# The register's status of a file that no unit's status stands on (superseded, or a unit's
# earlier rejected file).
FILE_NOT_USED = "Không dùng"


def settings_snapshot(campaign: Campaign) -> dict[str, Any]:
    """The settings a run used, as the register keeps them (the URL's password hidden)."""
    data = dataclasses.asdict(campaign)
    data["units"] = len(campaign.units)
    if data.get("register_url"):
        data["register_url"] = "***"
    return data


def flag_repeats(reg: Register, campaign: Campaign, phase: int, spill: Spill) -> list[Problem]:
    """Persons proposed now (the files chosen in ``spill``) for a form they were already
    approved or awarded for in the window of years set on Cấu hình (another phase, or an
    earlier year)."""
    years = range(campaign.year - max(campaign.repeat_window_years, 1) + 1, campaign.year + 1)
    return _flag_past(reg, campaign, phase, spill, INDIVIDUAL_NOMINATIONS.key, ("n.award", ()),
                      years, Msg.ALREADY_AWARDED)


def flag_past_delegates(reg: Register, campaign: Campaign, phase: int,
                        spill: Spill) -> list[Problem]:
    """Issue 15: outstanding examples proposed now who were chosen as delegates in the last
    DELEGATE_MEMORY_YEARS years (another phase, or an earlier year): E10 on the name."""
    years = range(campaign.year - DELEGATE_MEMORY_YEARS, campaign.year + 1)
    return _flag_past(reg, campaign, phase, spill, OUTSTANDING.key,
                      ("CASE WHEN n.name != '' THEN ? END", (DELEGATE_FORM,)),
                      years, Msg.DELEGATE_BEFORE)


_BATCH = 1000  # records asked of the register, or written into it, at a time


def _flag_past(reg: Register, campaign: Campaign, phase: int, spill: Spill, form_key: str,
               award: tuple[str, tuple], years: range, msg: Msg) -> list[Problem]:
    """``msg`` on each person of ``form_key``'s rows whom the register has approved for the
    award (``award``: its SQL on the row, and that SQL's parameters) within ``years`` (never
    in this phase)."""
    proposed = spill.query(
        f"SELECT * FROM (SELECT c.code, c.file, n.sheet, n.cell, n.name, n.dup_key, "
        f"{award[0]} AS award {CHOSEN_NOMINEES} "
        "WHERE n.form = ? ORDER BY c.rank, n.seq) WHERE award IS NOT NULL AND award != ''",
        (*award[1], form_key))
    found = []
    for chunk in iter(lambda: proposed.fetchmany(_BATCH), []):
        known = reg.past_awards(((key, award) for *_, key, award in chunk), years,
                                except_phase=(campaign.year, phase))
        for code, file, sheet, cell, name, key, award in chunk:
            past = known.get((key, award))
            if past:
                found.append(Problem(msg, file=file, unit=code, sheet=sheet, cell=cell,
                                     value=name, field=award, detail=past[0].detail))
    return found


def record_consolidation(run: RunWriter, root: Path, outcomes: list[FileOutcome],
                         statuses: list[UnitStatus], plans: list[SheetPlan],
                         campaign: Campaign, spill: Spill) -> None:
    """Files received (each with the fingerprint its worker took, kept in ``spill``),
    nominations with the clerk's review, and results per unit (each written a batch at a
    time, the sheets' rows read from the plans as they go)."""
    for batch in batched(_file_records(root, outcomes, statuses, campaign, spill), _BATCH):
        run.files(batch)
    record_sheets(run, {p.name: _SheetRows(p) for p in plans})
    results = next(p for p in plans if p.name == ControlSheet.RESULTS)
    columns = {i.code: results.column(i.code) for i in campaign.indicators}
    name_col, code_col = results.column("ten_don_vi"), results.column("ma_don_vi")
    for batch in batched((row for row in results.rows if row[name_col] != TOTAL_LABEL),
                         _BATCH):
        run.results_of({row[code_col]: {c: row[i] for c, i in columns.items()
                                        if isinstance(row[i], (int, float))}
                        for row in batch})


def _file_records(root: Path, outcomes: list[FileOutcome], statuses: list[UnitStatus],
                  campaign: Campaign, spill: Spill) -> Iterator[FileRecord]:
    """The register's record of each file of the run, in the run's order."""
    statuses_of_files = _file_statuses(campaign, outcomes, statuses)
    for o, status, fingerprint in zip(outcomes, statuses_of_files, spill.fingerprints(),
                                      strict=True):
        yield FileRecord.of(o.path, unit_code=o.unit_code, status=status,
                            errors=o.count(Severity.ERROR),
                            warnings=o.count(Severity.WARNING), received_at=o.received,
                            root=root, fingerprint=fingerprint)


def _file_statuses(campaign: Campaign, outcomes: list[FileOutcome],
                   statuses: list[UnitStatus]) -> Iterator[str]:
    """What became of each file of ``outcomes``: the status of its unit when that status
    stands on it, else FILE_NOT_USED (each unit's status found by the unit's position in
    the campaign: no index of 130,000 outcomes, 9 MB, beside the workbook's writing)."""
    positions = campaign.unit_positions()
    standing: list[UnitStatus | None] = [None] * len(campaign.units)
    for s in statuses:
        if s.outcome is not None:
            standing[positions[s.unit_code]] = s
    for o in outcomes:
        at = positions.get(o.unit_code)
        s = None if at is None else standing[at]
        yield s.status if s is not None and s.outcome is o else FILE_NOT_USED


class _SheetRows:
    """A plan's header, rows and totals row, read afresh at each iteration."""

    def __init__(self, plan: SheetPlan):
        self._plan = plan

    def __iter__(self) -> Iterator[list]:
        yield self._plan.header
        yield from self._plan.rows
        if self._plan.total_row:
            yield self._plan.total_row


def record_sheets(run: RunWriter, sheets: dict[str, Iterable[list]]) -> None:
    """The phase snapshot (each sheet: header row, then rows) and the review of every
    nomination on the nomination sheets among them (columns found by title)."""
    for name, rows in sheets.items():
        run.sheet(name, rows)
    for form in NOMINATION_FORMS:
        rows = iter(sheets.get(CONSOLIDATED_SHEET[form.key], ()))
        header = next(rows, None)
        if header is None:
            continue
        where = {name_key(title): i for i, title in enumerate(header)}
        columns = {f.key: where.get(name_key(f.title)) for f in consolidated_fields(form)}
        getters = (_getter(columns, row) for row in rows)
        for batch in batched((_nomination(form, get) for get in getters
                              if not is_blank(get("ma_de_nghi"))), _BATCH):
            run.nominations(batch)
    rows = iter(sheets.get(ControlSheet.OUTSTANDING, ()))  # issue 15: who was proposed
    header = next(rows, None)  # and chosen
    for batch in batched(rows, _BATCH) if header is not None else ():
        run.nominations(_proposal_record(p) for p in proposals_from_rows([header, *batch])
                        if p.get("ma_de_nghi"))


def unmatched_records(run: RunWriter, keeper: ReviewKeeper) -> list[NominationRecord]:
    """The reviews no new row claimed, to keep in the register under their old id, with the
    row they were on and what the clerk decided in the note. A row the unit no longer sends
    is no approval (nor a precedent for X03), so it is kept as not reviewed — unless a
    document already lists it: the register then keeps it as that document has it."""
    forms = {CONSOLIDATED_SHEET[f.key]: f for f in NOMINATION_FORMS}
    unmatched = [(forms[sheet], r) for sheet, r in keeper.unmatched() if sheet in forms]
    issued = run.listed_in_documents(r.nomination_id for _, r in unmatched)
    return [dataclasses.replace(
        _nomination(form, lambda key, r=review: r.row.get(key)),
        approved=None, awarded_form="", note=Problem(Msg.REVIEW_KEPT, detail=review.shown).text)
        for form, review in unmatched if review.nomination_id not in issued]


def _getter(columns: dict[str, int | None], row: list) -> Callable[[str], Any]:
    def get(key: str) -> Any:
        i = columns[key]
        return row[i] if i is not None and i < len(row) else None
    return get


def _proposal_record(p: Proposal) -> NominationRecord:
    """An outstanding example as the register keeps it: proposed as such, and "approved"
    with the delegate's place when the clerk chose it (what ``thidua history`` shows)."""
    individual = p.get("doi_tuong") != TARGET_COLLECTIVE
    birth = p.values.get("nam_sinh") if individual else None
    chosen = p.values.get("chon_dai_bieu")
    return NominationRecord(
        nomination_id=p.get("ma_de_nghi"), unit_code=p.get("ma_don_vi"),
        target=TARGET_INDIVIDUAL if individual else TARGET_COLLECTIVE, name=p.get("ho_ten"),
        person_key=p.subject if individual else name_key(p.get("ho_ten")),
        proposed_form=OUTSTANDING_PROPOSED, approved=None if is_blank(chosen) else p.chosen,
        awarded_form=DELEGATE_FORM if p.chosen else "",
        birth_year=int(birth) if isinstance(birth, (int, float)) else None,
        note=p.get("ghi_chu_chon"))


def _nomination(form, get: Callable[[str], Any]) -> NominationRecord:
    individual = form is INDIVIDUAL_NOMINATIONS
    name = get("ho_ten") if individual else get("ten_tap_the")
    birth = get("nam_sinh") if individual else None
    duyet = get("duyet")
    return NominationRecord(
        nomination_id=str(get("ma_de_nghi")), unit_code=str(get("ma_don_vi") or ""),
        target=TARGET_INDIVIDUAL if individual else TARGET_COLLECTIVE,
        name=str(name or ""), person_key=person_key(name, birth) if individual else name_key(name),
        proposed_form=str(get("hinh_thuc") or ""),
        approved=None if is_blank(duyet) else yes_no(duyet) is True,
        awarded_form=str(get("hinh_thuc_duoc_khen") or ""),
        birth_year=int(birth) if isinstance(birth, (int, float)) else None,
        note=str(get("ghi_chu_duyet") or ""))
