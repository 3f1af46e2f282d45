"""Benchmarks of issue 18: ``python -m benchmarks.run [--sizes 1000,10000,130000]``.

For each size N: a synthetic campaign of N units and its N returned workbooks (generated
once, cached), then, each in its own process and on the same number of workers, inflating
the worksheets, python-calamine's reading, the baseline (pandas + openpyxl reading) and
thidua's whole consolidation. Then the live writer's and the documents' benchmarks, when
they are there, and the annex's. Prints the five points of issue 18, each target met or
MISSED; writes every figure to ``benchmarks/results/<timestamp>.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from .generate import GENERATOR_VERSION, default_cache, generate
from .measure import workers

STAGES = ("inflate", "calamine", "baseline", "consolidate")
ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("results")
# Issue 18.
RATIO_AT = 10_000  # point 1 is judged at this N
TARGET_OVER_CALAMINE = 1.5  # thidua end to end within this many times calamine's reading
TARGET_PEAK_MB = 600.0  # peak PSS of the process tree, at every N
# "Near zero": 1% of the 122 MB per 1,000 files measured before issue 18 (156 MB over
# 130,000 files).
TARGET_SLOPE_MB = 1.2
SCALE_AT = 130_000  # point 3 is judged at this N
TARGET_SCALE_SECONDS = 600.0
# Linear: the cost of a file added at the largest sizes at most this many times the cost
# of one added at the smallest (ms per added file between consecutive sizes), and the same
# for the PDF's seconds per 1,000 people.
TARGET_LINEARITY = 1.25
TARGET_WORD_SECONDS = 1.0  # the 5,000-person decision
TARGET_PDF_SECONDS = 15.0


def measure(stage: str, n: int, cache: Path, budget: float) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.measure", stage, str(n), "--cache", str(cache),
         "--budget", str(budget)], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"{stage} N={n} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def slope(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Least-squares line through (N, y): (per unit of N, intercept)."""
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    a = sum((x - mx) * (y - my) for x, y in points) / sxx
    return a, my - a * mx


def increments(points: list[tuple[float, float]]) -> list[float]:
    """The cost of one more unit of x between consecutive points (x ascending)."""
    return [(y1 - y0) / (x1 - x0) for (x0, y0), (x1, y1) in zip(points, points[1:])]


# --- the five points --------------------------------------------------------------------

def summarise(runs: dict[int, dict[str, dict]], live: dict | None = None,
              documents: dict | None = None) -> dict:
    """Every figure of the run: per size and stage, and the five points of issue 18, each
    with its targets (name -> met)."""
    sizes = sorted(runs)
    per = {n: {s: {"ms_per_file": 1000 * r["seconds"] / n, "seconds": r["seconds"],
                   "cpu_ms_per_file": 1000 * r["cpu_seconds"] / n,
                   "peak_rss_mb": r["peak_rss_mb"], "peak_pss_mb": r["peak_pss_mb"],
                   "extrapolated": r["extrapolated"]}
               for s, r in runs[n].items()} for n in sizes}
    return {"sizes": per, "points": {
        "1 reading": reading_point(per), "2 memory": memory_point(per),
        "3 scale": scale_point(per), "4 live writer": live_point(live),
        "5 documents": documents_point(documents)}}


def reading_point(per: dict) -> dict:
    """thidua's wall time over each contender's, at every size; judged at RATIO_AT."""
    ratios = {}
    for n, row in per.items():
        if "consolidate" not in row:
            continue
        t = row["consolidate"]["seconds"]
        ratios[n] = {f"over_{s}": t / row[s]["seconds"] for s in STAGES[:-1] if s in row}
    targets = {}
    if "over_calamine" in ratios.get(RATIO_AT, {}):
        targets[f"N = {RATIO_AT:,}: thidua ≤ {TARGET_OVER_CALAMINE}× calamine's reading"] = (
            ratios[RATIO_AT]["over_calamine"] <= TARGET_OVER_CALAMINE)
    return {"ratios": ratios, "targets": targets}


def memory_point(per: dict) -> dict:
    """Peak memory of consolidation at every size, and its slope in N."""
    peaks = {n: {"pss_mb": row["consolidate"]["peak_pss_mb"],
                 "rss_mb": row["consolidate"]["peak_rss_mb"]}
             for n, row in per.items() if "consolidate" in row}
    line = slope([(n, p["pss_mb"]) for n, p in peaks.items()])
    out = {"peaks": peaks, "pss_mb_per_1000_files": None, "pss_fixed_mb": None,
           "targets": {}}
    if not peaks:
        return out
    out["targets"][f"peak PSS ≤ {TARGET_PEAK_MB:.0f} MB at every N"] = all(
        p["pss_mb"] <= TARGET_PEAK_MB for p in peaks.values())
    if line:
        out["pss_mb_per_1000_files"], out["pss_fixed_mb"] = 1000 * line[0], line[1]
        out["targets"][f"slope ≤ {TARGET_SLOPE_MB} MB per 1,000 files"] = (
            1000 * line[0] <= TARGET_SLOPE_MB)
    return out


