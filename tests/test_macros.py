"""The ribbon's Python side, run against real xlwings Books built from an add-in client's
payload (``xw.Book(json=...)``): what they write is asserted on the recorded actions."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import xlwings as xw
from openpyxl import load_workbook

from addin import macros
from addin.live_writer import write_plans
from addin.sheet_plan import ChartPlan, SheetPlan
from addin.xlsx_package import col_letter
from workbook_templates.campaign import default_campaign
from workbook_templates.forms import (
    COLLECTIVE_NOMINATIONS, INDIVIDUAL_NOMINATIONS, NOMINATION_ID, REVIEW_FIELDS,
    PREFLIGHT_FIELDS, STATUS_FIELDS, TOTAL_LABEL, ControlSheet, consolidated_fields,
    results_fields)
from workbook_templates.messages import Msg, Problem

from mail_server import mail_servers  # noqa: F401

BUTTONS = [macros.templates_button, macros.consolidate_button, macros.documents_button,
           macros.open_folder_button, macros.send_templates_button, macros.fetch_returns_button,
           macros.send_replies_button]


@pytest.fixture(autouse=True)
def remote_engine(monkeypatch):
    """xlwings registers its remote engine at import time when a key is set; set the
    noncommercial key and register it for this test if the import came first."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in xw.engines.engines_by_name:
        from xlwings.pro import _xlremote

        engine = xw.Engine(impl=_xlremote.engine)
        monkeypatch.setitem(xw.engines.engines_by_name, "remote", engine)
        monkeypatch.setattr(xw.engines, "engines", [*xw.engines.engines, engine])


def _json_value(v):
    if isinstance(v, datetime):
        return v.isoformat() + ".000Z"
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day).isoformat() + ".000Z"
    return "" if v is None else v


def make_book(path: Path, sheets: dict[str, list[list]]) -> xw.Book:
    """A Book as the Office Scripts client sends it (shape from xlwings'
    tests/test_engines/test_engines.py): rectangular values, ISO dates, "" for empty."""
    payload_sheets = []
    for name, rows in sheets.items():
        width = max((len(r) for r in rows), default=0)
        values = [[_json_value(v) for v in r] + [""] * (width - len(r)) for r in rows] or [[]]
        payload_sheets.append({"name": name, "values": values, "pictures": [], "tables": []})
    return xw.Book(json={
        "client": "Microsoft Office Scripts", "version": xw.__version__,
        "book": {"name": str(path), "active_sheet_index": 0, "selection": "A1"},
        "names": [], "sheets": payload_sheets})


def actions(book, func=None, sheet=None):
    found = book.json()["actions"]
    return [a for a in found if (func is None or a["func"] == func)
            and (sheet is None or a["sheet_position"] == sheet)]


def _nomination_plan() -> SheetPlan:
    fields = consolidated_fields(COLLECTIVE_NOMINATIONS)
    plan = SheetPlan(ControlSheet.COLLECTIVE, fields, id_field=NOMINATION_ID.key,
                     review_fields=tuple(f.key for f in REVIEW_FIELDS))
    row = {f.key: None for f in fields}
    row.update(ma_de_nghi="TT1-LD01-0A1B2C3D", ma_don_vi="LD01",
               ten_don_vi="LĐLĐ Thành phố Cao Bằng", ten_tap_the="Công đoàn Trường THPT Cao Bình",
               thuoc_don_vi="LĐLĐ Thành phố Cao Bằng", hinh_thuc="Bằng khen của BCH LĐLĐ tỉnh",
               thanh_tich="Hoàn thành xuất sắc nhiệm vụ năm 2020.", duyet="Có",
               hinh_thuc_duoc_khen="Bằng khen của BCH LĐLĐ tỉnh", ghi_chu_duyet="Đủ điều kiện",
               da_xem_xet="Có",
               tep="LD01_Dot1_2020.xlsx", o="B5")
    plan.rows.append([row[f.key] for f in fields])
    second = dict(row, ma_de_nghi="TT1-LD02-99AA88BB", ma_don_vi="LD02", duyet=None,
                  da_xem_xet=None,
                  hinh_thuc_duoc_khen=None, ghi_chu_duyet=None, tep="LD02_Dot1_2020.xlsx")
    plan.rows.append([second[f.key] for f in fields])
    plan.links[(0, plan.column("tep"))] = "inbox/LD01_Dot1_2020.xlsx#'Khen tập thể'!B5"
    return plan


