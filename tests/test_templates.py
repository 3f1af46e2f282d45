"""Unit templates written from the forms definition, and the campaign folder set-up."""
from __future__ import annotations

import re
import time
from datetime import datetime

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from addin.campaign_setup import init_campaign, load_campaign, write_templates
from addin.folder import CONTROL_WORKBOOK
from workbook_templates import forms
from workbook_templates.campaign import (UT_DISTRICT, UT_GRASSROOTS, ChoiceSource,
                                         default_campaign)
from workbook_templates.forms import FieldType, Layout
from workbook_templates.messages import Msg, SetupError
from workbook_templates.template_writer import identity_values, write_unit_workbook

from external import run_soffice

GENERATED = datetime(2020, 6, 1, 8, 30, 0)


@pytest.fixture(scope="module")
def campaign():
    return default_campaign()


@pytest.fixture(scope="module")
def books(campaign, tmp_path_factory):
    """Templates for phase 1 of a district and of a grassroots union (different lists)."""
    out = {}
    for unit_type in (UT_DISTRICT, UT_GRASSROOTS):
        unit = next(u for u in campaign.units if u.type == unit_type)
        path = tmp_path_factory.mktemp("tpl") / forms.template_file_name(unit.code, 1, 2020)
        write_unit_workbook(path, campaign, unit, 1, generated=GENERATED)
        out[unit_type] = (unit, path, openpyxl.load_workbook(path))
    return out


def _dv_at(ws, coordinate):
    return [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]


def _list_values(wb, formula):
    """The values of a drop-down's source range on the lists sheet."""
    m = re.fullmatch(r"'(.+)'!(\$[A-Z]+\$\d+:\$[A-Z]+\$\d+)", formula)
    assert m and m.group(1) == forms.LISTS_SHEET
    min_col, min_row, max_col, max_row = range_boundaries(m.group(2).replace("$", ""))
    ws = wb[m.group(1)]
    return [ws.cell(r, min_col).value for r in range(min_row, max_row + 1)]


def test_sheet_order_hidden_sheets_and_meta(books):
    unit, _, wb = books[UT_DISTRICT]
    assert wb.sheetnames == [forms.INSTRUCTIONS_SHEET, *[f.sheet for f in forms.UNIT_FORMS],
                             forms.LISTS_SHEET, forms.META_SHEET]
    assert wb[forms.LISTS_SHEET].sheet_state == "hidden"
    assert wb[forms.META_SHEET].sheet_state == "hidden"
    assert all(wb[f.sheet].sheet_state == "visible" for f in forms.UNIT_FORMS)
    meta = {r[0]: r[1] for r in wb[forms.META_SHEET].iter_rows(values_only=True)}
    assert meta == {"form_id": forms.FORM_ID, "version": forms.FORM_VERSION,
                    "unit_code": unit.code, "phase": 1, "year": 2020,
                    "generated": "2020-06-01T08:30:00"}


def test_every_sheet_protected_without_password_resizable(books):
    _, _, wb = books[UT_DISTRICT]
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password
        assert ws.protection.formatColumns is False and ws.protection.formatRows is False


def test_info_sheet_identity_locked_entries_unlocked(books, campaign):
    unit, _, wb = books[UT_DISTRICT]
    ws = wb[forms.INFO.sheet]
    assert [c.value for c in ws[forms.HEADER_ROW]] == list(forms.RECORD_COLUMNS)
    identity = identity_values(campaign, unit, 1)
    for r, f in enumerate(forms.INFO.fields, start=forms.FIRST_DATA_ROW):
        assert ws.cell(r, 1).value == f.title
        value = ws.cell(r, 2)
        if f.identity:
            assert value.value == identity[f.key] and value.protection.locked
        else:
            assert value.value is None and not value.protection.locked, f.key
    assert identity["ma_don_vi"] == unit.code and identity["nam"] == 2020
    date_row = forms.FIRST_DATA_ROW + [f.key for f in forms.INFO.fields].index("ngay_bao_cao")
    assert ws.cell(date_row, 2).number_format == "dd/mm/yyyy"
    dv, = _dv_at(ws, f"B{date_row}")
    assert dv.type == "date" and dv.errorStyle == "warning" and dv.prompt


@pytest.mark.parametrize("form", [f for f in forms.UNIT_FORMS if f.layout is not Layout.RECORD],
                         ids=lambda f: f.key)
