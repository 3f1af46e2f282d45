"""A consolidated sheet longer than Excel opens goes on in continuation sheets (issue 18: at
130,000 units *Đăng ký* needs 1.43 million rows): written by both writers, read back joined
by the documents and the reviews, located part by part by the check before printing, and
gone when a later run is shorter. The part size is made small here; the code splits at
``PART_ROWS`` whatever it is."""
from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import openpyxl
from lxml import etree

import workbook_templates.continued_sheets as continued_sheets
from addin.consolidate import consolidate
from addin.folder import CampaignFolder
from addin.campaign_setup import load_campaign
from addin.flags import ERROR_FILL, OK_FILL, WARNING_FILL
from addin.live_writer import write_plans
from addin.sheet_plan import SheetPlan
from addin.preflight import check
from docgen.data import read_control_sheets
from workbook_templates.continued_sheets import joined_rows, part_name, row_address, sheet_parts
from workbook_templates.forms import CONTROL_HEADER_ROW, STATUS_FIELDS, TOTAL_LABEL, ControlSheet
from workbook_templates.messages import Msg

from test_consolidate import folder, good_sheets, person, put  # noqa: F401
from test_live_writer import _people as people_plan
from test_macros import actions, make_book, remote_engine  # noqa: F401
from writer_process import set_in_writer

PEOPLE = [person("Lê Thị Hạnh", 1988), person("Sầm Văn Toàn", 1975),
          person("Ma Thị Huyền", 1983), person("Nông Văn Dũng", 1979),
          person("Hoàng Thị Mai", 1990)]
PERSON_SHEET = ControlSheet.INDIVIDUAL


def test_part_names_and_addresses(monkeypatch):
    monkeypatch.setattr(continued_sheets, "PART_ROWS", 3)
    assert part_name("Đăng ký", 1) == "Đăng ký" and part_name("Đăng ký", 3) == "Đăng ký (3)"
    assert row_address("Đăng ký", 0) == ("Đăng ký", CONTROL_HEADER_ROW + 1)
    assert row_address("Đăng ký", 2) == ("Đăng ký", CONTROL_HEADER_ROW + 3)
    assert row_address("Đăng ký", 3) == ("Đăng ký (2)", CONTROL_HEADER_ROW + 1)
    names = ["Lỗi", "Đăng ký", "Đăng ký (2)", "Đăng ký (4)"]
    assert sheet_parts("Đăng ký", names) == ["Đăng ký", "Đăng ký (2)"]  # a gap ends them
    assert sheet_parts("Công trình", names) == []
    rows = {"Đăng ký": [["h"], [1], [2]], "Đăng ký (2)": [["h"], [3]]}
    assert joined_rows("Đăng ký", names, rows.__getitem__) == [["h"], [1], [2], [3]]
    assert joined_rows("Công trình", names, rows.__getitem__) is None


def _names(rows: list[list], header: list) -> list[str]:
    col = header.index("Họ và tên")
    return [r[col] for r in rows]


def _sheet(control: Path, name: str) -> tuple[list, list[list]]:
    ws = openpyxl.load_workbook(control)[name]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def _print_titles_on_their_sheets(control: Path) -> None:
    """Every sheet-scoped print name is scoped to the sheet it refers to (sheets inserted
    and removed in the middle of the book renumber them)."""
    with zipfile.ZipFile(control) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
    ns = {"m": book.nsmap[None]}
    names = [s.get("name") for s in book.iterfind("m:sheets/m:sheet", ns)]
    scoped = book.findall("m:definedNames/m:definedName[@localSheetId]", ns)
    assert scoped
    for dn in scoped:
        sheet = names[int(dn.get("localSheetId"))]
        assert dn.text.startswith("'" + sheet.replace("'", "''") + "'!"), (sheet, dn.text)