def _status_plan() -> SheetPlan:
    plan = SheetPlan(ControlSheet.STATUS, STATUS_FIELDS)
    plan.rows = [[1, 1, "LD01", "LĐLĐ Thành phố Cao Bằng", "LĐLĐ huyện, thành phố", "Đã nộp",
                  "LD01_Dot1_2020.xlsx", datetime(2020, 7, 8, 9, 30), 0, 1, ""],
                 [2, 1, "LD02", "LĐLĐ huyện Bảo Lâm", "LĐLĐ huyện, thành phố", "Chưa nộp",
                  "", None, 0, 0, ""]]
    plan.total_row = [None, None, None, TOTAL_LABEL, None, "Chưa nộp: 1; Đã nộp: 1", None,
                      None, None, None, None]
    return plan


def test_write_plans_rewrites_sheets_in_one_write_each(tmp_path):
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {
        ControlSheet.SETTINGS: [["CẤU HÌNH"]],
        ControlSheet.COLLECTIVE: [["cũ", "cũ"], ["rác", "rác"]],
    })
    nominations, status = _nomination_plan(), _status_plan()
    write_plans(book, [nominations, status])

    # The existing sheet is cleared, then written once, review columns as the plan carries.
    assert actions(book, "sheetClear", 1)
    (written,) = actions(book, "setValues", 1)
    assert written["start_row"] == 0 and written["start_column"] == 0
    header, first, second = written["values"]
    assert header == nominations.header
    for f in REVIEW_FIELDS:
        assert first[nominations.column(f.key)] == nominations.rows[0][nominations.column(f.key)]
    assert first[nominations.column("duyet")] == "Có"
    assert second[nominations.column("duyet")] == ""
    assert first[nominations.column("tep")] == (  # the link, inside the one write
        '=HYPERLINK("inbox/LD01_Dot1_2020.xlsx#\'Khen tập thể\'!B5","LD01_Dot1_2020.xlsx")')
    assert second[nominations.column("tep")] == "LD02_Dot1_2020.xlsx"  # no link: the name
    assert not actions(book, "addHyperlink")
    widths = {a["start_column"]: a["args"][0] for a in actions(book, "setColumnWidth", 1)}
    assert widths == {i: f.width for i, f in enumerate(nominations.fields)}

    # The missing sheet is added after the last one; header and totals bold; formats by type.
    assert [a["args"] for a in actions(book, "addSheet")] == [[2, ControlSheet.STATUS]]
    (status_values,) = actions(book, "setValues", 2)
    assert status_values["values"][0] == [f.title for f in STATUS_FIELDS]
    assert status_values["values"][-1][3] == TOTAL_LABEL
    assert datetime.fromisoformat(status_values["values"][1][7]) == datetime(2020, 7, 8, 9, 30)
    bold_rows = sorted(a["start_row"] for a in actions(book, "setFontProperty", 2)
                       if a["args"] == ["bold", True])
    assert bold_rows == [0, 3]
    formats = {a["start_column"]: a["args"][0] for a in actions(book, "setNumberFormat", 2)}
    assert formats[7] == "dd/mm/yyyy hh:mm"  # Thời gian nhận
    assert formats[8] == "#,##0"  # Số lỗi: a count
    assert formats[2] == "@"  # Mã đơn vị stays text
    # Formats go on before the values, so Excel keeps text as typed.
    kinds = [a["func"] for a in actions(book, sheet=2)]
    assert kinds.index("setNumberFormat") < kinds.index("setValues")


