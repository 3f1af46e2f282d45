"""The Cấu hình / Đơn vị sheets: written from a Campaign, read back equal; broken cells named."""
from __future__ import annotations

import dataclasses
import unicodedata
from datetime import date, datetime

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from workbook_templates import forms, settings_sheet as ss
from workbook_templates.campaign import (UT_GRASSROOTS, Campaign, CertificateLayout, Event,
                                         MailSettings, Signer, Unit, default_campaign)
from workbook_templates.control_workbook import create_control_workbook
from workbook_templates.messages import Msg, SetupError

SETTINGS = forms.ControlSheet.SETTINGS
UNITS = forms.ControlSheet.UNITS


def _control(tmp_path, campaign: Campaign):
    return create_control_workbook(tmp_path / "TongHopThiDua.xlsx", campaign)


def _table_cell(ws, block: ss.TableBlock, label: str, item_index: int) -> str:
    """Address of column ``label`` of item ``item_index`` of a table block."""
    title_row = next(c.row for c in ws["A"] if c.value == block.title)
    header = [c.value for c in ws[title_row + 1]]
    col = header.index(label) + 1
    return ws.cell(title_row + 2 + item_index, col).coordinate


def _param_cell(ws, label: str) -> str:
    row = next(c.row for c in ws["A"] if c.value == label)
    return f"B{row}"


def _edited(path, edits: dict[tuple[str, str], object]):
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in edits.items():
        wb[sheet][cell] = value
    wb.save(path)
    return path


def test_default_campaign_round_trip(tmp_path):
    campaign = default_campaign()
    assert ss.read_campaign(_control(tmp_path, campaign)) == campaign


def test_units_of_one_type_share_its_text(tmp_path):
    """A list of 130,000 units keeps one string per type, not one per unit."""
    units = ss.read_campaign(_control(tmp_path, default_campaign())).units
    grassroots = [u for u in units if u.type == UT_GRASSROOTS]
    assert len(grassroots) > 1 and all(u.type is grassroots[0].type for u in grassroots)
    assert len({id(u.name) for u in units}) == len(units)


def test_round_trip_of_every_kind_of_value(tmp_path):
    campaign = default_campaign()
    campaign.document_date = date(2020, 12, 28)
    campaign.register_url = "postgresql://thidua@localhost/thidua"
    campaign.current_phase = 2
    campaign.next_numbers = {"QĐ": 17, "BC": 4, "TTr": 2, "CV": 120}
    campaign.signer = Signer("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Thị Lan")
    campaign.certificate = CertificateLayout(name_top_mm=97.5, left_mm=35.25)
    campaign.events.append(Event("Ngày Quốc tế Lao động 1/5", date(2020, 5, 1)))
    campaign.phases[0].assessment = "Các cấp công đoàn tổ chức phát động sâu rộng."
    del campaign.award_forms[0].quotas[UT_GRASSROOTS]  # no quota given: cell left empty
    campaign.award_forms[1].multiplier = 2.5
    campaign.units.append(Unit("CS99", "Công đoàn Trường THPT Chuyên", UT_GRASSROOTS,
                               order=0, note="Mới thành lập"))
    read = ss.read_campaign(_control(tmp_path, campaign))
    assert read == campaign
    assert UT_GRASSROOTS not in read.award_forms[0].quotas
    assert read.award_forms[2].quotas[UT_GRASSROOTS] == 0


def test_rows_from_calamine_give_the_same_campaign(tmp_path):
    """campaign_from_rows is fed plain values (as xlwings or calamine give them)."""
    campaign = default_campaign()
    book = CalamineWorkbook.from_path(str(_control(tmp_path, campaign)))
    rows = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in (SETTINGS, UNITS)}
    assert ss.campaign_from_rows(rows[SETTINGS], rows[UNITS]) == campaign


def test_the_unit_list_is_read_row_by_row(tmp_path):
    """Đơn vị's rows are taken as they come, never all held (130,000 units)."""
    import weakref

    class Row(list):
        pass
    campaign = default_campaign()
    campaign.units = [dataclasses.replace(campaign.units[-1], code=f"CS{i:05d}",
                                          name=f"Công đoàn cơ sở {i}", order=i)
                      for i in range(1, 301)]
    book = CalamineWorkbook.from_path(str(_control(tmp_path, campaign)))
    rows = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in (SETTINGS, UNITS)}
    alive, most = [0], []

    def gone():
        alive[0] -= 1

    def streamed():
        for values in rows[UNITS]:
            row = Row(values)
            alive[0] += 1
            weakref.finalize(row, gone)
            most.append(alive[0])
            yield row
            del row

    assert ss.campaign_from_rows(rows[SETTINGS], streamed()).units == campaign.units
    assert len(most) > 300 and max(most) <= 12