def scale_point(per: dict) -> dict:
    """Consolidation's seconds and ms per file at every size; its cost per added file."""
    times = [(n, row["consolidate"]["seconds"]) for n, row in per.items()
             if "consolidate" in row]
    added = [1000 * x for x in increments(times)]
    out = {"seconds": dict(times), "ms_per_file": {n: 1000 * t / n for n, t in times},
           "ms_per_added_file": added, "targets": {}}
    if SCALE_AT in out["seconds"]:
        out["targets"][f"N = {SCALE_AT:,} in < {TARGET_SCALE_SECONDS:.0f} s"] = (
            out["seconds"][SCALE_AT] < TARGET_SCALE_SECONDS)
    if len(added) >= 2:
        out["targets"][f"linear: ms per added file at the largest N ≤ {TARGET_LINEARITY}× "
                       "at the smallest"] = added[-1] <= TARGET_LINEARITY * added[0]
    return out


def live_point(data: dict | None) -> dict:
    """The live writer's actions at two sizes (``bench_live_writer``'s JSON): equal up to
    the number of sheets."""
    if not data:
        return {"available": False, "targets": {}}
    sizes = {int(n): v for n, v in data["sizes"].items()}
    small, large = sizes[min(sizes)], sizes[max(sizes)]
    sheets = max(small["sheets"], large["sheets"])
    diff = abs(large["actions"] - small["actions"])
    return {"available": True, "actions": {n: v["actions"] for n, v in sizes.items()},
            "sheets": sheets, "difference": diff,
            "targets": {f"actions at N = {min(sizes):,} and {max(sizes):,} equal up to the "
                        f"{sheets} sheets": diff <= sheets}}


def documents_point(data: dict | None) -> dict:
    """The 5,000-person decision in Word and PDF (``bench_pdf``'s JSON), and the PDF's
    seconds per 1,000 people at the smallest and largest size."""
    if not data:
        return {"available": False, "targets": {}}
    word = {int(n): s for n, s in data["word_seconds"].items()}
    pdf = {int(n): s for n, s in data["pdf_seconds"].items()}
    lo, hi = min(pdf), max(pdf)
    per_1000 = {n: 1000 * pdf[n] / n for n in (lo, hi)}
    targets = {f"Word ({max(word):,} people) < {TARGET_WORD_SECONDS:.0f} s":
               word[max(word)] < TARGET_WORD_SECONDS,
               f"PDF ({hi:,} people) < {TARGET_PDF_SECONDS:.0f} s":
               pdf[hi] < TARGET_PDF_SECONDS,
               f"PDF linear: s per 1,000 people at {hi:,} ≤ {TARGET_LINEARITY}× at {lo:,}":
               per_1000[hi] <= TARGET_LINEARITY * per_1000[lo]}
    return {"available": True, "word_seconds": word, "pdf_seconds": pdf,
            "pdf_seconds_per_1000": per_1000, "targets": targets}


# --- printing ---------------------------------------------------------------------------

def print_report(summary: dict) -> None:
    """The table, the figures of the five points, then every target met or MISSED."""
    print_table(summary["sizes"])
    points = summary["points"]
    _print_consolidation(points)
    _print_others(points)
    print()
    for name, point in points.items():
        for target, ok in point["targets"].items():
            print(f"  target {name[0]}: {target}: {'met' if ok else 'MISSED'}")


def _print_consolidation(points: dict) -> None:
    print("\n1. thidua end to end against the readers on the same workers (wall time):")
    for n, r in points["1 reading"]["ratios"].items():
        parts = [f"{r[k]:.2f}× {k[5:]}" for k in ("over_calamine", "over_inflate") if k in r]
        if "over_baseline" in r:
            parts.append(f"baseline {1 / r['over_baseline']:.1f}× slower than thidua")
        print(f"   N = {n:>7,}: {'; '.join(parts)}")
    mem = points["2 memory"]
    print("2. peak memory of consolidation's process tree (PSS; RSS summed):")
    for n, p in mem["peaks"].items():
        print(f"   N = {n:>7,}: {p['pss_mb']:7.0f} MB PSS  {p['rss_mb']:7.0f} MB RSS")
    if mem["pss_mb_per_1000_files"] is not None:
        print(f"   slope: {mem['pss_mb_per_1000_files']:.2f} MB per 1,000 files "
              f"+ {mem['pss_fixed_mb']:.0f} MB")
    scale = points["3 scale"]
    print("3. consolidation's time:")
    for n, t in scale["seconds"].items():
        print(f"   N = {n:>7,}: {t:8.1f} s  {scale['ms_per_file'][n]:.2f} ms per file")
    if scale["ms_per_added_file"]:
        print("   ms per added file between consecutive sizes: "
              + ", ".join(f"{x:.2f}" for x in scale["ms_per_added_file"]))


