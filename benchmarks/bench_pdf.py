"""The decision (Quyết định khen thưởng) for 1,000, 2,000 and 5,000 people: Word and PDF.

Each decision is built by ``docgen.documents.build_decision`` — the builder the Documents run
calls — from the data the control workbook would give (people of many grassroots unions, one
group heading per unit, the list in unit order), then converted by ``docgen.pdf.to_pdf``
(LibreOffice). Target (issue 18, point 5): Word under 1 s and PDF under 15 s at 5,000 people,
growing linearly from 1,000.

Run: python -m benchmarks.bench_pdf [--sizes 1000,2000,5000]  (one JSON line on stdout:
word_seconds, pdf_seconds and pages per size; what it does on stderr).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docgen import pdf  # noqa: E402
from docgen.data import DocumentData, Nomination  # noqa: E402
from docgen.documents import DECISION_TEMPLATE, PACKAGE_TEMPLATES, build_decision  # noqa: E402
from tests.docgen_fixtures import POSITIONS, person  # noqa: E402
from workbook_templates.campaign import (  # noqa: E402
    LEVEL_PROVINCE, TARGET_INDIVIDUAL, UT_GRASSROOTS, Unit, default_campaign)

SIZES = (1000, 2000, 5000)
PEOPLE_PER_UNIT = 8  # the most a unit's quota lets it put forward
ACHIEVEMENT = "Hoàn thành xuất sắc nhiệm vụ năm 2020, tiêu biểu trong phong trào thi đua"


def decision_data(people: int) -> tuple[DocumentData, list[Nomination]]:
    """A phase whose individual Bằng khen goes to ``people`` people of ``people / 8`` units."""
    c = default_campaign()
    units = [Unit(f"CS{k:05d}", f"Công đoàn cơ sở Trường Tiểu học số {k + 1}", UT_GRASSROOTS,
                  order=k) for k in range(-(-people // PEOPLE_PER_UNIT))]
    c.units = units
    award = next(a for a in c.award_forms
                 if a.level == LEVEL_PROVINCE and a.target == TARGET_INDIVIDUAL)
    data = DocumentData(c, c.phase(1))
    for i in range(people):
        unit = units[i // PEOPLE_PER_UNIT]
        name, gender = person(i)
        data.nominations.append(Nomination(
            f"N{i}", unit.code, unit.name, TARGET_INDIVIDUAL, name, award, ACHIEVEMENT,
            position=POSITIONS[i % len(POSITIONS)], workplace=unit.name, gender=gender))
    return data, data.nominations


def measure(people: int, folder: Path) -> tuple[float, float, float, int]:
    """Seconds to write the decision, seconds to convert it (wall, and LibreOffice's CPU:
    the figure to compare on a busy machine), and its pages."""
    data, nominees = decision_data(people)
    out = folder / f"QuyetDinh_{people}.docx"
    start = time.perf_counter()
    build_decision(data, nominees, out, template=PACKAGE_TEMPLATES / DECISION_TEMPLATE,
                   number=5, when=date(2020, 7, 15))
    word = time.perf_counter() - start
    start, cpu = time.perf_counter(), _children_cpu()
    made = pdf.to_pdf(out)
    converted = time.perf_counter() - start
    return word, converted, _children_cpu() - cpu, _pages(made)


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return next((int(line.split()[-1]) for line in info.splitlines()
                 if line.startswith("Pages:")), 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    figures: dict[str, dict[str, float]] = {"word_seconds": {}, "pdf_seconds": {}, "pages": {}}
    with tempfile.TemporaryDirectory(prefix="thidua_bench_pdf_") as tmp:
        for n in sizes:
            word, converted, cpu, pages = measure(n, Path(tmp))
            figures["word_seconds"][str(n)] = round(word, 3)
            figures["pdf_seconds"][str(n)] = round(converted, 2)
            figures["pages"][str(n)] = pages
            print(f"Quyết định cho {n} người: Word {word:.2f} s, PDF {converted:.1f} s "
                  f"(LibreOffice {cpu:.1f} s CPU), {pages} trang", file=sys.stderr)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
