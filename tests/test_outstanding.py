"""Issue 15: outstanding examples proposed by the units, delegates chosen on *Điển hình*
within the allotment and the share of direct-production workers, the conference documents,
and the register's memory of who was proposed and chosen."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from addin.campaign_setup import init_campaign
from addin.consolidate import consolidate
from addin.delegates import findings
from addin.documents import generate_documents
from addin.history import show_history
from addin.preflight import PreflightBlocked
from workbook_templates.campaign import default_campaign
from workbook_templates.forms import (
    DELEGATE_FORM, OUTSTANDING, TOTAL_LABEL, ControlSheet, outstanding_fields)
from workbook_templates.messages import Msg
from workbook_templates.settings_sheet import OUTSTANDING as OUTSTANDING_BLOCK
from workbook_templates.settings_sheet import campaign_from_rows, read_campaign
from workbook_templates.template_writer import write_unit_workbook

from test_consolidate import good_sheets, put, sheet_rows

STORY = ("Là công nhân vận hành lò nung, anh đã cải tiến quy trình nạp liệu giúp tiết kiệm "
         "mỗi năm hàng trăm triệu đồng; nhiều năm liền là Lao động giỏi, tích cực kèm cặp "
         "công nhân trẻ, tham gia hiến máu nhân đạo và các hoạt động xã hội ở địa phương.")
TITLES = {f.key: f.title for f in outstanding_fields()}


# --- the form and its settings -----------------------------------------------------------

@pytest.mark.parametrize("outstanding_phase, phase, has_sheet",
                         [(1, 1, True), (1, 2, False), (2, 2, True), (0, 1, False)])
def test_the_sheet_is_in_the_templates_of_the_phase_the_office_sets(tmp_path, outstanding_phase,
                                                                    phase, has_sheet):
    campaign = default_campaign()
    campaign.outstanding_phase = outstanding_phase
    path = write_unit_workbook(tmp_path / "LD01.xlsx", campaign, campaign.unit("LD01"), phase,
                               campaign.unit_forms(phase))
    wb = openpyxl.load_workbook(path)
    assert (OUTSTANDING.sheet in wb.sheetnames) is has_sheet
    if has_sheet:
        ws = wb[OUTSTANDING.sheet]
        assert [c.value for c in ws[4]][:3] == ["STT", "Tập thể/Cá nhân",
                                                 "Họ và tên (tên tập thể)"]


def _settings_rows(control: Path) -> tuple[list[list], list[list]]:
    wb = openpyxl.load_workbook(control)
    return ([list(r) for r in wb[ControlSheet.SETTINGS].iter_rows(values_only=True)],
            [list(r) for r in wb[ControlSheet.UNITS].iter_rows(values_only=True)])


def test_settings_round_trip_and_an_older_workbook_takes_the_defaults(tmp_path):
    campaign = default_campaign()
    campaign.delegates_allotted, campaign.direct_min_percent = 12, 40.0
    campaign.delegates_per_unit = {"LD01": 2}
    campaign.conference_date = date(2020, 8, 25)
    init_campaign(tmp_path / "c", campaign)
    control = tmp_path / "c" / "TongHopThiDua.xlsx"
    read = read_campaign(control)
    assert (read.delegates_allotted, read.direct_min_percent, read.delegates_per_unit,
            read.conference_date) == (12, 40.0, {"LD01": 2}, date(2020, 8, 25))

    settings, units = _settings_rows(control)
    first = next(i for i, r in enumerate(settings) if r[0] == OUTSTANDING_BLOCK.title)
    older = campaign_from_rows(settings[:first], units)  # made before issue 15's blocks
    fresh = default_campaign()
    assert (older.outstanding_phase, older.delegates_allotted, older.delegates_per_unit,
            older.conference_name) == (fresh.outstanding_phase, fresh.delegates_allotted, {},
                                       fresh.conference_name)


# --- the rules of the choice, from small tables ------------------------------------------

def _table(*rows: dict) -> list[list]:
    """*Điển hình* as the pre-flight reads it: the header, one row per dict (field key ->
    value), then the totals row."""
    keys = list(TITLES)
    return [list(TITLES.values()),
            *[[row.get(k) for k in keys] for row in rows],
            [TOTAL_LABEL if k == "ten_don_vi" else None for k in keys]]


def _row(name: str, unit="LD01", chosen="Có", direct="Không", year=1980) -> dict:
    return {"ma_de_nghi": f"id-{name}", "ma_don_vi": unit, "ten_don_vi": unit,
            "doi_tuong": "Cá nhân", "ho_ten": name, "nam_sinh": year, "truc_tiep_sx": direct,
            "chon_dai_bieu": chosen, "thanh_tich": STORY}


def _campaign(allotted=10, percent=0.0, per_unit=None):
    c = default_campaign()
    c.delegates_allotted, c.direct_min_percent = allotted, percent
    c.delegates_per_unit = per_unit or {}
    c.conference_date = date(2020, 8, 25)
    return c


def _found(rows, campaign) -> list[tuple[str, str]]:
    return [(p.code, p.value) for p in findings(_table(*rows), campaign)]


def test_delegates_over_the_allotment_are_found_beyond_it_only():
    rows = [_row("A"), _row("B", "LD02"), _row("C", "LD03"), _row("D", "LD04"),
            _row("E", chosen="Không")]
    assert _found(rows, _campaign(allotted=3)) == [(Msg.DELEGATES_OVER.code, "D")]
    assert _found(rows, _campaign(allotted=4)) == []


def test_a_unit_over_its_own_allotment():
    rows = [_row("A"), _row("B"), _row("C", "LD02")]
    assert _found(rows, _campaign(per_unit={"LD01": 1})) == [(Msg.DELEGATES_UNIT_OVER.code, "B")]
    assert _found(rows, _campaign(per_unit={"LD01": 2, "LD02": 0})) == \
        [(Msg.DELEGATES_UNIT_OVER.code, "C")]


@pytest.mark.parametrize("direct, percent, low", [
    (1, 50.0, True),   # 1 of 3 is 33%: under half
    (2, 50.0, False),  # 2 of 3
    (1, 33.3, False),  # 1 of 3 is 33.3%
    (0, 0.0, False),   # no share set
    (3, 100.0, False),
])
def test_the_share_of_direct_production_workers(direct, percent, low):
    rows = [_row(n, f"LD0{i + 1}", direct="Có" if i < direct else "Không")
            for i, n in enumerate("ABC")]
    found = findings(_table(*rows), _campaign(percent=percent))
    assert [p.code for p in found] == ([Msg.DELEGATES_SHARE_LOW.code] if low else [])
    if low:
        assert "33,3%" in found[0].text and "3 đại biểu" in found[0].text


def test_a_person_chosen_twice_and_a_conference_without_its_date():
    rows = [_row("Nông Văn Dũng"), _row("Nông  văn Dũng", "LD02")]
    assert _found(rows, _campaign()) == [(Msg.DELEGATE_TWICE.code, "Nông văn Dũng")]
    undated = _campaign()
    undated.conference_date = None
    assert [c for c, _ in _found(rows[:1], undated)] == [Msg.CONFERENCE_UNSET.code]
    assert _found([_row("A", chosen="Không")], undated) == []  # nobody chosen yet


# --- the whole path: consolidate, choose, documents, register ----------------------------

def _example(name, direct="Có", story=STORY, **extra) -> dict:
    row = {"Tập thể/Cá nhân": "Cá nhân", "Họ và tên (tên tập thể)": name, "Giới tính": "Nam",
           "Năm sinh": 1985, "Dân tộc": "Tày", "Chức vụ, nghề nghiệp": "Công nhân cơ khí",
           "Đơn vị công tác": "Công ty Xi măng Cao Bằng",
           "Công nhân, lao động trực tiếp sản xuất": direct,
           "Mô hình, cách làm hay": "Tổ sản xuất an toàn", TITLES["thanh_tich"]: story,
           "Giai đoạn": "2015-2020"}
    row.update(extra)
    return row


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    campaign = default_campaign()
    campaign.delegates_allotted, campaign.direct_min_percent = 2, 50.0
    campaign.conference_date = date(2020, 8, 25)
    root = tmp_path / "camp"
    init_campaign(root, campaign)
    return root


def _send(folder, unit, examples):
    put(folder, f"{unit}_Dot1_2020.xlsx", good_sheets(**{OUTSTANDING.sheet: examples}), unit=unit)


def _choose(control: Path, choices: dict[str, tuple[str, str]]) -> None:
    wb = openpyxl.load_workbook(control)
    ws = wb[ControlSheet.OUTSTANDING]
    col = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        name = ws.cell(r, col[TITLES["ho_ten"]]).value
        if name in choices:
            ws.cell(r, col[TITLES["chon_dai_bieu"]]).value = choices[name][0]
            ws.cell(r, col[TITLES["ghi_chu_chon"]]).value = choices[name][1]
    wb.save(control)


def _chosen(control: Path) -> list[tuple]:
    return [(r[TITLES["ho_ten"]], r[TITLES["chon_dai_bieu"]], r[TITLES["ghi_chu_chon"]])
            for r in sheet_rows(control, ControlSheet.OUTSTANDING)
            if r[TITLES["chon_dai_bieu"]]]


def test_proposals_flagged_on_the_sheet_and_choices_kept_when_a_unit_resends(folder):
    _send(folder, "LD01", [_example("Hoàng Văn Lâm"), _example("Bế Thị Lan", story=None)])
    _send(folder, "LD02", [_example("Hoàng Văn Lâm"), _example("Ma Văn Cường", story="Tốt.")])
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    rows = sheet_rows(control, ControlSheet.OUTSTANDING)
    flags = {(r["Mã đơn vị"], r[TITLES["ho_ten"]]): str(r["Cảnh báo"] or "")[:3] for r in rows
             if r["Mã đơn vị"]}
    assert flags == {("LD01", "Hoàng Văn Lâm"): Msg.OUTSTANDING_TWICE.code,
                     ("LD01", "Bế Thị Lan"): Msg.STORY_MISSING.code,
                     ("LD02", "Hoàng Văn Lâm"): Msg.OUTSTANDING_TWICE.code,
                     ("LD02", "Ma Văn Cường"): Msg.STORY_TOO_SHORT.code}
    totals = openpyxl.load_workbook(control)[ControlSheet.OUTSTANDING]
    last = [c.value for c in totals[totals.max_row]]
    assert TOTAL_LABEL in last and any(str(v).startswith("=COUNTIF(") for v in last)

    _choose(control, {"Bế Thị Lan": ("Không", "Chưa có câu chuyện")})
    _choose(control, {"Hoàng Văn Lâm": ("Có", "Chọn ở LĐLĐ Thành phố")})  # on both rows
    # LD01 re-sends with a row inserted above and the year corrected: the choices stay
    _send(folder, "LD01", [_example("Nông Thị Hoa"),
                           _example("Hoàng Văn Lâm", **{"Năm sinh": 1986}),
                           _example("Bế Thị Lan", story=STORY)])
    result = consolidate(folder, 1)
    kept = {(r["Mã đơn vị"], r[TITLES["ho_ten"]]): (r[TITLES["chon_dai_bieu"]],
                                                    r[TITLES["ghi_chu_chon"]])
            for r in sheet_rows(control, ControlSheet.OUTSTANDING) if r["Mã đơn vị"]}
    assert kept[("LD01", "Hoàng Văn Lâm")] == ("Có", "Chọn ở LĐLĐ Thành phố")
    assert kept[("LD02", "Hoàng Văn Lâm")] == ("Có", "Chọn ở LĐLĐ Thành phố")
    assert kept[("LD01", "Bế Thị Lan")] == ("Không", "Chưa có câu chuyện")
    assert kept[("LD01", "Nông Thị Hoa")] == ("", "")
    assert not [p for p in result.problems if p.msg is Msg.REVIEW_NOT_MATCHED]


def test_documents_stop_over_the_allotment_and_agree_with_the_sheet_and_the_register(folder):
    names = ["Hoàng Văn Lâm", "Bế Thị Lan", "Ma Văn Cường"]
    _send(folder, "LD01", [_example(names[0]), _example(names[1], direct="Không",
                                                        **{"Giới tính": "Nữ"})])
    _send(folder, "LD02", [_example(names[2], direct="Không")])
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    _choose(control, {n: ("Có", "") for n in names})
    with pytest.raises(PreflightBlocked) as blocked:  # 3 chosen of 2, 1 of 3 direct
        generate_documents(folder, 1, pdf=False, kinds=["conference"])
    assert {p.code for p in blocked.value.findings} == {Msg.DELEGATES_OVER.code,
                                                        Msg.DELEGATES_SHARE_LOW.code}
    assert not list((folder / "output").glob("*.docx"))
    _choose(control, {names[2]: ("Không", "Ngoài số được cử")})
    result = generate_documents(folder, 1, pdf=False, kinds=["conference"])

    out = {p.name.split("_")[0] + "_" + p.name.split("_")[1]: p for p in result.written}
    chosen = names[:2]
    sheet = [r[TITLES["ho_ten"]] for r in sheet_rows(control, ControlSheet.OUTSTANDING)
             if r[TITLES["chon_dai_bieu"]] == "Có"]
    assert sheet == chosen
    listing = Document(str(out["DanhSach_DaiBieu"]))
    rows = [[c.text for c in r.cells] for t in listing.tables[1:-1] for r in t.rows]
    assert [r[1] for r in rows if r[0].isdigit()] == chosen
    assert [r[5] for r in rows if r[0].isdigit()] == ["x", ""]
    text = "\n".join(p.text for p in listing.paragraphs)
    assert "2 đại biểu, trong đó 1 công nhân" in text and "50,0%" in text
    decision = Document(str(out["QuyetDinh_DienHinh"]))
    annex = [[c.text for c in r.cells] for t in decision.tables[2:] for r in t.rows]
    assert [r[1] for r in annex if r[0].isdigit()] == chosen
    assert any("Công nhận và biểu dương 2 điển hình" in p.text for p in decision.paragraphs)
    invitations = Document(str(out["GiayMoi_DaiBieu"]))
    said = [p.text for p in invitations.paragraphs]
    assert [t for t in said if t.startswith(("Ông:", "Bà:"))] == [f"Ông: {names[0]}",
                                                                   f"Bà: {names[1]}"]
    assert sum("ngày 25 tháng 8 năm 2020" in t for t in said) == 2
    booklet = Document(str(out["KyYeu_DienHinh"]))
    told = [p.text for p in booklet.paragraphs]
    assert [t for t in told if t in names] == chosen and told.count(STORY) == 2

    history = show_history(folder, person=names[0], write_sheet=False)
    assert DELEGATE_FORM in history and "QĐ" in history
    assert DELEGATE_FORM not in show_history(folder, person=names[2], write_sheet=False)


def test_a_delegate_proposed_again_is_flagged_from_the_register(folder):
    campaign = read_campaign(folder / "TongHopThiDua.xlsx")
    _send(folder, "LD01", [_example("Hoàng Văn Lâm"), _example("Bế Thị Lan")])
    consolidate(folder, 1, campaign=campaign)
    control = folder / "TongHopThiDua.xlsx"
    _choose(control, {"Hoàng Văn Lâm": ("Có", ""), "Bế Thị Lan": ("Không", "")})
    consolidate(folder, 1, campaign=campaign)  # the register now knows the choice
    campaign.outstanding_phase = 2
    for p in (folder / "inbox").iterdir():
        p.unlink()
    put(folder, "LD01_Dot2_2020.xlsx", good_sheets(**{OUTSTANDING.sheet: [
        _example("Hoàng Văn Lâm"), _example("Bế Thị Lan")]}), unit="LD01", phase=2,
        when=datetime(2020, 12, 1, 9, 0))
    result = consolidate(folder, 2, campaign=campaign)
    again = [p for p in result.problems if p.msg is Msg.DELEGATE_BEFORE]
    assert [p.value for p in again] == ["Hoàng Văn Lâm"]
    assert "đợt 1 năm 2020, LD01" in again[0].text
