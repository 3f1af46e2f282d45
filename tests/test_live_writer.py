"""The live writer's calls into Excel do not grow with rows, problems, links or fills, and
what they write is what the clerk saw before: links that go to the same file, sheet and cell
(HYPERLINK formulas inside the one value write), the rows' fills (conditional formats keyed
on a column, evaluated here as Excel would), formats by column, text a unit typed kept as
text. Asserted on the actions an xlwings Book built from an add-in client's payload records
(see test_macros)."""
from __future__ import annotations

import re
import subprocess
from datetime import datetime

from addin.flags import ERROR_FILL, WARNING_FILL
from addin.live_fills import KEY_NAME
from addin.live_writer import LINK_COLOR, write_plans
from addin.plans import STATUS_FILL
from addin.sheet_plan import ChartPlan, Formula, SheetPlan
from workbook_templates.campaign import default_campaign
from workbook_templates.forms import (
    INDIVIDUAL_NOMINATIONS, PROBLEM_FIELDS, STATUS_FIELDS, STATUS_ERRORS, STATUS_LATE,
    STATUS_MISSING, STATUS_SUBMITTED, TOTAL_LABEL, ControlSheet, consolidated_fields,
    results_fields)

from test_macros import actions, make_book, remote_engine  # noqa: F401

CAMPAIGN = default_campaign()
STATUSES = [STATUS_SUBMITTED, STATUS_LATE, STATUS_ERRORS, STATUS_MISSING]
# Cảnh báo of a flagged row: its codes, worst first, and the row's fill.
FLAGS = [("X01 trùng với U00002, dòng 3", WARNING_FILL),
         ("X05 vượt số lượng 2 Lao động giỏi (3 đề nghị)", ERROR_FILL),
         ("X05 vượt số lượng 2 Lao động giỏi; X01 trùng với U00001", ERROR_FILL)]
HYPERLINK = re.compile(r'^=HYPERLINK\("((?:[^"]|"")*)","((?:[^"]|"")*)"\)$')


def _status(n: int) -> SheetPlan:
    plan = SheetPlan(ControlSheet.STATUS, STATUS_FIELDS)
    for i in range(n):
        status = STATUSES[i % 4]
        sent = status != STATUS_MISSING
        name = f"U{i:05d}_Dot1_2020.xlsx" if sent else ""
        plan.rows.append([i + 1, 1, f"U{i:05d}", f"Công đoàn cơ sở số {i}", "Công đoàn cơ sở",
                          status, name, datetime(2020, 7, 8, 9, i % 60) if sent else None,
                          i % 3, i % 2, ""])
        plan.row_fills[i] = STATUS_FILL[status]
        if sent:
            plan.links[(i, plan.column("tep"))] = f"inbox/{name}"
    plan.total_row = [None, None, None, TOTAL_LABEL, None, "", None, None, n, n, None]
    return plan


def _problems(n: int) -> SheetPlan:
    plan = SheetPlan(ControlSheet.PROBLEMS, PROBLEM_FIELDS)
    for i in range(n):
        cell = f"B{i + 5}"
        plan.rows.append(["Lỗi" if i % 2 else "Cảnh báo", "V03", f"U{i:05d}",
                          f"U{i:05d}_Dot1_2020.xlsx", "Khen cá nhân", cell,
                          "=SUM(A1:A9)" if i == 0 else f"{i}abc", "Số", "Không phải số.",
                          "Mở ô", None])
        plan.links[(i, plan.column("lien_ket"))] = (
            f"inbox/U{i:05d}_Dot1_2020.xlsx#'Khen cá nhân'!{cell}")
    return plan


def _people(n: int) -> SheetPlan:
    fields = consolidated_fields(INDIVIDUAL_NOMINATIONS)
    plan = SheetPlan(ControlSheet.INDIVIDUAL, fields)
    flags, origin = plan.column("canh_bao"), plan.column("o")
    for i in range(n):
        row = [None] * len(fields)
        row[plan.column("ma_don_vi")] = f"U{i:05d}"
        row[plan.column("ho_ten")] = "=1+2" if i == 0 else f"Nguyễn Văn {i}"
        row[plan.column("nam_sinh")] = 1970 + i % 30
        row[origin] = f"Khen cá nhân!B{i + 5}"
        plan.links[(i, origin)] = f"inbox/U{i:05d}_Dot1_2020.xlsx#'Khen cá nhân'!B{i + 5}"
        if i % 3 == 1:
            text, fill = FLAGS[i % len(FLAGS)]
            row[flags] = text
            plan.row_fills[i] = fill
            plan.links[(i, flags)] = f"#'Lỗi'!A{i + 2}"
        plan.rows.append(row)
    plan.total_row = [None] * len(fields)
    plan.total_row[plan.column("ho_ten")] = TOTAL_LABEL
    plan.total_row[flags] = Formula('=IF(COUNTA(N2:N9)>0,"Có cảnh báo","")')
    return plan


