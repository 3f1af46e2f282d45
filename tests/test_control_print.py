"""The control workbook as the office prints it: number formats by field, header rows tall
enough for their titles, A4 landscape one page wide with the header repeated, empty sheets
printing no page, the chart on one page. Read back with openpyxl, then printed to PDF by
LibreOffice and read page by page (pdftotext -bbox)."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from addin.campaign_setup import init_campaign
from addin.consolidate import consolidate
from workbook_templates.campaign import default_campaign
from workbook_templates.control_workbook import consolidated_sheets
from workbook_templates.forms import RESULTS, ControlSheet
from workbook_templates.print_layout import LINE_HEIGHT, text_lines

from builders import fixed_rows
from test_consolidate import good_sheets, person, put

CAMPAIGN = default_campaign()
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Lâm", "Minh", "Nga")
MIDDLE = ("Văn", "Thị", "Đức", "Ngọc", "Minh", "Thanh")
LONG_ACHIEVEMENT = ("Hoàn thành xuất sắc nhiệm vụ được giao trong hai năm liền, có sáng kiến "
                    "cải tiến quy trình làm việc được Hội đồng sáng kiến cấp tỉnh công nhận, "
                    "tích cực tham gia các phong trào thi đua do công đoàn phát động.")
DECIMAL_RESULT = 12.5  # a result with decimals, next to whole ones (4200)


def _people(surname: str) -> list[dict]:
    return [person(f"{surname} {m} {g}", 1960 + (i * 7) % 35,
                   **({"Thành tích tóm tắt": LONG_ACHIEVEMENT} if i == 0 else {}))
            for i, (m, g) in enumerate((m, g) for m in MIDDLE for g in GIVEN)]


def _sheets(surname: str) -> dict:
    sheets = good_sheets(_people(surname))
    sheets[RESULTS.sheet] = fixed_rows(RESULTS, [i.title for i in CAMPAIGN.indicators], {
        CAMPAIGN.indicators[0].title: {"Kết quả": DECIMAL_RESULT},
        CAMPAIGN.indicators[1].title: {"Kết quả": 4200},
        CAMPAIGN.indicators[3].title: {"Kết quả": 35_000_000}})
    return sheets


@pytest.fixture(scope="module")
def control(tmp_path_factory) -> Path:
    """Three units' returns, 60 people each (Khen cá nhân over several pages), no initiative
    (Sáng kiến empty), no history written (Lịch sử empty)."""
    root = tmp_path_factory.mktemp("print") / "camp"
    init_campaign(root)
    put(root, "LD01_Dot1_2020.xlsx", _sheets("Hoàng"), unit="LD01")
    put(root, "LD02_Dot1_2020.xlsx", _sheets("Nông"), unit="LD02")
    put(root, "LD03_Dot1_2020.xlsx", _sheets("Bế"), unit="LD03")
    consolidate(root, 1)
    return root / "TongHopThiDua.xlsx"


def _column(ws, title: str) -> int:
    return [c.value for c in ws[1]].index(title) + 1


def test_number_formats_follow_the_forms(control):
    wb = openpyxl.load_workbook(control)
    people = wb[ControlSheet.INDIVIDUAL]
    birth = people.cell(2, _column(people, "Năm sinh"))
    assert isinstance(birth.value, int) and birth.number_format == "0"
    results = wb[ControlSheet.RESULTS]
    whole = results.cell(2, _column(results, CAMPAIGN.indicators[1].title))
    decimal = results.cell(2, _column(results, CAMPAIGN.indicators[0].title))
    money = results.cell(2, _column(results, CAMPAIGN.indicators[3].title))
    assert (whole.value, whole.number_format) == (4200, "#,##0")
    assert (decimal.value, decimal.number_format) == (DECIMAL_RESULT, "#,##0.0##")
    assert (money.value, money.number_format) == (35_000_000, "#,##0")
    total = results.cell(results.max_row, _column(results, CAMPAIGN.indicators[1].title))
    assert (total.value, total.number_format, total.font.b) == (12_600, "#,##0", True)
    status = wb[ControlSheet.STATUS]
    formats = {c.value: status.cell(2, c.column).number_format for c in status[1]}
    assert formats["STT"] == formats["Đợt"] == "0"
    assert formats["Số lỗi"] == "#,##0"
    assert formats["Thời gian nhận"] == "dd/mm/yyyy hh:mm"
    assert formats["Mã đơn vị"] == "@"


def test_rows_are_tall_enough_for_their_wrapped_text(control):
    wb = openpyxl.load_workbook(control)
    results = wb[ControlSheet.RESULTS]
    # "Số đoàn viên, người lao động được thăm hỏi, tặng quà dịp Tết" in a column 16 wide
    assert results.row_dimensions[1].height >= 4 * LINE_HEIGHT
    status = wb[ControlSheet.STATUS]
    assert LINE_HEIGHT < status.row_dimensions[1].height <= 2 * LINE_HEIGHT + 5
    people = wb[ControlSheet.INDIVIDUAL]
    heights = {people.cell(r, _column(people, "Thành tích tóm tắt")).value:
               people.row_dimensions[r].height for r in range(2, people.max_row + 1)}
    assert heights[LONG_ACHIEVEMENT] >= 3 * LINE_HEIGHT
    # The other people's rows: the movement's name wraps onto a second line.
    assert heights["Hoàn thành xuất sắc"] == 2 * LINE_HEIGHT
    assert status.row_dimensions[2].height is None  # every text on one line: the default
    text = people.cell(2, _column(people, "Phong trào")).alignment
    number = people.cell(2, _column(people, "Năm sinh")).alignment
    assert (text.wrap_text, text.vertical) == (True, "top")
    assert (bool(number.wrap_text), number.vertical) == (False, "top")  # level with the texts


def test_wrapped_lines_are_counted_as_excel_wraps():
    assert text_lines("Số đoàn viên, CNVCLĐ tham gia", 13) == 3  # Số đoàn viên, | CNVCLĐ tham | gia
    assert text_lines("Số đoàn viên", 12) == 1
    assert text_lines("x" * 25, 10) == 3  # a word longer than the line breaks anywhere
    assert text_lines("ab " + "x" * 25, 10) == 4
    assert text_lines("Dòng một\nDòng hai", 40) == 2


def test_print_settings_of_every_sheet(control):
    wb = openpyxl.load_workbook(control)
    for name, _ in consolidated_sheets():
        ws = wb[name]
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), name
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert (ws.page_margins.left, ws.page_margins.top) == (0.5, 0.75), name
        assert ws.oddHeader.center.text == "&A" and "&P" in ws.oddFooter.center.text, name
        if ws.max_row > 1:
            last = openpyxl.utils.get_column_letter(ws.max_column)
            assert ws.print_area == f"'{name}'!$A$1:${last}${ws.max_row}", name
            assert ws.print_title_rows == "$1:$1", name
    for empty in (ControlSheet.INITIATIVES, ControlSheet.HISTORY):
        ws = wb[empty]
        assert ws.max_row == 1  # the header only
        assert ws.print_area == f"'{empty}'!$A$2" and ws["A2"].value is None
        assert ws.print_title_rows is None
    chart = wb[ControlSheet.CHART]
    assert chart.print_area == f"'{ControlSheet.CHART}'!$A$1:$O$30"
    assert (chart.page_setup.fitToWidth, chart.page_setup.fitToHeight) == (1, 1)


# --- printed by LibreOffice -------------------------------------------------------------

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")


def _pages(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's words as (top, bottom, text), line by line, left to right."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", out, re.S):
        words = [(round(float(y0)), float(x0), float(y0), float(y1), html.unescape(w))
                 for x0, y0, _, y1, w in _WORD.findall(page)]
        pages.append([(y0, y1, w) for _, _, y0, y1, w in sorted(words)])
    return pages


def _sheet_of(words) -> str:
    """The page header: the sheet's name, the top line of the page."""
    top = round(words[0][0])
    return " ".join(w for y0, _, w in words if round(y0) == top)