def test_every_campaign_field_has_a_place_on_the_sheets():
    scalar = {p.attr for b in ss.SETTINGS_BLOCKS if isinstance(b, ss.ScalarBlock)
              for p in b.params}
    tables = {b.key for b in ss.SETTINGS_BLOCKS if isinstance(b, ss.TableBlock)}
    expected = {f.name for f in dataclasses.fields(Campaign)} - {"units", "signer",
                                                                 "certificate", "mail",
                                                                 "upper"}
    assert expected <= scalar | tables
    assert {f"signer.{f.name}" for f in dataclasses.fields(Signer)} <= scalar
    assert {f"certificate.{f.name}" for f in dataclasses.fields(CertificateLayout)} <= scalar
    assert {f"mail.{f.name}" for f in dataclasses.fields(MailSettings)} <= scalar
    assert {f"upper.{f.name}" for f in dataclasses.fields(ss.UpperLink)} <= scalar
    assert set(ss.UNIT_ATTRS) == {f.key for f in forms.UNIT_LIST_FIELDS}
    labels = [p.label for b in ss.SETTINGS_BLOCKS if isinstance(b, ss.ScalarBlock)
              for p in b.params] + [b.title for b in ss.SETTINGS_BLOCKS]
    assert len(labels) == len({ss.norm(x) for x in labels})


def test_reading_is_tolerant_of_how_people_type(tmp_path):
    campaign = default_campaign()
    path = _control(tmp_path, campaign)
    ws = openpyxl.load_workbook(path)[SETTINGS]
    label_cell = next(c for c in ws["A"] if c.value == "Lương cơ sở (đồng)")
    title_cell = next(c for c in ws["A"] if c.value == ss.EVENTS.title)
    _edited(path, {
        (SETTINGS, _table_cell(ws, ss.PHASES, "Hạn báo cáo", 0)): "5/7/2020",
        (SETTINGS, _table_cell(ws, ss.PHASES, "Từ ngày", 1)): "2020-07-02",
        (SETTINGS, _param_cell(ws, "Lương cơ sở (đồng)")): "1.600.000",
        (SETTINGS, _param_cell(ws, "Lề trái (mm)")): "37,5",
        (SETTINGS, _table_cell(ws, ss.INDICATORS, "Tiền", 0)): "x",
        (SETTINGS, label_cell.coordinate): "  lương CƠ SỞ   (đồng) ",
        (SETTINGS, title_cell.coordinate): unicodedata.normalize("NFD", "Sự kiện chào mừng"),
        (UNITS, "A2"): "3",
    })
    read = ss.read_campaign(path)
    assert read.phases[0].deadline == date(2020, 7, 5)
    assert read.phases[1].start == date(2020, 7, 2)
    assert read.base_salary == 1_600_000
    assert read.certificate.left_mm == 37.5
    assert read.indicators[0].money is True
    assert read.events == campaign.events
    assert read.units[0].order == 3


@pytest.mark.parametrize("block,label,index,value,fragment", [
    (ss.PHASES, "Từ ngày", 1, "đầu tháng 7", "không phải là ngày"),
    (ss.PHASES, "Đợt", 0, "một", "không phải là số nguyên"),
    (ss.PHASES, "Đợt", 1, 1, "bị trùng"),
    (ss.AWARD_FORMS, "Đối tượng", 0, "Tổ chức", "không thuộc danh sách"),
    (ss.AWARD_FORMS, UT_GRASSROOTS, 2, "hai", "không phải là số nguyên"),
    (ss.MOVEMENTS, forms.REGISTRATION.field("phong_trao").title, 0, None, "chưa nhập"),
])
def test_a_broken_setting_names_its_cell(tmp_path, block, label, index, value, fragment):
    path = _control(tmp_path, default_campaign())
    ws = openpyxl.load_workbook(path)[SETTINGS]
    cell = _table_cell(ws, block, label, index)
    if value is None:  # blank the row's only cell but keep another cell of the row typed
        _edited(path, {(SETTINGS, cell): None,
                       (SETTINGS, cell.replace("A", "B", 1)): "còn ghi chú"})
    else:
        _edited(path, {(SETTINGS, cell): value})
    with pytest.raises(SetupError) as err:
        ss.read_campaign(path)
    problem = err.value.problem
    assert (problem.msg, problem.sheet, problem.cell) == (Msg.BAD_SETTINGS, SETTINGS, cell)
    assert fragment in problem.text and cell in problem.text


