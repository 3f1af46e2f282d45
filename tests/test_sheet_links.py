"""A sheet's links to the units' files, as the control workbook's package writes them."""
from __future__ import annotations

import io
import re

import addin.xlsx_package as xlsx_package
from addin.xlsx_package import Hyperlinks


def _written(links: Hyperlinks) -> tuple[dict[str, str], int]:
    """Each linked cell's target (file and location) as Excel reads it back, and how many
    relationships the sheet has."""
    sheet, rels = io.BytesIO(), io.BytesIO()
    links.write_xml(sheet)
    links.rels()(rels)
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]*)"', rels.getvalue().decode()))
    cells = {ref: f"{targets[rid]}#{loc}" for ref, rid, loc in re.findall(
        r'<hyperlink ref="(\w+)" r:id="(rId\d+)" location="([^"]*)"/>',
        sheet.getvalue().decode())}
    return cells, len(targets)


def test_rows_file_by_file_take_one_relationship_per_file():
    links = Hyperlinks()
    for r, name in enumerate(["LD01 Đợt 1.xlsx"] * 3 + ["LD02.xlsx"] * 2, start=2):
        links.add(f"A{r}", f"../inbox/{name}#'Khen cá nhân'!B{r}")
    cells, relationships = _written(links)
    assert relationships == 2
    assert cells["A4"] == "../inbox/LD01%20%C4%90%E1%BB%A3t%201.xlsx#'Khen cá nhân'!B4"
    assert cells["A6"] == "../inbox/LD02.xlsx#'Khen cá nhân'!B6"


def test_a_file_linked_again_after_many_others_still_links_to_itself(monkeypatch):
    """Only the last few files' relationships are kept to be looked up again (a sheet of
    130,000 files kept one entry per file): a file linked again after them gets a
    relationship of its own, and every cell still opens its own file."""
    monkeypatch.setattr(xlsx_package, "RECENT_FILES", 2)
    links = Hyperlinks()
    names = ["A.xlsx", "B.xlsx", "C.xlsx", "A.xlsx", "C.xlsx"]
    for r, name in enumerate(names, start=2):
        links.add(f"A{r}", f"{name}#'S'!A{r}")
    cells, relationships = _written(links)
    assert cells == {f"A{r}": f"{name}#'S'!A{r}" for r, name in enumerate(names, start=2)}
    assert relationships == 4  # A, B, C, and A again once B and C came between