def _results(n: int) -> SheetPlan:
    fields = results_fields(CAMPAIGN.indicators)
    plan = SheetPlan(ControlSheet.RESULTS, fields)
    code = CAMPAIGN.indicators[0].code
    for i in range(n):
        row = {f.key: None for f in fields}
        row.update(ma_don_vi=f"U{i:05d}", ten_don_vi=f"Đơn vị {i}",
                   **{code: i + (0.5 if i % 2 else 0)})
        plan.rows.append([row[f.key] for f in fields])
    return plan


def _plans(n: int) -> tuple[list[SheetPlan], ChartPlan]:
    results = _results(n)
    chart = ChartPlan(ControlSheet.CHART, ControlSheet.RESULTS, results.column("ten_don_vi"),
                      [results.column(CAMPAIGN.indicators[0].code)], first_row=2,
                      last_row=1 + n, title="Theo đơn vị")
    return [_status(n), _problems(n), _people(n), results], chart


def _written(tmp_path, n: int):
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {ControlSheet.SETTINGS: [["x"]]})
    plans, chart = _plans(n)
    write_plans(book, plans, chart)
    return book, plans


def _calls(book) -> list[tuple[str, int]]:
    return [(a["func"], a["sheet_position"]) for a in actions(book)]


def test_the_calls_do_not_grow_with_rows_links_or_fills(tmp_path):
    small, _ = _written(tmp_path / "small", 8)
    large, plans = _written(tmp_path / "large", 400)
    assert _calls(small) == _calls(large)  # the same calls, in the same order
    assert sum(len(p.links) for p in plans) > 1000 and sum(len(p.row_fills) for p in plans) > 500
    assert not actions(large, "addHyperlink") and not actions(large, "setRangeColor")


def _values(book, position: int) -> list[list]:
    (written,) = actions(book, "setValues", position)
    return written["values"]


def _link(value: str) -> tuple[str, str]:
    """(target, text shown) of a HYPERLINK formula."""
    found = HYPERLINK.match(value)
    assert found, value
    return found[1].replace('""', '"'), found[2].replace('""', '"')


def test_links_are_hyperlink_formulas_to_the_same_cells(tmp_path):
    book, (status, problems, people, _) = _written(tmp_path, 8)
    for position, plan in enumerate([status, problems, people], start=1):
        values = _values(book, position)
        for (r, c), target in plan.links.items():
            shown = plan.rows[r][c]
            assert _link(values[r + 1][c]) == (target, shown)
        linked = {c for _, c in plan.links}
        colours = {a["start_column"]: (a["start_row"], a["row_count"], a["args"])
                   for a in actions(book, "setFontProperty", position)
                   if a["args"][0] == "color"}
        assert colours == {c: (1, len(plan.rows), ["color", LINK_COLOR]) for c in linked}
    file_col = status.column("tep")
    assert _values(book, 1)[4][file_col] == ""  # a unit that sent nothing: no link
    assert _link(_values(book, 1)[1][file_col]) == ("inbox/U00000_Dot1_2020.xlsx",
                                                     "U00000_Dot1_2020.xlsx")
    flags = people.column("canh_bao")
    assert _link(_values(book, 3)[2][flags]) == ("#'Lỗi'!A3", FLAGS[1][0])  # in this book


def test_a_link_text_with_quotes_or_beyond_a_formula_string_limit(tmp_path):
    plan = _status(1)
    col = plan.column("tep")
    plan.rows[0][col] = 'Tệp "mới" ' + "x" * 300
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {ControlSheet.SETTINGS: [["x"]]})
    write_plans(book, [plan])
    formula = _values(book, 1)[1][col]
    assert formula.startswith('=HYPERLINK("inbox/U00000_Dot1_2020.xlsx","Tệp ""mới"" xxx')
    pieces = re.findall(r'"((?:[^"]|"")*)"', formula)
    assert all(len(p.replace('""', '"')) <= 255 for p in pieces)
    assert "".join(p.replace('""', '"') for p in pieces[1:]) == plan.rows[0][col]


