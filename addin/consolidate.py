"""Consolidate: collect every returned file, check it, merge what is right, and write the
control workbook. The command line and the ribbon both call :func:`consolidate`."""
from __future__ import annotations

import gc
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from workbook_templates.campaign import Campaign
from workbook_templates.forms import STATUS_MISSING, UNIT_FORMS
from workbook_templates.messages import Msg, Problem, Severity
from workbook_templates.reader import ReadFailure, read_return

from .checks import check_return, unit_from_file_name
from .collect import IgnoredFile, collect
from .crosscheck import Accepted, check_across, choose_per_unit
from .folder import CampaignFolder
from .plans import FileOutcome, UnitStatus, build_plans, unit_statuses
from .register import Register
from .register_sync import (
    flag_repeats, record_consolidation, settings_snapshot, unmatched_records)
from .reviews import ReviewKeeper, Reviews, read_reviews
from .sheet_plan import ChartPlan, SheetPlan
from .workbook_writer import write_control_workbook

Progress = Callable[[int, int, str], None]  # (done, total, what) -> None
# Below this many files a process pool costs more than it saves.
POOL_THRESHOLD = 12


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
                write: bool = True, workers: int | None = None) -> ConsolidationResult:
    """Read, check and merge every file of the inbox for ``phase``.

    With ``write`` the control workbook file is rewritten (atomically, previous one kept in
    ``backup/``); without it the caller writes ``result.plans`` itself (the add-in writes
    them into the workbook open in Excel). ``reviews`` defaults to the review columns read
    from the control workbook file.
    """
    with _gc_paused():
        return _consolidate(folder, phase, campaign, reviews, progress, write, workers)


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector: a consolidation makes millions of small objects
    that all live until it ends, and the collector's passes over them are pure cost (a
    fifth of the time at 10,000 files). Reference counting still frees everything else."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _consolidate(folder: Path, phase: int | None, campaign: Campaign | None,
                 reviews: Reviews | None, progress: Progress | None, write: bool,
                 workers: int | None) -> ConsolidationResult:
    from .campaign_setup import load_campaign

    place, loaded = load_campaign(folder)
    campaign = campaign or loaded
    place = CampaignFolder.at(place.root, campaign)
    phase_number = phase or campaign.current_phase
    phase_obj = campaign.phase(phase_number)
    paths, ignored = collect(place.inbox)
    outcomes = _read_all(paths, campaign, phase_number, progress, workers)

    accepted = [Accepted(o.ret, o.unit_code) for o in outcomes if o.accepted]
    chosen_accepted = choose_per_unit(accepted)
    by_path = {o.path: o for o in outcomes}
    chosen = {code: by_path[a.ret.path] for code, a in chosen_accepted.items()}
    for p in check_across(chosen_accepted, campaign):
        chosen[p.unit].problems.append(p)
    _mark_late(chosen.values(), phase_obj)

    with Register.for_campaign(place, campaign) as reg:
        for p in flag_repeats(reg, campaign, phase_number, chosen):
            chosen[p.unit].problems.append(p)
        problems = [p for o in outcomes for p in o.problems]
        problems += [Problem(Msg.FILE_IGNORED, file=i.path.name, detail=i.reason)
                     for i in ignored]
        statuses = unit_statuses(campaign, phase_obj, outcomes, chosen)
        keeper = ReviewKeeper(read_reviews(place.control) if reviews is None else reviews)
        plans, chart = build_plans(campaign, phase_obj, outcomes, chosen, statuses, problems,
                                   keeper, place.control.parent)
        result = ConsolidationResult(
            phase_number, plans, chart, outcomes, statuses, problems, ignored, place.output,
            counts=_counts(outcomes, chosen, statuses, problems, ignored, plans))
        kept = unmatched_records(reg, keeper)
        if progress:
            progress(len(paths), len(paths), "Ghi sổ theo dõi và sổ tổng hợp")
        # One transaction for the register; the control workbook is replaced inside it, so
        # a failure of either leaves both as they were.
        with reg.run(kind="consolidate", year=campaign.year, phase=phase_number,
                     settings=settings_snapshot(campaign)) as run:
            record_consolidation(run, place.root, outcomes, statuses, plans, campaign)
            run.nominations(kept)
            if write:
                result.backup = write_control_workbook(place.control, plans, chart)
    return result


def _read_all(paths: list[Path], campaign: Campaign, phase: int, progress: Progress | None,
              workers: int | None) -> list[FileOutcome]:
    total = len(paths)
    workers = workers or int(os.environ.get("THIDUA_WORKERS", 0)) or (os.cpu_count() or 1)
    outcomes: list[FileOutcome] = []
    if workers > 1 and total >= POOL_THRESHOLD:
        chunk = max(1, total // (workers * 8))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for i, outcome in enumerate(pool.map(process_file, paths,
                                                 [campaign] * total, [phase] * total,
                                                 chunksize=chunk)):
                outcomes.append(outcome)
                if progress:
                    progress(i + 1, total, outcome.path.name)
    else:
        for i, path in enumerate(paths):
            outcomes.append(process_file(path, campaign, phase))
            if progress:
                progress(i + 1, total, path.name)
    return outcomes


def process_file(path: Path, campaign: Campaign, phase: int) -> FileOutcome:
    """Read and check one file. Never raises: whatever goes wrong becomes a problem row."""
    received = _mtime(path)
    named = unit_from_file_name(path, campaign)
    try:
        ret = read_return(path, campaign)
    except ReadFailure as failure:
        problem = failure.problem
        problem.file, problem.unit = problem.file or path.name, named
        return FileOutcome(path, named, None, False, received, [problem])
    except Exception as exc:  # noqa: BLE001 — one broken file never stops the others
        return FileOutcome(path, named, None, False, received,
                           [Problem(Msg.FILE_READ_CRASH, file=path.name, unit=named,
                                    detail=f"{type(exc).__name__}: {exc}")])
    ret.received = ret.received or received
    try:
        verdict = check_return(ret, campaign, phase, UNIT_FORMS)
    except Exception as exc:  # noqa: BLE001
        ret.problems.append(Problem(Msg.FILE_READ_CRASH, file=path.name,
                                    detail=f"{type(exc).__name__}: {exc}"))
        return FileOutcome(path, ret.unit_code, ret, False, received, ret.problems)
    code = verdict.unit.code if verdict.unit else named
    for p in ret.problems:
        p.unit = p.unit or code
    return FileOutcome(path, code, ret, verdict.accepted, ret.received, ret.problems)


def _mark_late(chosen, phase) -> None:
    for o in chosen:
        if o.received and o.received.date() > phase.deadline:
            o.problems.append(Problem(Msg.FILE_LATE, file=o.path.name, unit=o.unit_code,
                                      value=o.received, expected=phase.deadline))


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None


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