def test_broken_scalar_unit_and_missing_block(tmp_path):
    path = _control(tmp_path, default_campaign())
    ws = openpyxl.load_workbook(path)[SETTINGS]
    year_cell = _param_cell(ws, "Năm thi đua")
    _edited(path, {(SETTINGS, year_cell): "hai nghìn"})
    with pytest.raises(SetupError) as err:
        ss.read_campaign(path)
    assert err.value.problem.cell == year_cell

    _edited(path, {(SETTINGS, year_cell): 2020, (UNITS, "C3"): None})
    with pytest.raises(SetupError) as err:
        ss.read_campaign(path)
    assert (err.value.problem.sheet, err.value.problem.cell) == (UNITS, "C3")
    assert "Tên đơn vị" in err.value.problem.detail

    _edited(path, {(UNITS, "C3"): "LĐLĐ huyện Bảo Lâm", (UNITS, "B4"): "LD01"})
    with pytest.raises(SetupError) as err:
        ss.read_campaign(path)
    assert err.value.problem.cell == "B4" and "B2" in err.value.problem.detail

    title = next(c for c in ws["A"] if c.value == ss.NUMBERS.title).coordinate
    _edited(path, {(UNITS, "B4"): "LD03", (SETTINGS, title): "Số hiệu"})
    with pytest.raises(SetupError) as err:
        ss.read_campaign(path)
    assert err.value.problem.cell == "A1" and ss.NUMBERS.title in err.value.problem.detail


def test_current_phase_must_exist(tmp_path):
    path = _control(tmp_path, default_campaign())
    ws = openpyxl.load_workbook(path)[SETTINGS]
    cell = _param_cell(ws, "Đợt đang thực hiện")
    _edited(path, {(SETTINGS, cell): 3})
    with pytest.raises(SetupError) as err:
        ss.read_campaign(path)
    assert err.value.problem.cell == cell


def test_missing_or_foreign_workbook(tmp_path):
    with pytest.raises(SetupError) as err:
        ss.read_campaign(tmp_path / "none.xlsx")
    assert err.value.problem.msg is Msg.NO_CONTROL_WORKBOOK
    wb = openpyxl.Workbook()
    wb.active.title = SETTINGS
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(SetupError) as err:
        ss.read_campaign(tmp_path / "other.xlsx")
    assert err.value.problem.msg is Msg.NOT_CONTROL_WORKBOOK
    assert err.value.problem.expected == UNITS