def test_table_sheets_titles_rows_and_locks(books, campaign, form):
    unit, _, wb = books[UT_DISTRICT]
    ws = wb[form.sheet]
    assert ws.cell(forms.TITLE_ROW, 1).value == form.title and ws.cell(1, 1).font.b
    assert unit.name in ws.cell(forms.SUBTITLE_ROW, 1).value
    assert "Đợt 1 năm 2020" in ws.cell(forms.SUBTITLE_ROW, 1).value
    assert [c.value for c in ws[forms.HEADER_ROW]] == forms.titles(form.fields)
    assert ws.freeze_panes == f"A{forms.FIRST_DATA_ROW}"
    items = (campaign.row_items(form.row_source) if form.layout is Layout.FIXED
             else [None] * forms.TABLE_ENTRY_ROWS)
    last = forms.FIRST_DATA_ROW + len(items) - 1
    for r in (forms.FIRST_DATA_ROW, last):
        for c, f in enumerate(form.fields, start=1):
            cell = ws.cell(r, c)
            assert cell.protection.locked == f.locked, (f.key, r)
            assert cell.border.left.style == "thin"
    stt = [ws.cell(r, 1).value for r in range(forms.FIRST_DATA_ROW, last + 1)]
    assert stt == list(range(1, len(items) + 1))
    if form.layout is Layout.FIXED:
        key_col = [f.key for f in form.fields].index(form.row_key) + 1
        assert [ws.cell(r, key_col).value
                for r in range(forms.FIRST_DATA_ROW, last + 1)] == items
    assert ws.cell(last + 1, 1 if form.free_text else 2).protection.locked  # below the rows


def test_results_free_text_cell(books, campaign):
    _, _, wb = books[UT_DISTRICT]
    ws = wb[forms.RESULTS.sheet]
    last = forms.FIRST_DATA_ROW + len(campaign.indicators) - 1
    assert ws.cell(last + 1, 1).value == forms.RESULTS.free_text.title
    entry = ws.cell(last + 2, 1)
    assert not entry.protection.locked and entry.alignment.wrap_text
    merged = [str(m) for m in ws.merged_cells.ranges]
    last_col = openpyxl.utils.get_column_letter(len(forms.RESULTS.fields))
    assert any(m.startswith(f"A{last + 2}:{last_col}") for m in merged)
    dv, = _dv_at(ws, entry.coordinate)
    assert dv.type == "textLength" and dv.formula1 == "5000"
    money_row = forms.FIRST_DATA_ROW + next(
        i for i, ind in enumerate(campaign.indicators) if ind.money)
    assert ws.cell(money_row, 3).number_format == "#,##0"


def test_dropdowns_point_at_the_lists_sheet_by_unit_type(books, campaign):
    for unit_type, (unit, _, wb) in books.items():
        for form in forms.UNIT_FORMS:
            if form.layout is Layout.RECORD:
                continue
            ws = wb[form.sheet]
            for c, f in enumerate(form.fields, start=1):
                if f.type not in (FieldType.CHOICE, FieldType.YESNO):
                    continue
                coordinate = ws.cell(forms.FIRST_DATA_ROW, c).coordinate
                dv, = _dv_at(ws, coordinate)
                assert dv.type == "list" and dv.errorStyle == "stop"
                expected = (campaign.choices(f.choices, unit.type)
                            if isinstance(f.choices, ChoiceSource) else list(f.choices))
                assert _list_values(wb, dv.formula1) == expected, (unit_type, f.key)
    district = books[UT_DISTRICT][2][forms.COLLECTIVE_NOMINATIONS.sheet]
    grassroots = books[UT_GRASSROOTS][2][forms.COLLECTIVE_NOMINATIONS.sheet]
    col = [f.key for f in forms.COLLECTIVE_NOMINATIONS.fields].index("hinh_thuc") + 1
    cell = district.cell(forms.FIRST_DATA_ROW, col).coordinate
    district_list = _list_values(books[UT_DISTRICT][2], _dv_at(district, cell)[0].formula1)
    grass_list = _list_values(books[UT_GRASSROOTS][2], _dv_at(grassroots, cell)[0].formula1)
    assert "Đề nghị Cờ thi đua của Tổng Liên đoàn" in district_list
    assert "Đề nghị Cờ thi đua của Tổng Liên đoàn" not in grass_list