def test_write_chart_rebuilds_the_chart_sheet(tmp_path):
    campaign = default_campaign()
    fields = results_fields(campaign.indicators)
    plan = SheetPlan(ControlSheet.RESULTS, fields)
    code = campaign.indicators[2].code
    for i, unit in enumerate(campaign.ordered_units()[:3]):
        row = {f.key: None for f in fields}
        row.update(ma_don_vi=unit.code, ten_don_vi=unit.name, **{code: 10 * (i + 1)})
        plan.rows.append([row[f.key] for f in fields])
    category = plan.column("ten_don_vi")
    chart = ChartPlan(ControlSheet.CHART, ControlSheet.RESULTS, category,
                      [plan.column(code)], first_row=2, last_row=4, title="Sáng kiến theo đơn vị")
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {
        ControlSheet.SETTINGS: [["x"]], ControlSheet.CHART: [["biểu đồ cũ"]]})
    write_plans(book, [plan], chart)

    done = book.json()["actions"]
    funcs = [a["func"] for a in done]
    assert funcs.index("sheetDelete") < funcs.index("addChart")
    added_at = next(i for i, a in enumerate(done)
                    if a["func"] == "addSheet" and a["args"][1] == ControlSheet.CHART)
    position = done[added_at]["args"][0]
    after = done[added_at:]
    (table,) = [a for a in after if a["func"] == "setValues"]
    assert table["sheet_position"] == position
    assert table["values"] == [
        [fields[category].title, fields[plan.column(code)].title],
        *[[u.name, 10.0 * (i + 1)] for i, u in enumerate(campaign.ordered_units()[:3])]]
    (added,) = actions(book, "addChart", position)
    assert added["args"][3] == "$A$22:$B$25"  # the table under the chart
    assert actions(book, "setChartType", position)[0]["args"][1] == "BarClustered"
    assert actions(book, "setChartName", position)[0]["args"][1] == "Sáng kiến theo đơn vị"


def test_read_reviews_live_reads_the_review_columns(tmp_path):
    fields = consolidated_fields(INDIVIDUAL_NOMINATIONS)
    header = [f.title for f in fields]
    col = {f.key: i for i, f in enumerate(fields)}

    def row(nomination_id, **values):
        r = [None] * len(fields)
        r[col[NOMINATION_ID.key]] = nomination_id
        r[col["ho_ten"]] = "Nông Thị Hoa"
        for k, v in values.items():
            r[col[k]] = v
        return r

    book = make_book(tmp_path / "TongHopThiDua.xlsx", {
        ControlSheet.SETTINGS: [["x"]],
        ControlSheet.INDIVIDUAL: [header,
                                  row("CN1-LD01-AAAA0001", duyet="Có",
                                      hinh_thuc_duoc_khen="Bằng khen của BCH LĐLĐ tỉnh"),
                                  row("CN1-LD01-AAAA0002"),
                                  row("CN1-LD03-AAAA0003", ghi_chu_duyet="Xem lại năm sinh")]})
    reviews = macros.read_reviews_live(book)
    assert {r.nomination_id: r.values for r in reviews[ControlSheet.INDIVIDUAL]} == {
        "CN1-LD01-AAAA0001": {"duyet": "Có",
                              "hinh_thuc_duoc_khen": "Bằng khen của BCH LĐLĐ tỉnh"},
        "CN1-LD01-AAAA0002": {},  # not reviewed yet: its id still says the row was there
        "CN1-LD03-AAAA0003": {"ghi_chu_duyet": "Xem lại năm sinh"}}
    assert {r.name for r in reviews[ControlSheet.INDIVIDUAL] if r.values} == {"Nông Thị Hoa"}
    assert book.json()["actions"] == []  # reading writes nothing


@pytest.mark.parametrize("button", BUTTONS, ids=lambda b: b.__name__)
def test_buttons_refuse_a_workbook_that_is_not_a_control_workbook(tmp_path, button):
    book = make_book(tmp_path / "DanhSach.xlsx", {"Sheet1": [["Họ tên"], ["Nông Thị Hoa"]]})
    button(book)
    expected = Problem(Msg.NOT_CONTROL_WORKBOOK, value="DanhSach.xlsx",
                       expected=ControlSheet.SETTINGS).text
    (alert,) = book.json()["actions"]
    assert alert["func"] == "alert"
    assert alert["args"][:2] == [f"Lỗi [C03]: {expected}", macros.ALERT_TITLE]
    assert alert["args"][3] == "critical"


