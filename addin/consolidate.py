"""Consolidate: collect every returned file, check it, merge what is right, and write the
control workbook. The command line and the ribbon both call :func:`consolidate`.

The register and the control workbook change together or not at all. A run ends in this order:

1. the register's records are written in the run's open transaction (nothing is visible yet;
   what the run reads from the register, the past awards, is read in that transaction too);
2. ``publish`` makes the new workbook visible: the command line has had it written complete
   to a temporary file beside the old one and flushed to disk (by a background process
   started when the files have been read, given the sheets once built, while step 1 went
   on), then copies the old one to ``backup/`` and moves the new one into place
   (``os.replace``); the ribbon writes the book open in Excel and saves it;
3. the register commits.

A failure in 1 or 2 rolls the register back and leaves the previous workbook in place (the
file is not replaced until the temporary file is complete; a replace refused because Excel
holds the file is C09). A failed commit rolls back and calls the undo ``publish`` returned:
the previous workbook comes back from ``backup/`` (the ribbon: the open book's sheets as they
were, saved again). A process killed between 2 and 3 — the time of one COMMIT — leaves the new
workbook with the register as it was; the previous workbook is the newest in ``backup/``, and
running Consolidate again brings both together (a re-run updates, never duplicates).

Memory does not grow with the number of files (issue 18): each worker sends back a light
outcome, and what the file holds goes, as the worker pickled it, into the run's
:class:`~addin.spill.Spill` on disk with the keys the checks across files compare (in SQL
there); the sheets are built in one pass over the chosen files in unit order, each read back
once, into row stores on disk, streamed into the package and into the register in batches.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from workbook_templates.campaign import Campaign
from workbook_templates.forms import STATUS_MISSING
from workbook_templates.messages import Msg, Problem, Severity
from workbook_templates.settings_sheet import read_settings_notes

from .background import Background
from .collect import IgnoredFile, collect
from .crosscheck import Accepted, check_keys, choose_per_unit
from .folder import CampaignFolder
from .heap import collector_at_work, collector_paused, give_back
from .plans import FileOutcome, UnitStatus, build_plans, unit_statuses
from .read_pool import LOG_NAME, Progress, read_all
from .register import Register
from .register_sync import (
    flag_past_delegates, flag_repeats, record_consolidation, settings_snapshot, unmatched_records)
from .reviews import ReviewKeeper, Reviews, read_reviews
from .sheet_plan import ChartPlan, SheetPlan
from .spill import Spill
from .workbook_writer import (
    install_control_workbook, restore_control_workbook, stage_control_workbook, staging_path)

# Makes a result visible where the clerk reads it, inside the register's transaction, and
# returns what puts the previous workbook back should the commit then fail.
Publish = Callable[["ConsolidationResult"], Callable[[], None]]


@dataclass
class ConsolidationResult:
    phase: int
    plans: list[SheetPlan]
    chart: ChartPlan | None
    outcomes: list[FileOutcome]
    statuses: list[UnitStatus]
    problems: list[Problem]
    ignored: list[IgnoredFile]
    output_folder: Path
    backup: Path | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        c = self.counts
        return (f"Đợt {self.phase}: {c['files']} tệp, {c['units_in']}/{c['units']} đơn vị đã "
                f"tổng hợp, {c['rows']} dòng, {c['errors']} lỗi, {c['warnings']} cảnh báo"
                f"{_tail(c)}.")


def _tail(c: dict[str, int]) -> str:
    parts = []
    if c["rejected"]:
        parts.append(f"{c['rejected']} tệp bị loại")
    if c["ignored"]:
        parts.append(f"{c['ignored']} tệp bỏ qua")
    if c["missing"]:
        parts.append(f"{c['missing']} đơn vị chưa nộp")
    return f" ({', '.join(parts)})" if parts else ""


def consolidate(folder: Path, phase: int | None = None, *, campaign: Campaign | None = None,
                reviews: Reviews | None = None, progress: Progress | None = None,
                publish: Publish | None = None, workers: int | None = None
                ) -> ConsolidationResult:
    """Read, check and merge every file of the inbox for ``phase``.

    ``publish`` writes the result where the clerk reads it, before the register commits (see
    the module docstring); by default the control workbook file is rewritten (atomically,
    the previous one kept in ``backup/``); the add-in writes into the workbook open in Excel.
    ``reviews`` defaults to the review columns read from the control workbook file.
    """
    with collector_paused():
        return _consolidate(folder, phase, campaign, reviews, progress, publish, workers)


def _consolidate(folder: Path, phase: int | None, campaign: Campaign | None,
                 reviews: Reviews | None, progress: Progress | None,
                 publish: Publish | None, workers: int | None) -> ConsolidationResult:
    """The run, its returns' rows and its sheets' rows held in a :class:`Spill` on disk:
    removed when the run fails, else when the result is dropped (its plans read it)."""
    files = _FilePublisher() if publish is None else None  # started once the files are read
    spill = Spill()
    try:
        result = _run(folder, phase, campaign, reviews, progress, publish, workers, spill,
                      files)
    except BaseException:
        spill.close()
        raise
    finally:
        if files is not None:
            files.cancel()
    weakref.finalize(result, spill.close)
    return result


def _run(folder: Path, phase: int | None, campaign: Campaign | None, reviews: Reviews | None,
         progress: Progress | None, publish: Publish | None, workers: int | None,
         spill: Spill, files: "_FilePublisher | None") -> ConsolidationResult:
    from .campaign_setup import load_campaign

    with collector_at_work():
        place, loaded = load_campaign(folder)
    campaign = campaign or loaded
    place = CampaignFolder.at(place.root, campaign)
    phase_number = campaign.current_phase if phase is None else phase
    phase_obj = campaign.phase(phase_number)
    paths, ignored = collect(place.inbox)
    outcomes = read_all(paths, campaign, phase_number, spill, progress, workers,
                        log=place.root / LOG_NAME)
    if files is not None:
        files.start()
    chosen = _choose(outcomes, campaign, spill)
    for p in check_keys(spill, campaign):
        chosen[p.unit].problems.append(p)
    _mark_late(chosen.values(), phase_obj)

    undo: Callable[[], None] | None = None
    with Register.for_campaign(place, campaign) as reg:
        try:
            with reg.run(kind="consolidate", year=campaign.year, phase=phase_number,
                         settings=settings_snapshot(campaign)) as run:
                for p in [*flag_repeats(run, campaign, phase_number, spill),
                          *flag_past_delegates(run, campaign, phase_number, spill)]:
                    chosen[p.unit].problems.append(p)
                give_back()
                problems = [p for o in outcomes for p in o.problems]
                problems += [Problem(Msg.FILE_IGNORED, file=i.path.name, detail=i.reason)
                             for i in ignored]
                with collector_at_work():
                    problems += read_settings_notes(place.control)  # an older workbook's
                    if reviews is None:
                        reviews = read_reviews(place.control)
                statuses = unit_statuses(campaign, phase_obj, outcomes, chosen)
                keeper = ReviewKeeper(reviews)
                plans, chart = build_plans(campaign, phase_obj, outcomes, statuses,
                                           problems, keeper, place.control.parent, spill,
                                           campaign.unit_forms(phase_number))
                result = ConsolidationResult(
                    phase_number, plans, chart, outcomes, statuses, problems, ignored,
                    place.output,
                    counts=_counts(outcomes, chosen, statuses, problems, ignored, plans))
                give_back()
                if files is not None:
                    files.begin(result, place.control)
                if progress:
                    progress(len(paths), len(paths), "Ghi sổ theo dõi và sổ tổng hợp")
                record_consolidation(run, place.root, outcomes, statuses, plans, campaign,
                                     spill)
                run.nominations(unmatched_records(run, keeper))
                give_back()
                undo = (publish or files)(result)
        except BaseException:
            if undo is not None:
                undo()
            raise
    return result


def _choose(outcomes: list[FileOutcome], campaign: Campaign,
            spill: Spill) -> dict[str, FileOutcome]:
    """The file that counts for each unit (told to ``spill``, for the checks across files
    and the sheets)."""
    accepted = [Accepted.of(o, i) for i, o in enumerate(outcomes) if o.accepted]
    chosen_accepted = choose_per_unit(accepted)
    order = {u.code: i for i, u in enumerate(campaign.ordered_units())}
    spill.choose((a.place, order.get(code, len(order)), code, a.file_name)
                 for code, a in chosen_accepted.items())
    return {code: outcomes[a.place] for code, a in chosen_accepted.items()}


class _FilePublisher:
    """The command line's publish: the new control workbook written by a background process
    (given the sheets by :meth:`begin`) while the register records — both read the same
    sheets, neither changes them — then put in place, the old one kept in ``backup/``.

    Its process starts (:meth:`start`) when the files have been read: it imports its modules
    while the run checks across files and builds the sheets, and is not beside the reading
    processes at the reading's peak (38 MB waiting, at 130,000 files 10 % of the peak)."""

    def __init__(self) -> None:
        self._writer: Background | None = None
        self._control: Path | None = None
        self._tmp: Path | None = None

    def start(self) -> None:
        self._writer = Background(imports=("addin.workbook_writer",))

    def begin(self, result: ConsolidationResult, control: Path) -> None:
        self._control, self._tmp = control, staging_path(control)
        self._writer.begin(stage_control_workbook, control, result.plans, result.chart,
                           self._tmp)

    def __call__(self, result: ConsolidationResult) -> Callable[[], None]:
        self._writer.result()
        control = self._control
        backup = result.backup = install_control_workbook(control, self._tmp)
        return lambda: restore_control_workbook(control, backup)

    def cancel(self) -> None:
        """Stop the writer wherever it is (idle, or the run failed before its end), and
        remove what it wrote."""
        if self._writer is not None:
            self._writer.cancel()
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)


def _mark_late(chosen, phase) -> None:
    for o in chosen:
        if o.received and o.received.date() > phase.deadline:
            o.problems.append(Problem(Msg.FILE_LATE, file=o.name, unit=o.unit_code,
                                      value=o.received, expected=phase.deadline))


def _counts(outcomes, chosen, statuses, problems, ignored, plans) -> dict[str, int]:
    table_sheets = {p.name for p in plans[2:]}
    return {
        "files": len(outcomes),
        "units": len(statuses),
        "units_in": len(chosen),
        "missing": sum(1 for s in statuses if s.status == STATUS_MISSING),
        "rejected": sum(1 for o in outcomes if not o.accepted),
        "ignored": len(ignored),
        "rows": sum(len(p.rows) for p in plans if p.name in table_sheets),
        "errors": sum(1 for p in problems if p.severity is Severity.ERROR),
        "warnings": sum(1 for p in problems if p.severity is Severity.WARNING),
    }
