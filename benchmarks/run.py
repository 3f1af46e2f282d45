"""Benchmarks of issue 6: ``python -m benchmarks.run --sizes 100,1000,10000``.

For each size N: a synthetic campaign of N units and its N returned workbooks (generated
once, cached), then, each in its own process, the floor (unzip + lxml), python-calamine
reading, the baseline (pandas + openpyxl reading) and thidua's whole consolidation. Prints a
table and the slopes in N; writes every figure to ``benchmarks/results/<timestamp>.json``.
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

STAGES = ("floor", "calamine", "baseline", "consolidate")
RESULTS = Path(__file__).with_name("results")
ANNEX = Path(__file__).with_name("bench_annex.py")
# Issue 6.
TARGET_VS_BASELINE = 4.0  # at N = 1,000, thidua at least this many times faster
TARGET_VS_FLOOR = 3.0  # at N = 1,000, thidua within this many times the floor
TARGET_10K_SECONDS = 60.0
TARGET_10K_MB = 1536.0


def measure(stage: str, n: int, cache: Path, budget: float) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.measure", stage, str(n), "--cache", str(cache),
         "--budget", str(budget)],
        capture_output=True, text=True, cwd=Path(__file__).parent.parent)
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


def summarise(runs: dict[int, dict[str, dict]]) -> dict:
    sizes = sorted(runs)
    per = {}
    for n in sizes:
        r = runs[n]
        row = {s: {"ms_per_file": 1000 * r[s]["seconds"] / n, "seconds": r[s]["seconds"],
                   "cpu_ms_per_file": 1000 * r[s]["cpu_seconds"] / n,
                   "peak_rss_mb": r[s]["peak_rss_mb"], "extrapolated": r[s]["extrapolated"]}
               for s in r}
        if "consolidate" in r:
            t, cpu = r["consolidate"]["seconds"], r["consolidate"]["cpu_seconds"]
            if "baseline" in r:
                row["thidua_vs_baseline"] = r["baseline"]["seconds"] / t
            if "floor" in r:
                row["thidua_over_floor"] = t / r["floor"]["seconds"]
                row["thidua_cpu_over_floor"] = cpu / r["floor"]["cpu_seconds"]
        per[n] = row
    slopes = {}
    for stage in STAGES:
        pts_t = [(n, runs[n][stage]["seconds"]) for n in sizes if stage in runs[n]]
        pts_m = [(n, runs[n][stage]["peak_rss_mb"]) for n in sizes if stage in runs[n]]
        st, sm = slope(pts_t), slope(pts_m)
        if st:
            slopes[stage] = {"ms_per_file": 1000 * st[0], "fixed_seconds": st[1],
                             "mb_per_1000_files": 1000 * sm[0], "fixed_mb": sm[1]}
    return {"sizes": per, "slopes": slopes, "targets": _targets(per)}


def _targets(per: dict) -> dict:
    out = {}
    if 1000 in per:
        row = per[1000]
        if "thidua_vs_baseline" in row:
            out["1000: ≥ 4× faster than baseline"] = row["thidua_vs_baseline"] >= TARGET_VS_BASELINE
        if "thidua_over_floor" in row:
            out["1000: within 3× of floor"] = row["thidua_over_floor"] <= TARGET_VS_FLOOR
    if 10000 in per and "consolidate" in per[10000]:
        c = per[10000]["consolidate"]
        out["10000: under a minute"] = c["seconds"] < TARGET_10K_SECONDS
        out["10000: under 1.5 GB"] = c["peak_rss_mb"] < TARGET_10K_MB
    return out


def print_table(summary: dict) -> None:
    head = (f"{'N':>7} {'stage':<12} {'ms/file':>9} {'CPU ms/f':>9} {'total s':>9} "
            f"{'peak MB':>8}")
    print(head)
    print("-" * len(head))
    for n, row in summary["sizes"].items():
        for stage in STAGES:
            if stage not in row:
                continue
            s = row[stage]
            mark = " *" if s["extrapolated"] else ""
            print(f"{n:>7} {stage:<12} {s['ms_per_file']:>9.2f} {s['cpu_ms_per_file']:>9.2f} "
                  f"{s['seconds']:>9.1f} "
                  f"{s['peak_rss_mb']:>8.0f}{mark}")
        ratios = []
        if "thidua_vs_baseline" in row:
            ratios.append(f"thidua {row['thidua_vs_baseline']:.1f}× faster than baseline")
        if "thidua_over_floor" in row:
            ratios.append(f"{row['thidua_over_floor']:.2f}× the floor "
                          f"({row['thidua_cpu_over_floor']:.2f}× in CPU time)")
        if ratios:
            print(f"{'':>7} {'; '.join(ratios)}")
    print("* extrapolated from the files read within the time budget")
    if summary["slopes"]:
        print("\nslopes in N (least squares over the sizes):")
        for stage, s in summary["slopes"].items():
            print(f"  {stage:<12} {s['ms_per_file']:.2f} ms/file + {s['fixed_seconds']:.1f} s; "
                  f"{s['mb_per_1000_files']:.0f} MB per 1,000 files + {s['fixed_mb']:.0f} MB")
    for name, ok in summary["targets"].items():
        print(f"  target {name}: {'met' if ok else 'MISSED'}")


def run_annex() -> dict | None:
    """The documents benchmark, when it is there (``benchmarks/bench_annex.py``)."""
    if not ANNEX.exists():
        return None
    proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_annex"], capture_output=True,
                          text=True, cwd=Path(__file__).parent.parent)
    print(proc.stdout, end="")
    return {"returncode": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr[-4000:]}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    ap.add_argument("--sizes", default="100,1000,10000",
                    help="numbers of units, comma-separated (default 100,1000,10000)")
    ap.add_argument("--stages", default=",".join(STAGES), help="stages to run")
    ap.add_argument("--cache", type=Path, default=default_cache(),
                    help="where generated sets are kept between runs")
    ap.add_argument("--budget", type=float, default=180.0,
                    help="seconds a reading-only stage may take before extrapolating")
    ap.add_argument("--no-annex", action="store_true", help="skip the documents benchmark")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    stages = [s for s in STAGES if s in args.stages.split(",")]
    runs: dict[int, dict[str, dict]] = {}
    for n in sizes:
        print(f"N = {n}: generating (cached in {args.cache}) …", flush=True)
        generate(n, args.cache)
        runs[n] = {}
        for stage in stages:
            runs[n][stage] = measure(stage, n, args.cache, args.budget)
            r = runs[n][stage]
            print(f"  {stage:<12} {r['seconds']:8.1f} s  {r['peak_rss_mb']:7.0f} MB"
                  f"{'  (extrapolated)' if r['extrapolated'] else ''}", flush=True)
    summary = summarise(runs)
    print()
    print_table(summary)
    annex = None if args.no_annex else run_annex()
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps({
        "when": datetime.now().isoformat(timespec="seconds"), "generator": GENERATOR_VERSION,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "runs": runs, "summary": summary, "annex": annex}, indent=2, default=str,
        ensure_ascii=False))
    print(f"\nfigures written to {out}")


if __name__ == "__main__":
    main()