def test_unreadable_settings_are_shown_not_raised(tmp_path):
    book = make_book(tmp_path / "TongHopThiDua.xlsx", {
        ControlSheet.SETTINGS: [["Bảng tính này đã bị xóa hết cấu hình"]],
        ControlSheet.UNITS: [["Mã đơn vị"]]})
    macros.open_folder_button(book)
    (alert,) = actions(book, "alert")
    assert alert["args"][0].startswith(f"Lỗi [{Msg.BAD_SETTINGS.code}]: ")
    assert ControlSheet.SETTINGS in alert["args"][0]


@pytest.fixture
def control_book(tmp_path):
    """The control workbook ``thidua init`` makes, opened as an add-in client sends it."""
    from addin.campaign_setup import init_campaign

    control = init_campaign(tmp_path / "ThiDua2020")
    wb = load_workbook(control, data_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    return control, make_book(control, sheets)


def test_open_folder_shows_the_output_folder(control_book):
    control, book = control_book
    macros.open_folder_button(book)
    output = control.parent / default_campaign().output
    assert output.is_dir()
    (alert,) = book.json()["actions"]
    assert alert["args"][0] == Problem(Msg.ADDIN_FOLDER, value=str(output)).text
    assert alert["args"][3] == "info"


def test_templates_button_writes_the_unit_workbooks(control_book):
    control, book = control_book
    macros.templates_button(book)
    campaign = default_campaign()
    outbox = control.parent / campaign.outbox
    written = sorted(outbox.glob("*.xlsx"))
    assert len(written) == len(campaign.units)
    funcs = [a["func"] for a in book.json()["actions"]]
    assert funcs == ["save", "alert"]  # Excel saves the clerk's settings first
    alert = book.json()["actions"][-1]["args"]
    summary = Problem(Msg.ADDIN_TEMPLATES_DONE, value=len(campaign.units),
                      expected=campaign.current_phase).text
    assert alert[0] == Problem(Msg.ADDIN_DONE, detail=summary, value=str(outbox)).text


def test_consolidate_button_writes_the_live_book_and_the_report(control_book):
    from addin.campaign_setup import write_templates

    control, book = control_book
    campaign = default_campaign()
    inbox = control.parent / campaign.inbox
    for path in write_templates(control.parent, campaign.current_phase)[:2]:
        (inbox / path.name).write_bytes(path.read_bytes())
    before = control.read_bytes()
    book.impl._json = {"actions": []}  # as a fresh call from Excel
    macros.consolidate_button(book)

    done = book.json()["actions"]
    funcs = [a["func"] for a in done]
    assert funcs[-2:] == ["save", "alert"]
    assert control.read_bytes() == before  # the file is Excel's to save, not ours
    names = [s.name for s in book.sheets]
    for sheet in (ControlSheet.STATUS, ControlSheet.PROBLEMS, ControlSheet.COLLECTIVE,
                  ControlSheet.INDIVIDUAL):
        position = names.index(sheet)
        (written,) = [a for a in done if a["func"] == "setValues"
                      and a["sheet_position"] == position]
        assert written["values"][0][0]  # a header row
    status = names.index(ControlSheet.STATUS)
    (rows,) = [a["values"] for a in done if a["func"] == "setValues"
               and a["sheet_position"] == status]
    submitted = [r for r in rows[1:] if r[2] in {p.name.split("_")[0] for p in inbox.iterdir()}]
    assert len(submitted) == 2
    alert = done[-1]["args"]
    assert alert[3] == "info"
    assert alert[0].startswith(f"Đợt {campaign.current_phase}: 2 tệp")
    assert str(control.parent / campaign.output) in alert[0]
    assert list((control.parent / campaign.output).glob("BaoCao_SoKet_Dot1_2020*.docx"))


class NativePanic(BaseException):
    """Like pyo3's PanicException: not an Exception."""


@pytest.mark.parametrize("error", [KeyError("Sheet1"), NativePanic("index out of bounds")])
def test_an_unexpected_error_is_an_alert_and_a_log_not_a_traceback(control_book, monkeypatch,
                                                                  error):
    import addin.campaign_setup

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(addin.campaign_setup, "write_templates", broken)
    control, book = control_book
    macros.templates_button(book)
    (alert,) = actions(book, "alert")
    log = control.parent / "thidua_loi_ky_thuat.log"
    assert alert["args"][0] == "Lỗi [C18]: " + Problem(
        Msg.UNEXPECTED_ERROR, value=macros.TEMPLATES, expected=str(log)).text
    assert str(error) not in alert["args"][0] and alert["args"][3] == "critical"
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and type(error).__name__ in text


def test_the_report_run_shows_the_next_free_number_on_the_live_settings_sheet(control_book):
    from addin.campaign_setup import write_templates
    from workbook_templates.settings_sheet import next_number_cells

    control, book = control_book
    campaign = default_campaign()
    for path in write_templates(control.parent, campaign.current_phase)[:1]:
        (control.parent / campaign.inbox / path.name).write_bytes(path.read_bytes())
    rows = macros.sheet_rows(book.sheets[ControlSheet.SETTINGS])
    cells = next_number_cells(rows)
    book.impl._json = {"actions": []}
    macros.consolidate_button(book)
    position = [s.name for s in book.sheets].index(ControlSheet.SETTINGS)
    written = [a for a in book.json()["actions"] if a["func"] == "setValues"
               and a["sheet_position"] == position]
    got = {(a["start_row"], a["start_column"]): a["values"] for a in written}
    assert got == {cells[kind]: [[campaign.next_numbers[kind] + (kind == "BC")]]
                   for kind in ("QĐ", "BC", "TTr")}  # the report took BC 1


# --- issue 11: the flags and the check before documents, as the ribbon writes them ---------

def _twin_returns(folder: Path) -> None:
    """LD01 and LD02 propose the same person (written with old and new tone placement)."""
    from test_consolidate import good_sheets, person, put

    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person("Lò Thị Thuỷ", 1985),
                                                    person("Bế Văn Sơn", 1979)]), unit="LD01")
    put(folder, "LD02_Dot1_2020.xlsx", good_sheets([person("Lò Thị Thủy", 1985)]), unit="LD02")