@pytest.fixture(scope="module")
def printed(control, tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo")
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(control)],
                   check=True, capture_output=True, timeout=240)
    by_sheet: dict[str, list] = {}
    for words in _pages(out / "TongHopThiDua.pdf"):
        by_sheet.setdefault(_sheet_of(words), []).append(words)
    return by_sheet


def test_empty_sheets_print_no_page_and_the_chart_one(printed):
    assert ControlSheet.INITIATIVES not in printed
    assert ControlSheet.HISTORY not in printed
    (chart,) = printed[ControlSheet.CHART]  # the whole chart: title, axis, legend
    words = Counter(w for _, _, w in chart)
    title = Counter(f"{CAMPAIGN.indicators[1].title} theo đơn vị".split())
    legend = Counter(CAMPAIGN.indicators[1].title.split())
    assert not title + legend - words
    assert {"0", "4,000"} <= set(words)  # the value axis up to the largest result (4,200)


def test_every_page_is_one_page_wide_with_the_whole_header_above_the_rows(control, printed):
    wb = openpyxl.load_workbook(control, read_only=True)
    for name, _ in consolidated_sheets():
        header, *rows = wb[name].iter_rows(values_only=True)
        rows = [r for r in rows if any(v is not None for v in r)]
        if not rows:
            continue
        assert name in printed, name
        firsts = {str(r[0]).split()[0][:6] for r in rows if r[0] is not None}  # column A
        titles = Counter(w for title in header for w in title.split())
        for n, words in enumerate(printed[name], start=1):
            first_row = min((y0 for y0, _, w in words if w[:6] in firsts), default=None)
            assert first_row is not None, (name, n)
            above = Counter(w for _, y1, w in words if y1 <= first_row + 0.5)
            missing = titles - above
            assert not missing, (name, n, missing)
    assert len(printed[ControlSheet.INDIVIDUAL]) >= 2  # the header repeated on each page


def test_printed_numbers_read_as_the_forms_format_them(printed):
    people = {w for page in printed[ControlSheet.INDIVIDUAL] for _, _, w in page}
    assert "1960" in people and not any(re.fullmatch(r"1,9\d\d", w) for w in people)
    results = [w for page in printed[ControlSheet.RESULTS] for _, _, w in page]
    assert {"4,200", "12,600", "12.5", "35,000,000"} <= set(results)
    assert not [w for w in results if re.fullmatch(r"[\d,]+\.", w)]  # no "39."


def test_nothing_returned_nothing_to_print(tmp_path):
    """Before any unit has sent its file, every consolidated sheet but the status list is
    empty, and so is the chart: none of them prints a page."""
    init_campaign(tmp_path / "camp")
    consolidate(tmp_path / "camp", 1)
    wb = openpyxl.load_workbook(tmp_path / "camp" / "TongHopThiDua.xlsx")
    chart = wb[ControlSheet.CHART]
    assert not chart._charts and chart.print_area == f"'{ControlSheet.CHART}'!$A$2"
    results = wb[ControlSheet.RESULTS]
    assert results.max_row == 2  # the header and the totals row, no unit
    assert results.print_area == f"'{ControlSheet.RESULTS}'!$A$2" and results["A2"].value is None
    status = wb[ControlSheet.STATUS]
    assert status.print_area == f"'{ControlSheet.STATUS}'!$A$1:$K${status.max_row}"