def test_a_damaged_settings_sheet_is_told_without_the_readers_words(tmp_path):
    """A control workbook whose Cấu hình XML is cut short: NOT_CONTROL_WORKBOOK, what the
    reader said kept for the technical staff only (load_campaign makes it C16/C17)."""
    import zipfile

    path = _control(tmp_path, default_campaign())
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(damaged, "w") as out:
        member = _sheet_member(src, SETTINGS)
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, data[:len(data) // 2] if info.filename == member else data)
    with pytest.raises(SetupError) as err:
        ss.read_campaign(damaged)
    problem = err.value.problem
    assert problem.msg is Msg.NOT_CONTROL_WORKBOOK and problem.expected == SETTINGS
    assert problem.technical and problem.technical.split(":")[0] not in problem.text


def _sheet_member(zf, sheet: str) -> str:
    """The worksheet part of ``sheet`` in the package ``zf``."""
    from workbook_templates.cell_fonts import sheet_members

    return sheet_members(zf)[sheet]


def test_settings_sheet_look_and_validation(tmp_path):
    campaign = default_campaign()
    wb = openpyxl.load_workbook(_control(tmp_path, campaign))
    ws = wb[SETTINGS]
    titles = {c.value: c for c in ws["A"] if c.value in {b.title for b in ss.SETTINGS_BLOCKS}}
    assert set(titles) == {b.title for b in ss.SETTINGS_BLOCKS}
    assert all(c.font.b for c in titles.values())
    assert {f"tbl_{b.key}" for b in ss.SETTINGS_BLOCKS} <= set(ws.tables)
    start = ws[_table_cell(ws, ss.PHASES, "Từ ngày", 0)]
    assert isinstance(start.value, datetime) and start.number_format == "dd/mm/yyyy"
    # The award block's quota columns are the unit types; Đơn vị offers them as a list.
    awards_header = titles[ss.AWARD_FORMS.title].row + 1
    quota_titles = [c.value for c in ws[awards_header]][len(ss.AWARD_FORMS.columns):]
    assert [t for t in quota_titles if t] == ss.unit_types(campaign)
    units = wb[UNITS]
    assert [c.value for c in units[forms.CONTROL_HEADER_ROW]] == forms.titles(
        forms.UNIT_LIST_FIELDS)
    type_dv = next(dv for dv in units.data_validations.dataValidation
                   if "D2" in dv.sqref)
    assert type_dv.type == "list" and f"${awards_header}" in type_dv.formula1
    money_dv = next(dv for dv in ws.data_validations.dataValidation if start.coordinate in dv.sqref)
    assert money_dv.type == "date"


def test_control_workbook_sheets_and_headers(tmp_path):
    wb = openpyxl.load_workbook(_control(tmp_path, default_campaign()))
    expected = [SETTINGS, UNITS, forms.ControlSheet.STATUS, forms.ControlSheet.PROBLEMS,
                *[forms.CONSOLIDATED_SHEET[f.key] for f in forms.UNIT_FORMS
                  if f.key in forms.CONSOLIDATED_SHEET], forms.ControlSheet.HISTORY,
                forms.ControlSheet.MAIL_LOG]
    assert wb.sheetnames == expected
    checks = {forms.ControlSheet.STATUS: forms.STATUS_FIELDS,
              forms.ControlSheet.MAIL_LOG: forms.MAIL_LOG_FIELDS,
              forms.ControlSheet.PROBLEMS: forms.PROBLEM_FIELDS,
              forms.ControlSheet.RESULTS: forms.consolidated_fields(forms.RESULTS),
              forms.ControlSheet.INDIVIDUAL: forms.consolidated_fields(
                  forms.INDIVIDUAL_NOMINATIONS)}
    for name, fields in checks.items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == forms.titles(fields)
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
        assert ws.max_row == 1
    review = wb[forms.ControlSheet.COLLECTIVE]
    duyet = forms.titles(forms.consolidated_fields(forms.COLLECTIVE_NOMINATIONS)).index("Duyệt")
    letter = openpyxl.utils.get_column_letter(duyet + 1)
    dv = review.data_validations.dataValidation[0]
    assert f"{letter}2" in dv.sqref and dv.formula1 == '"Có,Không"'


def test_legal_frame_and_recipients_round_trip_with_empty_settings(tmp_path):
    campaign = default_campaign()
    campaign.launch_number, campaign.launch_date = "05/KH-LĐLĐ", date(2020, 1, 10)
    campaign.basis_charter = ""  # left empty by the clerk: stays empty, no default comes back
    campaign.effect_clause = ""
    campaign.proposal_recipients = ["Ban CSKTXH và TĐKT TLĐ"]
    path = _control(tmp_path, campaign)
    assert ss.read_campaign(path) == campaign
    ws = openpyxl.load_workbook(path)[SETTINGS]
    assert ws[_param_cell(ws, "Căn cứ điều lệ")].value is None
    titles = [c.value for c in ws["A"]]
    assert {"NƠI NHẬN QUYẾT ĐỊNH", "NƠI NHẬN BÁO CÁO", "NƠI NHẬN TỜ TRÌNH",
            "CĂN CỨ VÀ HIỆU LỰC"} <= set(titles)


def test_next_number_cells_are_found_where_the_sheet_holds_them(tmp_path):
    campaign = default_campaign()
    campaign.next_numbers = {"QĐ": 45, "BC": 112, "TTr": 18}
    ws = openpyxl.load_workbook(_control(tmp_path, campaign))[SETTINGS]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    cells = ss.next_number_cells(rows)
    assert {kind: rows[r][c] for kind, (r, c) in cells.items()} == campaign.next_numbers


@pytest.mark.parametrize("raw,kind,ftype", [
    ("1.500", ss.Kind.INT, forms.FieldType.INTEGER),
    ("1.500", ss.Kind.FLOAT, forms.FieldType.NUMBER),  # thousands, as in a return: not 1,5
    ("37,5", ss.Kind.FLOAT, forms.FieldType.NUMBER),
    ("1.600.000 đ", ss.Kind.MONEY, forms.FieldType.MONEY),
    ("1,5 triệu", ss.Kind.MONEY, forms.FieldType.MONEY),
    ("95", ss.Kind.INT, forms.FieldType.INTEGER),
    ("15/3/95", ss.Kind.DATE, forms.FieldType.DATE),  # 1995 here as in a return, not 2095
    ("5/7/20", ss.Kind.DATE, forms.FieldType.DATE),
    ("ngày 5 tháng 7 năm 2020", ss.Kind.DATE, forms.FieldType.DATE),
])
def test_settings_read_what_people_type_as_returns_do(raw, kind, ftype):
    from workbook_templates.values import parse

    assert ss.parse_value(raw, kind) == parse(raw, ftype).value is not None


@pytest.mark.parametrize("raw", ["ok", "✓", "đồng ý", "y", "Cã", "Coù", "x", 1, True])
def test_settings_yes_words_are_the_returns_yes_words(raw):
    assert ss.parse_value(raw, ss.Kind.YESNO) is True