def test_consolidate_button_writes_flags_colours_and_links(control_book):
    from addin.flags import OK_FILL, WARNING_FILL

    control, book = control_book
    _twin_returns(control.parent)
    book.impl._json = {"actions": []}
    macros.consolidate_button(book)

    names = [s.name for s in book.sheets]
    people = names.index(ControlSheet.INDIVIDUAL)
    (written,) = actions(book, "setValues", people)
    header, *rows = written["values"]
    flags = header.index("Cảnh báo")
    flagged = {r[header.index("Mã đơn vị")]: r[flags].split('","')[1] for r in rows if r[flags]}
    assert flagged == {"LD01": 'X01 trùng với LD02, dòng 4")',
                       "LD02": 'X01 trùng với LD01, dòng 2")'}
    letter = col_letter(flags + 1)  # the rule reads the first word of Cảnh báo
    (name,) = [a["args"] for a in actions(book, "namesAdd", people)
               if a["args"][0] == "ThiDua_MauDong"]
    assert name[1].count(f"'Khen cá nhân'!${letter}:${letter}") == 2
    (rule,) = actions(book, "addConditionalFormat", people)
    assert (rule["start_row"], rule["row_count"], rule["column_count"]) == (1, 3, len(header))
    assert rule["args"][0]["formula"] == '=ThiDua_MauDong="X01"'
    assert rule["args"][0]["fill_color"] == "#" + WARNING_FILL[2:].lower()
    links = [r[flags] for r in rows if r[flags]]
    assert len(links) == 2 and all(v.startswith('=HYPERLINK("#\'Lỗi\'!A') for v in links)
    status = names.index(ControlSheet.STATUS)
    assert "#" + OK_FILL[2:].lower() in {a["args"][0]["fill_color"]
                                         for a in actions(book, "addConditionalFormat", status)}
    assert not actions(book, "setRangeColor")