def test_text_a_unit_typed_stays_text_and_formulas_stay_formulas(tmp_path):
    book, (_, problems, people, _) = _written(tmp_path, 8)
    formats = {(a["sheet_position"], a["start_column"], a["start_row"], a["row_count"]):
               a["args"][0] for a in actions(book, "setNumberFormat")}
    funcs = [a["func"] for a in actions(book, sheet=3)]
    assert funcs.index("setNumberFormat") < funcs.index("setValues")
    name = people.column("ho_ten")
    assert formats[(3, name, 1, 9)] == "@" and _values(book, 3)[1][name] == "=1+2"  # as text
    value = problems.column("gia_tri")
    assert formats[(2, value, 1, 8)] == "@" and _values(book, 2)[1][value] == "=SUM(A1:A9)"
    flags = people.column("canh_bao")
    assert formats[(3, flags, 1, 9)] == "General"  # a column of links
    total = _values(book, 3)[-1]
    assert total[flags] == '=IF(COUNTA(N2:N9)>0,"Có cảnh báo","")'  # the plan's formula

    plan = _status(4)  # text Excel would parse, in a column it parses: behind Excel's '
    plan.rows[3][plan.column("tep")] = "=HYPERLINK(\"http://x\")"  # not linked
    plan.rows[0][plan.column("so_loi")] = "-3 lỗi"
    again = make_book(tmp_path / "again.xlsx", {ControlSheet.SETTINGS: [["x"]]})
    write_plans(again, [plan])
    rows = _values(again, 1)
    assert rows[4][plan.column("tep")] == "'=HYPERLINK(\"http://x\")"
    assert rows[1][plan.column("so_loi")] == "'-3 lỗi"


def test_a_formula_of_the_totals_in_a_text_column_is_not_text(tmp_path):
    plan = _status(3)
    note = plan.column("ghi_chu")
    plan.total_row[note] = Formula("=COUNTA(A2:A4)")
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {ControlSheet.SETTINGS: [["x"]]})
    write_plans(book, [plan])
    cells = {(a["start_row"], a["row_count"]): a["args"][0]
             for a in actions(book, "setNumberFormat", 1) if a["start_column"] == note}
    assert cells == {(1, 4): "@", (4, 1): "General"}  # the column as text, the formula not
    assert _values(book, 1)[4][note] == "=COUNTA(A2:A4)"


def _shown_text(value) -> str:
    if isinstance(value, str) and value.startswith("=HYPERLINK("):
        return _link(value)[1]
    return "" if value in (None, "") else str(value)


def _rendered_fills(book, position: int, values: list[list]) -> dict[int, str]:
    """Row (0-based, data) -> "#rrggbb", as Excel draws the sheet's conditional formats:
    the name's first word of its column, compared (ignoring case) with each rule's words."""
    (name,) = [a["args"][1] for a in actions(book, "namesAdd", position)
               if a["args"][0] == KEY_NAME]
    letter = re.search(r"!\$([A-Z]+):\$", name)[1]
    col = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(letter))) - 1
    rules = []
    for a in actions(book, "addConditionalFormat", position):
        words = re.findall(KEY_NAME + r'="((?:[^"]|"")*)"', a["args"][0]["formula"])
        rules.append(({w.replace('""', '"').casefold() for w in words},
                      a["args"][0]["fill_color"], a["start_row"], a["row_count"]))
    shown = {}
    for r, row in enumerate(values[1:]):
        word = (_shown_text(row[col]) + " ").split(" ", 1)[0].casefold()
        for words, colour, first, count in rules:
            if word in words and first <= r + 1 < first + count:
                shown[r] = colour
    return shown


def test_fills_are_conditional_formats_drawn_as_the_plan_fills_rows(tmp_path):
    book, (status, problems, people, _) = _written(tmp_path, 40)
    for position, plan in [(1, status), (3, people)]:
        expected = {r: "#" + f[-6:].lower() for r, f in plan.row_fills.items() if f}
        assert _rendered_fills(book, position, _values(book, position)) == expected
    (name,) = [a["args"][1] for a in actions(book, "namesAdd", 1) if a["args"][0] == KEY_NAME]
    letter = chr(65 + status.column("tinh_trang"))
    assert name == (f"=LEFT(INDEX('Tình hình nộp'!${letter}:${letter},ROW())&\" \","
                    f"FIND(\" \",INDEX('Tình hình nộp'!${letter}:${letter},ROW())&\" \")-1)")
    for a in actions(book, "addConditionalFormat"):
        assert "," not in a["args"][0]["formula"].replace('","', "")  # no list separator
    assert not actions(book, "addConditionalFormat", 2)  # Lỗi has no fills: no rule
    assert [a["args"][0] for a in actions(book, "namesAdd", 2)] == ["Print_Titles"]


