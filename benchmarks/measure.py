"""One measurement on one generated set, run in its own process so its peak memory is its
own: ``python -m benchmarks.measure STAGE N [--cache DIR] [--budget S]``; prints JSON.

Stages, each on as many worker processes as thidua's consolidation uses (:func:`workers`):
``inflate`` (unzip every worksheet part, nothing else), ``calamine`` (python-calamine reads
every sheet to Python values: the parser's floor), ``baseline``
(``pandas.read_excel(engine="openpyxl", sheet_name=None)``, as an office script would),
``consolidate`` (thidua end to end). The reading-only stages stop after ``--budget`` seconds
and extrapolate from the files read (evenly spread over the set), saying so.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

from addin.folder import CampaignFolder

from .generate import PHASE, default_cache, generate


def workers() -> int:
    """The number of worker processes thidua's consolidation reads with (read_pool's rule:
    ``THIDUA_WORKERS``, else one per core); every contender gets as many."""
    return int(os.environ.get("THIDUA_WORKERS", 0)) or (os.cpu_count() or 1)


# --- memory -----------------------------------------------------------------------------

class TreeMemory:
    """Peak memory of this process and all its descendants, sampled from /proc, summed over
    the processes (the pool's workers run at the same time): as resident memory (RSS, which
    counts the pages forked workers share copy-on-write once per process) and as
    proportional set size (PSS, which divides each shared page among its sharers: the
    memory the tree really takes).

    RSS is cheap to read (``statm``) and is sampled every ``interval``. PSS
    (``smaps_rollup``) makes the kernel walk every page of the process, about 5 ms per
    100 MB: sampled as often as RSS it took a third of a core from the run it measured. It
    is read when the RSS sum comes within :data:`PSS_NEAR` of its peak (PSS never exceeds
    RSS, so its peak lies there), at most every ``pss_interval``, and every
    :data:`PSS_EVERY` seconds besides."""

    def __init__(self, interval: float = 0.05, pss_interval: float = 2.0):
        self.interval, self.pss_interval = interval, pss_interval
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self._pss_at = float("-inf")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample(pss=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self, pss: bool = False) -> None:
        pids = _tree(os.getpid())
        rss = sum(_statm_rss_kb(p) for p in pids)
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        now = time.monotonic()
        since = now - self._pss_at
        if pss or since >= PSS_EVERY or (rss >= PSS_NEAR * self.peak_rss_kb
                                          and since >= self.pss_interval):
            self._pss_at = now
            self.peak_pss_kb = max(self.peak_pss_kb,
                                   sum(_proc_kb(f"/proc/{p}/smaps_rollup", "Pss:")
                                       for p in pids))


PSS_NEAR = 0.9  # PSS is read when the RSS sum is at least this share of its peak so far
PSS_EVERY = 5.0  # seconds: PSS is read at least this often
_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _statm_rss_kb(pid: int) -> int:
    """The resident memory of process ``pid`` in kB (0 when it has gone)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return found


def _proc_kb(path: str, label: str) -> int:
    """The kB figure of the line starting with ``label`` in a /proc file (0 when the process
    has gone)."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(label):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- the stages -------------------------------------------------------------------------

def read_inflate(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                z.read(name)


def read_calamine(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def read_baseline(path: Path) -> None:
    import pandas as pd

    pd.read_excel(path, engine="openpyxl", sheet_name=None)


READERS = {"inflate": read_inflate, "calamine": read_calamine, "baseline": read_baseline}


def reading(stage: str, files: list[Path], budget: float, processes: int = 1) -> dict:
    """Read ``files`` on ``processes`` forked workers: wall time, and CPU time of this
    process and its workers; past ``budget`` seconds, stop and extrapolate both from an
    even spread of the set."""
    read = READERS[stage]
    read(files[0])  # imports and first-call costs, before the fork, are not per-file costs
    order = [files[i] for i in _spread(len(files))]
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    done = 0
    pool = multiprocessing.get_context("fork").Pool(processes)
    try:
        for _ in pool.imap_unordered(read, order, chunksize=4):
            done += 1
            if time.perf_counter() - started > budget:
                break
    finally:
        pool.terminate()
        pool.join()  # reaped: the workers' CPU time is in RUSAGE_CHILDREN
    elapsed = time.perf_counter() - started
    scale = len(files) / done
    return {"files_read": done, "extrapolated": done < len(files), "workers": processes,
            "seconds": elapsed * scale, "seconds_measured": elapsed,
            "cpu_seconds": (_cpu_seconds() - cpu_before) * scale}


def _spread(n: int) -> list[int]:
    """0..n-1 in an order whose every prefix is spread evenly over the range."""
    step = 1
    while step < n:
        step *= 2
    order, seen = [], set()
    while step:
        for i in range(0, n, step):
            if i not in seen:
                seen.add(i)
                order.append(i)
        step //= 2
    return order


def consolidating(place, n: int) -> dict:
    """thidua's consolidation of the campaign folder ``place`` made for the ``n`` files."""
    from addin.consolidate import consolidate
    from workbook_templates.messages import Severity

    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    result = consolidate(place.root, PHASE)
    elapsed = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    c = result.counts
    codes = Counter(p.code for p in result.problems if p.severity is Severity.ERROR)
    if c["units_in"] != n or c["rejected"] or c["errors"]:
        raise AssertionError(f"the generated set does not consolidate cleanly: {c}, {codes}")
    return {"seconds": elapsed, "cpu_seconds": cpu, "files_read": c["files"],
            "extrapolated": False, "workers": workers(), "counts": c,
            "control_bytes": place.control.stat().st_size}


def _prepared(n: int, cache: Path) -> CampaignFolder:
    """The campaign folder of the ``n`` files, made afresh by a child process: the
    generator's campaign and file list never live in this one, which consolidates, so the
    memory measured is the consolidation's (what the generator freed stayed in the
    process: 145 MB of resident memory at 130,000 files, and copied into each forked
    worker as the heap was reused)."""
    target = cache / "runs" / f"n{n}"
    child = multiprocessing.get_context("fork").Process(target=_make_folder,
                                                        args=(n, cache, target))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"preparing the campaign folder of {n} files failed")
    return CampaignFolder.at(target)


def _make_folder(n: int, cache: Path, target: Path) -> None:
    generate(n, cache, say=lambda s: print(s, file=sys.stderr)).fresh_folder(target)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.measure")
    ap.add_argument("stage", choices=[*READERS, "consolidate"])
    ap.add_argument("n", type=int)
    ap.add_argument("--cache", type=Path, default=default_cache())
    ap.add_argument("--budget", type=float, default=180.0)
    args = ap.parse_args(argv)
    if args.stage == "consolidate":
        place = _prepared(args.n, args.cache)
        with TreeMemory() as mem:
            out = consolidating(place, args.n)
    else:
        gen = generate(args.n, args.cache, say=lambda s: print(s, file=sys.stderr))
        with TreeMemory() as mem:
            out = reading(args.stage, gen.files(), args.budget, workers())
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out.update(stage=args.stage, n=args.n, peak_rss_mb=round(mem.peak_rss_kb / 1024, 1),
               peak_pss_mb=round(mem.peak_pss_kb / 1024, 1),
               peak_self_mb=round(self_kb / 1024, 1),
               peak_largest_child_mb=round(child_kb / 1024, 1))
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
