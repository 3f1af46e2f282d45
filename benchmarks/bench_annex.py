"""The 5,000-person annex: docgen's row copies against python-docx cell by cell.

Run: python benchmarks/bench_annex.py  (prints seconds and the ratio; not part of the tests).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from docx import Document
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docgen.documents import DECISION_TEMPLATE, PACKAGE_TEMPLATES  # noqa: E402
from docgen.render import AnnexTable, render  # noqa: E402
from tests.docgen_fixtures import POSITIONS, person  # noqa: E402
from tests.test_docgen_render import CONTEXT, FIELDS  # noqa: E402

PEOPLE = 5000


def rows() -> list[dict[str, str]]:
    return [{"stt": str(i + 1), "ho_ten": person(i)[0],
             "chuc_vu_don_vi": f"{POSITIONS[i % len(POSITIONS)]}, Công đoàn ngành Giáo dục",
             "thanh_tich": "Hoàn thành xuất sắc nhiệm vụ năm 2020"} for i in range(PEOPLE)]


def with_docgen(out: Path, data: list[dict[str, str]]) -> float:
    tables = {"ca_nhan": AnnexTable(data, FIELDS),
              "tap_the": AnnexTable([], frozenset({"nhom", "stt", "ten", "don_vi",
                                                   "thanh_tich"}))}
    context = dict(CONTEXT, so_ca_nhan=PEOPLE)
    start = time.perf_counter()
    render(PACKAGE_TEMPLATES / DECISION_TEMPLATE, context, out, tables=tables)
    return time.perf_counter() - start


def with_python_docx(out: Path, data: list[dict[str, str]]) -> float:
    start = time.perf_counter()
    doc = Document()
    table = doc.add_table(rows=1, cols=4)
    table.style = doc.styles["Table Grid"]
    for cell, title in zip(table.rows[0].cells, ["STT", "Họ và tên", "Chức vụ, đơn vị công tác",
                                                 "Thành tích"]):
        cell.text = title
    for item in data:
        cells = table.add_row().cells
        for cell, key in zip(cells, ["stt", "ho_ten", "chuc_vu_don_vi", "thanh_tich"]):
            run = cell.paragraphs[0].add_run(item[key])
            run.font.name = "Times New Roman"
            run.font.size = Pt(12)
    doc.save(str(out))
    return time.perf_counter() - start


def main() -> None:
    data = rows()
    with tempfile.TemporaryDirectory() as tmp:
        ours = with_docgen(Path(tmp) / "docgen.docx", data)
        theirs = with_python_docx(Path(tmp) / "python_docx.docx", data)
    print(f"{PEOPLE} người — docgen (sao chép dòng bằng lxml): {ours:.2f} s")
    print(f"{PEOPLE} người — python-docx từng ô: {theirs:.2f} s")
    print(f"Nhanh hơn: {theirs / ours:.1f} lần")


if __name__ == "__main__":
    main()
