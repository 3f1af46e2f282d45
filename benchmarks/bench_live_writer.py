"""The ribbon's path: the calls the live writer makes into Excel, at N = 100 and N = 1,000.

Each generated set (:func:`benchmarks.generate.generate`) is consolidated as the ribbon's
**Tổng hợp** does it (:class:`addin.live_writer.LivePublish` writing the book open in Excel,
the book saved, the kept copies dropped once the register commits), into an xlwings Book built
from an add-in client's payload (``xw.Book(json=...)``, xlwings' remote engine, which runs
offline under the noncommercial licence key). That Book records every call as an action: over
COM each is a round trip into Excel. The count must not grow with N.

Run: python -m benchmarks.bench_live_writer  (one JSON line on stdout, read by
benchmarks/run.py: {"sizes": {"100": {"actions": A, "sheets": S}, "1000": {...}}}; the
details go to stderr; not part of the tests).
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings registers
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from openpyxl import load_workbook  # noqa: E402

from addin.consolidate import consolidate  # noqa: E402
from addin.live_writer import LivePublish  # noqa: E402
from benchmarks.generate import PHASE, generate  # noqa: E402
from test_macros import make_book  # noqa: E402  # the payload an add-in client sends

SIZES = (100, 1000)


def live_run(n: int, work: Path) -> dict:
    """Consolidate the set of ``n`` into a live book; its actions, sheets written, rows."""
    gen = generate(n, say=lambda text: print(text, file=sys.stderr))
    place = gen.fresh_folder(work / f"n{n}")
    wb = load_workbook(place.control, data_only=True)
    book = make_book(place.control, {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
                                     for ws in wb})
    book.impl._json = {"actions": []}  # as a fresh call from Excel
    live = LivePublish(book)
    started = time.perf_counter()
    result = consolidate(place.root, PHASE, publish=live)
    live.committed()
    seconds = time.perf_counter() - started
    done = book.json()["actions"]
    sheets = len(result.plans) + (result.chart is not None)
    rows = sum(len(p.rows) for p in result.plans)
    links = sum(len(p.links) for p in result.plans)
    fills = sum(1 for p in result.plans for f in p.row_fills.values() if f)
    print(f"  N={n}: {len(done)} actions for {sheets} sheets, {rows} rows, {links} links, "
          f"{fills} filled rows ({seconds:.1f} s consolidating into the live book); "
          f"{dict(Counter(a['func'] for a in done).most_common(6))}", file=sys.stderr)
    return {"actions": len(done), "sheets": sheets}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="thidua-live-") as tmp:
        sizes = {str(n): live_run(n, Path(tmp)) for n in SIZES}
    print(json.dumps({"sizes": sizes}))


if __name__ == "__main__":
    main()