def test_fills_no_column_tells_go_in_runs_of_rows(tmp_path):
    plan = _results(30)  # every name differs: 15 words for one fill, too many for a rule
    for r in list(range(0, 10)) + [12, 13, 20, 21, 22]:
        plan.row_fills[r] = ERROR_FILL
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {ControlSheet.SETTINGS: [["x"]]})
    write_plans(book, [plan])
    assert not actions(book, "addConditionalFormat")
    runs = [(a["start_row"], a["row_count"], a["column_count"], a["args"])
            for a in actions(book, "setRangeColor", 1)]
    colour = ["#" + ERROR_FILL[-6:]]
    wide = len(plan.fields)
    assert runs == [(1, 10, wide, colour), (13, 2, wide, colour), (21, 3, wide, colour)]


def test_a_sheet_written_again_loses_its_old_rules_and_keeps_one_name(tmp_path):
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {
        ControlSheet.SETTINGS: [["x"]], ControlSheet.STATUS: [["cũ"]]})
    book.sheets[ControlSheet.STATUS].names.add(KEY_NAME, "='Tình hình nộp'!$A:$A")
    book.impl._json = {"actions": []}
    write_plans(book, [_status(12)])
    funcs = [a["func"] for a in actions(book, sheet=1)]
    assert funcs.index("clearConditionalFormats") < funcs.index("addConditionalFormat")
    assert not [a for a in actions(book, "namesAdd") if a["args"][0] == KEY_NAME]
    (changed,) = actions(book, "setNameRefersTo")
    assert changed["args"][0] == KEY_NAME and "$F:$F" in changed["args"][3]


def _replay(book, position: int, sheet: str, path) -> None:
    """The values, the name and the conditional formats the book recorded for a sheet, in
    an xlsx file (openpyxl), for a spreadsheet program to draw."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(_values(book, position), start=1):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c).value = None if value == "" else value
    (name,) = [a["args"][1] for a in actions(book, "namesAdd", position)
               if a["args"][0] == KEY_NAME]
    ws.defined_names[KEY_NAME] = DefinedName(KEY_NAME, attr_text=name[1:])
    for a in actions(book, "addConditionalFormat", position):
        area = (f"{get_column_letter(a['start_column'] + 1)}{a['start_row'] + 1}:"
                f"{get_column_letter(a['start_column'] + a['column_count'])}"
                f"{a['start_row'] + a['row_count']}")
        colour = "FF" + a["args"][0]["fill_color"][1:].upper()
        ws.conditional_formatting.add(area, FormulaRule(
            formula=[a["args"][0]["formula"][1:]],
            fill=PatternFill("solid", start_color=colour, end_color=colour)))
    wb.save(path)


def _colour_runs(png, colours: set[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Top to bottom, the fill colour of each band of ``colours`` in the drawn page, down
    the leftmost column of pixels that has one."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    width, height = image.size
    x = min(x for x in range(width) for y in range(0, height, 2)
            if image.getpixel((x, y)) in colours) + 2
    runs: list[tuple[int, int, int]] = []
    last = None  # the pixel above: a band starts where the colour changes
    for y in range(height):
        pixel = image.getpixel((x, y))
        if pixel in colours and pixel != last:
            runs.append(pixel)
        last = pixel
    return runs


def test_libreoffice_draws_the_rules_as_the_plan_fills_rows(tmp_path):
    """A spreadsheet program evaluates the name (ROW() of the formatted cell) and the rules:
    each row comes out in its own fill, every status its colour."""
    from external import run_soffice

    plan = _status(9)  # the four statuses in turn: neighbouring rows differ
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {ControlSheet.SETTINGS: [["x"]]})
    write_plans(book, [plan])
    path = tmp_path / "drawn.xlsx"
    _replay(book, 1, plan.name, path)
    run_soffice("--convert-to", "pdf", "--outdir", tmp_path, path, timeout=120)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", tmp_path / "drawn.pdf",
                    tmp_path / "drawn"], check=True, timeout=60)
    rgb = {r: tuple(int(f[i:i + 2], 16) for i in (2, 4, 6)) for r, f in plan.row_fills.items()}
    assert _colour_runs(tmp_path / "drawn.png", set(rgb.values())) == [
        rgb[r] for r in range(len(plan.rows))]