def test_number_and_date_validations(books, campaign):
    _, _, wb = books[UT_DISTRICT]
    ws = wb[forms.INDIVIDUAL_NOMINATIONS.sheet]
    col = [f.key for f in forms.INDIVIDUAL_NOMINATIONS.fields].index("nam_sinh") + 1
    cell = ws.cell(forms.FIRST_DATA_ROW + 10, col)
    dv, = _dv_at(ws, cell.coordinate)
    assert (dv.type, dv.formula1, dv.formula2) == ("whole", "1950", "2002")
    assert cell.number_format == "0"
    works = wb[forms.WORKS.sheet]
    keys = [f.key for f in forms.WORKS.fields]
    money = works.cell(forms.FIRST_DATA_ROW, keys.index("gia_tri") + 1)
    assert money.number_format == "#,##0"
    dv, = _dv_at(works, money.coordinate)
    assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0")
    done = works.cell(forms.FIRST_DATA_ROW, keys.index("ngay_hoan_thanh") + 1)
    dv, = _dv_at(works, done.coordinate)
    phase = campaign.phase(1)
    serial = openpyxl.utils.datetime.to_excel
    assert (dv.formula1, dv.formula2) == (str(int(serial(phase.start))),
                                          str(int(serial(phase.end))))
    assert dv.errorStyle == "warning" and done.number_format == "dd/mm/yyyy"


def test_print_setup(books):
    _, _, wb = books[UT_DISTRICT]
    for form in forms.UNIT_FORMS:
        ws = wb[form.sheet]
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows == f"${forms.HEADER_ROW}:${forms.HEADER_ROW}"
        assert "&P" in ws.oddFooter.center.text


def test_instructions_are_concrete(books, campaign):
    unit, path, wb = books[UT_GRASSROOTS]
    text = "\n".join(str(c.value) for c in wb[forms.INSTRUCTIONS_SHEET]["A"] if c.value)
    assert "10/07/2020" in text  # the phase's deadline
    assert campaign.office_contact in text
    assert path.name in text
    assert all(f"“{f.sheet}”" in text for f in forms.UNIT_FORMS)
    assert "dấu chấm phẩy (;)" in text and "ngày/tháng/năm" in text
    assert "Bằng khen của BCH LĐLĐ tỉnh — tối đa 1" in text  # collective quota of a CĐCS


def test_a_retitled_column_changes_the_template(tmp_path, campaign):
    renamed = forms.with_title(forms.WORKS, "gia_tri", "Giá trị công trình (đồng)")
    defs = tuple(renamed if f is forms.WORKS else f for f in forms.UNIT_FORMS)
    path = write_unit_workbook(tmp_path / "x.xlsx", campaign, campaign.units[0], 2,
                               forms_def=defs)
    header = [c.value for c in openpyxl.load_workbook(path)[forms.WORKS.sheet][forms.HEADER_ROW]]
    assert "Giá trị công trình (đồng)" in header and "Giá trị (đồng)" not in header


def test_writing_a_template_is_fast(tmp_path, campaign):
    start = time.perf_counter()
    for unit in campaign.units[:3]:
        write_unit_workbook(tmp_path / f"{unit.code}.xlsx", campaign, unit, 1)
    assert (time.perf_counter() - start) / 3 < 1.0


def test_libreoffice_opens_a_template(books, tmp_path):
    unit, path, _ = books[UT_DISTRICT]
    run_soffice("--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
                tmp_path, path, timeout=120)
    text = (tmp_path / path.with_suffix(".csv").name).read_text(encoding="utf-8")
    assert unit.name in text and forms.INSTRUCTIONS_SHEET.upper()[:8] in text.upper()


def test_init_load_and_write_templates(tmp_path):
    folder = tmp_path / "ThiDua2020"
    control = init_campaign(folder)
    assert control == folder / CONTROL_WORKBOOK and control.exists()
    assert all((folder / sub).is_dir() for sub in ("inbox", "outbox", "output"))
    with pytest.raises(SetupError) as err:
        init_campaign(folder)
    assert err.value.problem.msg is Msg.CONTROL_EXISTS
    paths, campaign = load_campaign(folder)
    assert campaign == default_campaign() and paths.outbox == folder / "outbox"
    written = write_templates(folder, 2)
    assert [p.name for p in written] == [forms.template_file_name(u.code, 2, 2020)
                                         for u in campaign.ordered_units()]
    assert all(p.parent == folder / "outbox" for p in written)
    meta = dict(openpyxl.load_workbook(written[-1])[forms.META_SHEET].iter_rows(
        values_only=True))
    assert meta["unit_code"] == campaign.ordered_units()[-1].code and meta["phase"] == 2
    with pytest.raises(SetupError) as err:
        write_templates(folder, 3)
    assert err.value.problem.msg is Msg.UNKNOWN_PHASE


def test_load_campaign_without_control_workbook(tmp_path):
    with pytest.raises(SetupError) as err:
        load_campaign(tmp_path)
    assert err.value.problem.msg is Msg.NO_CONTROL_WORKBOOK