def test_documents_button_stops_and_writes_the_check_sheet(control_book):
    from addin.consolidate import consolidate

    control, _ = control_book
    _twin_returns(control.parent)
    consolidate(control.parent, 1)
    wb = load_workbook(control)
    ws = wb[ControlSheet.INDIVIDUAL]
    header = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):  # the clerk approves both rows of the same person
        if str(ws.cell(r, header["Họ và tên"]).value).startswith("Lò Thị"):
            ws.cell(r, header["Duyệt"]).value = "ok"
            ws.cell(r, header["Hình thức được khen"]).value = "Bằng khen của BCH LĐLĐ tỉnh"
    wb.save(control)
    wb = load_workbook(control, data_only=True)
    book = make_book(control, {s.title: [list(r) for r in s.iter_rows(values_only=True)]
                               for s in wb})
    macros.documents_button(book)

    (alert,) = actions(book, "alert")
    assert alert["args"][0].startswith(f"Lỗi [{Msg.PREFLIGHT_BLOCKED.code}]: ")
    assert "LD01, Khen cá nhân dòng 2, Lò Thị Thuỷ: [C21]" in alert["args"][0]
    assert alert["args"][3] == "critical"
    assert len(actions(book, "addSheet")) == 1
    position = [s.name for s in book.sheets].index(ControlSheet.PREFLIGHT)
    (written,) = actions(book, "setValues", position)
    assert [r[1] for r in written["values"][1:]] == ["C21", "C21"]
    assert {r[2] for r in written["values"][1:]} == {"LD01", "LD02"}
    output = control.parent / default_campaign().output
    assert not list(output.glob("QuyetDinh_*"))


def test_consolidate_button_empties_the_check_sheet_of_an_earlier_block(control_book):
    from addin.preflight import sheet_plan

    control, book = control_book
    _twin_returns(control.parent)
    macros.write_plan(book, sheet_plan([
        Problem(Msg.PREFLIGHT_NO_FORM, unit="LD01", sheet=ControlSheet.INDIVIDUAL, cell="A2",
                value="Lò Thị Thuỷ")]))
    book.impl._json = {"actions": []}
    macros.consolidate_button(book)
    position = [s.name for s in book.sheets].index(ControlSheet.PREFLIGHT)
    (written,) = actions(book, "setValues", position)
    assert written["values"] == [[f.title for f in PREFLIGHT_FIELDS]]


def test_mail_buttons_say_what_is_missing_on_cau_hinh(control_book):
    _, book = control_book
    macros.fetch_returns_button(book)
    (alert,) = actions(book, "alert")
    assert alert["args"][0].startswith(f"Lỗi [{Msg.MAIL_NOT_SET.code}]: ")
    assert "Tài khoản thư" in alert["args"][0] and alert["args"][3] == "critical"


def test_send_templates_button_logs_into_the_open_book(tmp_path, mail_servers, monkeypatch):
    from addin.campaign_setup import init_campaign, write_templates
    from addin.mail.demo_loop import office_settings
    from addin.mail.settings import PASSWORD_ENV

    monkeypatch.setenv(PASSWORD_ENV, mail_servers.password)
    campaign = default_campaign()
    campaign.units = campaign.units[:2]
    for u in campaign.units:
        u.email = f"{u.code.lower()}@ribbon.test"
    office_settings(campaign, mail_servers, "office@ribbon.test")
    control = init_campaign(tmp_path / "ThiDua", campaign)
    write_templates(control.parent, 1)
    wb = load_workbook(control, data_only=True)
    book = make_book(control, {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
                               for ws in wb})
    before = control.read_bytes()
    macros.send_templates_button(book)
    done = book.json()["actions"]
    assert [a["func"] for a in done][-1] == "alert" and done[-1]["args"][3] == "info"
    assert "Đã gửi 2 thư" in done[-1]["args"][0]
    assert control.read_bytes() == before  # written into the open book, which Excel saves
    position = [s.name for s in book.sheets].index(ControlSheet.MAIL_LOG)
    (rows,) = [a["values"] for a in done if a["func"] == "setValues"
               and a["sheet_position"] == position]
    assert [r[3] for r in rows[1:]] == ["LD01", "LD02"]