def test_a_long_sheet_is_written_in_parts_read_back_joined_and_reviewed(
        folder, monkeypatch):  # noqa: F811
    set_in_writer(monkeypatch, continued_sheets, "PART_ROWS", 2)
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets(PEOPLE), unit="LD01")
    put(folder, "LD02_Dot1_2020.xlsx", good_sheets([PEOPLE[0]]), unit="LD02")  # twice
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    book = openpyxl.load_workbook(control)
    at = book.sheetnames.index(PERSON_SHEET)
    assert book.sheetnames[at:at + 3] == [PERSON_SHEET, f"{PERSON_SHEET} (2)",
                                          f"{PERSON_SHEET} (3)"]
    parts = [_sheet(control, part_name(PERSON_SHEET, n)) for n in (1, 2, 3)]
    assert [len(rows) for _, rows in parts] == [2, 2, 2]
    assert all(header == parts[0][0] for header, _ in parts)  # each part has the header
    names = [n for header, rows in parts for n in _names(rows, header)]
    assert sorted(names) == sorted(p["Họ và tên"] for p in [*PEOPLE, PEOPLE[0]])
    header, rows = parts[0]
    flag = rows[names.index(PEOPLE[0]["Họ và tên"])][header.index("Cảnh báo")]
    assert f"LD02, dòng 3 trang “{PERSON_SHEET} (3)”" in flag  # the row where it is
    joined = read_control_sheets(control)[PERSON_SHEET]
    assert _names(joined[1:], joined[0]) == names  # the documents read every part, in order
    _print_titles_on_their_sheets(control)

    # The clerk approves the last row, on the third part, without the form to award.
    wb = openpyxl.load_workbook(control)
    ws = wb[f"{PERSON_SHEET} (3)"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Duyệt") + 1).value = "Có"
    ws.cell(2, header.index("Ghi chú") + 1).value = "Đã xác minh"
    wb.save(control)
    campaign = load_campaign(folder)[1]
    found = [p for p in check(CampaignFolder.at(folder, campaign), campaign, 1)
             if p.msg is Msg.PREFLIGHT_NO_FORM]
    assert [(p.sheet, p.cell, p.value) for p in found] == [
        (f"{PERSON_SHEET} (3)", "A2", names[4])]

    # A run with every row on one sheet keeps the review and leaves no continuation.
    set_in_writer(monkeypatch, continued_sheets, "PART_ROWS", 100)
    consolidate(folder, 1)
    book = openpyxl.load_workbook(control)
    assert sheet_parts(PERSON_SHEET, book.sheetnames) == [PERSON_SHEET]
    header, rows = _sheet(control, PERSON_SHEET)
    reviewed = [r for r in rows if r[header.index("Ghi chú")] == "Đã xác minh"]
    assert [r[header.index("Họ và tên")] for r in reviewed] == [names[4]]
    assert reviewed[0][header.index("Duyệt")] == "Có"
    _print_titles_on_their_sheets(control)


def test_the_live_writer_writes_the_same_parts_and_removes_a_longer_runs(
        monkeypatch, remote_engine):  # noqa: F811
    monkeypatch.setattr(continued_sheets, "PART_ROWS", 2)
    stale = part_name(PERSON_SHEET, 4)
    book = make_book(Path("TongHopThiDua.xlsx"), {ControlSheet.SETTINGS: [["x"]],
                                                   stale: [["dòng cũ"]]})
    plan = people_plan(5)
    write_plans(book, [plan])
    parts = [part_name(PERSON_SHEET, n) for n in (1, 2, 3)]
    assert [s.name for s in book.sheets] == [ControlSheet.SETTINGS, *parts]
    written = [a["values"] for a in actions(book, "setValues")]  # one write per part
    assert [len(values) for values in written] == [3, 3, 3]  # header + 2, 2, 1 + totals
    assert all(values[0] == plan.header for values in written)
    col = plan.column("nam_sinh")
    assert [r[col] for values in written for r in values[1:]][:5] == [r[col] for r in plan.rows]
    assert written[2][-1][plan.column("ho_ten")] == TOTAL_LABEL  # the totals on the last
    assert TOTAL_LABEL not in [r[plan.column("ho_ten")] for r in written[0] + written[1]]
    assert actions(book, "sheetDelete")  # the longer run's fourth part


def test_row_fills_go_with_their_rows_into_the_parts_and_to_another_process(monkeypatch):
    """A sheet's row fills, kept two bytes a row: set, replaced, cleared, and shifted into
    each part with the rows they colour; pickled whole (the writer is another process)."""
    monkeypatch.setattr(continued_sheets, "PART_ROWS", 2)
    plan = SheetPlan(PERSON_SHEET, STATUS_FIELDS, rows=[[i] for i in range(5)])
    plan.row_fills[4], plan.row_fills[1], plan.row_fills[3] = ERROR_FILL, OK_FILL, ERROR_FILL
    plan.row_fills[3] = WARNING_FILL
    plan.row_fills[0] = None
    assert dict(plan.row_fills) == {1: OK_FILL, 3: WARNING_FILL, 4: ERROR_FILL}
    assert plan.row_fills.get(0) is None and plan.row_fills.get(9) is None
    assert [dict(p.row_fills) for p in plan.parts()] == [
        {1: OK_FILL}, {1: WARNING_FILL}, {0: ERROR_FILL}]
    del plan.row_fills[1]
    assert dict(pickle.loads(pickle.dumps(plan.row_fills))) == {3: WARNING_FILL, 4: ERROR_FILL}