def _print_others(points: dict) -> None:
    live = points["4 live writer"]
    print("4. the live writer's actions:")
    if live["available"]:
        print("   " + ", ".join(f"N = {n:,}: {a} actions" for n, a in live["actions"].items())
              + f" ({live['sheets']} sheets)")
    else:
        print("   not available")
    docs = points["5 documents"]
    print("5. the decision's documents:")
    if docs["available"]:
        print("   Word: " + ", ".join(f"{n:,} people {s:.2f} s"
                                     for n, s in docs["word_seconds"].items()))
        print("   PDF: " + ", ".join(f"{n:,} people {s:.1f} s"
                                    for n, s in docs["pdf_seconds"].items())
              + "; per 1,000 people: " + ", ".join(
                  f"{s:.2f} s at {n:,}" for n, s in docs["pdf_seconds_per_1000"].items()))
    else:
        print("   not available")


def print_table(per: dict) -> None:
    head = (f"{'N':>7} {'stage':<12} {'ms/file':>9} {'CPU ms/f':>9} {'total s':>9} "
            f"{'PSS MB':>8} {'RSS MB':>8}")
    print(head)
    print("-" * len(head))
    for n, row in per.items():
        for stage in STAGES:
            if stage in row:
                s = row[stage]
                print(f"{n:>7} {stage:<12} {s['ms_per_file']:>9.2f} {s['cpu_ms_per_file']:>9.2f} "
                      f"{s['seconds']:>9.1f} {s['peak_pss_mb']:>8.0f} {s['peak_rss_mb']:>8.0f}"
                      f"{' *' if s['extrapolated'] else ''}")
    print("* extrapolated from the files read within the time budget")


# --- the other benchmarks ---------------------------------------------------------------

def run_module(name: str) -> dict | None:
    """Run ``python -m benchmarks.<name>`` when the module is there: its exit code, its
    output, and the JSON of its last line when that is JSON."""
    if not (ROOT / "benchmarks" / f"{name}.py").exists():
        return None
    proc = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], capture_output=True,
                          text=True, cwd=ROOT)
    out = {"returncode": proc.returncode, "stdout": proc.stdout[-4000:],
           "stderr": proc.stderr[-4000:], "json": None}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode == 0 and lines:
        try:
            out["json"] = json.loads(lines[-1])
        except ValueError:
            pass
    if proc.returncode != 0:
        print(f"benchmarks.{name} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return out


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    ap.add_argument("--sizes", default="1000,10000,130000",
                    help="numbers of units, comma-separated (default 1000,10000,130000)")
    ap.add_argument("--stages", default=",".join(STAGES), help="stages to run")
    ap.add_argument("--cache", type=Path, default=default_cache(),
                    help="where generated sets are kept between runs")
    ap.add_argument("--budget", type=float, default=180.0,
                    help="seconds a reading-only stage may take before extrapolating")
    for extra in ("live", "documents", "annex"):
        ap.add_argument(f"--no-{extra}", action="store_true",
                        help=f"skip the {extra} benchmark")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    stages = [s for s in STAGES if s in args.stages.split(",")]
    print(f"{workers()} workers for every stage (THIDUA_WORKERS, else one per core)")
    runs: dict[int, dict[str, dict]] = {}
    for n in sizes:
        print(f"N = {n}: generating (cached in {args.cache}) …", flush=True)
        generate(n, args.cache)
        runs[n] = {}
        for stage in stages:
            r = runs[n][stage] = measure(stage, n, args.cache, args.budget)
            print(f"  {stage:<12} {r['seconds']:8.1f} s  {r['peak_pss_mb']:7.0f} MB PSS"
                  f"{'  (extrapolated)' if r['extrapolated'] else ''}", flush=True)
    extras = {name: None if getattr(args, f"no_{flag}") else run_module(name)
              for name, flag in (("bench_live_writer", "live"), ("bench_pdf", "documents"),
                                 ("bench_annex", "annex"))}
    summary = summarise(runs, *((extras[k] or {}).get("json")
                                for k in ("bench_live_writer", "bench_pdf")))
    print()
    print_report(summary)
    if extras["bench_annex"]:
        print("\nthe decision annex (benchmarks/bench_annex.py):")
        print(extras["bench_annex"]["stdout"], end="")
    out = _write_results(argv, runs, summary, extras)
    print(f"\nfigures written to {out}")


def _write_results(argv: list[str] | None, runs: dict, summary: dict, extras: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps({
        "when": datetime.now().isoformat(timespec="seconds"), "generator": GENERATOR_VERSION,
        "command": " ".join(["python -m benchmarks.run", *(argv or sys.argv[1:])]),
        "machine": {"cpus": os.cpu_count(), "workers": workers(),
                    "python": platform.python_version(), "platform": platform.platform()},
        "runs": runs, "summary": summary, "extras": extras}, indent=2, default=str,
        ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
